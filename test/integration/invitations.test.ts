import { expect } from 'chai';
import mongoose from 'mongoose';
import { Campaign } from '../../server/campaigns/model.js';
import { forgetCampaign } from '../../server/campaigns/service.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { contactIdOf, claimIdOf } from '../../server/invitations/keys.js';
import { Contact, MailWorker, SendClaim } from '../../server/invitations/model.js';
import { InvitationWorker } from '../../server/invitations/sender.js';
import { requestSend } from '../../server/invitations/service.js';
import { actorFromUser } from '../../server/accounts/session.js';
import { responsesCollection } from '../../server/responses/store.js';
import { randomBase32 } from '../../server/lib/ids.js';
import { call, createUser, formContext, postForm, sessionCookie } from '../support/factories.js';
import { apiProblems, expectProblemsShown } from '../support/import-problems.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';
import { deliveries, startInbox, tokenIn, unsubscribeIn, type Inbox, type Mail } from '../support/smtp.js';
import { waitFor } from '../support/wait.js';
import { blindRequest, fetchKey, requestCredential } from '../support/blind-client.js';

const CSV = [
  'name;organisation;email;language;programme',
  'Әсем Құдайбергенова;«Қазақтелеком» АҚ;asem@example.kz;kk;6B06101',
  'Иван Петров;ТОО «Ромашка»;ivan@example.kz;ru;6B06102',
  'John Smith;Acme LLP;john@example.com;en;6B06101',
].join('\r\n');

