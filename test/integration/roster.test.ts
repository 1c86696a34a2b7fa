// Students from a cohort roster: the import (all rows or none, by line, hostile input refused), the
// personal link in the student's language that counts in their cohort, and the import page.
import { expect } from 'chai';
import { Campaign } from '../../server/campaigns/model.js';
import { forgetCampaign } from '../../server/campaigns/service.js';
import { Token, tokenHash } from '../../server/campaigns/tokens.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { contactIdOf } from '../../server/invitations/keys.js';
import { Contact } from '../../server/invitations/model.js';
import { InvitationWorker } from '../../server/invitations/sender.js';
import { randomBase32 } from '../../server/lib/ids.js';
import { responsesCollection } from '../../server/responses/store.js';
import { call, createUser, formContext, sessionCookie } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { apiProblems, expectProblemsShown } from '../support/import-problems.js';
import { startInbox, tokenIn, type Inbox } from '../support/smtp.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';

// The world: faculty A's campaign; programme 6B06101 has cohorts 2023 and 2024, 6B06102 has 2024;
// faculty B's 6B01101/2024 is outside the audience.
const ROSTER = [
  'email;name;cohort;language',
  'aigerim@student.kz;Айгерім Нұрланқызы;6B06101/2024;kk',
  'dmitry@student.kz;Дмитрий Ким;2023;ru',
  'sam@student.kz;;6B06102/2024;en',
  'nolang@student.kz;Бота;6B06101/2023;',
].join('\r\n');

/** A roster with a problem on every line but the first (one of each kind the check knows). */
const BAD_ROSTER = [
  'email,name,cohort,language',
  'ok@student.kz,Ok,6B06101/2024,kk',
  'not-an-email,X,6B06101/2024,kk',
  'a@student.kz,X,2024,kk',
  'b@student.kz,X,6B01101/2024,kk',
  'c@student.kz,=HYPERLINK("http://evil"),6B06101/2024,kk',
  'd@student.kz,"Ev\u202Eil",6B06101/2024,kk',
  `e@student.kz,${'Я'.repeat(201)},6B06101/2024,kk`,
  'f@student.kz,X,6B06101/2024,de',
  'ok@student.kz,Ok again,2023,kk',
  'g@student.kz,X,,kk',
  'h@student.kz,X,6B06101/2024,kk,extra',
  '@cmd,X,6B06101/2024,kk',
  'i@student.kz,<script>alert(1)</script>,6B06101/2024,kk',
  'j@student.kz,Ð\uFFFDÐ°Ð¹,6B06101/2024,kk',
].join('\n');

