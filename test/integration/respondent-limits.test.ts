import { expect } from 'chai';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { issueSlipTokens } from '../../server/campaigns/tokens.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { randomBase32 } from '../../server/lib/ids.js';
import { responsesCollection } from '../../server/responses/store.js';
import { Phone } from '../support/phone.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';

/** A JSON submission through the campaign's link, without cookies (a script or an API client). */
async function submit(srv: TestServer, world: SurveyWorld, extra: { token?: string; headers?: Record<string, string> } = {}) {
  const def = await getPublishedDefinition('student-satisfaction', 1);
  const body = { submissionId: randomBase32(26), segment: { programme: world.programmesA[0], cohort: world.cohortsA[0] }, answers: syntheticAnswers(def, seededRandom(5), 4), ...(extra.token ? { token: extra.token } : {}) };
  const res = await fetch(`${srv.url}/api/respond/${world.campaign.linkId}`, { method: 'POST', headers: { 'content-type': 'application/json', ...extra.headers }, body: JSON.stringify(body) });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), json: (await res.json()) as { error?: { code: string; message: string } } };
}

/** A token of the right shape that was never issued. */
const madeUpToken = () => randomBase32(12).replace(/[ilou]/g, '2');

describe('respondent limits: a lecture hall behind one address, floods and token guessing', () => {
  let world: SurveyWorld;
  beforeEach(async () => {
    world = await buildSurveyWorld();
  });

  describe('without a trusted proxy (TRUST_PROXY off)', () => {
    let srv: TestServer;
    before(async () => {
      srv = await startTestServer({ RESPONSES_PER_MINUTE_PER_CLIENT: '3', RESPONSES_PER_MINUTE_PER_BROWSER: '2', RESPONSES_PER_MINUTE_PER_ADDRESS: '6', TOKEN_MISSES_PER_CLIENT: '3' });
    });
    after(async () => srv.close());

    it('counts browsers with their own cookies apart, up to the address limit, while a cookieless script is slowed', async () => {
      // One browser answers twice, and is refused a third time (per browser), its answers kept.
      const first = new Phone(srv.url);
      expect((await first.answer(`/s/${world.campaign.linkId}`)).completed).to.equal(true);
      expect((await first.answer(`/s/${world.campaign.linkId}`)).completed).to.equal(true);
      const third = await first.answer(`/s/${world.campaign.linkId}`);
      expect(third.completed).to.equal(false);
      expect(third.refused).to.equal(1);
      expect(third.failure).to.match(/^429/);

      // Three more browsers from the same address: more than the 3 a cookieless client may send.
      for (let i = 0; i < 3; i++) expect((await new Phone(srv.url).answer(`/s/${world.campaign.linkId}`)).completed, `browser ${i}`).to.equal(true);
      // The address's browsers together reached RESPONSES_PER_MINUTE_PER_ADDRESS (6 attempts): the next is refused.
      const over = await new Phone(srv.url).answer(`/s/${world.campaign.linkId}`);
      expect(over.refused).to.equal(1);

      // A script without cookies, changing X-Forwarded-For (not trusted here): three, then 429 with Retry-After.
      const script = [];
      for (let i = 0; i < 4; i++) script.push(await submit(srv, world, { headers: { 'x-forwarded-for': `198.51.100.${i + 1}` } }));
      expect(script.map((r) => r.status)).to.deep.equal([201, 201, 201, 429]);
      expect(Number(script[3]!.retryAfter)).to.be.within(1, 60);
      // Token submissions are no longer exempt: the same client with a valid token is slowed too.
      const [token] = await issueSlipTokens(SYSTEM_ACTOR, world.campaign._id, 1, {});
      expect((await submit(srv, world, { token })).status).to.equal(429);

      expect(await (await responsesCollection(world.campaign._id)).countDocuments()).to.equal(2 + 3 + 3);
    });

    it('limits unknown tokens per browser, and per address across browsers; a miss and a hit look alike once limited', async () => {
      const [token] = await issueSlipTokens(SYSTEM_ACTOR, world.campaign._id, 1, {});
      const guesser = new Phone(srv.url);
      await guesser.request('GET', '/login'); // a page gives the browser its cookie
      for (let i = 0; i < 3; i++) expect((await guesser.request('GET', `/t/${madeUpToken()}`)).status).to.equal(404);
      const blocked = await guesser.request('GET', `/t/${token}`);
      expect(blocked.status).to.equal(429);
      expect(Number(blocked.retryAfter)).to.be.within(500, 600);
      expect((await guesser.request('GET', `/t/${madeUpToken()}`)).status).to.equal(429);

      // Another browser behind the same address is not held back by the first one's guesses.
      const honest = new Phone(srv.url);
      expect((await honest.request('GET', `/t/${token}`)).status).to.equal(200);

      // A client without cookies is limited by its address; through the API as well.
      for (let i = 0; i < 3; i++) expect((await submit(srv, world, { token: madeUpToken() })).status).to.be.oneOf([404, 429]);
      expect((await submit(srv, world, { token })).status).to.equal(429);

      // Fresh cookies do not buy unlimited guesses: the address holds ten browsers' worth (30 here).
      let misses = 3 + 3;
      for (let browser = 0; misses < 30; browser++) {
        const fresh = new Phone(srv.url);
        await fresh.request('GET', '/login');
        for (let i = 0; i < 3 && misses < 30; i++, misses++) expect((await fresh.request('GET', `/t/${madeUpToken()}`)).status, `miss ${misses + 1}`).to.equal(404);
      }
      const late = new Phone(srv.url);
      await late.request('GET', '/login');
      expect((await late.request('GET', `/t/${token}`)).status).to.equal(429);
    });
  });

  describe('behind a trusted reverse proxy (TRUST_PROXY=loopback)', () => {
    let srv: TestServer;
    before(async () => {
      srv = await startTestServer({ TRUST_PROXY: 'loopback', RESPONSES_PER_MINUTE_PER_CLIENT: '2', TOKEN_MISSES_PER_CLIENT: '50', TOKEN_MISSES_PER_CAMPAIGN: '4' });
    });
    after(async () => srv.close());

    it('takes the client address from X-Forwarded-For', async () => {
      const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
      expect((await submit(srv, world, from('203.0.113.1'))).status).to.equal(201);
      expect((await submit(srv, world, from('203.0.113.1'))).status).to.equal(201);
      expect((await submit(srv, world, from('203.0.113.1'))).status).to.equal(429);
      expect((await submit(srv, world, from('203.0.113.2'))).status).to.equal(201);
    });

    it('limits unknown tokens per campaign, from however many addresses, through the campaign link', async () => {
      const [token] = await issueSlipTokens(SYSTEM_ACTOR, world.campaign._id, 1, {});
      for (let i = 1; i <= 4; i++) expect((await submit(srv, world, { token: madeUpToken(), headers: { 'x-forwarded-for': `192.0.2.${i}` } })).status).to.equal(404);
      const blocked = await submit(srv, world, { token, headers: { 'x-forwarded-for': '192.0.2.99' } });
      expect(blocked.status).to.equal(429);
      expect(blocked.json.error?.message).to.include('do not exist');
      // The personal link's own page names no campaign before the token is found: it stays open.
      expect((await new Phone(srv.url, Math.random, { 'x-forwarded-for': '192.0.2.100' }).request('GET', `/t/${token}`)).status).to.equal(200);
    });
  });
});
