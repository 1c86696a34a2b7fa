import { expect } from 'chai';
import { LoginThrottle } from '../../server/accounts/login-throttle.js';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('login throttle', () => {
  it('locks an account for 15 minutes after 5 failures within 15 minutes', () => {
    const c = clock();
    const t = new LoginThrottle({ now: c.now });
    for (let i = 0; i < 4; i++) t.fail('A@x.kz', `client-${i}`);
    expect(t.check('a@x.kz', 'other').ok).to.equal(true);
    t.fail('a@x.kz', 'client-9');
    const verdict = t.check('a@x.kz', 'anyone');
    expect(verdict).to.deep.equal({ ok: false, reason: 'account', retryAfterSeconds: 900 });
    c.advance(14 * 60_000);
    expect(t.check('a@x.kz', 'anyone').ok).to.equal(false);
    c.advance(60_000 + 1);
    expect(t.check('a@x.kz', 'anyone').ok).to.equal(true);
  });

  it('forgets failures older than the window', () => {
    const c = clock();
    const t = new LoginThrottle({ now: c.now });
    for (let i = 0; i < 4; i++) t.fail('a@x.kz', 'c');
    c.advance(15 * 60_000 + 1);
    t.fail('a@x.kz', 'c');
    expect(t.check('a@x.kz', 'c').ok).to.equal(true);
  });

  it('a successful sign-in clears the account’s failures', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < 4; i++) t.fail('a@x.kz', 'c');
    t.succeed('a@x.kz');
    t.fail('a@x.kz', 'c');
    expect(t.check('a@x.kz', 'c').ok).to.equal(true);
  });

  it('stops a client after 20 failures over many accounts, with a Retry-After', () => {
    const c = clock();
    const t = new LoginThrottle({ now: c.now });
    for (let i = 0; i < 20; i++) t.fail(`user${i}@x.kz`, 'guesser');
    const verdict = t.check('fresh@x.kz', 'guesser');
    expect(verdict.ok).to.equal(false);
    expect(verdict.ok === false && verdict.reason).to.equal('client');
    expect(verdict.ok === false && verdict.retryAfterSeconds).to.be.within(1, 900);
    expect(t.check('fresh@x.kz', 'someone-else').ok).to.equal(true);
  });

  it('keeps no email or address in clear, and bounds its memory', () => {
    const t = new LoginThrottle({ maxEntries: 100 });
    for (let i = 0; i < 500; i++) t.fail(`user${i}@x.kz`, `10.0.0.${i}`);
    expect(t.size).to.be.at.most(100);
    const keys = [...(t as unknown as { counters: Map<string, unknown> }).counters.keys()].join(' ');
    expect(keys).not.to.match(/@|10\.0\.0/);
  });
});
