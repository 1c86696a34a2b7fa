// Scheduled reminders against a real SMTP server, with the worker's clock moved through the days: the steps
// on their days, only to those who have not answered or unsubscribed, never at night in the university's
// time zone, at most N, each once whatever the number of worker restarts; the schedule's API and page.
import { expect } from 'chai';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { Contact, Mailing } from '../../server/invitations/model.js';
import { addDays, dayStart } from '../../server/invitations/schedule.js';
import { localDay } from '../../server/lib/dates.js';
import { InvitationWorker } from '../../server/invitations/sender.js';
import { randomBase32 } from '../../server/lib/ids.js';
import { call, createUser, formContext, postForm, sessionCookie } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { deliveries, startInbox, tokenIn, unsubscribeIn, type Inbox } from '../support/smtp.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';
import { waitFor } from '../support/wait.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const STUDENTS = ['s0@student.kz', 's1@student.kz', 's2@student.kz', 's3@student.kz', 's4@student.kz', 's5@student.kz'];
const LANGS = ['kk', 'ru', 'en', 'kk', 'ru', 'en'];
const ROSTER = ['email,name,cohort,language', ...STUDENTS.map((e, i) => `${e},Student ${i},6B06101/2024,${LANGS[i]}`)].join('\n');

/** The next 10:00 in Almaty (UTC+5) after now: the clock the tests move forward from. */
function nextAlmatyTen(): number {
  const now = Date.now();
  const ten = new Date(now);
  ten.setUTCHours(5, 0, 0, 0);
  return ten.getTime() > now ? ten.getTime() : ten.getTime() + DAY;
}

