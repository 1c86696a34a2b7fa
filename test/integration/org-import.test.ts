import { expect } from 'chai';
import mongoose from 'mongoose';
import { AuditEntry } from '../../server/audit/model.js';
import { insertAllOrNone } from '../../server/org/import.js';
import { Faculty, Programme } from '../../server/org/models.js';
import type { UnitModel } from '../../server/org/service.js';
import { buildOrg, call, createUser, formContext, sessionCookie } from '../support/factories.js';
import { apiProblems, expectProblemsShown } from '../support/import-problems.js';
import { startTestServer, type TestServer } from '../support/server.js';

const LETTERS = 'ә ғ қ ң ө ұ ү һ і Ә Ғ Қ Ң Ө Ұ Ү Һ І';

describe('CSV import of the structure', () => {
  let srv: TestServer;
  let admin: string;
  before(async () => {
    srv = await startTestServer();
  });
  after(async () => srv.close());
  beforeEach(async () => {
    admin = sessionCookie(srv.config, await createUser({ role: 'admin' }));
  });

  const importCsv = (kind: string, csv: string, commit: boolean) => call(srv.url, 'POST', `/api/org/import/${kind}`, { cookie: admin, body: { csv, commit } });

  it('imports faculties from an Excel file (BOM, semicolons, CRLF) keeping every Kazakh letter exactly', async () => {
    const csv = `\uFEFFcode;name_kk;name_ru;name_en\r\nҚТФ;Қазақ тілі факультеті ${LETTERS};Факультет казахского языка;Faculty of Kazakh\r\nINF;"Ақпараттық технологиялар; ғылым";Факультет ИТ;IT faculty\r\n`;
    const res = await importCsv('faculties', csv, true);
    expect(res.status).to.equal(201);
    expect(res.json).to.include({ imported: 2, importable: 2 });
    const stored = await Faculty.findOne({ code: 'ҚТФ' }).lean();
    expect(stored!.name.kk).to.equal(`Қазақ тілі факультеті ${LETTERS}`);
    expect((await Faculty.findOne({ code: 'INF' }).lean())!.name.kk).to.equal('Ақпараттық технологиялар; ғылым');
    expect(await AuditEntry.countDocuments({ action: 'import', entity: 'faculties' })).to.equal(2);
  });

  /** Programmes with a problem on every line but the second. */
  const BAD_PROGRAMMES = [
    'code,name_kk,name_ru,name_en,level,faculty,department',
    '6B06110,Бағдарлама,Программа,Programme,,FA,FA-D', // line 2: fine
    '6B0611,Қысқа,Короткий,Short,bachelor,FA,FA-D', // line 3: bad code
    '7M06110,Магистратура,Магистратура,Master,bachelor,FA,FA-D', // line 4: level mismatch
    '6B06111,Белгісіз,Неизвестный,Unknown,,ZZ,FA-D', // line 5: unknown faculty
    '6B06112,Басқа,Другая,Other,,FA,FB-D', // line 6: department of another faculty
    '6B06110,Қайталау,Повтор,Duplicate,,FA,FA-D', // line 7: duplicate of line 2
    '6B06113,=HYPERLINK("http://x"),Формула,Formula,,FA,FA-D', // line 8: formula
    '6B06101,Бар,Есть,Exists,,FA,FA-D', // line 9: exists already
  ].join('\n');

  it('reports each bad row by line number and reason, and imports nothing', async () => {
    const { a } = await buildOrg();
    void a;
    const csv = BAD_PROGRAMMES;
    const check = await importCsv('programmes', csv, false);
    expect(check.status).to.equal(200);
    const report = check.json as { importable: number };
    expect(report.importable).to.equal(0);
    const byLine = Object.fromEntries(apiProblems(check.json).map((p) => [p.line, p.message]));
    expect(Object.keys(byLine).map(Number)).to.deep.equal([3, 4, 5, 6, 7, 8, 9]);
    expect(byLine[3]).to.match(/code: .*classifier/);
    expect(byLine[4]).to.match(/level: .*master/);
    expect(byLine[5]).to.match(/faculty: no faculty with code "ZZ"/);
    expect(byLine[6]).to.match(/department: .*another faculty/);
    expect(byLine[7]).to.match(/already on line 2/);
    expect(byLine[8]).to.match(/name_kk: starts with "="/);
    expect(byLine[9]).to.match(/code: a programme with code 6B06101 already exists/);
    const before = await Programme.countDocuments({});
    const commit = await importCsv('programmes', csv, true);
    expect(commit.status).to.equal(422);
    expect(apiProblems(commit.json)).to.have.length(7);
    expect(await Programme.countDocuments({})).to.equal(before, 'nothing imported');
  });

  it('imports departments, programmes, cohorts and disciplines by codes', async () => {
    const { a } = await buildOrg();
    void a;
    expect((await importCsv('departments', 'faculty,code,name_kk,name_ru,name_en\nFA,КИС,Ақпараттық жүйелер кафедрасы,Кафедра ИС,IS department\n', true)).status).to.equal(201);
    expect((await importCsv('programmes', 'code,name_kk,name_ru,name_en,faculty,department\n7M06120,Деректер ғылымы,Наука о данных,Data science,FA,КИС\n', true)).status).to.equal(201);
    expect((await importCsv('cohorts', 'programme,entry_year,size,label\n7M06120,2025,18,ДҒ-25\n', true)).status).to.equal(201);
    const dis = await importCsv('disciplines', 'code,name_kk,name_ru,name_en,department,programmes\nDS501,Машиналық оқыту,Машинное обучение,Machine learning,КИС,7M06120 6B06101\n', true);
    expect(dis.status).to.equal(201);
    const list = (await call(srv.url, 'GET', '/api/disciplines', { cookie: admin })).json as { items: { code: string; programmes: string[] }[] };
    expect(list.items.find((d) => d.code === 'DS501')!.programmes).to.have.length(2);
  });

  it('rolls an interrupted insert back: all rows or none', async () => {
    const name = { kk: 'а', ru: 'а', en: 'a' };
    const docs = [
      { _id: 'fac_0000000000000001', code: 'R1', name },
      { _id: 'fac_0000000000000002', code: 'R2', name },
      { _id: 'fac_0000000000000003', code: 'R1', name }, // collides with the first on the unique code
    ];
    let error: unknown;
    try {
      await insertAllOrNone(Faculty as unknown as UnitModel, docs);
    } catch (err) {
      error = err;
    }
    expect((error as { code?: string }).code).to.equal('import_failed');
    expect(await Faculty.countDocuments({ code: mongoose.trusted({ $in: ['R1', 'R2'] }) as unknown as string })).to.equal(0);
  });

  it('works as pages: upload a file, see the preview, confirm', async () => {
    const page = await formContext(srv.url, '/org/import?lang=kk', admin);
    expect(page.status).to.equal(200);
    const body = new FormData();
    body.append('_csrf', page.token);
    body.append('kind', 'faculties');
    body.append('file', new Blob([`\uFEFFcode;name_kk;name_ru;name_en\r\nҰҒФ;Ұлттық ғылым ${LETTERS};Национальная наука;National science\r\n`], { type: 'text/csv' }), 'faculties.csv');
    const preview = await fetch(`${srv.url}/org/import`, { method: 'POST', headers: { cookie: page.cookie }, body });
    expect(preview.status).to.equal(200);
    const html = await preview.text();
    expect(html).to.include(`Ұлттық ғылым ${LETTERS}`);
    const action = /action="(\/org\/import\/imp_[0-9a-z]+\/confirm)"/.exec(html)?.[1];
    expect(action, 'a confirm form').to.be.a('string');
    expect(await Faculty.countDocuments({ code: 'ҰҒФ' })).to.equal(0, 'nothing before confirming');
    const confirm = await fetch(srv.url + action!, { method: 'POST', headers: { cookie: page.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: page.token }), redirect: 'manual' });
    expect(confirm.status).to.equal(303);
    expect(confirm.headers.get('location')).to.equal('/org/faculties?imported=1');
    expect((await Faculty.findOne({ code: 'ҰҒФ' }).lean())!.name.kk).to.equal(`Ұлттық ғылым ${LETTERS}`);
    const again = await fetch(srv.url + action!, { method: 'POST', headers: { cookie: page.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: new URLSearchParams({ _csrf: page.token }), redirect: 'manual' });
    expect(again.status).to.equal(404, 'a draft is confirmed once');
  });

  it('shows the bad lines on the preview page and offers no confirm button', async () => {
    const page = await formContext(srv.url, '/org/import?lang=en', admin);
    const body = new FormData();
    body.append('_csrf', page.token);
    body.append('kind', 'cohorts');
    body.append('text', 'programme,entry_year,size,label\nNOPE,2024,10,x\n6B06101,20x4,-5,y\n');
    const res = await fetch(`${srv.url}/org/import`, { method: 'POST', headers: { cookie: page.cookie }, body });
    expect(res.status).to.equal(422);
    const html = await res.text();
    expect(html).to.include('Line 2');
    expect(html).to.include('Line 3');
    expect(html).to.include('Nothing was imported');
    expect(html).not.to.include('/confirm');
  });

  for (const lang of ['kk', 'ru'] as const) {
    it(`states every problem of a structure file in the page's language (${lang}), never in English`, async () => {
      await buildOrg();
      const cohorts = ['programme,entry_year,size,label', 'NOPE,2024,10,x', '6B06101,20x4,-5,y', '6B06101,1980,100001,z', `6B06101,2024,10,${'L'.repeat(101)}`, '6B06101,2024,10,', 'a,b,c,d,e'].join('\n');
      for (const [kind, csv, lines] of [
        ['programmes', BAD_PROGRAMMES, [3, 4, 5, 6, 7, 8, 9]],
        ['cohorts', cohorts, [2, 3, 4, 5, 6, 7]],
        ['faculties', 'code,name_kk,name_en\nF1,a,b', [1]],
      ] as const) {
        const problems = apiProblems((await importCsv(kind, csv, false)).json);
        expect([...new Set(problems.map((p) => p.line))], kind).to.deep.equal(lines);
        expect(problems.map((p) => p.key), 'a wording without its own key').to.not.include('imports.problem.invalid');
        const page = await formContext(srv.url, `/org/import?lang=${lang}`, admin);
        const body = new FormData();
        body.append('_csrf', page.token);
        body.append('kind', kind);
        body.append('text', csv);
        const res = await fetch(`${srv.url}/org/import`, { method: 'POST', headers: { cookie: page.cookie }, body });
        expect(res.status).to.equal(422);
        const html = await res.text();
        expect(html).to.contain(`<html lang="${lang}"`);
        expectProblemsShown(html, problems, lang);
      }
    });
  }

  it('refuses a file that is not UTF-8 with advice on saving it', async () => {
    const page = await formContext(srv.url, '/org/import?lang=en', admin);
    const body = new FormData();
    body.append('_csrf', page.token);
    body.append('kind', 'faculties');
    body.append('file', new Blob([Uint8Array.from([0x63, 0x6f, 0x64, 0x65, 0x0a, 0xc8, 0xed, 0xf4])]), 'cp1251.csv');
    const res = await fetch(`${srv.url}/org/import`, { method: 'POST', headers: { cookie: page.cookie }, body });
    expect(res.status).to.equal(400);
    expect(await res.text()).to.include('CSV UTF-8');
  });

  it('says which upload limit a file passed: too large, a second file, a cut-off upload', async () => {
    const page = await formContext(srv.url, '/org/import?lang=en', admin);
    const post = (body: FormData | string, type?: string) => fetch(`${srv.url}/org/import`, { method: 'POST', headers: { cookie: page.cookie, accept: 'application/json', ...(type ? { 'content-type': type } : {}) }, body });
    const big = new FormData();
    big.append('_csrf', page.token);
    big.append('kind', 'faculties');
    big.append('file', new Blob(['x'.repeat(2 * 1024 * 1024 + 1)]), 'big.csv');
    const tooLarge = await post(big);
    expect(tooLarge.status).to.equal(413);
    expect(((await tooLarge.json()) as { error: { message: string } }).error.message).to.equal('The file is larger than 2 MB; split it into smaller files.');
    const two = new FormData();
    two.append('_csrf', page.token);
    two.append('file', new Blob(['a']), 'a.csv');
    two.append('other', new Blob(['b']), 'b.csv');
    const second = await post(two);
    expect(second.status).to.equal(400);
    expect(((await second.json()) as { error: { message: string } }).error.message).to.equal('Send at most one file, in the field "file".');
    const cut = await post('--xyz\r\nContent-Disposition: form-data; name="kind"\r\n\r\nfacul', 'multipart/form-data; boundary=xyz');
    expect(cut.status).to.equal(400);
    expect(((await cut.json()) as { error: { code: string } }).error.code).to.equal('bad_upload');
  });
});
