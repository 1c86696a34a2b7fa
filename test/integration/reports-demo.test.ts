// The exports of the demo university against the results API, for each role at the groups it may see: the
// figures XLSX and CSV row by row (every figure of every group below the chosen one), and the council
// report PDF read back with pdftotext (every figure, in the report's order), at a university's groups and at
// a course evaluation's discipline (also in a programme's evidence pack). Chromium prints the PDFs. And the
// response-level data of every closed survey that offers it, made by a report job, against the plain reading.
import { expect } from 'chai';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { seedDemo } from '../../server/demo/seed.js';
import { seedLibrary } from '../../server/instruments/service.js';
import { translate, type Lang } from '../../server/lib/i18n/index.js';
import { createUser, sessionCookie } from '../support/factories.js';
import { download, openCsvAsExcel, pdfText, readWorkbook, records, squash, unzip, type SheetRow } from '../support/exports.js';
import { apiPicture, expectContentsMatchPages, expectFiguresMatch, expectInOrder, reportFragments, type Results } from '../support/report-checks.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectedResponseRows } from '../support/response-level-oracle.js';
import { BOM, cellValue, csvLine } from '../../server/reports/cells.js';

describe('reports of the demo university against the results API', () => {
  let srv: TestServer;
  let admin: string;
  let campaigns: { id: string; instrument: { id: string }; academicYear: string; state: string }[];
  let faculties: { id: string }[];
  let programmes: { id: string; faculty: string }[];
  const getAs = (cookie: string) => async <T>(path: string): Promise<T> => {
    const res = await fetch(`${srv.url}${path}`, { headers: { cookie } });
    expect(res.status, path).to.equal(200);
    return (await res.json()) as T;
  };
  before(async () => {
    srv = await startTestServer();
  });
  /** The demo university, made anew for each test (the tier empties the database before every test). */
  async function seed(): Promise<void> {
    await seedLibrary(SYSTEM_ACTOR);
    await seedDemo(srv.services);
    admin = sessionCookie(srv.config, await createUser({ role: 'admin' }));
    campaigns = (await getAs(admin)<{ items: typeof campaigns }>('/api/campaigns')).items;
    faculties = (await getAs(admin)<{ items: typeof faculties }>('/api/faculties')).items;
    programmes = (await getAs(admin)<{ items: typeof programmes }>('/api/programmes')).items;
  }
  after(async () => srv.close());

  it('shows in the XLSX, the CSV and the PDF exactly the figures each role sees, at its groups, and nothing of another faculty', async function () {
    this.timeout(600_000);
    await seed();
    // Last year's satisfaction survey: closed (comments shown), with a trend to this year's.
    const campaign = campaigns.filter((c) => c.instrument.id === 'student-satisfaction' && c.state === 'closed').sort((a, b) => a.academicYear.localeCompare(b.academicYear))[0]!;
    const [own, other] = faculties as [{ id: string }, { id: string }];
    const council = sessionCookie(srv.config, await createUser({ role: 'council', faculties: [own.id] }));
    const leaderOf = programmes.find((p) => p.faculty === own.id)!;
    const leader = sessionCookie(srv.config, await createUser({ role: 'programme_leader', programmes: [leaderOf.id] }));
    const outside = [other.id, ...programmes.filter((p) => p.faculty === other.id).map((p) => p.id)];

    const cases: { role: string; cookie: string; lang: Lang; expectUnit: string; pdf: boolean }[] = [
      { role: 'admin', cookie: admin, lang: 'kk', expectUnit: 'university', pdf: true },
      { role: 'council member', cookie: council, lang: 'ru', expectUnit: `faculty~${own.id}`, pdf: true },
      { role: 'programme leader', cookie: leader, lang: 'en', expectUnit: `programme~${leaderOf.id}`, pdf: true },
      // The council member chooses one of their programmes, as on the dashboard.
      { role: 'council member at a programme', cookie: council, lang: 'kk', expectUnit: `programme~${leaderOf.id}`, pdf: false },
    ];
    for (const c of cases) {
      const unitQuery = c.role.endsWith('programme') ? `&unit=${encodeURIComponent(c.expectUnit)}` : '';
      const api = await apiPicture(getAs(c.cookie), campaign.id, unitQuery ? c.expectUnit : undefined);
      expect(api.results.selected, c.role).to.equal(c.expectUnit);

      const xlsx = await download(`${srv.url}/api/campaigns/${campaign.id}/figures.xlsx?lang=${c.lang}${unitQuery}`, c.cookie);
      expect(xlsx.status, `${c.role}: ${xlsx.body.toString().slice(0, 200)}`).to.equal(200);
      expect(xlsx.type).to.equal('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(xlsx.disposition).to.match(/^attachment; filename="pikir-[\w-]+-figures\.xlsx"$/);
      const book = await readWorkbook(xlsx.body);
      const [figures, tests, trends, comments, about] = [...book.values()] as [SheetRow[], SheetRow[], SheetRow[], SheetRow[], SheetRow[]];
      const rows = records(figures);
      expectFiguresMatch(api, rows);

      // Comparisons: one row per comparison of every group's own view, with the API's p and effect.
      const comparisons = api.views.flatMap((v: Results) => v.items.flatMap((i) => i.comparisons.map((cmp) => ({ unit: v.selected, item: i.id, cmp }))));
      const testRows = records(tests);
      expect(testRows, `${c.role}: comparisons`).to.have.length(comparisons.length);
      for (const { unit, item, cmp } of comparisons) {
        const row = testRows.find((r) => r.unit_key === unit && r.item_id === item && String(r.test).length > 0 && (cmp.p === null ? r.p === null : Math.abs(Number(r.p) - cmp.p) < 1e-12));
        expect(row, `${c.role}: comparison ${unit} ${item} ${cmp.test}`).not.to.equal(undefined);
      }
      // Trends: every point of the chosen group, with the test of its change.
      const trendRows = records(trends);
      const points = api.trends.items.flatMap((i) => i.points.map((p) => ({ id: i.id, p })));
      expect(trendRows, `${c.role}: trend points`).to.have.length(points.length);
      for (const { id, p } of points) {
        const row = trendRows.find((r) => r.item_id === id && r.academic_year === p.academicYear)!;
        expect(row.n).to.equal(p.n);
        if (p.agree) expect(row.agree).to.be.closeTo(p.agree.p, 1e-12);
        if (p.change?.p != null) expect(row.change_p).to.be.closeTo(p.change.p, 1e-12);
      }
      // Comments: the chosen group's, as the API shows them (masked), for the roles it shows them to.
      const own = api.scales.get(api.results.selected)!;
      const commentRows = records(comments);
      if (own.suppressed) expect(commentRows).to.have.length(1);
      else expect(commentRows.map((r) => r.comment)).to.deep.equal(own.comments.map((x) => x.text));
      // The explanation sheet names every column of every sheet.
      const explained = new Set(records(about).map((r) => `${r.sheet}|${r.column}`));
      for (const [name, sheet] of [...book.entries()].slice(0, 4)) for (const column of sheet[0]!) expect(explained.has(`${name}|${column}`), `${name}: ${column} is explained`).to.equal(true);

      // Nothing of the other faculty, for those scoped to one.
      if (c.role !== 'admin') {
        const everything = JSON.stringify([...book.values()]);
        for (const id of outside) expect(everything, `${c.role}: ${id} is outside their scope`).not.to.include(id);
      }

      // The CSV is the figures sheet, cell for cell.
      const csv = await download(`${srv.url}/api/campaigns/${campaign.id}/figures.csv?lang=${c.lang}${unitQuery}`, c.cookie);
      expect(csv.status).to.equal(200);
      expect(csv.type).to.equal('text/csv; charset=utf-8');
      const opened = openCsvAsExcel(csv.body);
      expect(opened.bom).to.equal(true);
      expect(opened.rows).to.deep.equal(figures.map((r) => r.map((v) => (v === null ? '' : String(v)))));

      if (!c.pdf) continue;
      const pdf = await download(`${srv.url}/api/campaigns/${campaign.id}/report.pdf?lang=${c.lang}${unitQuery}`, c.cookie);
      expect(pdf.status, pdf.body.toString().slice(0, 300)).to.equal(200);
      expect(pdf.type).to.equal('application/pdf');
      const { text, pages } = pdfText(pdf.body);
      expect(pages, `${c.role}: pages`).to.be.greaterThan(3);
      expectInOrder(text, reportFragments(api, c.lang));
      expectContentsMatchPages(text, c.lang);
      // Page numbers in the footer ("Page 2 of N" in the report's language) and a table of contents.
      for (const page of [1, 2, pages]) expect(squash(text), `${c.role}: page ${page}'s number`).to.include(squash(translate(c.lang, 'reports.pageOf', { page, pages })));
      if (c.role !== 'admin') {
        for (const id of outside) expect(text).not.to.include(id);
        const names = (await getAs(admin)<Results>(`/api/campaigns/${campaign.id}/results`)).units.filter((u) => outside.some((id) => u.key.endsWith(id)));
        for (const u of names) expect(squash(text), `${c.role}: ${u.name[c.lang]} is outside their scope`).not.to.include(squash(u.name[c.lang]));
      }
    }

    // Another faculty's group: refused as if it did not exist, in every export and the report page.
    for (const path of [`/api/campaigns/${campaign.id}/figures.xlsx?unit=faculty~${other.id}`, `/api/campaigns/${campaign.id}/figures.csv?unit=faculty~${other.id}`, `/api/campaigns/${campaign.id}/report.pdf?unit=faculty~${other.id}`, `/results/${campaign.id}/report?unit=faculty~${other.id}`]) {
      const res = await download(`${srv.url}${path}`, council);
      expect(res.status, path).to.equal(404);
    }
  });
  it("makes the course evaluation's report at its discipline for the roles that may see it, and puts it in the evidence pack of a programme that takes it", async function () {
    this.timeout(600_000);
    await seed();
    // The demo's course evaluation asks about one discipline: its results are broken down by discipline only.
    const campaign = campaigns.find((c) => c.instrument.id === 'discipline-evaluation')!;
    const { items: disciplines } = await getAs(admin)<{ items: { id: string; programmes: string[] }[] }>('/api/disciplines');
    const asked = (await getAs(admin)<Results>(`/api/campaigns/${campaign.id}/results`)).units.find((u) => u.level === 'discipline')!;
    const discipline = disciplines.find((d) => asked.key === `discipline~${d.id}`)!;
    const taking = programmes.find((p) => p.id === discipline.programmes[0])!;
    const other = faculties.find((f) => f.id !== taking.faculty)!;
    const council = sessionCookie(srv.config, await createUser({ role: 'council', faculties: [taking.faculty] }));
    const leader = sessionCookie(srv.config, await createUser({ role: 'programme_leader', programmes: [taking.id] }));
    const outsider = sessionCookie(srv.config, await createUser({ role: 'council', faculties: [other.id] }));
    const unit = `&unit=${encodeURIComponent(asked.key)}`;

    for (const c of [
      { role: 'admin', cookie: admin, lang: 'en' as const },
      { role: 'council member', cookie: council, lang: 'kk' as const },
      { role: 'programme leader', cookie: leader, lang: 'ru' as const },
    ]) {
      const api = await apiPicture(getAs(c.cookie), campaign.id, asked.key);
      expect(api.results.selected, c.role).to.equal(asked.key);
      const xlsx = await download(`${srv.url}/api/campaigns/${campaign.id}/figures.xlsx?lang=${c.lang}${unit}`, c.cookie);
      expect(xlsx.status, c.role).to.equal(200);
      expectFiguresMatch(api, records([...(await readWorkbook(xlsx.body)).values()][0]!));
      const pdf = await download(`${srv.url}/api/campaigns/${campaign.id}/report.pdf?lang=${c.lang}${unit}`, c.cookie);
      expect(pdf.status, `${c.role}: ${pdf.body.toString().slice(0, 200)}`).to.equal(200);
      const { text } = pdfText(pdf.body);
      expectInOrder(text, reportFragments(api, c.lang));
      expectContentsMatchPages(text, c.lang);
    }
    // Another faculty's council: the discipline is outside its scope, in every export.
    for (const path of [`/api/campaigns/${campaign.id}/figures.xlsx?lang=en${unit}`, `/api/campaigns/${campaign.id}/figures.csv?lang=en${unit}`, `/api/campaigns/${campaign.id}/report.pdf?lang=en${unit}`]) {
      expect((await download(`${srv.url}${path}`, outsider)).status, path).to.equal(404);
    }

    // The evidence pack of a programme that takes the discipline: the report at the discipline, as the API shows it.
    const pack = await download(`${srv.url}/api/programmes/${taking.id}/evidence.zip?year=${campaign.academicYear}&lang=ru`, council);
    expect(pack.status, pack.body.toString().slice(0, 300)).to.equal(200);
    const files = await unzip(pack.body);
    expect([...files.keys()]).to.include('1-instruments/discipline-evaluation-v1.pdf');
    const report = [...files.keys()].find((n) => n.startsWith('2-reports/') && n.includes(campaign.id))!;
    expect(report, 'the course evaluation in the pack').to.match(/\.pdf$/);
    expectInOrder(pdfText(files.get(report)!).text, reportFragments(await apiPicture(getAs(council), campaign.id, asked.key), 'ru'));
    const plan = records([...(await readWorkbook(files.get('0-survey-plan-and-response-rates.xlsx')!)).values()][0]!);
    expect(plan.some((r) => Object.values(r).includes(asked.name.ru) && Object.values(r).includes(asked.n)), 'the discipline in the survey plan').to.equal(true);
  });

  it("makes the demo's response-level data by a report job: each closed survey's rows as the plain reading of every response gives them, read then written, the largest in seconds", async function () {
    this.timeout(600_000);
    await seed();
    const k = srv.config.suppressionK;
    // Every progress step of the jobs, as the job's page and the API show them one at a time.
    const jobs = srv.services.reports.jobs;
    const steps: { step: string; done: number; total: number }[] = [];
    const submit = jobs.submit.bind(jobs);
    jobs.submit = (owner, kind, step, work) => submit(owner, kind, step, (ctx) => work({ progress: (s, done, total) => (steps.push({ step: s, done, total }), ctx.progress(s, done, total)) }));
    try {
      let compared = 0;
      let largest: { id: string; lang: Lang; responses: number; rows: number; ms: number; steps: typeof steps } | undefined;
      for (const [i, campaign] of campaigns.filter((c) => c.state === 'closed').entries()) {
        const lang = (['kk', 'ru', 'en'] as const)[i % 3]!;
        steps.length = 0;
        const t0 = performance.now();
        const res = await fetch(`${srv.url}/api/campaigns/${campaign.id}/responses.csv?lang=${lang}`, { headers: { cookie: admin } });
        const ms = performance.now() - t0;
        if (res.status === 409) {
          expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('live_figures_shown');
          continue;
        }
        // Ready within the download's wait (20 s): the file itself, not 202.
        expect(res.status, campaign.id).to.equal(200);
        const expected = await expectedResponseRows(campaign.id, lang, k);
        expect(Buffer.from(await res.arrayBuffer()).toString('utf8'), `${campaign.id} (${campaign.instrument.id}) in ${lang}`).to.equal(BOM + csvLine(expected.head) + expected.rows.map((r) => csvLine(r)).join(''));
        const responses = expected.rows.length + expected.left;
        if (!largest || responses > largest.responses) largest = { id: campaign.id, lang, responses, rows: expected.rows.length, ms, steps: [...steps] };
        const xlsx = await download(`${srv.url}/api/campaigns/${campaign.id}/responses.xlsx?lang=${lang}`, admin);
        expect([...(await readWorkbook(xlsx.body)).values()][0], `${campaign.id}: XLSX`).to.deep.equal([expected.head, ...expected.rows.map((r) => r.map((v) => (v === '' ? null : cellValue(v))))]);
        compared++;
      }
      expect(compared, 'closed demo surveys that offer response-level data').to.be.greaterThan(3);

      // The largest: "read X of N" as it reads (every 500 responses), then the rows written; the bar only moves forward.
      const { lang, responses, rows, steps: seen } = largest!;
      expect(responses).to.be.greaterThan(500);
      const every500 = (n: number) => [0, ...Array.from({ length: Math.floor(n / 500) }, (_, i) => 500 * (i + 1)), n];
      const reading = every500(responses).map((done) => ({ step: translate(lang, 'reports.job.reading', { done, total: responses }), done, total: 2 * responses }));
      expect(seen.slice(0, reading.length)).to.deep.equal(reading);
      expect(seen.slice(reading.length).map((s) => s.step)).to.deep.equal(every500(rows).map((done) => translate(lang, 'reports.job.writing', { done, total: rows })));
      expect(seen.at(-1)!.done).to.equal(2 * responses);
      for (let i = 1; i < seen.length; i++) expect(seen[i]!.done).to.be.at.least(seen[i - 1]!.done);
      console.log(`      (the demo's largest survey, ${responses} responses: its response-level CSV in ${largest!.ms.toFixed(0)} ms)`);
    } finally {
      jobs.submit = submit;
    }
  });
});