describe('scheduled reminders', () => {
  let smtp: Inbox;
  let srv: TestServer;
  let world: SurveyWorld;
  let cookie: string;
  let clock: number;

  before(async () => {
    smtp = await startInbox();
    srv = await startTestServer({ SMTP_URL: smtp.url, MAIL_FROM: 'Pikir <qa@university.kz>' });
  });
  after(async () => {
    await srv.close();
    await smtp.close();
  });
  beforeEach(async () => {
    smtp.mails.length = 0;
    world = await buildSurveyWorld();
    cookie = sessionCookie(srv.config, await createUser({ role: 'admin' }));
    clock = nextAlmatyTen();
  });

  const api = (method: string, path: string, body?: unknown) => call(srv.url, method, path, { cookie, body });
  const worker = () => new InvitationWorker({ config: srv.config, now: () => new Date(clock) });
  /** A worker that starts, does everything due, and stops: a restart each time. */
  const runOnce = async () => {
    const w = worker();
    await w.drain();
    await w.stop();
  };
  const mailsSince = (n: number) => smtp.mails.slice(n);
  const setup = async (schedule: unknown) => {
    expect((await api('POST', `/api/campaigns/${world.campaign._id}/roster/import`, { csv: ROSTER })).status).to.equal(201);
    const put = await api('PUT', `/api/campaigns/${world.campaign._id}/invitations/schedule`, schedule);
    expect(put.status, put.text).to.equal(200);
    expect((await api('POST', `/api/campaigns/${world.campaign._id}/invitations/send`, { kind: 'invitation' })).status).to.equal(202);
    await runOnce();
    expect(smtp.mails).to.have.length(6);
  };
  const answer = async (email: string) => {
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const token = tokenIn(smtp.mails.find((m) => m.to === email)!);
    const r = await fetch(`${srv.url}/api/respond/${world.campaign.linkId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ submissionId: randomBase32(26), lang: 'en', answers: syntheticAnswers(def, seededRandom(9), 4), token }) });
    expect(r.status, await r.text()).to.equal(201);
  };
  const unsubscribeVia = async (email: string) => {
    const path = `/unsubscribe/${unsubscribeIn(smtp.mails.find((m) => m.to === email)!)}`;
    const ctx = await formContext(srv.url, path);
    expect((await postForm(srv.url, path, ctx.cookie, { _csrf: ctx.token })).status).to.equal(200);
  };

  it('sends each step on its day to those who have not answered or unsubscribed, never at night, at most N, each once across restarts', async () => {
    await setup({ steps: [{ from: 'close', days: 1 }, { from: 'invitation', days: 7 }, { from: 'invitation', days: 3 }], maxReminders: 2 });
    await answer(STUDENTS[0]!);
    await unsubscribeVia(STUDENTS[1]!);

    clock += 2 * DAY;
    await runOnce();
    expect(mailsSince(6), 'day 2: nothing due').to.have.length(0);

    clock += DAY + HOUR;
    await runOnce();
    const step1 = mailsSince(6);
    expect(step1.map((m) => m.to).sort(), 'day 3').to.deep.equal(STUDENTS.slice(2));
    expect(step1.find((m) => m.to === 's3@student.kz')!.subject).to.match(/^Еске салу: /);
    expect(step1.find((m) => m.to === 's4@student.kz')!.subject).to.match(/^Напоминание: /);
    expect(step1.find((m) => m.to === 's5@student.kz')!.subject).to.match(/^Reminder: /);
    for (const m of step1) expect(m.parts).to.deep.equal(['text/plain', 'text/html']);
    // Restarted again and again on the same day: nobody gets the step twice.
    await runOnce();
    await runOnce();
    expect(smtp.mails).to.have.length(10);
    // A pass that read the contacts before the step was recorded (another process's) queues it again: no mail.
    const served = (await Contact.find({}).lean()).filter((c) => c.lastStepOn);
    expect(served).to.have.length(5);
    for (const c of served) await Contact.updateOne({ _id: c._id }, { $set: { pending: 'reminder', pendingStep: c.lastStepOn } });
    await Mailing.updateOne({ _id: world.campaign._id }, { $set: { active: true }, $inc: { queueVersion: 1 } });
    await runOnce();
    expect(smtp.mails, 'a served step queued again').to.have.length(10);
    expect((await Contact.find({}).lean()).filter((c) => c.pending)).to.have.length(0);

    await answer(STUDENTS[2]!);
    // Day 7 at 22:00 in Almaty: the step waits for the morning…
    clock = clock - HOUR + 4 * DAY + 12 * HOUR;
    const longRunning = worker();
    await longRunning.drain();
    expect(smtp.mails, 'day 7, 22:00').to.have.length(10);
    // …and goes at 08:00, from the worker that kept running.
    clock += 10 * HOUR;
    await longRunning.drain();
    expect(mailsSince(10).map((m) => m.to).sort(), 'day 8, 08:00').to.deep.equal(STUDENTS.slice(3));

    // One day before closing: N = 2 reached, nothing more.
    clock = world.campaign.closesAt.getTime() - DAY + HOUR;
    await longRunning.drain();
    await longRunning.stop();
    await runOnce();
    expect(Object.fromEntries(deliveries(smtp.mails))).to.deep.equal({ 's0@student.kz': 1, 's1@student.kz': 1, 's2@student.kz': 2, 's3@student.kz': 3, 's4@student.kz': 3, 's5@student.kz': 3 });
    const summary = (await api('GET', `/api/campaigns/${world.campaign._id}/invitations`)).json as { counts: Record<string, number> };
    expect(summary.counts).to.include({ contacts: 6, sent: 6, answered: 2, unsubscribed: 1, queued: 0 });
  });

  it('after the worker was down over two steps sends one reminder, then the last step before the close', async () => {
    await setup({ steps: [{ from: 'invitation', days: 3 }, { from: 'invitation', days: 7 }, { from: 'close', days: 1 }], maxReminders: 3 });
    clock += 8 * DAY;
    await runOnce();
    expect(mailsSince(6), 'days 3 and 7 in one mail').to.have.length(6);
    clock += 2 * HOUR;
    await runOnce();
    expect(smtp.mails).to.have.length(12);
    // The morning of the day before the closing day.
    clock = dayStart(addDays(localDay(world.campaign.closesAt), -1), { from: 21, to: 8 }).getTime() + 60_000;
    await runOnce();
    expect(mailsSince(12)).to.have.length(6);
    clock = world.campaign.closesAt.getTime() + HOUR;
    await runOnce();
    expect(Object.values(Object.fromEntries(deliveries(smtp.mails)))).to.deep.equal([3, 3, 3, 3, 3, 3]);
  });

  it('sends nothing scheduled without a schedule, or once the campaign has closed', async () => {
    await setup({ steps: [], maxReminders: 2 });
    clock += 4 * DAY;
    await runOnce();
    expect(smtp.mails).to.have.length(6);
    expect((await api('PUT', `/api/campaigns/${world.campaign._id}/invitations/schedule`, { steps: [{ from: 'invitation', days: 3 }], maxReminders: 2 })).status).to.equal(200);
    clock = world.campaign.closesAt.getTime() + HOUR;
    await runOnce();
    expect(smtp.mails, 'closed').to.have.length(6);
    expect((await Contact.find({}).lean()).filter((c) => c.pending), 'nothing left queued').to.have.length(0);
  });

  it('keeps to MAIL_RATE_PER_MINUTE: one mail a second at 60, all at once at 6000', async function () {
    this.timeout(60_000);
    expect((await api('POST', `/api/campaigns/${world.campaign._id}/roster/import`, { csv: ROSTER })).status).to.equal(201);
    const sendAll = async (rate: number) => {
      const from = smtp.mails.length;
      expect((await api('POST', `/api/campaigns/${world.campaign._id}/invitations/send`, { kind: from ? 'reminder' : 'invitation' })).status).to.equal(202);
      const started = Date.now();
      const w = new InvitationWorker({ config: { ...srv.config, mailRatePerMinute: rate }, intervalMs: 50 }).start();
      await waitFor(() => `6 mails at ${rate} a minute (got ${smtp.mails.length - from})`, () => smtp.mails.length >= from + 6, { timeout: 30_000, interval: 20 });
      await w.stop();
      const times = smtp.mails.slice(from).map((m) => m.at - started);
      // The most mails that arrived within any one second.
      const perSecond = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
      return { span: times[5]! - times[0]!, perSecond, times };
    };
    const slow = await sendAll(60);
    expect(slow.span, `arrivals (ms after start): ${slow.times.join(', ')}`).to.be.at.least(4500);
    expect(slow.perSecond, `arrivals (ms after start): ${slow.times.join(', ')}`).to.be.at.most(2);
    // The same six, reminded by hand the next day, at the provider's higher limit.
    await Contact.updateMany({}, { $set: { lastSentOn: addDays(localDay(new Date()), -3) } });
    const fast = await sendAll(6000);
    expect(fast.span, `arrivals (ms after start): ${fast.times.join(', ')}`).to.be.below(1500);
    console.log(`      (6 mails at 60/min over ${(slow.span / 1000).toFixed(1)} s, at most ${slow.perSecond} in a second; at 6000/min over ${(fast.span / 1000).toFixed(2)} s)`);
  });

  it('validates the schedule in the API and on its page', async () => {
    const put = (body: unknown) => api('PUT', `/api/campaigns/${world.campaign._id}/invitations/schedule`, body);
    expect((await put({ steps: [{ from: 'invitation', days: 0 }], maxReminders: 2 })).status).to.equal(400);
    expect((await put({ steps: [{ from: 'tomorrow', days: 3 }], maxReminders: 2 })).status).to.equal(400);
    expect((await put({ steps: [], maxReminders: 11 })).status).to.equal(400);
    expect((await put({ steps: Array.from({ length: 7 }, (_, i) => ({ from: 'invitation', days: i + 1 })), maxReminders: 2 })).status).to.equal(400);
    const twice = await put({ steps: [{ from: 'invitation', days: 3 }, { from: 'invitation', days: 3 }], maxReminders: 2 });
    expect(twice.status).to.equal(400);
    expect(twice.text).to.contain('Step 2 repeats an earlier step');
    const ok = await put({ steps: [{ from: 'close', days: 1 }, { from: 'invitation', days: 7 }, { from: 'close', days: 3 }, { from: 'invitation', days: 3 }], maxReminders: 3 });
    expect(ok.status).to.equal(200);
    expect(ok.json).to.deep.include({ schedule: [{ from: 'invitation', days: 3 }, { from: 'invitation', days: 7 }, { from: 'close', days: 3 }, { from: 'close', days: 1 }], maxReminders: 3, timeZone: 'Asia/Almaty', quietHours: '21:00–08:00', mailRatePerMinute: 300 });

    const path = `/campaigns/${world.campaign._id}/invitations/schedule`;
    const ctx = await formContext(srv.url, path, cookie);
    expect(ctx.status).to.equal(200);
    expect(ctx.html).to.contain('value="7"').and.contain('21:00–08:00');
    const post = (fields: Record<string, string>) => postForm(srv.url, path, ctx.cookie, { _csrf: ctx.token, maxReminders: '2', reminderDays: '3', ...fields });
    const bad = await post({ from_0: 'invitation', days_0: '3', from_1: 'close', days_1: 'x', days_2: '4' });
    expect(bad.status).to.equal(400);
    const html = await bad.text();
    expect(html).to.contain('Step 2: the days must be a whole number from 1 to 60.').and.contain('Step 3: choose whether');
    expect((await post({ from_0: 'invitation', days_0: '5', from_3: 'close', days_3: '2' })).headers.get('location')).to.equal(`${path}?done=saved`);
    expect((await Mailing.findById(world.campaign._id).lean())!.schedule).to.deep.equal([{ from: 'invitation', days: 5 }, { from: 'close', days: 2 }]);
    expect((await post({})).status, 'every row empty: schedule off').to.equal(303);
    expect((await Mailing.findById(world.campaign._id).lean())!.schedule).to.deep.equal([]);
    const viewer = sessionCookie(srv.config, await createUser({ role: 'viewer' }));
    expect((await call(srv.url, 'PUT', `/api/campaigns/${world.campaign._id}/invitations/schedule`, { cookie: viewer, body: { steps: [], maxReminders: 1 } })).status).to.equal(403);
  });
});