describe('email invitations and reminders', () => {
  let smtp: Inbox;
  let srv: TestServer;
  let world: SurveyWorld;
  let cookie: string;
  let actor: ReturnType<typeof actorFromUser>;
  let inbox: Mail[];
  let reject: Set<string>;

  before(async () => {
    smtp = await startInbox();
    inbox = smtp.mails;
    reject = smtp.reject;
    srv = await startTestServer({ SMTP_URL: smtp.url, MAIL_FROM: 'Pikir <qa@university.kz>' });
  });
  after(async () => {
    await srv.close();
    await smtp.close();
  });
  beforeEach(async () => {
    inbox.length = 0;
    reject.clear();
    world = await buildSurveyWorld({ instrument: 'employer-satisfaction' });
    const admin = await createUser({ role: 'admin' });
    actor = actorFromUser(admin);
    cookie = sessionCookie(srv.config, admin);
  });

  const api = (method: string, path: string, body?: unknown) => call(srv.url, method, path, { cookie, body });
  const importCsv = async (csv = CSV) => {
    const r = await api('POST', `/api/campaigns/${world.campaign._id}/contacts/import`, { csv });
    expect(r.status, r.text).to.equal(201);
    return r.json as { imported: number; merged: number };
  };
  const send = async (kind: 'invitation' | 'reminder') => {
    const r = await api('POST', `/api/campaigns/${world.campaign._id}/invitations/send`, { kind });
    expect(r.status, r.text).to.equal(202);
    return (r.json as { queued: number }).queued;
  };
  const worker = (options: Partial<ConstructorParameters<typeof InvitationWorker>[0]> = {}) => new InvitationWorker({ config: srv.config, ...options });
  const summary = async () => (await api('GET', `/api/campaigns/${world.campaign._id}/invitations`)).json as { counts: Record<string, number>; contactsDeleted: boolean };
  const ageContacts = (days: number) => Contact.updateMany({}, { $set: { lastSentOn: new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10) } });

  it('sends one invitation per contact, in the contact\'s language, with the personal link and an unsubscribe link', async () => {
    expect((await importCsv()).imported).to.equal(3);
    expect(await send('invitation')).to.equal(3);
    const w = worker();
    await w.drain();
    await w.stop();
    expect(inbox.map((m) => m.to).sort()).to.deep.equal(['asem@example.kz', 'ivan@example.kz', 'john@example.com']);
    const by = (to: string) => inbox.find((m) => m.to === to)!;
    expect(by('asem@example.kz').subject).to.match(/^Пікіріңіз маңызды: /);
    expect(by('asem@example.kz').text).to.contain('Құрметті Әсем Құдайбергенова!');
    expect(by('ivan@example.kz').subject).to.match(/^Ваше мнение важно: /);
    expect(by('john@example.com').subject).to.match(/^Your opinion matters: /);
    for (const m of inbox) {
      // HTML with a plain-text alternative, the same link in both, the language declared.
      expect(m.parts).to.deep.equal(['text/plain', 'text/html']);
      // The link opens the survey in the language of the mail.
      expect(m.html).to.contain(`<a href="${srv.url}/t/${tokenIn(m)}?lang=${m.headers['content-language']}"`);
      expect(m.text).to.contain(`${srv.url}/t/${tokenIn(m)}?lang=${m.headers['content-language']}`);
      expect(m.html).to.match(new RegExp(`<html lang="${m.headers['content-language']}">`));
      expect(m.messageId).to.match(/^<[A-Za-z0-9_-]{40}@127\.0\.0\.1>$/);
      expect(m.text).to.contain(`${srv.url}/t/`);
      expect(m.text).to.contain(`${srv.url}/unsubscribe/`);
      expect(m.headers['list-unsubscribe']).to.equal(`<${srv.url}/unsubscribe/${unsubscribeIn(m)}>`);
      expect(unsubscribeIn(m)).to.not.contain(tokenIn(m));
      const page = await fetch(`${srv.url}/t/${tokenIn(m)}?lang=${m.headers['content-language']}`);
      expect(page.status).to.equal(200);
      expect(page.headers.get('content-language')).to.equal(m.headers['content-language']);
    }
    // A second request queues nobody: everyone was invited.
    expect(await send('invitation')).to.equal(0);
    expect((await summary()).counts).to.include({ contacts: 3, sent: 3, failed: 0, answered: 0 });
  });

  it('reminds only non-respondents, not before D days, at most N times', async () => {
    await importCsv();
    await send('invitation');
    const w = worker();
    await w.drain();
    const john = inbox.find((m) => m.to === 'john@example.com')!;
    const def = await getPublishedDefinition('employer-satisfaction', 1);
    const answers = syntheticAnswers(def, seededRandom(3), 4);
    const r = await fetch(`${srv.url}/api/respond/${world.campaign.linkId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ submissionId: randomBase32(26), lang: 'en', segment: { cohort: world.cohortsA[0] }, answers, token: tokenIn(john) }) });
    expect(r.status, await r.text()).to.equal(201);

    expect(await send('reminder'), 'before D days').to.equal(0);
    await ageContacts(4);
    expect(await send('reminder')).to.equal(2);
    inbox.length = 0;
    await w.drain();
    expect(inbox.map((m) => m.to).sort()).to.deep.equal(['asem@example.kz', 'ivan@example.kz']);
    expect(inbox.find((m) => m.to === 'asem@example.kz')!.subject).to.match(/^Еске салу: /);
    expect(inbox.find((m) => m.to === 'ivan@example.kz')!.subject).to.match(/^Напоминание: /);
    await ageContacts(4);
    expect(await send('reminder')).to.equal(2);
    await w.drain();
    await ageContacts(4);
    expect(await send('reminder'), 'after N = 2 reminders').to.equal(0);
    await w.stop();
    expect((await summary()).counts).to.include({ contacts: 3, sent: 3, answered: 1 });
  });

  it('with blind credentials, counts getting the credential as answering: no reminder, one answered', async () => {
    await Campaign.updateOne({ _id: world.campaign._id }, { $set: { blindCredentials: true } });
    forgetCampaign(world.campaign._id);
    await importCsv();
    await send('invitation');
    const w = worker();
    await w.drain();
    const john = inbox.find((m) => m.to === 'john@example.com')!;
    // John's browser exchanges his personal link's token for a credential; he has not answered yet.
    const { spki } = await fetchKey(srv.url, world.campaign.linkId);
    const issued = await requestCredential(srv.url, world.campaign.linkId, tokenIn(john), (await blindRequest(spki)).blinded);
    expect(issued.status, JSON.stringify(issued.body)).to.equal(201);
    await ageContacts(4);
    expect(await send('reminder')).to.equal(2);
    inbox.length = 0;
    await w.drain();
    await w.stop();
    expect(inbox.map((m) => m.to).sort()).to.deep.equal(['asem@example.kz', 'ivan@example.kz']);
    expect((await summary()).counts).to.include({ contacts: 3, sent: 3, answered: 1 });
  });

  it('resumes after a stop in the middle of a send: nobody twice, nobody skipped; a dead sender\'s mail goes once more with the same Message-ID', async () => {
    const emails = Array.from({ length: 8 }, (_, i) => `person${i}@example.kz`);
    await importCsv(['name,organisation,email,language,programme', ...emails.map((e, i) => `Person ${i},Org,${e},ru,6B06101`)].join('\n'));
    expect(await send('invitation')).to.equal(8);
    // The last one was claimed by a process that died while handing it to SMTP (no heartbeat left); the
    // one before by a live worker (a fresh heartbeat), which will finish it itself.
    const claimOf = (email: string) => claimIdOf(srv.config.jwtSecret, world.campaign._id, contactIdOf(world.campaign._id, email), 'invitation', 0);
    await SendClaim.create({ _id: claimOf(emails[7]!), campaign: world.campaign._id, kind: 'invitation', worker: 'w-dead', claimedOn: '2026-01-01' });
    await SendClaim.create({ _id: claimOf(emails[6]!), campaign: world.campaign._id, kind: 'invitation', worker: 'w-alive', claimedOn: '2026-01-01' });
    await MailWorker.create({ _id: 'w-alive', beats: 1 });
    const first = worker({ ratePerMinute: 600, intervalMs: 100 }).start();
    await waitFor(() => `two of the eight invitations to arrive (got ${inbox.length})`, () => inbox.length >= 2, { timeout: 10_000 });
    await first.stop();
    const sentBefore = inbox.length;
    expect(sentBefore).to.be.below(7);
    const second = worker();
    await second.drain();
    const counts = deliveries(inbox);
    for (const e of emails.slice(0, 6)) expect(counts.get(e), e).to.equal(1);
    expect(counts.get(emails[7]!), 'the dead sender\'s mail, once more').to.equal(1);
    expect(inbox.find((m) => m.to === emails[7])!.messageId).to.equal(`<${claimOf(emails[7]!).slice(0, 40)}@127.0.0.1>`);
    expect(counts.get(emails[6]!), 'held by a live worker').to.equal(undefined);
    expect((await summary()).counts).to.include({ sent: 7, queued: 1 });
    // That worker dies too: once its heartbeat has stood still for staleMs, its mail goes out — once.
    await second.stop();
    const third = worker({ staleMs: 50 });
    await third.drain();
    expect(deliveries(inbox).get(emails[6]!), 'first seen: still taken for alive').to.equal(undefined);
    await new Promise((resolve) => setTimeout(resolve, 120));
    await third.drain();
    await third.stop();
    expect(deliveries(inbox).get(emails[6]!)).to.equal(1);
    expect((await summary()).counts).to.include({ sent: 8, queued: 0 });
  });

  it('forgets the heartbeats of workers that died without stopping, and keeps those that still beat', async () => {
    await MailWorker.create({ _id: 'w-killed', beats: 7 });
    await MailWorker.create({ _id: 'w-slow', beats: 3 });
    const w = worker({ staleMs: 20 });
    expect(await w.forgetDeadWorkers(), 'first look: nothing has stood still yet').to.equal(0);
    await new Promise((resolve) => setTimeout(resolve, 250));
    await MailWorker.updateOne({ _id: 'w-slow' }, { $inc: { beats: 1 } });
    expect(await w.forgetDeadWorkers()).to.equal(1);
    expect((await MailWorker.find({}).lean()).map((d) => d._id).sort()).to.deep.equal(['w-slow']);
    // The running worker sweeps by itself, every few beats.
    const running = worker({ staleMs: 5, heartbeatMs: 5 }).start();
    try {
      await waitFor('the silent worker\'s heartbeat to be deleted', async () => !(await MailWorker.exists({ _id: 'w-slow' })), { timeout: 10_000 });
      expect(await MailWorker.exists({ _id: running.id })).to.not.equal(null);
    } finally {
      await running.stop();
    }
  });

  it('retries a rejected delivery with backoff and shows the failure in the counts', async () => {
    await importCsv();
    reject.add('ivan@example.kz');
    let now = Date.now();
    const w = worker({ now: () => new Date(now) });
    await send('invitation');
    await w.drain();
    expect(inbox.map((m) => m.to).sort()).to.deep.equal(['asem@example.kz', 'john@example.com']);
    const ivanId = contactIdOf(world.campaign._id, 'ivan@example.kz');
    let ivan = (await Contact.findById(ivanId).lean())!;
    expect(ivan).to.include({ status: 'failed', attempts: 1, pending: 'invitation' });
    expect(ivan.lastError).to.contain('550').and.not.contain('ivan@');
    // The retry time is the worker's: a contact keeps no time finer than the day.
    expect(w.nextAttemptAt(ivanId)!.getTime() - now).to.equal(60_000);
    expect(JSON.stringify(ivan)).to.not.match(/T\d{2}:\d{2}/);
    expect((await summary()).counts).to.include({ sent: 2, failed: 1 });
    await w.drain();
    expect((await Contact.findById(ivanId).lean())!.attempts, 'not before the backoff').to.equal(1);
    now += 61_000;
    await w.drain();
    ivan = (await Contact.findById(ivanId).lean())!;
    expect(ivan).to.include({ attempts: 2 });
    expect(w.nextAttemptAt(ivanId)!.getTime() - now).to.equal(5 * 60_000);
    reject.clear();
    now += 5 * 60_000 + 1000;
    await w.drain();
    await w.stop();
    expect(inbox.filter((m) => m.to === 'ivan@example.kz')).to.have.length(1);
    expect((await summary()).counts).to.include({ sent: 3, failed: 0 });
  });

  it('stops all mail after an unsubscribe (confirm page in the contact\'s language)', async () => {
    await importCsv();
    await send('invitation');
    const w = worker();
    await w.drain();
    const ivan = inbox.find((m) => m.to === 'ivan@example.kz')!;
    const path = `/unsubscribe/${unsubscribeIn(ivan)}`;
    const ctx = await formContext(srv.url, path);
    expect(ctx.status).to.equal(200);
    expect(ctx.html).to.contain('Отписка');
    const res = await postForm(srv.url, path, ctx.cookie, { _csrf: ctx.token });
    expect(res.status).to.equal(200);
    expect((await Contact.findById(contactIdOf(world.campaign._id, 'ivan@example.kz')).lean())!.status).to.equal('unsubscribed');
    await ageContacts(4);
    expect(await send('reminder')).to.equal(2);
    inbox.length = 0;
    await w.drain();
    await w.stop();
    expect(inbox.map((m) => m.to)).to.not.include('ivan@example.kz');
    expect((await summary()).counts).to.include({ unsubscribed: 1 });
    expect((await fetch(`${srv.url}/unsubscribe/${'x'.repeat(32)}`)).status).to.equal(404);
  });

  it('reports bad CSV rows by line and imports nothing; merges duplicates; keeps Kazakh names', async () => {
    const bad = [
      'name,organisation,email,language,programme',
      'Әсем Құдайбергенова,Org,asem@example.kz,kk,6B06101',
      'Bad Email,Org,not-an-email,ru,6B06101',
      'Bad Programme,Org,bp@example.kz,ru,9Z99999',
      'Bad Lang,Org,bl@example.kz,de,6B06101',
      '=HYPERLINK("x"),Org,f@example.kz,en,6B06101',
      'Other faculty,Org,of@example.kz,en,6B01101',
    ].join('\n');
    const r = await api('POST', `/api/campaigns/${world.campaign._id}/contacts/import`, { csv: bad });
    expect(r.status).to.equal(422);
    const problems = apiProblems(r.json);
    expect(problems.map((p) => p.line)).to.deep.equal([3, 4, 5, 6, 7]);
    expect(problems[0]!.message).to.contain('email');
    expect(problems[1]!.message).to.contain('programme');
    expect(problems[2]!.message).to.contain('language');
    expect(problems[3]!.message).to.contain('formula');
    expect(await Contact.countDocuments()).to.equal(0);

    // The import page states each problem in its own language, never in English.
    for (const lang of ['kk', 'ru'] as const) {
      const path = `/campaigns/${world.campaign._id}/invitations`;
      const ctx = await formContext(srv.url, `${path}?lang=${lang}`, cookie);
      const form = new FormData();
      form.append('_csrf', ctx.token);
      form.append('csv', bad);
      const page = await fetch(`${srv.url}${path}/import`, { method: 'POST', body: form, headers: { cookie: ctx.cookie, origin: srv.url, 'sec-fetch-site': 'same-origin' } });
      expect(page.status).to.equal(400);
      const html = await page.text();
      expect(html).to.contain(`<html lang="${lang}"`);
      expectProblemsShown(html, problems, lang);
    }
    // A quote that is never closed was imported as an empty file (201, nothing) before: now it is refused.
    const unclosed = await api('POST', `/api/campaigns/${world.campaign._id}/contacts/import`, { csv: 'name,organisation,email,language,programme\n"Open,Org,o@example.kz,en,6B06101' });
    expect(unclosed.status).to.equal(422);
    expect(JSON.stringify(unclosed.json)).to.contain('never closed');

    const dry = await api('POST', `/api/campaigns/${world.campaign._id}/contacts/import?dryRun=true`, { csv: '\uFEFF' + CSV + '\r\nӘсем again;X;ASEM@Example.kz;kk;6B06101' });
    expect(dry.status).to.equal(200);
    expect(dry.json).to.include({ importable: 3, merged: 1 });
    expect(await Contact.countDocuments()).to.equal(0);
    const done = await importCsv('\uFEFF' + CSV + '\r\nӘсем again;X;ASEM@Example.kz;kk;6B06101');
    expect(done).to.include({ imported: 3, merged: 1 });
    const asem = (await Contact.findById(contactIdOf(world.campaign._id, 'asem@example.kz')).lean())!;
    expect(asem).to.include({ name: 'Әсем Құдайбергенова', organisation: '«Қазақтелеком» АҚ', lang: 'kk', programme: world.programmesA[0] });
  });

  it('never joins contacts and responses', async () => {
    await importCsv();
    await send('invitation');
    const w = worker();
    await w.drain();
    await w.stop();
    const def = await getPublishedDefinition('employer-satisfaction', 1);
    for (const m of inbox.filter((x) => x.to !== 'ivan@example.kz')) {
      const r = await fetch(`${srv.url}/api/respond/${world.campaign.linkId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ submissionId: randomBase32(26), lang: 'ru', segment: { cohort: world.cohortsA[0] }, answers: syntheticAnswers(def, seededRandom(5), 3), token: tokenIn(m) }) });
      expect(r.status).to.equal(201);
    }
    const responses = await (await responsesCollection(world.campaign._id)).find({}).toArray();
    expect(responses).to.have.length(2);
    const contacts = await Contact.find({}).lean();
    const contactText = JSON.stringify(contacts);
    const responseText = JSON.stringify(responses);
    for (const r of responses) expect(contactText).to.not.contain(String(r._id));
    for (const c of contacts) {
      for (const value of [c._id, c.email, c.name, c.organisation]) expect(responseText).to.not.contain(value);
      expect(Object.keys(c)).to.not.include.members(['response', 'responseId', 'submissionId']);
    }
    for (const m of inbox) expect(responseText).to.not.contain(tokenIn(m));
    expect((await summary()).counts.answered).to.equal(2);
    // Nothing else of the database names a response next to a contact either.
    const db = mongoose.connection.db!;
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      if (name.startsWith('responses')) continue;
      const text = JSON.stringify(await db.collection(name).find({}).toArray());
      for (const r of responses) expect(text, name).to.not.contain(String(r._id));
    }
  });

  it('deletes contacts only after the close and keeps the counts; explains a missing SMTP server', async () => {
    await importCsv();
    await send('invitation');
    const w = worker();
    await w.drain();
    await w.stop();
    expect((await api('DELETE', `/api/campaigns/${world.campaign._id}/contacts`)).status).to.equal(409);
    await Campaign.updateOne({ _id: world.campaign._id }, { $set: { status: 'closed' } });
    forgetCampaign(world.campaign._id);
    const del = await api('DELETE', `/api/campaigns/${world.campaign._id}/contacts`);
    expect(del.status, del.text).to.equal(200);
    expect(await Contact.countDocuments()).to.equal(0);
    const s = await summary();
    expect(s.contactsDeleted).to.equal(true);
    expect(s.counts).to.include({ contacts: 3, sent: 3 });
    const page = await call(srv.url, 'GET', `/campaigns/${world.campaign._id}/invitations`, { cookie });
    expect(page.status).to.equal(200);

    try {
      await requestSend(actor, { ...srv.config, smtpUrl: undefined }, world.campaign._id, 'invitation');
      expect.fail('should refuse');
    } catch (err) {
      expect((err as { code?: string }).code).to.equal('smtp_not_configured');
    }
  });
});
