// Blind-signed response credentials (RFC 9474) over HTTP: issuance exactly once per token under a race,
// spending exactly once, another campaign's key, malformed and forged credentials, the page flow, the key's
// life and the public ledger. Credentials are made with the library the browser uses.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { issueSlipTokens, isTokenUnused, isUnused, lookupToken } from '../../server/campaigns/tokens.js';
import { createCampaign, setCampaignStatus } from '../../server/campaigns/service.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { randomBase32 } from '../../server/lib/ids.js';
import { responsesCollection } from '../../server/responses/store.js';
import { destroyPrivateKey, forgetKey, KEYS, sweepKeys } from '../../server/credentials/keys.js';
import { issuances } from '../../server/campaigns/issuances.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildSurveyWorld, facultyCampaignInput, type SurveyWorld } from '../support/survey-fixtures.js';
import { blindRequest, fetchKey, obtainCredential, requestCredential, type Credential } from '../support/blind-client.js';

type Body = { status?: string; error?: { code: string; message: string } };

async function submit(srv: TestServer, link: string, body: Record<string, unknown>): Promise<{ status: number; body: Body }> {
  const res = await fetch(`${srv.url}/api/respond/${link}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Body };
}

describe('blind-signed response credentials', () => {
  let srv: TestServer;
  let world: SurveyWorld;
  let answers: Record<string, unknown>;
  before(async () => {
    srv = await startTestServer({ RESPONSES_PER_MINUTE_PER_CLIENT: '100000' });
  });
  after(async () => srv.close());
  beforeEach(async () => {
    world = await buildSurveyWorld({ instrument: 'integrity', blindCredentials: true });
    answers = syntheticAnswers(await getPublishedDefinition('integrity', 1), seededRandom(3), 3.5);
  });

  const segment = () => ({ programme: world.programmesA[0], cohort: world.cohortsA[0] });
  const response = (credential: Credential | undefined, extra: Record<string, unknown> = {}) => ({ submissionId: randomBase32(26), lang: 'kk', segment: segment(), answers, ...(credential ? { credential } : {}), ...extra });
  const stored = async (campaign = world.campaign._id) => (await responsesCollection(campaign)).countDocuments();

  it('is on by default for instruments with sensitive items and off for the others', async () => {
    const def = (id: string) => ({ title: { kk: 'x', ru: 'x', en: 'x' }, instrument: { id, version: 1 }, audience: { kind: 'faculty' as const, ids: [world.facultyA] }, academicYear: '2025-2026', opensAt: new Date(), closesAt: new Date(Date.now() + 86_400_000), openLinkEnabled: true, openLinkCap: 0 });
    expect((await createCampaign(SYSTEM_ACTOR, def('integrity'))).blindCredentials).to.equal(true);
    expect((await createCampaign(SYSTEM_ACTOR, def('student-satisfaction'))).blindCredentials).to.equal(false);
  });

  it('issues one credential per token when 20 requests race with it, and the same signature again for the same blinded message', async () => {
    const [token] = (await issueSlipTokens(SYSTEM_ACTOR, world.campaign._id, 1, {})) as [string];
    const { spki } = await fetchKey(srv.url, world.campaign.linkId);
    const requests = await Promise.all(Array.from({ length: 20 }, () => blindRequest(spki)));
    const results = await Promise.all(requests.map((r) => requestCredential(srv.url, world.campaign.linkId, token, r.blinded)));
    const issued = results.filter((r) => r.status === 201);
    expect(issued, JSON.stringify(results.map((r) => r.status))).to.have.length(1);
    expect(results.filter((r) => r.status === 409 && r.body.error?.code === 'credential_issued')).to.have.length(19);
    expect(await issuances(world.campaign._id).countDocuments()).to.equal(1);
    // The token now reads as used (reminders stop; the ordinary path would refuse it) — by its issuance
    // record alone: issuance writes nothing else, its unused record is as printed.
    expect(await isTokenUnused(world.campaign._id, token, true)).to.equal(false);
    expect((await lookupToken(world.campaign._id, token, true)).state).to.equal('used');
    expect(await isUnused(token)).to.equal(true);
    // A browser that lost the answer asks again with the same blinded message: the same signature, once more.
    const winner = requests[results.indexOf(issued[0]!)]!;
    const again = await Promise.all(Array.from({ length: 5 }, () => requestCredential(srv.url, world.campaign.linkId, token, winner.blinded)));
    for (const a of again) expect(a).to.deep.include({ status: 200, body: { blindSignature: issued[0]!.body.blindSignature, status: 'again' } });
    expect(await issuances(world.campaign._id).countDocuments()).to.equal(1);
    // The credential it gives is valid: one response is stored with it.
    const credential = await winner.finalize(issued[0]!.body.blindSignature!);
    expect((await submit(srv, world.campaign.linkId, response(credential))).status).to.equal(201);
  });

  it('stores a response with a credential once and refuses every further one (double spend), 20 at once too', async () => {
    const [t1, t2] = (await issueSlipTokens(SYSTEM_ACTOR, world.campaign._id, 2, {})) as [string, string];
    const first = await obtainCredential(srv.url, world.campaign.linkId, t1);
    const ok = await submit(srv, world.campaign.linkId, response(first));
    expect(ok.status, JSON.stringify(ok.body)).to.equal(201);
    const again = await submit(srv, world.campaign.linkId, response(first, { lang: 'ru' }));
    expect(again.status).to.equal(409);
    expect(again.body.error?.code).to.equal('credential_spent');
    // Twenty different responses racing with one fresh credential: one is stored.
    const second = await obtainCredential(srv.url, world.campaign.linkId, t2);
    const race = await Promise.all(Array.from({ length: 20 }, () => submit(srv, world.campaign.linkId, response(second))));
    expect(race.filter((r) => r.status === 201)).to.have.length(1);
    expect(race.filter((r) => r.status === 409 && r.body.error?.code === 'credential_spent')).to.have.length(19);
    expect(await stored()).to.equal(2);
  });

  it('refuses a credential signed with another campaign\u2019s key', async () => {
    const other = await createCampaign(SYSTEM_ACTOR, facultyCampaignInput(world, 'integrity', { title: { kk: 'B', ru: 'B', en: 'B' }, blindCredentials: true }), 'open');
    const [theirs] = (await issueSlipTokens(SYSTEM_ACTOR, other._id, 1, {})) as [string];
    const foreign = await obtainCredential(srv.url, other.linkId, theirs);
    const res = await submit(srv, world.campaign.linkId, response(foreign));
    expect(res.status).to.equal(400);
    expect(res.body.error?.code).to.equal('invalid_credential');
    expect(res.body.error?.message).to.match(/not signed with this survey.s key/);
    expect(await stored()).to.equal(0);
    // …and still spends in its own campaign.
    expect((await submit(srv, other.linkId, response(foreign))).status).to.equal(201);
    // A token of the other campaign cannot get a credential through this campaign's link.
    const [another] = (await issueSlipTokens(SYSTEM_ACTOR, other._id, 1, {})) as [string];
    const { spki } = await fetchKey(srv.url, world.campaign.linkId);
    expect((await requestCredential(srv.url, world.campaign.linkId, another, (await blindRequest(spki)).blinded)).status).to.equal(404);
  });

  it('refuses malformed and forged credentials with a clear 4xx and stores nothing', async () => {
    const [token] = (await issueSlipTokens(SYSTEM_ACTOR, world.campaign._id, 1, {})) as [string];
    const good = await obtainCredential(srv.url, world.campaign.linkId, token);
    const flip = (b64: string, at: number) => {
      const bytes = Buffer.from(b64, 'base64url');
      bytes[at]! ^= 1;
      return bytes.toString('base64url');
    };
    const randomSig = Buffer.from(crypto.getRandomValues(new Uint8Array(256))).toString('base64url');
    const cases: [string, unknown, number, string][] = [
      ['no credential', undefined, 403, 'credential_required'],
      ['message not base64url', { message: '***', signature: good.signature }, 400, 'invalid_credential'],
      ['message too short', { message: good.message.slice(0, 40), signature: good.signature }, 400, 'invalid_credential'],
      ['signature too short', { message: good.message, signature: good.signature.slice(0, 100) }, 400, 'invalid_credential'],
      ['message changed', { message: flip(good.message, 40), signature: good.signature }, 400, 'invalid_credential'],
      ['prefix changed', { message: flip(good.message, 0), signature: good.signature }, 400, 'invalid_credential'],
      ['signature changed', { message: good.message, signature: flip(good.signature, 100) }, 400, 'invalid_credential'],
      ['random signature', { message: good.message, signature: randomSig }, 400, 'invalid_credential'],
      ['extra field', { ...good, token }, 400, 'validation_failed'],
      ['not an object', 'abc', 400, 'validation_failed'],
    ];
    for (const [name, credential, status, code] of cases) {
      const res = await submit(srv, world.campaign.linkId, { ...response(undefined), ...(credential === undefined ? {} : { credential }) });
      expect(res.status, name).to.equal(status);
      expect(res.body.error?.code, name).to.equal(code);
      expect(res.body.error?.message ?? '', name).to.have.length.greaterThan(10);
    }
    // A token sent with the answers is refused here: it is exchanged for a credential, never sent with answers.
    const [other] = (await issueSlipTokens(SYSTEM_ACTOR, world.campaign._id, 1, {})) as [string];
    const withToken = await submit(srv, world.campaign.linkId, response(undefined, { token: other }));
    expect([withToken.status, withToken.body.error?.code]).to.deep.equal([409, 'credential_required']);
    expect(await isTokenUnused(world.campaign._id, other, true)).to.equal(true);
    expect(await stored()).to.equal(0);
    // The good credential still works afterwards.
    expect((await submit(srv, world.campaign.linkId, response(good))).status).to.equal(201);

    // Malformed blinded messages: nothing is used up.
    const [fresh] = (await issueSlipTokens(SYSTEM_ACTOR, world.campaign._id, 1, {})) as [string];
    const blindCases: [string, string, number, string][] = [
      ['too short', Buffer.alloc(100, 7).toString('base64url'), 400, 'invalid_blinded_message'],
      ['not below the modulus', Buffer.alloc(256, 0xff).toString('base64url'), 400, 'invalid_blinded_message'],
      ['not base64url', '!'.repeat(344), 400, 'invalid_blinded_message'],
    ];
    for (const [name, blinded, status, code] of blindCases) {
      const res = await requestCredential(srv.url, world.campaign.linkId, fresh, blinded);
      expect([res.status, res.body.error?.code], name).to.deep.equal([status, code]);
    }
    const unknown = await requestCredential(srv.url, world.campaign.linkId, 'abcdefghjkmn', Buffer.alloc(256, 1).toString('base64url'));
    expect([unknown.status, unknown.body.error?.code]).to.deep.equal([404, 'invalid_link']);
    expect(await isTokenUnused(world.campaign._id, fresh, true)).to.equal(true);
    expect(await issuances(world.campaign._id).countDocuments()).to.equal(1);
  });

  it('keeps tokens and credentials apart: a campaign without credentials refuses them, and its tokens get none', async () => {
    const plain = await createCampaign(SYSTEM_ACTOR, facultyCampaignInput(world, 'student-satisfaction', { blindCredentials: false }), 'open');
    const [token] = (await issueSlipTokens(SYSTEM_ACTOR, plain._id, 1, {})) as [string];
    const key = await fetch(`${srv.url}/api/respond/${plain.linkId}/key`);
    expect(key.status).to.equal(404);
    const { spki } = await fetchKey(srv.url, world.campaign.linkId);
    const res = await requestCredential(srv.url, plain.linkId, token, (await blindRequest(spki)).blinded);
    expect([res.status, res.body.error?.code]).to.deep.equal([409, 'credentials_off']);
    const [mine] = (await issueSlipTokens(SYSTEM_ACTOR, world.campaign._id, 1, {})) as [string];
    const credential = await obtainCredential(srv.url, world.campaign.linkId, mine);
    const offered = await submit(srv, plain.linkId, response(credential));
    expect([offered.status, offered.body.error?.code]).to.deep.equal([409, 'credentials_off']);
    // Generated or imported answers cannot be stored in a campaign with credentials.
    const def = await getPublishedDefinition('integrity', 1);
    let refused: unknown;
    await srv.services.submissions.storeAccepted(world.campaign, def, [{ answers: {}, segment: {}, day: '2026-01-01' }]).catch((err: unknown) => (refused = err));
    expect((refused as { code?: string }).code).to.equal('credential_required');
  });

  it('answers through the survey\u2019s pages: the personal link only gets the credential, and the last step needs it', async () => {
    const [token] = (await issueSlipTokens(SYSTEM_ACTOR, world.campaign._id, 1, {})) as [string];
    const credentialPage = await fetch(`${srv.url}/t/${token}?lang=kk`);
    const html = await credentialPage.text();
    expect(credentialPage.status).to.equal(200);
    expect(html).to.include('data-credential="token"');
    expect(html).to.include('/static/js/credential.js');
    expect(html).to.include(`data-issue-url="/api/respond/${world.campaign.linkId}/credential"`);
    expect(html).to.include('Бұл сауалнамаға JavaScript қажет');
    const key = await fetchKey(srv.url, world.campaign.linkId);
    expect(html).to.include(`data-spki="${key.spki}"`);
    // Answering under the personal link is not possible: it leads back to the credential page.
    const start = await fetch(`${srv.url}/t/${token}/start`, { method: 'POST', redirect: 'manual' });
    expect(start.status).to.be.oneOf([303, 403]);

    // The survey's link: a browser session with cookies, as the pages need.
    const jar = new Map<string, string>();
    const browse = async (path: string, form?: Record<string, string>) => {
      const res = await fetch(`${srv.url}${path}`, {
        method: form ? 'POST' : 'GET',
        redirect: 'manual',
        headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        body: form ? new URLSearchParams(form).toString() : undefined,
      });
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';') as [string];
        const at = pair.indexOf('=');
        jar.set(pair.slice(0, at), pair.slice(at + 1));
      }
      return { status: res.status, location: res.headers.get('location'), html: await res.text() };
    };
    const intro = await browse(`/s/${world.campaign.linkId}?lang=en`);
    expect(intro.html).to.include('data-credential="link"');
    expect(intro.html).to.include('This survey needs JavaScript');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(intro.html)![1]!;
    const started = await browse(`/s/${world.campaign.linkId}/start`, { _csrf: csrf });
    expect(started.status).to.equal(303);
    // Walk every step with the answers the generator gave, pressing "next" (and "submit" at the end) without a credential first.
    const credential = await obtainCredential(srv.url, world.campaign.linkId, token, key.spki);
    let at = started.location!;
    let final: { status: number; location: string | null; html: string } | undefined;
    for (let guard = 0; guard < 12 && !final; guard++) {
      const step = await browse(at);
      const fields: Record<string, string> = { _csrf: csrf, nav: 'next' };
      for (const m of step.html.matchAll(/<select[^>]*name="(programme|cohort|discipline)"[^>]*>[\s\S]*?<option value="([^"]+)"/g)) fields[m[1]!] = m[2]!;
      if (step.html.includes('data-credential="step"')) {
        const withoutCredential = await browse(at, fields);
        if (withoutCredential.status === 403) {
          expect(withoutCredential.html).to.include('A credential is needed');
          const done = await browse(at, { ...fields, credential_message: credential.message, credential_signature: credential.signature });
          final = done;
          break;
        }
        at = withoutCredential.location!;
      }
    }
    expect(final?.status, final?.html.slice(0, 300)).to.equal(303);
    expect(final?.location).to.equal(`/s/${world.campaign.linkId}/thanks`);
    const thanks = await browse(final!.location!);
    expect(thanks.html).to.include('data-credential="spent"');
    expect(await stored()).to.equal(1);
  });

  it('destroys the signing key once the campaign closes and keeps the public key; no credential is issued after', async () => {
    const [t1, t2] = (await issueSlipTokens(SYSTEM_ACTOR, world.campaign._id, 2, {})) as [string, string];
    const credential = await obtainCredential(srv.url, world.campaign.linkId, t1);
    expect((await submit(srv, world.campaign.linkId, response(credential))).status).to.equal(201);
    const { spki } = await fetchKey(srv.url, world.campaign.linkId);
    await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');
    const late = await requestCredential(srv.url, world.campaign.linkId, t2, (await blindRequest(spki)).blinded);
    expect([late.status, late.body.error?.code]).to.deep.equal([409, 'campaign_closed']);
    const swept = await sweepKeys(srv.config.jwtSecret);
    expect(swept.destroyed).to.equal(1);
    const doc = await mongoose.connection.db!.collection<{ _id: string; privateKey?: unknown; publicKey: string; destroyedOn?: string }>(KEYS).findOne({ _id: world.campaign._id });
    expect(doc?.privateKey).to.equal(undefined);
    expect(doc?.publicKey).to.be.a('string');
    expect(doc?.destroyedOn).to.match(/^\d{4}-\d{2}-\d{2}$/);
    expect(await destroyPrivateKey(world.campaign._id)).to.equal(false);
    forgetKey(world.campaign._id);
    const ledger = (await (await fetch(`${srv.url}/api/credentials/${world.campaign._id}`)).json()) as { key: { destroyedOn: string | null }; spent: number };
    expect(ledger.key.destroyedOn).to.equal(doc?.destroyedOn);
    expect(ledger.spent).to.equal(1);
  });

  it('keeps the private key sealed: the database holds no key that signs without the secret', async () => {
    await fetchKey(srv.url, world.campaign.linkId);
    const doc = await mongoose.connection.db!.collection<{ _id: string; privateKey: { data: string }; bits: number }>(KEYS).findOne({ _id: world.campaign._id });
    expect(doc?.bits).to.be.at.least(2048);
    const sealed = Buffer.from(doc!.privateKey.data, 'base64url');
    // A PKCS #8 RSA key in DER starts with 30 82 …; the sealed bytes do not, and no PEM is stored.
    expect(sealed.subarray(0, 2).toString('hex')).to.not.equal('3082');
    expect(JSON.stringify(doc)).to.not.include('PRIVATE KEY');
  });

  it('publishes a ledger whose figures agree after a batch, with the key, in three languages', async () => {
    const tokens = await issueSlipTokens(SYSTEM_ACTOR, world.campaign._id, 12, {});
    const { spki, fingerprint } = await fetchKey(srv.url, world.campaign.linkId);
    const credentials = await Promise.all(tokens.slice(0, 9).map((t) => obtainCredential(srv.url, world.campaign.linkId, t, spki)));
    for (const c of credentials.slice(0, 6)) expect((await submit(srv, world.campaign.linkId, response(c))).status).to.equal(201);
    await srv.services.writer.flush();
    const res = await fetch(`${srv.url}/api/credentials/${world.campaign._id}`);
    expect(res.status).to.equal(200);
    const ledger = (await res.json()) as Record<string, unknown>;
    expect(ledger).to.include({ eligible: 12, issued: 9, spent: 6, responses: 6, agree: true, algorithm: 'RSABSSA-SHA384-PSS-Randomized', state: 'open' });
    expect((ledger.key as { fingerprint: string; spki: string; bits: number }).fingerprint).to.equal(fingerprint);
    expect((ledger.key as { spki: string }).spki).to.equal(spki);
    for (const [lang, words] of [['kk', 'Жария кілт'], ['ru', 'Публичный ключ'], ['en', 'The public key']] as const) {
      const page = await fetch(`${srv.url}/credentials/${world.campaign._id}?lang=${lang}`);
      const html = await page.text();
      expect(page.status).to.equal(200);
      expect(html).to.include(words);
      expect(html).to.include('data-agree="yes"');
      expect(html).to.include('<td class="num" data-figure="issued">9</td>');
      expect(html).to.include('BEGIN PUBLIC KEY');
    }
    // Only campaigns with blind credentials that have opened have a page.
    const plain = await createCampaign(SYSTEM_ACTOR, facultyCampaignInput(world, 'integrity', { blindCredentials: false }), 'open');
    const draft = await createCampaign(SYSTEM_ACTOR, facultyCampaignInput(world, 'integrity', { blindCredentials: true }));
    for (const id of [plain._id, draft._id]) {
      expect((await fetch(`${srv.url}/credentials/${id}`)).status).to.equal(404);
      expect((await fetch(`${srv.url}/api/credentials/${id}`)).status).to.equal(404);
    }
    expect((await fetch(`${srv.url}/api/credentials/not-an-id`)).status).to.equal(400);
  });
});
