import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { AuditEntry } from '../../server/audit/model.js';
import { loadLibrary } from '../../server/instruments/library.js';
import type { Definition } from '../../server/instruments/schema.js';
import { seedLibrary } from '../../server/instruments/service.js';
import { call, createUser, formContext, postForm, sessionCookie } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

const SAMPLE = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/surveyjs/graduate-survey.json'), 'utf8')) as unknown;
const HOSTILE = '<script>alert(1)</script>';
const HOSTILE_ITEM = '<img src=x onerror=alert(2)>';

/** A small valid definition (id given), three languages everywhere. */
function smallDefinition(id: string): Record<string, unknown> {
  return {
    id,
    title: { kk: 'Пән сапасы', ru: 'Качество дисциплины', en: 'Course quality' },
    description: { kk: 'Қысқа сауалнама.', ru: 'Короткий опрос.', en: 'A short survey.' },
    audience: 'student',
    estimatedMinutes: 3,
    pages: [
      {
        id: 'main',
        title: { kk: 'Сұрақтар', ru: 'Вопросы', en: 'Questions' },
        items: [
          { id: 'clear', type: 'likert', text: { kk: 'Талаптар түсінікті болды.', ru: 'Требования были понятны.', en: 'The requirements were clear.' } },
          { id: 'useful', type: 'likert', text: { kk: 'Пән пайдалы болды.', ru: 'Дисциплина была полезной.', en: 'The course was useful.' } },
          {
            id: 'mode',
            type: 'single',
            text: { kk: 'Қалай оқыдыңыз?', ru: 'Как вы учились?', en: 'How did you study?' },
            options: [
              { value: 'campus', label: { kk: 'Кампуста', ru: 'В кампусе', en: 'On campus' } },
              { value: 'online', label: { kk: 'Онлайн', ru: 'Онлайн-формат', en: 'Online' } },
            ],
          },
          { id: 'why_online', type: 'text', showIf: { item: 'mode', equals: 'online' }, text: { kk: 'Неге онлайн?', ru: 'Почему онлайн?', en: 'Why online?' } },
        ],
      },
    ],
  };
}

interface VersionAnswer {
  version: { instrumentId: string; version: number; status: string; source: string; definition: Definition };
}

/** Posts a multipart form (as the editor and import pages do), with the page's CSRF token. */
async function postMultipart(srv: TestServer, path: string, ctx: { cookie: string; token: string }, fields: Record<string, string>, file?: { name: string; text: string }): Promise<Response> {
  const form = new FormData();
  form.append('_csrf', ctx.token);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new Blob([file.text], { type: 'application/json' }), file.name);
  return fetch(srv.url + path, { method: 'POST', headers: { cookie: ctx.cookie, origin: srv.url, 'sec-fetch-site': 'same-origin' }, body: form, redirect: 'manual' });
}

