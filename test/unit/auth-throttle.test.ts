import { expect } from 'chai';
import { LoginThrottle, type Burst } from '../../server/accounts/login-throttle.js';

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

  it('never holds back a trusted device over the account’s pause or its client’s, and its success lifts nobody else’s pause', () => {
    const c = clock();
    const t = new LoginThrottle({ now: c.now });
    for (let i = 0; i < 5; i++) t.fail('admin@x.kz', 'attacker');
    for (let i = 0; i < 20; i++) t.fail(`user${i}@x.kz`, 'office-nat');
    expect(t.check('admin@x.kz', 'attacker')).to.include({ ok: false, reason: 'account' });
    // The admin's laptop, behind the office address that another user's guesses paused, with its device cookie.
    expect(t.check('admin@x.kz', 'office-nat', 'laptop-nonce')).to.deep.equal({ ok: true, trusted: true });
    t.succeed('admin@x.kz', 'laptop-nonce');
    expect(t.check('admin@x.kz', 'attacker')).to.include({ ok: false, reason: 'account' });
  });

  it('pauses a trusted device on its own after 10 failures (a stolen cookie buys no unlimited guesses)', () => {
    const c = clock();
    const t = new LoginThrottle({ now: c.now });
    for (let i = 0; i < 9; i++) t.fail('a@x.kz', 'c', 'stolen');
    expect(t.check('a@x.kz', 'c', 'stolen').ok).to.equal(true);
    t.fail('a@x.kz', 'c', 'stolen');
    expect(t.check('a@x.kz', 'c', 'stolen')).to.deep.equal({ ok: false, reason: 'device', retryAfterSeconds: 900 });
    // The device's failures are not the account's: other clients are not paused by them, nor other devices.
    expect(t.check('a@x.kz', 'c').ok).to.equal(true);
    expect(t.check('a@x.kz', 'c', 'other-device').ok).to.equal(true);
  });

  it('reports each pause once when it starts, then the attempts refused while it lasts', () => {
    const c = clock();
    const bursts: Burst[] = [];
    const t = new LoginThrottle({ now: c.now, onBurst: (b) => bursts.push(b) });
    for (let i = 0; i < 5; i++) t.fail('Target@x.kz', `client-${i}`);
    expect(bursts).to.have.length(1);
    expect(bursts[0]).to.deep.include({ kind: 'account', email: 'target@x.kz', failures: 5, refused: 0, pausedUntil: c.now() + 900_000 });
    c.advance(1000);
    t.check('target@x.kz', 'client-7');
    t.check('target@x.kz', 'client-8');
    expect(bursts.map((b) => b.refused)).to.deep.equal([0, 1, 2]);
    expect(new Set(bursts.map((b) => b.id)).size).to.equal(1);
    for (let i = 0; i < 20; i++) t.fail(`u${i % 7}@x.kz`, 'sprayer');
    const client = bursts.at(-1)!;
    expect(client).to.deep.include({ kind: 'client', failures: 20, accounts: 7 });
    expect(client).not.to.have.property('email');
  });
});
