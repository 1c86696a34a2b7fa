import { expect } from 'chai';
import { Faculty } from '../../server/org/models.js';
import { buildWorld, formContext, postForm } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('university structure pages', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(async () => srv.close());

  const page = async (path: string, cookie: string) => {
    const res = await fetch(srv.url + path, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' });
    return { status: res.status, html: await res.text() };
  };

  it('shows a council member of A only A’s units, read-only', async () => {
    const w = await buildWorld(srv.config);
    const list = await page('/org/programmes?lang=en', w.cookies.councilA);
    expect(list.status).to.equal(200);
    expect(list.html).to.include('Programme FA1');
    expect(list.html).not.to.include('Programme FB1');
    expect(list.html).not.to.include('/org/programmes/new');
    const other = await page(`/org/programmes/${w.b.programme}`, w.cookies.councilA);
    expect(other.status).to.equal(404);
    const mine = await page(`/org/programmes/${w.a.programme}?lang=en`, w.cookies.councilA);
    expect(mine.status).to.equal(200);
    expect(mine.html).not.to.include('<form method="post" action="/org/programmes');
    expect((await page('/org/faculties/new', w.cookies.councilA)).status).to.equal(403);
    expect((await page('/org/import', w.cookies.councilA)).status).to.equal(403);
  });

  it('shows a programme leader only their programme and its cohorts', async () => {
    const w = await buildWorld(srv.config);
    const cohorts = await page('/org/cohorts?lang=en', w.cookies.leaderA);
    expect(cohorts.html).to.include('FA1-24');
    expect(cohorts.html).not.to.include('FA2-24');
    expect(cohorts.html).not.to.include('FB1-24');
  });

  it('lets the admin add a unit through the form, with errors next to the fields', async () => {
    const w = await buildWorld(srv.config);
    const form = await formContext(srv.url, '/org/programmes/new?lang=ru', w.cookies.admin);
    expect(form.html).to.include('<label for="f-code">');
    expect(form.html).to.include('lang="kk"');
    const bad = await postForm(srv.url, '/org/programmes', form.cookie, { _csrf: form.token, code: '6B061', name_kk: '', name_ru: 'Р', name_en: 'E', level: 'bachelor', faculty: w.a.faculty, department: w.a.department });
    expect(bad.status).to.equal(400);
    const html = await bad.text();
    expect(html).to.include('id="code-error"');
    expect(html).to.include('Введите код классификатора');
    expect(html).to.include('aria-describedby="code-hint code-error"');
    expect(html).to.include('value="6B061"', 'what was typed is kept');

    const facForm = await formContext(srv.url, '/org/faculties/new', w.cookies.admin);
    const ok = await postForm(srv.url, '/org/faculties', facForm.cookie, { _csrf: facForm.token, code: 'ЖФ', name_kk: 'Жаратылыстану факультеті', name_ru: 'Естественный факультет', name_en: 'Natural sciences' });
    expect(ok.status).to.equal(303);
    expect(ok.headers.get('location')).to.equal('/org/faculties?saved=created');
    expect((await Faculty.findOne({ code: 'ЖФ' }).lean())!.name.kk).to.equal('Жаратылыстану факультеті');
  });

  it('archives and restores from the edit page', async () => {
    const w = await buildWorld(srv.config);
    const edit = await formContext(srv.url, `/org/faculties/${w.b.faculty}?lang=en`, w.cookies.admin);
    expect(edit.html).to.include(`action="/org/faculties/${w.b.faculty}/archive"`);
    const res = await postForm(srv.url, `/org/faculties/${w.b.faculty}/archive`, edit.cookie, { _csrf: edit.token });
    expect(res.status).to.equal(303);
    const list = await page('/org/faculties?lang=en', w.cookies.admin);
    expect(list.html).not.to.include('Faculty FB');
    const withArchived = await page('/org/faculties?lang=en&archived=1', w.cookies.admin);
    expect(withArchived.html).to.include('Faculty FB');
  });

  it('renders the overview in Kazakh', async () => {
    const w = await buildWorld(srv.config);
    const overview = await page('/org?lang=kk', w.cookies.viewerA);
    expect(overview.status).to.equal(200);
    expect(overview.html).to.include('Университет құрылымы');
    expect(overview.html).to.include('Білім беру бағдарламалары');
  });
});
