// The reminder schedule across restarts of the server users run (`node dist/server/main.js`), against a
// real SMTP server: the process is killed with SIGKILL in the middle of handing a mail to SMTP (once while
// inviting, once while reminding) and stopped with SIGTERM in the middle of a step; the mails each student
// receives are counted. The schedule's days are passed by moving the stored invitation times back.
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.js';
import { freePort } from '../../server/db/embedded.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { Contact } from '../../server/invitations/model.js';
import { addDays } from '../../server/invitations/schedule.js';
import { randomBase32 } from '../../server/lib/ids.js';
import { call, createUser, formContext, postForm, sessionCookie } from '../support/factories.js';
import { spawnServer, waitReady, type ServerProcess } from '../support/server-process.js';
import { deliveries, startInbox, tokenIn, unsubscribeIn, type Inbox } from '../support/smtp.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';
import { waitFor } from '../support/wait.js';

const SCHEDULE = { steps: [{ from: 'invitation', days: 3 }, { from: 'invitation', days: 7 }], maxReminders: 2 };
const STUDENTS = Array.from({ length: 12 }, (_, i) => `student${i}@student.kz`);

describe('the reminder schedule across server restarts', function () {
  this.timeout(300_000);
  let smtp: Inbox;
  let world: SurveyWorld;
  let server: ServerProcess | undefined;
  let env: Record<string, string>;
  let url: string;
  let cookie: string;

  before(async () => {
    smtp = await startInbox();
  });
  after(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await smtp.close();
  });

  const start = async () => {
    server = spawnServer(env);
    await waitReady(url, server, 60_000);
  };
  /** Stops the server: SIGKILL (nothing finishes) or SIGTERM (the mail in progress finishes). */
  const stop = async (signal: 'SIGKILL' | 'SIGTERM') => {
    const running = server!;
    running.child.kill(signal);
    const code = await running.exited;
    if (signal === 'SIGTERM') expect(code, running.output()).to.equal(0);
  };
  /** The next mail's data arrives: the server is killed before the SMTP server answers (the mail is lost in transit). */
  const killDuring = (nth: number) => {
    let seen = 0;
    smtp.onData = () => {
      seen += 1;
      if (seen !== nth) return true;
      smtp.onData = undefined;
      server!.child.kill('SIGKILL');
      return false;
    };
  };
  const countWhere = (pattern: RegExp) => smtp.mails.filter((m) => pattern.test(m.subject)).length;
  /**
   * `days` days pass: every day a contact keeps moves that far back, and the schedule is saved again (as an
   * administrator would), so the running server looks at it at once instead of within the hour.
   */
  const age = async (days: number, api: (method: string, path: string, body?: unknown) => Promise<unknown>) => {
    for (const c of await Contact.find({ campaign: world.campaign._id }).lean()) {
      const back = (day: string | null) => (day ? addDays(day, -days) : day);
      await Contact.updateOne({ _id: c._id }, { $set: { invitedOn: back(c.invitedOn), lastSentOn: back(c.lastSentOn), lastStepOn: back(c.lastStepOn) } });
    }
    await api('PUT', `/api/campaigns/${world.campaign._id}/invitations/schedule`, SCHEDULE);
  };

  it('neither repeats nor skips a mail when killed mid-delivery or stopped mid-step', async () => {
    world = await buildSurveyWorld();
    const admin = await createUser({ role: 'admin' });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const hour = new Date().getUTCHours();
    env = {
      NODE_ENV: 'production',
      PORT: String(port),
      BASE_URL: url,
      MONGODB_URI: process.env.TEST_MONGODB_URI!,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'pikir-reminders-')),
      JWT_SECRET: 'reminder-restart-secret-0123456789-abcdefghij',
      LOG_LEVEL: 'warn',
      DEMO_DATA: 'false',
      ADMIN_EMAIL: 'restart@pikir.local',
      ADMIN_PASSWORD: 'restart-test-admin-2026',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Pikir <qa@university.kz>',
      MAIL_RATE_PER_MINUTE: '240',
      // The night is set six hours away, so this test never runs into it.
      TIME_ZONE: 'UTC',
      MAIL_QUIET_HOURS: `${(hour + 6) % 24}-${(hour + 7) % 24}`,
    };
    cookie = sessionCookie(loadConfig(env), admin);
    const api = (method: string, path: string, body?: unknown) => call(url, method, path, { cookie, body });
    await start();
    const roster = ['email,name,cohort,language', ...STUDENTS.map((e, i) => `${e},Student ${i},6B06101/2024,${['kk', 'ru', 'en'][i % 3]}`)].join('\n');
    expect((await api('POST', `/api/campaigns/${world.campaign._id}/roster/import`, { csv: roster })).status).to.equal(201);
    expect((await api('PUT', `/api/campaigns/${world.campaign._id}/invitations/schedule`, SCHEDULE)).status).to.equal(200);

    // 1. Invitations: SIGKILL while the 5th is being handed over; the restarted server sends the rest.
    killDuring(5);
    expect((await api('POST', `/api/campaigns/${world.campaign._id}/invitations/send`, { kind: 'invitation' })).status).to.equal(202);
    await server!.exited;
    expect(smtp.mails.length, 'accepted before the kill').to.equal(4);
    let restarted = Date.now();
    await start();
    await waitFor(() => `12 invitations (got ${smtp.mails.length})`, () => smtp.mails.length >= 12, { timeout: 90_000, interval: 200 });
    const timings = [`invitations: the rest ${((Date.now() - restarted) / 1000).toFixed(1)} s after the restart`];
    expect([...deliveries(smtp.mails).values()].every((n) => n === 1), JSON.stringify([...deliveries(smtp.mails)])).to.equal(true);
    expect(deliveries(smtp.mails).size).to.equal(12);

    // Two students answer, one unsubscribes.
    const def = await getPublishedDefinition('student-satisfaction', 1);
    for (const email of STUDENTS.slice(0, 2)) {
      const token = tokenIn(smtp.mails.find((m) => m.to === email)!);
      const r = await fetch(`${url}/api/respond/${world.campaign.linkId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ submissionId: randomBase32(26), lang: 'kk', answers: syntheticAnswers(def, seededRandom(4), 4), token }) });
      expect(r.status).to.equal(201);
    }
    const unsubscribe = `/unsubscribe/${unsubscribeIn(smtp.mails.find((m) => m.to === STUDENTS[2])!)}`;
    const ctx = await formContext(url, unsubscribe);
    expect((await postForm(url, unsubscribe, ctx.cookie, { _csrf: ctx.token })).status).to.equal(200);
    await waitFor('the invitation queue to be empty', async () => ((await api('GET', `/api/campaigns/${world.campaign._id}/invitations`)).json as { counts: { queued: number } }).counts.queued === 0, { timeout: 30_000 });

    // 2. Day 3: SIGKILL while the 4th reminder is being handed over; the restarted server finishes the step.
    killDuring(4);
    await age(3, api);
    await server!.exited;
    expect(smtp.mails.length - 12, 'reminders accepted before the kill').to.equal(3);
    restarted = Date.now();
    await start();
    await waitFor(() => `9 reminders of day 3 (got ${smtp.mails.length - 12})`, () => smtp.mails.length >= 21, { timeout: 90_000, interval: 200 });
    timings.push(`day 3: the rest ${((Date.now() - restarted) / 1000).toFixed(1)} s after the restart`);

    // 3. Day 7: SIGTERM after three reminders of the step (a graceful stop finishes the mail in progress).
    await age(4, api);
    await waitFor(() => `3 reminders of day 7 (got ${smtp.mails.length - 21})`, () => smtp.mails.length >= 24, { timeout: 60_000, interval: 50 });
    await stop('SIGTERM');
    const beforeRestart = smtp.mails.length;
    await start();
    await waitFor(() => `9 reminders of day 7 (got ${smtp.mails.length - 21})`, () => smtp.mails.length >= 30, { timeout: 60_000, interval: 200 });
    // Nothing more: N = 2, and the restarted servers found nothing else due.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await stop('SIGTERM');

    const counts = Object.fromEntries(deliveries(smtp.mails));
    const expected = Object.fromEntries(STUDENTS.map((e, i) => [e, i < 3 ? 1 : 3]));
    expect(counts).to.deep.equal(expected);
    expect(countWhere(/^(Еске салу|Напоминание|Reminder): /)).to.equal(18);
    console.log(`      (deliveries: 12 invitations, 9 + 9 reminders; SIGTERM left ${30 - beforeRestart} of day 7 to the next server; ${timings.join('; ')})`);
  });
});