describe('instruments', () => {
  let srv: TestServer;
  let admin: string;
  let council: string;

  before(async () => {
    srv = await startTestServer();
  });
  after(async () => srv.close());
  beforeEach(async () => {
    admin = sessionCookie(srv.config, await createUser({ role: 'admin' }));
    council = sessionCookie(srv.config, await createUser({ role: 'council' }));
  });

  describe('JSON API', () => {
    it('lists the library to any signed-in user and answers 401 without a session', async () => {
      await seedLibrary(SYSTEM_ACTOR);
      const res = await call(srv.url, 'GET', '/api/instruments', { cookie: council });
      expect(res.status).to.equal(200);
      const list = (res.json as { instruments: { id: string; publishedVersion: number; hasDraft: boolean }[] }).instruments;
      expect(list.map((i) => i.id)).to.include.members(['student-satisfaction', 'integrity', 'alumni']);
      expect(list.every((i) => i.publishedVersion === 1 && !i.hasDraft)).to.equal(true);
      expect((await call(srv.url, 'GET', '/api/instruments')).status).to.equal(401);
    });

    it('creates a draft from a definition, and refuses a bad one with 400 and messages that name the path', async () => {
      const created = await call(srv.url, 'POST', '/api/instruments', { cookie: admin, body: smallDefinition('course-quality') });
      expect(created.status).to.equal(201);
      const { version } = created.json as VersionAnswer;
      expect(version).to.include({ instrumentId: 'course-quality', version: 1, status: 'draft', source: 'user' });

      const bad = smallDefinition('course-bad') as { pages: { items: { text: Record<string, string> }[] }[] };
      bad.pages[0]!.items[2]!.text.kk = '';
      const refused = await call(srv.url, 'POST', '/api/instruments', { cookie: admin, body: { ...bad, audience: 'parents' } });
      expect(refused.status).to.equal(400);
      const error = (refused.json as { error: { code: string; message: string; details: { path: string; message: string }[] } }).error;
      expect(error.code).to.equal('invalid_definition');
      expect(error.message).to.include('pages[0].items[2].text.kk: missing');
      expect(error.details.map((d) => d.path)).to.include.members(['pages[0].items[2].text.kk', 'audience']);
      expect((await call(srv.url, 'GET', '/api/instruments/course-bad/versions', { cookie: admin })).status).to.equal(404);

      const taken = await call(srv.url, 'POST', '/api/instruments', { cookie: admin, body: smallDefinition('course-quality') });
      expect(taken.status).to.equal(409);
    });

    it('freezes a published version: an edit attempt answers 409 published_frozen and changes nothing', async () => {
      await call(srv.url, 'POST', '/api/instruments', { cookie: admin, body: smallDefinition('frozen') });
      const published = await call(srv.url, 'POST', '/api/instruments/frozen/v/1/publish', { cookie: admin });
      expect(published.status).to.equal(200);
      expect(published.json).to.deep.include({ previousVersion: null, diff: null });

      const changed = { ...smallDefinition('frozen'), title: { kk: 'Өзгерген', ru: 'Изменено', en: 'Changed' } };
      const edit = await call(srv.url, 'PUT', '/api/instruments/frozen/v/1', { cookie: admin, body: changed });
      expect(edit.status).to.equal(409);
      expect((edit.json as { error: { code: string; message: string } }).error.code).to.equal('published_frozen');
      expect((edit.json as { error: { message: string } }).error.message).to.match(/new version/i);
      const stored = (await call(srv.url, 'GET', '/api/instruments/frozen/v/1', { cookie: council })).json as VersionAnswer;
      expect(stored.version.definition.title.en).to.equal('Course quality');
      expect(stored.version.status).to.equal('published');
      expect((await call(srv.url, 'POST', '/api/instruments/frozen/v/1/publish', { cookie: admin })).status).to.equal(409);
      expect(await AuditEntry.countDocuments({ entity: 'instruments', action: 'publish', entityId: 'frozen@1' })).to.equal(1);
    });

    it('starts a new version that keeps item ids, and the diff lists added, removed, reworded and replaced items', async () => {
      await seedLibrary(SYSTEM_ACTOR);
      const v1 = loadLibrary().find((d) => d.id === 'discipline-evaluation')!;
      const next = await call(srv.url, 'POST', '/api/instruments/discipline-evaluation/versions', { cookie: admin });
      expect(next.status).to.equal(201);
      const draft = (next.json as VersionAnswer).version;
      expect(draft).to.include({ version: 2, status: 'draft' });
      const ids = (d: Definition) => d.pages.flatMap((p) => p.items.map((i) => i.id));
      expect(ids(draft.definition)).to.deep.equal(ids(v1));
      expect((await call(srv.url, 'POST', '/api/instruments/discipline-evaluation/versions', { cookie: admin })).status).to.equal(409);

      // Reword "worked", remove "improve", replace "attendance" by a new item, add one more.
      const def = structuredClone(draft.definition);
      const items = def.pages.flatMap((p) => p.items);
      const reworded = items.find((i) => i.id === 'worked')!;
      reworded.text = { ...reworded.text, en: `${reworded.text.en} (reworded)` };
      const lastPage = def.pages[def.pages.length - 1]!;
      lastPage.items = lastPage.items.filter((i) => i.id !== 'improve');
      const first = def.pages[0]!;
      const attendance = first.items[0]!;
      first.items[0] = { ...attendance, id: 'attendance_v2', replaces: 'attendance' } as typeof attendance;
      first.items.push({ id: 'brand_new', type: 'text', text: { kk: 'Жаңа сұрақ', ru: 'Новый вопрос', en: 'A new question' } });
      const saved = await call(srv.url, 'PUT', '/api/instruments/discipline-evaluation/v/2', { cookie: admin, body: def });
      expect(saved.status, saved.text).to.equal(200);

      const diff = await call(srv.url, 'GET', '/api/instruments/discipline-evaluation/v/2/diff', { cookie: council });
      expect(diff.status).to.equal(200);
      const body = diff.json as { previousVersion: number; diff: { added: string[]; removed: string[]; reworded: { id: string }[]; replaced: { id: string; replaces: string }[] } };
      expect(body.previousVersion).to.equal(1);
      expect(body.diff.added).to.deep.equal(['brand_new']);
      expect(body.diff.removed).to.deep.equal(['improve']);
      expect(body.diff.reworded.map((r) => r.id)).to.deep.equal(['worked']);
      expect(body.diff.replaced).to.deep.equal([{ id: 'attendance_v2', replaces: 'attendance' }]);

      const published = await call(srv.url, 'POST', '/api/instruments/discipline-evaluation/v/2/publish', { cookie: admin });
      expect(published.status).to.equal(200);
      expect((published.json as { diff: { added: string[] } }).diff.added).to.deep.equal(['brand_new']);
      const v1now = (await call(srv.url, 'GET', '/api/instruments/discipline-evaluation/v/1', { cookie: admin })).json as VersionAnswer;
      expect(v1now.version.definition).to.deep.equal(v1);
    });

    it('clones a version under a new id and exports a definition as a download', async () => {
      await seedLibrary(SYSTEM_ACTOR);
      const clone = await call(srv.url, 'POST', '/api/instruments/alumni/v/1/clone', { cookie: admin, body: { newId: 'alumni-2026' } });
      expect(clone.status).to.equal(201);
      expect((clone.json as VersionAnswer).version).to.include({ instrumentId: 'alumni-2026', version: 1, status: 'draft' });
      expect((await call(srv.url, 'POST', '/api/instruments/alumni/v/1/clone', { cookie: admin, body: { newId: 'alumni-2026' } })).status).to.equal(409);

      const exported = await call(srv.url, 'GET', '/api/instruments/alumni/v/1/export', { cookie: council });
      expect(exported.status).to.equal(200);
      expect(exported.headers.get('content-disposition')).to.match(/^attachment; filename="?alumni-v1\.json"?$/);
      expect(exported.json).to.deep.equal(loadLibrary().find((d) => d.id === 'alumni'));
      // The export imports back under another id.
      const reimported = await call(srv.url, 'POST', '/api/instruments', { cookie: admin, body: { ...(exported.json as object), id: 'alumni-copy' } });
      expect(reimported.status).to.equal(201);
    });

    it('lets only admins change instruments: a council member gets 403 and can still read', async () => {
      await seedLibrary(SYSTEM_ACTOR);
      const attempts: [string, string, unknown?][] = [
        ['POST', '/api/instruments', smallDefinition('by-council')],
        ['PUT', '/api/instruments/alumni/v/1', loadLibrary().find((d) => d.id === 'alumni')],
        ['POST', '/api/instruments/alumni/v/1/publish'],
        ['POST', '/api/instruments/alumni/versions'],
        ['POST', '/api/instruments/alumni/v/1/clone', { newId: 'council-copy' }],
        ['POST', '/api/instruments/import/surveyjs', { json: SAMPLE, id: 'council-import', audience: 'alumni' }],
      ];
      for (const [method, path, body] of attempts) {
        const res = await call(srv.url, method, path, { cookie: council, ...(body === undefined ? {} : { body }) });
        expect(res.status, `${method} ${path}`).to.equal(403);
      }
      expect((await call(srv.url, 'GET', '/api/instruments/alumni/versions', { cookie: council })).status).to.equal(200);
      expect((await call(srv.url, 'GET', '/api/instruments', { cookie: admin })).json).to.have.nested.property('instruments.length', 8);
    });

    it('answers a body over 1 MB with 413 JSON', async () => {
      const huge = { ...smallDefinition('huge'), description: { kk: 'ә'.repeat(700_000), ru: 'x', en: 'x' } };
      const res = await call(srv.url, 'POST', '/api/instruments', { cookie: admin, body: huge });
      expect(res.status).to.equal(413);
      expect((res.json as { error: { code: string } }).error.code).to.equal('payload_too_large');
    });

    // Needs app.ts to mount instrumentsJsonParser (server/instruments/api.ts) on /api/instruments before its
    // app-wide 100 kB express.json: until then the app-wide parser refuses these bodies first.
    it('accepts a JSON definition over the app-wide 100 kB limit (up to 1 MB)', async () => {
      const res = await call(srv.url, 'POST', '/api/instruments', { cookie: admin, body: largeDefinition('large-json') });
      expect(res.status, res.text.slice(0, 300)).to.equal(201);
    });

    it('imports the SurveyJS sample: types mapped, translations kept, what could not be mapped listed', async () => {
      const res = await call(srv.url, 'POST', '/api/instruments/import/surveyjs', { cookie: admin, body: { json: JSON.stringify(SAMPLE), id: 'graduates', audience: 'alumni' } });
      expect(res.status, res.text.slice(0, 500)).to.equal(201);
      const { version, unmapped } = res.json as VersionAnswer & { unmapped: { kind: string; name: string; detail?: string }[] };
      expect(version).to.include({ instrumentId: 'graduates', status: 'draft', source: 'surveyjs' });
      const items = version.definition.pages.flatMap((p) => p.items);
      const typeOf = Object.fromEntries(items.map((i) => [i.id, i.type]));
      expect(typeOf).to.include({ employed: 'single', job_relevance: 'single', sector: 'single', months_to_job: 'number', skills: 'matrix', overall: 'rating', missing_skills: 'multiple', certificates: 'multiple', nps: 'nps', nps_reason: 'text' });
      expect(version.definition.title).to.deep.equal({ kk: 'Түлектер сауалнамасы 2025', ru: 'Опрос выпускников 2025', en: 'Graduate survey 2025' });
      expect(items.find((i) => i.id === 'job_relevance')!.text.kk).to.equal('Жұмысыңыз білім беру бағдарламаңызбен қаншалықты байланысты?');
      expect(items.find((i) => i.id === 'job_relevance')).to.deep.include({ other: true, showIf: { item: 'employed', equals: 'yes' } });
      expect(unmapped.filter((u) => u.kind === 'unsupported_type').map((u) => u.detail)).to.have.members(['file', 'html']);
      expect(unmapped.some((u) => u.kind === 'expression' && u.name === 'email')).to.equal(true);
      expect(unmapped.some((u) => u.kind === 'translation_filled' && u.name === 'Sector')).to.equal(true);
      expect(await AuditEntry.countDocuments({ entity: 'instruments', action: 'import', entityId: 'graduates@1' })).to.equal(1);

      const malformed = await call(srv.url, 'POST', '/api/instruments/import/surveyjs', { cookie: admin, body: { json: '{"pages": [', id: 'broken', audience: 'alumni' } });
      expect(malformed.status).to.equal(400);
      expect((malformed.json as { error: { code: string } }).error.code).to.equal('malformed_json');
    });
  });

  describe('pages', () => {
    it('lists the instruments with title in the page language, audience and versions', async () => {
      await seedLibrary(SYSTEM_ACTOR);
      await call(srv.url, 'POST', '/api/instruments/integrity/versions', { cookie: admin });
      const res = await fetch(`${srv.url}/instruments?lang=ru`, { headers: { cookie: council } });
      expect(res.status).to.equal(200);
      const html = await res.text();
      expect(html).to.include('Академическая честность');
      expect(html).to.include('Выпускники');
      // The version campaigns use, and a draft of the next one, in words ("latest v2 / published v1" read as a puzzle).
      expect(html).to.include('Версия 1');
      expect(html).to.include('Готова для опросов');
      expect(html).to.include('Версия 2: черновик');
      expect(html).not.to.match(/последняя v\d|опубликована v\d/);
      expect(html).not.to.include('href="/instruments/new"');
      const anonymous = await fetch(`${srv.url}/instruments`, { redirect: 'manual' });
      expect(anonymous.status).to.equal(303);
    });

    it('previews every page as respondents see it, with a language switch', async () => {
      await seedLibrary(SYSTEM_ACTOR);
      const def = loadLibrary().find((d) => d.id === 'student-satisfaction')!;
      const res = await fetch(`${srv.url}/instruments/student-satisfaction/v/1/preview?lang=kk`, { headers: { cookie: council } });
      expect(res.status).to.equal(200);
      const html = await res.text();
      for (const page of def.pages) expect(html).to.include(`>${page.title.kk}</h2>`);
      const first = def.pages[0]!.items[0]!;
      expect(html).to.include(`id="q-${first.id}"`);
      expect(html).to.match(/class="q q--(likert|matrix|single|multiple|nps|text|number)"/);
      expect(html).to.include('href="/instruments/student-satisfaction/v/1/preview?lang&#x3D;ru" lang="ru"');
      expect(html).to.include('data-respond-form');
      expect(html).to.include('<script type="module" src="/static/js/respond.js">');
    });

    it('prints every question with its answer options as boxes to tick and spells out conditions', async () => {
      await call(srv.url, 'POST', '/api/instruments', { cookie: admin, body: smallDefinition('printable') });
      const res = await fetch(`${srv.url}/instruments/printable/v/1/print?lang=en`, { headers: { cookie: council } });
      expect(res.status).to.equal(200);
      const html = await res.text();
      expect(html).to.include('The requirements were clear.');
      expect(html).to.include('Strongly agree');
      expect((html.match(/class="tick"/g) ?? []).length).to.equal(5 + 5 + 2);
      expect(html).to.include('Answer only if the answer to question 3 is “Online”.');
      expect(html).to.include('class="write-line"');
      expect(html).to.include('print-approval');
    });

    it('stores hostile strings as they are but renders them escaped in preview, print and editor', async () => {
      const def = smallDefinition('hostile') as { title: Record<string, string>; pages: { items: { text: Record<string, string> }[] }[] };
      def.title = { kk: HOSTILE, ru: HOSTILE, en: HOSTILE };
      def.pages[0]!.items[0]!.text = { kk: HOSTILE_ITEM, ru: HOSTILE_ITEM, en: HOSTILE_ITEM };
      expect((await call(srv.url, 'POST', '/api/instruments', { cookie: admin, body: def })).status).to.equal(201);
      const stored = (await call(srv.url, 'GET', '/api/instruments/hostile/v/1', { cookie: admin })).json as VersionAnswer;
      expect(stored.version.definition.title.kk).to.equal(HOSTILE);
      for (const path of ['/instruments', '/instruments/hostile', '/instruments/hostile/v/1/preview', '/instruments/hostile/v/1/print', '/instruments/hostile/v/1/edit', '/instruments/hostile/v/1/publish']) {
        const res = await fetch(`${srv.url}${path}?lang=en`, { headers: { cookie: admin } });
        expect(res.status, path).to.equal(200);
        const html = await res.text();
        expect(html, path).not.to.include(HOSTILE);
        expect(html, path).not.to.include('<img src=x');
        expect(html, path).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
        if (/preview|print|edit/.test(path)) expect(html, path).to.include('&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;');
      }
    });

    it('lists validation problems by path next to the JSON and keeps what was typed', async () => {
      const ctx = await formContext(srv.url, '/instruments/new', admin);
      expect(ctx.status).to.equal(200);
      const bad = smallDefinition('typed') as { pages: { items: { text: Record<string, string> }[] }[] };
      bad.pages[0]!.items[1]!.text.kk = ' ';
      const typed = JSON.stringify(bad, null, 2);
      const res = await postMultipart(srv, '/instruments/new?lang=en', ctx, { form: 'json', definition: typed });
      expect(res.status).to.equal(400);
      const html = await res.text();
      // The path links to the line of the bad value, so the editor can select it.
      const line = typed.split('\n').findIndex((l) => l.includes('"kk": " "')) + 1;
      expect(line).to.be.greaterThan(1);
      expect(html).to.include(`<a href="#definition" class="problem-link" data-line="${line}"><code class="break">pages[0].items[1].text.kk</code></a> <span class="hint">(line ${line})</span> <span>missing</span>`);
      expect(html).to.match(/data-json-input>\{\r?\n {2}&quot;id&quot;: &quot;typed&quot;,/); // what was typed stays (form posts use CRLF)

      const syntax = await postMultipart(srv, '/instruments/new?lang=en', ctx, { form: 'json', definition: '{\n  "id": "x",\n  "title" {}\n}' });
      expect(syntax.status).to.equal(400);
      expect(await syntax.text()).to.include('line 3, column');

      const good = await postMultipart(srv, '/instruments/new', ctx, { form: 'json', definition: JSON.stringify(smallDefinition('typed')) });
      expect(good.status).to.equal(303);
      expect(good.headers.get('location')).to.equal('/instruments/typed/v/1/edit?done=created');
    });

    it('refuses to save a published version through the editor with 409 and says to create a new version', async () => {
      await seedLibrary(SYSTEM_ACTOR);
      const ctx = await formContext(srv.url, '/instruments/alumni/v/1/edit?lang=en', admin);
      expect(ctx.html).to.include('Version 1 is published and can no longer change. Create a new version to edit it.');
      const res = await postMultipart(srv, '/instruments/alumni/v/1/edit?lang=en', ctx, { form: 'json', definition: JSON.stringify(smallDefinition('alumni')) });
      expect(res.status).to.equal(409);
      const html = await res.text();
      expect(html).to.include('Version 1 is published and can no longer change. Create a new version to edit it.');
      expect(html).to.include('action="/instruments/alumni/versions"');
      const texts = await postMultipart(srv, '/instruments/alumni/v/1/edit?lang=en', ctx, { form: 'texts', 't.title.en': 'Changed' });
      expect(texts.status).to.equal(409);
      const stored = (await call(srv.url, 'GET', '/api/instruments/alumni/v/1', { cookie: admin })).json as VersionAnswer;
      expect(stored.version.definition).to.deep.equal(loadLibrary().find((d) => d.id === 'alumni'));

      // The button under the message starts version 2; pressed again, it opens that draft.
      const next = await postForm(srv.url, '/instruments/alumni/versions', ctx.cookie, { _csrf: ctx.token });
      expect(next.headers.get('location')).to.equal('/instruments/alumni/v/2/edit?done=version');
      const again = await postForm(srv.url, '/instruments/alumni/versions', ctx.cookie, { _csrf: ctx.token });
      expect(again.headers.get('location')).to.equal('/instruments/alumni/v/2/edit');
    });

    it('saves the texts of the translators’ form in kk, ru and en, and shows a missing one next to its field', async () => {
      await call(srv.url, 'POST', '/api/instruments', { cookie: admin, body: smallDefinition('texts') });
      const ctx = await formContext(srv.url, '/instruments/texts/v/1/edit?lang=en', admin);
      expect(ctx.html).to.include('name="t.pages.0.items.0.text.kk"');
      const ok = await postMultipart(srv, '/instruments/texts/v/1/edit', ctx, { form: 'texts', 't.title.kk': 'Пәннің сапасы', 't.pages.0.items.2.options.1.label.ru': 'Дистанционно', 't.__proto__.polluted.kk': 'x', 't.pages.0.id.kk': 'nope' });
      expect(ok.status).to.equal(303);
      const stored = ((await call(srv.url, 'GET', '/api/instruments/texts/v/1', { cookie: admin })).json as VersionAnswer).version.definition;
      expect(stored.title.kk).to.equal('Пәннің сапасы');
      const mode = stored.pages[0]!.items[2]!;
      expect(mode.type === 'single' && mode.options[1]!.label.ru).to.equal('Дистанционно');
      expect(stored.pages[0]!.id).to.equal('main');
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);

      const missing = await postMultipart(srv, '/instruments/texts/v/1/edit?lang=en', ctx, { form: 'texts', 't.pages.0.items.1.text.ru': '' });
      expect(missing.status).to.equal(400);
      const html = await missing.text();
      expect(html).to.include('The texts were not saved.');
      expect(html).to.match(/<p class="field-error" id="tx-\d+-ru-error">missing<\/p>/);
    });

    it('shows the diff before publishing, then publishes on confirmation', async () => {
      await seedLibrary(SYSTEM_ACTOR);
      const draft = ((await call(srv.url, 'POST', '/api/instruments/alumni/versions', { cookie: admin })).json as VersionAnswer).version.definition;
      draft.pages[0]!.items.push({ id: 'added_now', type: 'text', text: { kk: 'Қосымша пікір', ru: 'Дополнительный комментарий', en: 'Any further comment' } });
      expect((await call(srv.url, 'PUT', '/api/instruments/alumni/v/2', { cookie: admin, body: draft })).status).to.equal(200);
      const ctx = await formContext(srv.url, '/instruments/alumni/v/2/publish?lang=en', admin);
      expect(ctx.status).to.equal(200);
      expect(ctx.html).to.include('Changes since the published version 1');
      expect(ctx.html).to.include('Added: 1');
      expect(ctx.html).to.include('<code>added_now</code> Any further comment');
      const res = await postForm(srv.url, '/instruments/alumni/v/2/publish', ctx.cookie, { _csrf: ctx.token });
      expect(res.status).to.equal(303);
      expect(res.headers.get('location')).to.equal('/instruments/alumni?done=published');
      const versions = ((await call(srv.url, 'GET', '/api/instruments/alumni/versions', { cookie: admin })).json as { versions: { version: number; status: string }[] }).versions;
      expect(versions.map((v) => `${v.version}:${v.status}`)).to.deep.equal(['2:published', '1:published']);
    });

    it('lets a council member read the pages but refuses every change with 403', async () => {
      await seedLibrary(SYSTEM_ACTOR);
      await call(srv.url, 'POST', '/api/instruments/alumni/versions', { cookie: admin });
      const edit = await formContext(srv.url, '/instruments/alumni/v/2/edit?lang=en', council);
      expect(edit.status).to.equal(200);
      expect(edit.html).to.include('only the quality assurance department can change instruments');
      expect(edit.html).not.to.include('Save the draft');
      expect((await postForm(srv.url, '/instruments/alumni/v/2/publish', edit.cookie, { _csrf: edit.token })).status).to.equal(403);
      expect((await postForm(srv.url, '/instruments/alumni/v/2/clone', edit.cookie, { _csrf: edit.token, newId: 'mine' })).status).to.equal(403);
      expect((await postMultipart(srv, '/instruments/alumni/v/2/edit', edit, { form: 'texts', 't.title.en': 'Mine' })).status).to.equal(403);
      expect((await fetch(`${srv.url}/instruments/new`, { headers: { cookie: council } })).status).to.equal(403);
    });

    it('imports an uploaded SurveyJS file as a draft and shows what could not be mapped', async () => {
      const ctx = await formContext(srv.url, '/instruments/import?lang=en', admin);
      const res = await postMultipart(srv, '/instruments/import?lang=en', ctx, { format: 'surveyjs', id: 'graduates', audience: 'alumni', estimatedMinutes: '7', json: '' }, { name: 'graduates.json', text: JSON.stringify(SAMPLE) });
      expect(res.status).to.equal(200);
      const html = await res.text();
      expect(html).to.include('A draft &quot;graduates&quot; was created.');
      expect(html).to.include('the question type &quot;file&quot; is not supported');
      expect(html).to.include('href="/instruments/graduates/v/1/edit"');
      const stored = ((await call(srv.url, 'GET', '/api/instruments/graduates/v/1', { cookie: admin })).json as VersionAnswer).version;
      expect(stored.source).to.equal('surveyjs');
      expect(stored.definition.estimatedMinutes).to.equal(7);

      const pikir = await postMultipart(srv, '/instruments/import', ctx, { format: 'pikir', json: JSON.stringify(smallDefinition('pasted')) });
      expect(pikir.status).to.equal(303);
      expect(pikir.headers.get('location')).to.equal('/instruments/pasted/v/1/edit?done=imported');
    });

    it('refuses an import with 400 and one message on the form, keeping what was typed, and stores nothing', async () => {
      const ctx = await formContext(srv.url, '/instruments/import?lang=en', admin);
      const survey = JSON.stringify(SAMPLE);
      const cases: [Record<string, string>, string][] = [
        [{ format: 'pikir', json: '  \n' }, 'Choose a file or paste the JSON.'],
        [{ format: 'pikir', json: '{\n  "id": "x",\n  "title" {}\n}' }, 'This is not valid JSON here (a missing comma, quote or bracket?). (line 3, column 11)'],
        [{ format: 'surveyjs', json: survey, id: 'Bad Id', audience: 'alumni' }, 'Give a valid id: lowercase Latin letters, digits, _ or -, starting with a letter.'],
        [{ format: 'surveyjs', json: survey, id: 'refused', audience: 'martians' }, 'Choose the audience.'],
        [{ format: 'surveyjs', json: survey, id: 'refused', audience: 'alumni', estimatedMinutes: '7.5' }, 'The estimated minutes must be a whole number from 1 to 120.'],
        [{ format: 'surveyjs', json: survey, id: 'refused', audience: 'alumni', estimatedMinutes: '121' }, 'The estimated minutes must be a whole number from 1 to 120.'],
        [{ format: 'surveyjs', json: '{"title": "no pages"}', id: 'refused', audience: 'alumni' }, 'The SurveyJS JSON has no pages (or elements) to import.'],
      ];
      for (const [fields, message] of cases) {
        const res = await postMultipart(srv, '/instruments/import?lang=en', ctx, fields);
        expect(res.status, message).to.equal(400);
        const html = await res.text();
        expect(html, message).to.include(`<div class="error-summary" role="alert" tabindex="-1" id="error-summary"><h2>${message.replace(/"/g, '&quot;')}</h2>`);
        if (fields.id) expect(html, message).to.include(`value="${fields.id}"`);
      }
      expect((await call(srv.url, 'GET', '/api/instruments/refused/versions', { cookie: admin })).status).to.equal(404);
    });

    it('opens the editor with the problems when the imported definition is refused, with the SurveyJS report', async () => {
      const ctx = await formContext(srv.url, '/instruments/import?lang=en', admin);
      const { title: _title, ...untitled } = smallDefinition('untitled');
      const invalid = await postMultipart(srv, '/instruments/import?lang=en', ctx, { format: 'pikir', json: JSON.stringify(untitled) });
      expect(invalid.status).to.equal(400);
      const editor = await invalid.text();
      expect(editor).to.include('<code class="break">title</code>');
      expect(editor).to.match(/data-json-input>\{\r?\n {2}&quot;id&quot;: &quot;untitled&quot;,/);

      await call(srv.url, 'POST', '/api/instruments', { cookie: admin, body: smallDefinition('taken') });
      const taken = await postMultipart(srv, '/instruments/import?lang=en', ctx, { format: 'surveyjs', json: JSON.stringify(SAMPLE), id: 'taken', audience: 'alumni' });
      expect(taken.status).to.equal(409);
      const report = await taken.text();
      expect(report).to.include('an instrument with this id already exists; choose another id');
      expect(report).to.include('the question type &quot;file&quot; is not supported');
      expect(report).to.include('&quot;id&quot;: &quot;taken&quot;');
      expect(((await call(srv.url, 'GET', '/api/instruments/taken/versions', { cookie: admin })).json as { versions: unknown[] }).versions).to.have.length(1);
    });

    it('accepts an editor form larger than the app-wide 100 kB limit', async () => {
      await call(srv.url, 'POST', '/api/instruments', { cookie: admin, body: smallDefinition('large') });
      const ctx = await formContext(srv.url, '/instruments/large/v/1/edit', admin);
      const big = JSON.stringify(largeDefinition('large'));
      expect(big.length).to.be.greaterThan(300_000);
      const res = await postMultipart(srv, '/instruments/large/v/1/edit', ctx, { form: 'json', definition: big });
      expect(res.status).to.equal(303);
      const stored = ((await call(srv.url, 'GET', '/api/instruments/large/v/1', { cookie: admin })).json as VersionAnswer).version.definition;
      expect(stored.pages.length).to.equal(12);
    });
  });
});

/** A valid definition of about 350 kB: 12 pages of 10 questions with long texts. */
function largeDefinition(id: string): Record<string, unknown> {
  const long = (n: number, lang: string) => `${lang} ${n} `.padEnd(900, 'сұрақ мәтіні ');
  return {
    ...smallDefinition(id),
    pages: Array.from({ length: 12 }, (_, p) => ({
      id: `p${p}`,
      title: { kk: `Бет ${p}`, ru: `Страница ${p}`, en: `Page ${p}` },
      items: Array.from({ length: 10 }, (_, i) => ({ id: `q${p}_${i}`, type: 'likert', text: { kk: long(i, 'kk'), ru: long(i, 'ru'), en: long(i, 'en') } })),
    })),
  };
}
