// Faculty quality councils end to end over HTTP: scope (a council sees and edits only its own faculty's
// records, over HTTP and sockets), frozen snapshots, decisions, actions with evidence, follow-up and
// indicators checked against values computed by hand, the ESG map and "you said, we did" in three languages.
import { expect } from 'chai';
import { io as connect, type Socket } from 'socket.io-client';
import type { UserDoc } from '../../server/accounts/model.js';
import { AuditEntry } from '../../server/audit/model.js';
import { listInstruments, getPublishedDefinition } from '../../server/instruments/service.js';
import { analysableItems } from '../../server/analytics/item-figures.js';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { call, createUser, formContext, sessionCookie } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { waitFor } from '../support/wait.js';
import { answer, buildTwoWaves, close, wilson, type TwoWaves } from './councils.support.js';

type Json = Record<string, unknown>;

describe('faculty quality councils', () => {
  let srv: TestServer;
  let world: TwoWaves;
  let admin: string;
  let councilA: UserDoc;
  let cookieA: string;
  let councilB: string;
  let viewerA: string;
  before(async () => {
    srv = await startTestServer({ SUPPRESSION_K: '5', PUBLISHED_K: '10' }, { realtime: true });
  });
  after(async () => srv.close());

  beforeEach(async () => {
    world = await buildTwoWaves();
    admin = sessionCookie(srv.config, await createUser({ role: 'admin' }));
    councilA = await createUser({ role: 'council', faculties: [world.facultyA], name: 'Secretary A' });
    cookieA = sessionCookie(srv.config, councilA);
    councilB = sessionCookie(srv.config, await createUser({ role: 'council', faculties: [world.facultyB] }));
    viewerA = sessionCookie(srv.config, await createUser({ role: 'viewer', faculties: [world.facultyA] }));
  });

  const api = (cookie: string, method: string, path: string, body?: unknown) => call(srv.url, method, path, { cookie, ...(body !== undefined ? { body } : {}) });
  const members = () => [
    { name: 'Chair', group: 'teacher', role: 'chair' },
    { name: 'Secretary A', userId: councilA._id, group: 'academic_staff', role: 'secretary' },
    { name: 'Student', group: 'student_bachelor', role: 'member' },
    { name: 'Registrar', group: 'administrator', role: 'member' },
  ];
  const action = (overrides: Json = {}) => ({ title: 'Publish what changed after each course evaluation', kind: 'corrective', owner: councilA._id, dueOn: '2030-01-31', status: 'in_progress', ...overrides });

  it('keeps every council record inside its faculty: the other faculty gets 404 over HTTP and on sockets, a viewer reads but cannot write', async () => {
    expect((await api(cookieA, 'PUT', `/api/councils/${world.facultyA}`, { quorum: 0.5, members: members() })).status).to.equal(200);
    const meeting = await api(cookieA, 'POST', `/api/councils/${world.facultyA}/meetings`, { date: '2026-11-20', title: 'Autumn results', lang: 'en' });
    expect(meeting.status).to.equal(201);
    const meetingId = (meeting.json as Json).id as string;
    const created = await api(cookieA, 'POST', `/api/councils/${world.facultyA}/actions`, action());
    expect(created.status).to.equal(201);
    const actionId = (created.json as Json).id as string;

    // The other faculty's council: nothing of A exists for it, reading or writing.
    for (const [method, path, body] of [
      ['GET', `/api/councils/${world.facultyA}`],
      ['PUT', `/api/councils/${world.facultyA}`, { quorum: 0.5, members: [] }],
      ['GET', `/api/councils/${world.facultyA}/meetings`],
      ['GET', `/api/meetings/${meetingId}`],
      ['PUT', `/api/meetings/${meetingId}`, { date: '2026-11-21', title: 'x', lang: 'en' }],
      ['GET', `/api/councils/${world.facultyA}/actions`],
      ['GET', `/api/actions/${actionId}`],
      ['PUT', `/api/actions/${actionId}`, action({ title: 'hijacked' })],
      ['POST', `/api/actions/${actionId}/evidence/links`, { url: 'https://example.org', label: 'x' }],
      ['GET', `/api/councils/${world.facultyA}/indicators`],
    ] as [string, string, unknown?][]) {
      const res = await api(councilB, method, path, body);
      expect(res.status, `${method} ${path}`).to.equal(404);
    }
    for (const path of [`/councils/${world.facultyA}`, `/meetings/${meetingId}`, `/actions/${actionId}`, `/councils/${world.facultyA}/indicators`]) {
      expect((await call(srv.url, 'GET', path, { cookie: councilB })).status, path).to.equal(404);
    }
    expect(((await api(councilB, 'GET', '/api/overdue-actions')).json as { items: unknown[] }).items).to.deep.equal([]);
    expect(((await api(councilB, 'GET', '/api/councils')).json as { items: { id: string }[] }).items.map((c) => c.id)).to.deep.equal([world.facultyB]);

    // A viewer of faculty A reads, and is refused every write with a reason.
    expect((await api(viewerA, 'GET', `/api/actions/${actionId}`)).status).to.equal(200);
    const refused = await api(viewerA, 'PUT', `/api/actions/${actionId}`, action({ title: 'changed' }));
    expect(refused.status).to.equal(403);
    expect((await api(admin, 'GET', `/api/actions/${actionId}`)).json).to.have.property('title', 'Publish what changed after each course evaluation');

    // Every change is in the audit log.
    const audited = (await AuditEntry.find({}).lean()) as { entity: string; action: string }[];
    expect(audited.map((e) => e.entity)).to.include.members(['councils', 'council_meetings', 'council_actions']);

    // Sockets: the same rule. B cannot join A's council room and hears nothing of A's changes; A hears them.
    const socketFor = (cookie: string): Socket => connect(srv.url, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false });
    const a = socketFor(cookieA);
    const b = socketFor(councilB);
    try {
      const heardByA: unknown[] = [];
      const heardByB: string[] = [];
      a.on('council-changed', (m: unknown) => heardByA.push(m));
      b.onAny((event: string) => heardByB.push(event));
      await Promise.all([a, b].map((s) => new Promise<void>((resolve, reject) => (s.connected ? resolve() : (s.on('connect', () => resolve()), s.on('connect_error', reject))))));
      expect(((await a.emitWithAck('council', { faculty: world.facultyA })) as { ok: boolean }).ok).to.equal(true);
      const denied = (await b.emitWithAck('council', { faculty: world.facultyA })) as { ok: boolean; error?: { code: string } };
      expect(denied.ok).to.equal(false);
      expect(denied.error?.code).to.equal('not_found');
      const hostile = (await b.emitWithAck('council', { faculty: { $gt: '' } })) as { ok: boolean; error?: { code: string } };
      expect(hostile.ok).to.equal(false);
      expect((await api(cookieA, 'PUT', `/api/actions/${actionId}`, action({ status: 'done' }))).status).to.equal(200);
      await waitFor('the council change on A\'s socket', () => heardByA.length > 0 || undefined);
      expect(heardByA[0]).to.deep.equal({ kind: 'action', id: actionId });
      await new Promise((r) => setTimeout(r, 200));
      expect(heardByB).to.not.include('council-changed');
    } finally {
      a.close();
      b.close();
    }
  });

  it('freezes the figures on an agenda item: later responses do not change them, and small groups stay hidden', async () => {
    await answer(srv, world, world.wave2, { agree: 12, disagree: 8 });
    await answer(srv, world, world.wave2, { agree: 2, disagree: 1 }, { programme2: true, seed: 9 });
    await api(cookieA, 'PUT', `/api/councils/${world.facultyA}`, { quorum: 0.5, members: members() });
    const meetingId = ((await api(cookieA, 'POST', `/api/councils/${world.facultyA}/meetings`, { date: '2026-11-20', title: 'Autumn', lang: 'ru' })).json as Json).id as string;
    const added = await api(cookieA, 'POST', `/api/meetings/${meetingId}/agenda`, { campaign: world.wave2._id, unit: `faculty~${world.facultyA}`, item: 'voice_acted' });
    expect(added.status, JSON.stringify(added.json)).to.equal(200);
    const item = ((added.json as Json).agenda as { id: string; title: string; snapshot: { figures: { rows: { key: string; figures: { kind: string; n?: number; agree?: { p: number } } }[] } } }[])[0]!;
    // Titled in the meeting's language (Russian) from the question.
    expect(item.title).to.match(/[А-Яа-я]/);
    const row = (key: string) => item.snapshot.figures.rows.find((r) => r.key === key)?.figures;
    const [pA1, pA2] = world.programmesA as [string, string];
    expect(row(`programme~${pA1}`)).to.include({ kind: 'scale', n: 20 });
    expect(row(`programme~${pA1}`)!.agree!.p).to.be.closeTo(12 / 20, 1e-9);
    // Programme 2 has 3 answers: below k, never shown (live figures also hold back a batch smaller than k).
    expect(row(`programme~${pA2}`)?.kind ?? 'suppressed').to.equal('suppressed');
    expect(JSON.stringify(item.snapshot)).to.not.match(/"n":3\b/);

    await answer(srv, world, world.wave2, { agree: 10, disagree: 0 }, { seed: 11 });
    const live = await api(admin, 'GET', `/api/campaigns/${world.wave2._id}/results?unit=programme~${pA1}`);
    const liveItem = ((live.json as { items: { id: string; figures: Record<string, { n: number }> }[] }).items.find((i) => i.id === 'voice_acted'))!;
    expect(liveItem.figures[`programme~${pA1}`]!.n).to.equal(30);
    const later = await api(cookieA, 'GET', `/api/meetings/${meetingId}`);
    expect(JSON.stringify((later.json as Json).agenda)).to.equal(JSON.stringify((added.json as Json).agenda));

    // A decision with votes; more votes than voting members present is refused with a reason.
    await api(cookieA, 'PUT', `/api/meetings/${meetingId}/attendance`, { present: [] });
    const council = (await api(cookieA, 'GET', `/api/councils/${world.facultyA}`)).json as { members: { id: string }[] };
    expect((await api(cookieA, 'PUT', `/api/meetings/${meetingId}/attendance`, { present: council.members.slice(0, 2).map((m) => m.id) })).status).to.equal(200);
    const tooMany = await api(cookieA, 'PUT', `/api/meetings/${meetingId}/agenda/${item.id}/decision`, { kind: 'update_programme', rationale: 'r', votes: { for: 3, against: 0, abstain: 0 } });
    expect(tooMany.status).to.equal(409);
    expect((tooMany.json as { error: { message: string } }).error.message).to.include('record the attendance first');
    const decided = await api(cookieA, 'PUT', `/api/meetings/${meetingId}/agenda/${item.id}/decision`, { kind: 'update_programme', unit: pA1, rationale: 'Few see their feedback acted on.', stakeholderComments: 'Student council', votes: { for: 2, against: 0, abstain: 0 } });
    expect(decided.status).to.equal(200);
    const minutes = await call(srv.url, 'GET', `/meetings/${meetingId}/minutes?lang=en`, { cookie: cookieA });
    expect(minutes.status).to.equal(200);
    // Minutes are in the meeting's language whatever the reader's interface language.
    expect(minutes.text).to.include('lang="ru"');
    expect(minutes.text).to.include('Few see their feedback acted on.');
  });

  it("follows an action's target into the next wave: % agree, Wilson and Newcombe intervals, and the Mann–Whitney test, as computed by hand", async () => {
    await answer(srv, world, world.wave1, { agree: 8, disagree: 12 });
    await answer(srv, world, world.wave2, { agree: 16, disagree: 4 }, { seed: 5 });
    const [pA1] = world.programmesA as [string];
    const created = await api(cookieA, 'POST', `/api/councils/${world.facultyA}/actions`, action({ programme: pA1, targets: [{ campaign: world.wave1._id, unit: `programme~${pA1}`, item: 'voice_acted' }] }));
    expect(created.status, JSON.stringify(created.json)).to.equal(201);
    const res = await api(cookieA, 'GET', `/api/actions/${(created.json as Json).id as string}`);
    const f = ((res.json as Json).followUp as Json[])[0] as { state: string; interim: boolean; test: string; before: { value: number; low: number; high: number; n: number }; after: { value: number; low: number; high: number; n: number }; difference: { value: number; low: number; high: number }; p: number; verdict: string };
    expect(f.state).to.equal('compared');
    expect(f.interim).to.equal(true); // wave 2 is still open
    const w1 = wilson(8, 20);
    const w2 = wilson(16, 20);
    expect(f.before).to.include({ n: 20 });
    expect(f.before.value).to.be.closeTo(0.4, 1e-9);
    expect(f.before.low).to.be.closeTo(w1.low, 1e-9);
    expect(f.after.high).to.be.closeTo(w2.high, 1e-9);
    const d = 0.4;
    expect(f.difference.value).to.be.closeTo(d, 1e-9);
    expect(f.difference.low).to.be.closeTo(d - Math.sqrt((w2.p - w2.low) ** 2 + (w1.high - w1.p) ** 2), 1e-9);
    expect(f.difference.high).to.be.closeTo(d + Math.sqrt((w2.high - w2.p) ** 2 + (w1.p - w1.low) ** 2), 1e-9);
    // Mann–Whitney by hand: U = 16·12 + ½(16·8 + 4·12) = 280 of 400 pairs; tie-corrected σ = √(400/12 · (41 − 17880/1560)).
    const sigma = Math.sqrt((400 / 12) * (41 - 17880 / (40 * 39)));
    const z = (280 - 200) / sigma;
    expect(z).to.be.closeTo(2.549, 0.001);
    expect(f.test).to.equal('mann-whitney');
    expect(f.p).to.be.within(0.0105, 0.0115);
    expect(f.verdict).to.equal('improved');

    // The same with no real change: no significant change.
    const flat = await api(cookieA, 'POST', `/api/councils/${world.facultyA}/actions`, action({ targets: [{ campaign: world.wave1._id, unit: `faculty~${world.facultyA}`, item: 'teach_explain' }] }));
    const g = (((await api(cookieA, 'GET', `/api/actions/${(flat.json as Json).id as string}`)).json as Json).followUp as { verdict?: string; state: string }[])[0]!;
    expect(g.state).to.equal('compared');
    expect(g.verdict).to.be.oneOf(['no_significant_change', 'improved', 'worse']);
  });

  it('computes the indicators of a programme as written in their formulas, with n, interval, target and the gate', async () => {
    const [pA1, pA2] = world.programmesA as [string, string];
    // Wave 2 (2025-2026): programme 1 has 20 answers, 15 agreeing with the overall question; cohort 1 has 60 students.
    await answer(srv, world, world.wave2, { agree: 10, disagree: 10, overall: [15, 5] });
    await answer(srv, world, world.wave2, { agree: 2, disagree: 1 }, { programme2: true });
    // A file with a bad line imports nothing and says which line; corrected, it imports.
    const csv = `programme,academic_year,graduates,employed\n6B06101,2025-2026,50,39\n6B06102,2025-2026,4,4\n`;
    const refused = await api(admin, 'POST', '/api/employment/import', { csv: `${csv}6B06101,2025-2026,oops,1\n`, dryRun: false });
    expect(refused.status).to.equal(422);
    expect((refused.json as { error: { details: { line: number; message: string }[] } }).error.details).to.deep.equal([{ line: 4, message: 'graduates: must be a whole number', key: 'imports.problem.wholeNumber', params: { column: 'graduates' } }]);
    const checked = await api(admin, 'POST', '/api/employment/import', { csv: `${csv}6B06101,2025-2026,oops,1\n`, dryRun: true });
    expect(checked.status).to.equal(200);
    expect((checked.json as { problems: unknown[] }).problems).to.have.length(1);
    const imported = await api(admin, 'POST', '/api/employment/import', { csv, dryRun: false });
    expect(imported.status, JSON.stringify(imported.json)).to.equal(200);
    expect((imported.json as { imported: number }).imported).to.equal(2);
    expect((await api(cookieA, 'PUT', '/api/indicator-targets', { programme: pA1, indicator: 'student_satisfaction', target: 0.8 })).status).to.equal(200);
    expect((await api(councilB, 'PUT', '/api/indicator-targets', { programme: pA1, indicator: 'student_satisfaction', target: 0.1 })).status).to.equal(404);

    const res = await api(cookieA, 'GET', `/api/councils/${world.facultyA}/indicators?year=2025-2026`);
    expect(res.status).to.equal(200);
    const programmes = (res.json as { programmes: { programme: string; indicators: { key: string; value: number | null; low: number | null; high: number | null; n: number | null; missing?: string; target?: number; belowTarget: boolean }[] }[] }).programmes;
    const of = (p: string, key: string) => programmes.find((x) => x.programme === p)!.indicators.find((i) => i.key === key)!;
    const sat = of(pA1, 'student_satisfaction');
    const w = wilson(15, 20);
    expect(sat).to.include({ n: 20, target: 0.8, belowTarget: true });
    expect(sat.value).to.be.closeTo(0.75, 1e-9);
    expect(sat.low).to.be.closeTo(w.low, 1e-9);
    expect(sat.high).to.be.closeTo(w.high, 1e-9);
    const official = of(pA1, 'employed_official');
    const e = wilson(39, 50);
    expect(official).to.include({ n: 50 });
    expect(official.value).to.be.closeTo(0.78, 1e-9);
    expect(official.low).to.be.closeTo(e.low, 1e-9);
    // 4 graduates: below k, hidden.
    expect(of(pA2, 'employed_official')).to.include({ value: null, missing: 'hidden' });
    expect(of(pA2, 'student_satisfaction')).to.include({ value: null, missing: 'hidden' });
    // Response rate: 20 responses of programme 1's 115 students (cohorts of 60 and 55): a census, no interval.
    const rate = of(pA1, 'response_rate');
    expect(rate.value).to.be.closeTo(20 / 115, 1e-9);
    expect(rate.low).to.equal(null);
    expect(of(pA1, 'employer_positive')).to.include({ value: null, missing: 'no_data' });

    // The faculty page lists the programme below target as a risk.
    const page = await call(srv.url, 'GET', `/councils/${world.facultyA}?year=2025-2026&lang=en`, { cookie: cookieA });
    expect(page.text).to.include('below the target');
  });

  it('maps every ESG standard the instrument library tags to its questions', async () => {
    const tagged = new Set<string>();
    for (const instrument of await listInstruments(SYSTEM_ACTOR)) {
      if (instrument.publishedVersion === null) continue;
      const def = await getPublishedDefinition(instrument.id, instrument.publishedVersion);
      for (const item of analysableItems(def)) for (const s of item.esg ?? []) tagged.add(`${s}|${instrument.id}|${item.id}`);
    }
    expect(tagged.size).to.be.greaterThan(10);
    const res = await api(admin, 'GET', '/api/esg');
    expect(res.status).to.equal(200);
    const standards = (res.json as { standards: { standard: string; questions: { instrument: string; item: string }[] }[] }).standards;
    expect(standards.map((s) => s.standard)).to.deep.equal(['1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8', '1.9', '1.10']);
    const mapped = new Set(standards.flatMap((s) => s.questions.map((q) => `${s.standard}|${q.instrument}|${q.item}`)));
    expect([...mapped].sort()).to.deep.equal([...tagged].sort());
    const html = await call(srv.url, 'GET', '/esg?lang=kk', { cookie: admin });
    for (const s of new Set([...tagged].map((t) => t.split('|')[0]!))) expect(html.text).to.include(`id="esg-${standards.findIndex((x) => x.standard === s)}"`);
  });

  it('shows "you said, we did" on the published summary it answers and on the next wave\'s first page, in kk, ru and en', async () => {
    await answer(srv, world, world.wave1, { agree: 30, disagree: 20 });
    const [pA1] = world.programmesA as [string];
    const publicText = { kk: 'Сіз айттыңыз — біз жасадық (kk)', ru: 'Вы сказали — мы сделали (ru)', en: 'You said, we did (en)' };
    const created = await api(cookieA, 'POST', `/api/councils/${world.facultyA}/actions`, action({ status: 'done', public: true, publicText, targets: [{ campaign: world.wave1._id, unit: `programme~${pA1}`, item: 'voice_acted' }] }));
    expect(created.status).to.equal(201);
    // A non-public action never shows.
    await api(cookieA, 'POST', `/api/councils/${world.facultyA}/actions`, action({ title: 'internal', public: false, publicText: { kk: 'HIDDEN-kk', ru: 'HIDDEN-ru', en: 'HIDDEN-en' }, targets: [{ campaign: world.wave1._id, unit: `programme~${pA1}`, item: 'voice_acted' }] }));
    await close(world.wave1);
    expect((await api(admin, 'PUT', `/api/campaigns/${world.wave1._id}/published`, { published: true })).status).to.equal(200);
    for (const lang of ['kk', 'ru', 'en'] as const) {
      const published = await call(srv.url, 'GET', `/published/${world.wave1._id}?lang=${lang}`);
      expect(published.status).to.equal(200);
      expect(published.text).to.include(publicText[lang]);
      expect(published.text).to.not.include('HIDDEN');
      const intro = await call(srv.url, 'GET', `/s/${world.wave2.linkId}?lang=${lang}`);
      expect(intro.status).to.equal(200);
      expect(intro.text).to.include(publicText[lang]);
      expect(intro.text).to.not.include('HIDDEN');
    }
    // Not on the first page of the wave it answers.
    expect((await call(srv.url, 'GET', `/s/${world.wave1.linkId}?lang=en`)).text).to.not.include(publicText.en);
  });

  it('takes evidence files through the action page only within the size and type limits, checking the content, not the name', async () => {
    const id = ((await api(cookieA, 'POST', `/api/councils/${world.facultyA}/actions`, action())).json as Json).id as string;
    const upload = async (name: string, type: string, data: Buffer) => {
      const ctx = await formContext(srv.url, `/actions/${id}`, cookieA);
      const form = new FormData();
      form.append('_csrf', ctx.token);
      form.append('file', new Blob([new Uint8Array(data)], { type }), name);
      const res = await fetch(`${srv.url}/actions/${id}/evidence/file`, { method: 'POST', body: form, headers: { cookie: ctx.cookie, origin: srv.url, 'sec-fetch-site': 'same-origin' }, redirect: 'manual' });
      return { status: res.status, location: res.headers.get('location') ?? '' };
    };
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1000, 32)]);
    expect(await upload('minutes <b>.pdf', 'application/pdf', pdf)).to.deep.equal({ status: 303, location: `/actions/${id}?saved=evidence#evidence` });
    // An executable named .pdf, a file over 2 MB, and a type outside the list: each refused, with the reason shown on the page.
    const fake = await upload('report.pdf', 'application/pdf', Buffer.from('MZ\x90\x00 this is not a pdf'));
    expect(fake.location).to.include('error=type');
    const big = await upload('big.pdf', 'application/pdf', Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2 * 1024 * 1024 + 10, 32)]));
    expect(big.status === 413 || big.location.includes('error=size'), JSON.stringify(big)).to.equal(true);
    const exe = await upload('tool.exe', 'application/x-msdownload', Buffer.from('MZ'));
    expect(exe.location).to.include('error=type');
    const page = await call(srv.url, 'GET', `/actions/${id}?error=type&lang=en`, { cookie: cookieA });
    expect(page.text).to.include('PDF, PNG, JPG');

    const stored = (await api(cookieA, 'GET', `/api/actions/${id}`)).json as { evidence: { kind: string; fileId: string; name: string; size: number }[] };
    expect(stored.evidence).to.have.length(1);
    expect(stored.evidence[0]).to.include({ kind: 'file', size: pdf.length });
    expect(stored.evidence[0]!.name).to.not.include('<');
    const download = await fetch(`${srv.url}/api/actions/${id}/files/${stored.evidence[0]!.fileId}`, { headers: { cookie: cookieA } });
    expect(download.status).to.equal(200);
    expect(download.headers.get('content-disposition')).to.match(/^attachment/);
    expect(download.headers.get('x-content-type-options')).to.equal('nosniff');
    const got = Buffer.from(await download.arrayBuffer());
    expect(got.length, got.subarray(0, 40).toString('hex')).to.equal(pdf.length);
    expect(got.equals(pdf)).to.equal(true);
    expect((await fetch(`${srv.url}/api/actions/${id}/files/${stored.evidence[0]!.fileId}`, { headers: { cookie: councilB } })).status).to.equal(404);
  });

  it('refuses hostile or oversized input with a clear 4xx and loses nothing', async () => {
    const created = await api(cookieA, 'POST', `/api/councils/${world.facultyA}/actions`, action({ title: '<script>alert(1)</script> plan' }));
    const id = (created.json as Json).id as string;
    const page = await call(srv.url, 'GET', `/actions/${id}`, { cookie: cookieA });
    expect(page.text).to.not.include('<script>alert(1)</script>');
    expect(page.text).to.include('&lt;script&gt;');
    for (const [method, path, body] of [
      ['GET', '/api/actions/{"$gt":""}'],
      ['GET', `/api/councils/${encodeURIComponent('{"$gt":""}')}`],
      ['POST', `/api/councils/${world.facultyA}/actions`, { ...action(), owner: { $gt: '' } }],
      ['POST', `/api/councils/${world.facultyA}/actions`, { ...action(), dueOn: 'tomorrow' }],
      ['POST', `/api/councils/${world.facultyA}/actions`, { ...action(), title: 'x'.repeat(301) }],
      ['POST', `/api/actions/${id}/evidence/links`, { url: 'javascript:alert(1)', label: 'x' }],
      ['POST', `/api/councils/${world.facultyA}/meetings`, { date: '2026-02-30', title: 'x', lang: 'en' }],
      ['POST', '/api/employment/import', { csv: '=HYPERLINK("x")\n' }],
    ] as [string, string, unknown?][]) {
      const res = await api(method === 'POST' && path.startsWith('/api/employment') ? admin : cookieA, method, path, body);
      expect(res.status, `${method} ${path}`).to.be.within(400, 499);
      const reply = res.json as { error?: { message?: string }; problems?: { message: string }[] };
      expect(reply.error?.message ?? reply.problems?.[0]?.message ?? '', `${method} ${path}`).to.not.equal('');
    }
    const after = await api(cookieA, 'GET', `/api/actions/${id}`);
    expect((after.json as Json).title).to.equal('<script>alert(1)</script> plan');
  });
});