describe('students from a cohort roster', () => {
  let smtp: Inbox;
  let srv: TestServer;
  let world: SurveyWorld;
  let cookie: string;

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
  });

  const api = (method: string, path: string, body?: unknown) => call(srv.url, method, path, { cookie, body });
  const importRoster = (csv: string, query = '') => api('POST', `/api/campaigns/${world.campaign._id}/roster/import${query}`, { csv });
  /** The problems of a refused import by line, in English (each also has its catalogue key: apiProblems checks). */
  const problemsOf = (r: { status: number; text: string; json: unknown }) => {
    expect(r.status, r.text.slice(0, 300)).to.equal(422);
    return apiProblems(r.json).map(({ line, message }) => ({ line, message }));
  };

  it('imports a roster, invites each student in their language with a link that counts in their cohort', async () => {
    const r = await importRoster(ROSTER, '?language=ru');
    expect(r.status, r.text).to.equal(201);
    expect(r.json).to.include({ imported: 4, merged: 0 });
    const sam = (await Contact.findById(contactIdOf(world.campaign._id, 'sam@student.kz')).lean())!;
    expect(sam).to.include({ source: 'roster', name: '', lang: 'en', cohort: world.cohortsA[2], programme: world.programmesA[1], faculty: world.facultyA });
    expect((await Contact.findById(contactIdOf(world.campaign._id, 'nolang@student.kz')).lean())!.lang, 'the file\'s language').to.equal('ru');

    expect((await api('POST', `/api/campaigns/${world.campaign._id}/invitations/send`, { kind: 'invitation' })).status).to.equal(202);
    const worker = new InvitationWorker({ config: srv.config });
    await worker.drain();
    await worker.stop();
    const by = (to: string) => smtp.mails.find((m) => m.to === to)!;
    expect(smtp.mails).to.have.length(4);
    expect(by('aigerim@student.kz').subject).to.equal('Сауалнамаға қатысыңыз: Student satisfaction 2025 (kk)');
    expect(by('aigerim@student.kz').text).to.contain('Құрметті Айгерім Нұрланқызы!');
    expect(by('dmitry@student.kz').text).to.contain('Здравствуйте, Дмитрий Ким!');
    expect(by('sam@student.kz').text).to.match(/^Dear student,/);
    expect(by('sam@student.kz').html).to.contain('<html lang="en">').and.contain('Dear student,');

    // The link counts in the student's cohort, exactly as that cohort's slips would.
    const token = tokenIn(by('sam@student.kz'));
    expect((await Token.findById(tokenHash(token)).lean())!.segment).to.deep.equal({ faculty: world.facultyA, programme: world.programmesA[1], cohort: world.cohortsA[2] });
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const res = await fetch(`${srv.url}/api/respond/${world.campaign.linkId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ submissionId: randomBase32(26), lang: 'en', answers: syntheticAnswers(def, seededRandom(2), 4), token }) });
    expect(res.status, await res.text()).to.equal(201);
    const [stored] = await (await responsesCollection(world.campaign._id)).find({}).toArray();
    expect(stored!.segment).to.deep.equal({ faculty: world.facultyA, programme: world.programmesA[1], cohort: world.cohortsA[2] });
    const summary = (await api('GET', `/api/campaigns/${world.campaign._id}/invitations`)).json as { counts: Record<string, number> };
    expect(summary.counts).to.include({ contacts: 4, sent: 4, answered: 1 });

    // An invited student's link cannot move to another cohort; their name may change.
    const moved = await importRoster('email,name,cohort\nsam@student.kz,Sam Lee,6B06101/2024');
    expect(moved.status).to.equal(422);
    expect(problemsOf(moved)).to.deep.equal([{ line: 2, message: 'cohort: this student was already invited with another cohort; their link cannot move' }]);
    const renamed = await importRoster('email,name,cohort\nSAM@student.kz,Sam Lee,6B06102/2024');
    expect(renamed.json).to.include({ imported: 0, updated: 1 });
  });

  it('refuses a file with any problem whole, naming each by line, and stores nothing', async () => {
    const r = await importRoster(BAD_ROSTER);
    expect(r.status, r.text).to.equal(422);
    const problems = problemsOf(r);
    const at = (line: number) => problems.filter((p) => p.line === line).map((p) => p.message).join(' | ');
    expect(problems.map((p) => p.line)).to.not.include(2);
    expect(at(3)).to.contain('email: "not-an-email" is not an email address');
    expect(at(4)).to.contain('"2024" is a cohort of 2 programmes (6B06101, 6B06102); write it as 6B06101/2024');
    expect(at(5)).to.contain('no cohort "6B01101/2024" in this campaign\'s audience');
    expect(at(6)).to.contain('spreadsheet formulas are not accepted');
    expect(at(7)).to.contain('control or text-direction characters');
    expect(at(8)).to.contain('longer than 200 characters');
    expect(at(9)).to.contain('language: "de" must be kk, ru or en');
    expect(at(10)).to.contain('already on line 2 with another cohort');
    expect(at(11)).to.contain('cohort: is empty');
    expect(at(12)).to.contain('more values (5) than columns (4)');
    expect(at(13)).to.contain('spreadsheet formulas');
    expect(at(14)).to.contain('name: contains < or >; markup such as <script> is not accepted');
    expect(at(15)).to.contain('the file was read with the wrong encoding');
    expect(await Contact.countDocuments()).to.equal(0);

    // The shape of the file itself.
    const header = await importRoster('mail,cohort\nx@student.kz,2023');
    expect(header.status, header.text).to.equal(422);
    expect(problemsOf(header)).to.deep.equal([{ line: 1, message: 'missing column: email (expected: email, cohort, name, programme, language)' }, { line: 1, message: 'unknown column: mail (expected: email, cohort, name, programme, language)' }]);
    expect(problemsOf(await importRoster('email,cohort'))).to.deep.equal([{ line: 2, message: 'the file has a header but no rows' }]);
    const many = ['email,cohort', ...Array.from({ length: 5001 }, (_, i) => `s${i}@student.kz,2023`)].join('\n');
    expect(problemsOf(await importRoster(many))[0]!.message).to.equal('too many rows (5001); at most 5000 per file');
    expect(problemsOf(await importRoster('email,cohort\n"unclosed,2023'))[0]!.message).to.contain('never closed');
    // Hostile bodies: a 4xx with a clear message, never a 500.
    expect((await api('POST', `/api/campaigns/${world.campaign._id}/roster/import`, { csv: 'x', extra: 1 })).status).to.equal(400);
    expect((await api('POST', `/api/campaigns/${world.campaign._id}/roster/import?language=de`, { csv: 'email,cohort\na@b.kz,2023' })).status).to.equal(400);
    expect((await api('POST', `/api/campaigns/${world.campaign._id}/roster/import`, { csv: 'x'.repeat(1_000_001) })).status).to.equal(400);
    const huge = await api('POST', `/api/campaigns/${world.campaign._id}/roster/import`, { csv: 'x'.repeat(2_200_000) });
    expect(huge.status).to.equal(413);
    expect((huge.json as { error: { message: string } }).error.message).to.contain('too large');
    expect((await api('POST', `/api/campaigns/c00000000000000/roster/import`, { csv: ROSTER })).status).to.equal(404);
    expect(await Contact.countDocuments()).to.equal(0);

    // dryRun checks without storing; duplicates of one student in one cohort merge.
    const dry = await importRoster(`${ROSTER}\r\nAIGERIM@student.kz;Айгерім;6B06101/2024;kk`, '?dryRun=true');
    expect(dry.status).to.equal(200);
    expect(dry.json).to.include({ importable: 4, merged: 1, imported: 0 });
    expect(await Contact.countDocuments()).to.equal(0);
  });

  it('loses nothing to a refused file: the students already imported and invited keep their details and links', async () => {
    expect((await importRoster(ROSTER)).status).to.equal(201);
    expect((await api('POST', `/api/campaigns/${world.campaign._id}/invitations/send`, { kind: 'invitation' })).status).to.equal(202);
    const worker = new InvitationWorker({ config: srv.config });
    await worker.drain();
    await worker.stop();
    const snapshot = async () => ({
      contacts: await Contact.find({}).sort({ _id: 1 }).lean(),
      tokens: await Token.countDocuments(),
      mailing: (await api('GET', `/api/campaigns/${world.campaign._id}/invitations`)).json,
    });
    const before = await snapshot();
    // Renames and a new student, but one row is hostile: nothing of it is applied.
    const hostile = ['email,name,cohort', 'aigerim@student.kz,Renamed,6B06101/2024', 'new@student.kz,New,2023', 'dmitry@student.kz,=cmd|calc,2023', 'sam@student.kz,<img src=x onerror=alert(1)>,6B06102/2024'].join('\n');
    const r = await importRoster(hostile);
    expect(problemsOf(r).map((p) => p.line)).to.deep.equal([4, 5]);
    expect(await snapshot()).to.deep.equal(before);
    // The invitations already sent still open the survey.
    const res = await fetch(`${srv.url}/t/${tokenIn(smtp.mails.find((m) => m.to === 'aigerim@student.kz')!)}`, { redirect: 'manual' });
    expect(res.status).to.be.oneOf([200, 302, 303]);
  });

  it('takes a roster of 5,000 students in one file', async function () {
    this.timeout(120_000);
    const csv = ['email,name,cohort', ...Array.from({ length: 5000 }, (_, i) => `student${i}@student.kz,Студент ${i},${i % 2 ? '2023' : '6B06101/2024'}`)].join('\n');
    const started = Date.now();
    const r = await importRoster(csv);
    const ms = Date.now() - started;
    expect(r.status, r.text.slice(0, 300)).to.equal(201);
    expect(r.json).to.include({ imported: 5000 });
    console.log(`      (5,000-row roster imported in ${ms} ms)`);
    const again = Date.now();
    const page = await call(srv.url, 'GET', `/campaigns/${world.campaign._id}/invitations`, { cookie });
    expect(page.status).to.equal(200);
    console.log(`      (invitations page with 5,000 contacts: ${Date.now() - again} ms)`);
  });

  it('refuses a roster for a contact-list campaign, and non-admins', async () => {
    await Campaign.updateOne({ _id: world.campaign._id }, { $set: { audience: { kind: 'contacts', ids: [] } } });
    forgetCampaign(world.campaign._id);
    const r = await importRoster(ROSTER);
    expect(r.status).to.equal(409);
    expect((r.json as { error: { code: string } }).error.code).to.equal('not_a_student_campaign');
    const viewer = sessionCookie(srv.config, await createUser({ role: 'viewer' }));
    expect((await call(srv.url, 'POST', `/api/campaigns/${world.campaign._id}/roster/import`, { cookie: viewer, body: { csv: ROSTER } })).status).to.equal(403);
    expect((await call(srv.url, 'GET', `/campaigns/${world.campaign._id}/invitations/roster`, { cookie: viewer })).status).to.equal(403);
  });

  it('imports through the page: upload, preview by line, confirm; a file that is not UTF-8 is refused', async () => {
    const path = `/campaigns/${world.campaign._id}/invitations/roster`;
    const upload = async (fields: Record<string, string>, file?: { bytes: Uint8Array<ArrayBuffer>; name: string }) => {
      const ctx = await formContext(srv.url, path, cookie);
      expect(ctx.status).to.equal(200);
      const form = new FormData();
      form.append('_csrf', ctx.token);
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      if (file) form.append('file', new Blob([file.bytes], { type: 'text/csv' }), file.name);
      const res = await fetch(srv.url + path, { method: 'POST', body: form, headers: { cookie: ctx.cookie, origin: srv.url, 'sec-fetch-site': 'same-origin' }, redirect: 'manual' });
      return { status: res.status, html: await res.text(), location: res.headers.get('location') ?? '' };
    };
    const preview = await upload({ language: 'kk' }, { bytes: new TextEncoder().encode(ROSTER), name: 'roster.csv' });
    expect(preview.status).to.equal(200);
    expect(preview.html).to.contain('4').and.contain('name="confirm" value="1"');
    expect(await Contact.countDocuments(), 'nothing before the confirmation').to.equal(0);
    const bad = await upload({ language: 'kk', csv: 'email,cohort\nbad,2023\n=1+1@x.kz,2023' });
    expect(bad.status).to.equal(400);
    expect(bad.html).to.match(/Line 2<\/strong>: <span class="break">email: &quot;bad&quot; is not an email address/);
    // What was pasted is shown again with the problems, so fixing it loses nothing.
    // (A form sends its line breaks as CRLF.)
    expect(bad.html.replace(/\r\n/g, '\n')).to.contain('<textarea id="r-csv" name="csv" rows="6" spellcheck="false">email,cohort\nbad,2023\n&#x3D;1+1@x.kz,2023</textarea>');
    const script = await upload({ language: 'kk', csv: 'email,name,cohort\nx@student.kz,<script>alert(1)</script>,2023' });
    expect(script.status).to.equal(400);
    expect(script.html).to.not.contain('<script>alert(1)');
    expect(script.html).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;').and.contain('markup such as &lt;script&gt; is not accepted');
    const latin1 = await upload({ language: 'kk' }, { bytes: new Uint8Array([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x2c, 0xc4, 0xe0, 0x0a]), name: 'cp1251.csv' });
    expect(latin1.status).to.equal(400);
    expect(latin1.html).to.contain('not UTF-8');
    // Excel's "Unicode text": UTF-16 with a byte-order mark, or without one (a zero byte after each Latin letter).
    const utf16 = (text: string, bom: boolean) => new Uint8Array([...(bom ? [0xff, 0xfe] : []), ...Buffer.from(text, 'utf16le')]);
    for (const bom of [true, false]) {
      const r = await upload({ language: 'kk' }, { bytes: utf16('email,cohort\r\na@student.kz,2023\r\n', bom), name: 'unicode.csv' });
      expect(r.status, `UTF-16 ${bom ? 'with' : 'without'} BOM`).to.equal(400);
      expect(r.html).to.contain('UTF-16');
    }
    const tooBig = await upload({ language: 'kk' }, { bytes: new Uint8Array(2 * 1024 * 1024 + 1).fill(0x61), name: 'big.csv' });
    expect(tooBig.status).to.equal(413);
    expect(tooBig.html).to.contain('larger than 2 MB');
    expect(await Contact.countDocuments(), 'nothing stored by a refused file').to.equal(0);
    const done = await upload({ language: 'en', csv: ROSTER, confirm: '1' });
    expect(done).to.include({ status: 303, location: `/campaigns/${world.campaign._id}/invitations?done=imported&n=4` });
    expect(await Contact.countDocuments()).to.equal(4);
  });

  for (const lang of ['kk', 'ru'] as const) {
    it(`states every problem of a roster in the page's language (${lang}), never in English`, async () => {
      const path = `/campaigns/${world.campaign._id}/invitations/roster`;
      const checked = await importRoster(BAD_ROSTER, '?dryRun=true');
      expect(checked.status).to.equal(200);
      const problems = apiProblems(checked.json);
      expect(problems.map((p) => p.line)).to.include.members([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
      const ctx = await formContext(srv.url, `${path}?lang=${lang}`, cookie);
      const form = new FormData();
      form.append('_csrf', ctx.token);
      form.append('language', 'kk');
      form.append('csv', BAD_ROSTER);
      const res = await fetch(srv.url + path, { method: 'POST', body: form, headers: { cookie: ctx.cookie, origin: srv.url, 'sec-fetch-site': 'same-origin' } });
      expect(res.status).to.equal(400);
      const page = await res.text();
      expect(page).to.contain(`<html lang="${lang}"`);
      const texts = expectProblemsShown(page, problems, lang);
      // Plural forms through the catalogue: "2 programmes" in each language's own form.
      expect(texts.join('\n')).to.contain(lang === 'ru' ? 'есть в 2 программах' : '2 бағдарламада бар');
      // The shape of the file too (a header problem is on no row of the table).
      const shape = await importRoster('mail,cohort\nx@student.kz,2023', '?dryRun=true');
      const ctx2 = await formContext(srv.url, `${path}?lang=${lang}`, cookie);
      const form2 = new FormData();
      form2.append('_csrf', ctx2.token);
      form2.append('csv', 'mail,cohort\nx@student.kz,2023');
      const res2 = await fetch(srv.url + path, { method: 'POST', body: form2, headers: { cookie: ctx2.cookie, origin: srv.url, 'sec-fetch-site': 'same-origin' } });
      expectProblemsShown(await res2.text(), apiProblems(shape.json), lang);
    });
  }
});
