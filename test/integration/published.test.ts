// Public summaries of closed campaigns: who may publish and when, what the public sees (the published
// threshold, low-response groups withheld, no comments), and that internal results keep their own k.
import { expect } from 'chai';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { createCampaign, setCampaignStatus, type CampaignInput } from '../../server/campaigns/service.js';
import type { CampaignDoc } from '../../server/campaigns/model.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { call, createUser, formContext, postForm, sessionCookie } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';

const COMMENT = 'private remark 7f3a about a teacher';

const campaignInputOf = (c: CampaignDoc): CampaignInput => ({ title: c.title, instrument: c.instrument, audience: c.audience, academicYear: c.academicYear, opensAt: c.opensAt, closesAt: c.closesAt, ...(c.targetSize ? { targetSize: c.targetSize } : {}), openLinkEnabled: c.openLinkEnabled, openLinkCap: c.openLinkCap });

describe('published summaries', () => {
  let srv: TestServer;
  let world: SurveyWorld;
  let admin: string;
  before(async () => {
    srv = await startTestServer({ SUPPRESSION_K: '5', PUBLISHED_K: '10' });
  });
  after(async () => srv.close());

  beforeEach(async () => {
    world = await buildSurveyWorld({ liveResults: 'counts' });
    admin = sessionCookie(srv.config, await createUser({ role: 'admin', email: `admin.${Date.now()}@test.pikir.kz` }));
  });

  /** Stores responses per cohort: [c1 (size 60), c2 (size 55) of programme 1, c3 (size 40) of programme 2]. */
  async function fill(counts: [number, number, number]): Promise<void> {
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const random = seededRandom(7);
    const [c1, c2, c3] = world.cohortsA as [string, string, string];
    const [pA1, pA2] = world.programmesA as [string, string];
    const group = (programme: string, cohort: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ answers: { ...syntheticAnswers(def, random, 4), change: i === 0 ? COMMENT : 'more practice' }, segment: { faculty: world.facultyA, programme, cohort }, day: '2026-10-01' }));
    await srv.services.submissions.storeAccepted(world.campaign, def, [...group(pA1, c1, counts[0]), ...group(pA1, c2, counts[1]), ...group(pA2, c3, counts[2])]);
    await srv.services.writer.flush();
  }

  const publish = (published: boolean, cookie = admin) => call(srv.url, 'PUT', `/api/campaigns/${world.campaign._id}/published`, { cookie, body: { published } });

  it('publishes only a closed campaign, only by an admin, and records it in the campaign', async () => {
    await fill([60, 12, 25]);
    const open = await publish(true);
    expect(open.status).to.equal(409);
    expect((await call(srv.url, 'GET', `/published/${world.campaign._id}`)).status).to.equal(404);
    await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');
    const council = sessionCookie(srv.config, await createUser({ role: 'council', email: `council.${Date.now()}@test.pikir.kz`, faculties: [world.facultyA] }));
    expect((await publish(true, council)).status).to.equal(403);
    expect((await publish(true, '')).status).to.equal(401);
    const done = await publish(true);
    expect(done.status).to.equal(200);
    expect((done.json as { publishedAt: string | null }).publishedAt).to.match(/^\d{4}-\d\d-\d\dT/);
    const list = await call(srv.url, 'GET', '/published?lang=en');
    expect(list.status).to.equal(200);
    expect(list.text).to.include(`href="/published/${world.campaign._id}"`);
    // While public, the campaign cannot change under its published figures.
    const edit = await call(srv.url, 'PUT', `/api/campaigns/${world.campaign._id}`, { cookie: admin, body: { ...campaignInputOf(world.campaign), closesAt: new Date(Date.now() + 86_400_000).toISOString(), opensAt: world.campaign.opensAt.toISOString() } });
    expect(edit.status).to.equal(409);
    expect((await call(srv.url, 'GET', '/published/NOT-AN-ID!')).status).to.equal(404);
    const down = await publish(false);
    expect((down.json as { publishedAt: string | null }).publishedAt).to.equal(null);
    expect((await call(srv.url, 'GET', `/published/${world.campaign._id}`)).status).to.equal(404);
    expect((await call(srv.url, 'GET', '/published?lang=en')).text).not.to.include(world.campaign._id);
  });

  it('shows the public only groups with a response rate of 50 % or more, and no comments', async () => {
    await fill([60, 12, 25]); // c2: 12 of 55 answered
    await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');
    expect((await publish(true)).status).to.equal(200);
    const [c1, c2, c3] = world.cohortsA as [string, string, string];
    const [pA1, pA2] = world.programmesA as [string, string];

    const page = await call(srv.url, 'GET', `/published/${world.campaign._id}?lang=en`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Student satisfaction 2025');
    expect(page.text).to.include('n = 97');
    expect(page.text).to.include('groups of at least 10 respondents');
    expect(page.text).not.to.include(COMMENT);
    expect(page.text).not.to.include('more practice');
    expect(page.text).not.to.include('<canvas');
    expect(page.text).to.include('<span>6B06101 · 2024</span> <span class="hint">(response rate below 50');
    expect(page.text).not.to.include(`?unit=cohort~${c2}"`);
    for (const [key, n] of [[`cohort~${c1}`, 60], [`programme~${pA1}`, 72], [`programme~${pA2}`, 25], [`cohort~${c3}`, 25]] as const) {
      expect(page.text, key).to.include(`?unit=${key}">`);
      expect(page.text, key).to.match(new RegExp(`\\?unit=${key}">[^<]*</a> <span class="n">n = ${n}</span>`));
    }

    const withheld = await call(srv.url, 'GET', `/published/${world.campaign._id}?unit=cohort~${c2}&lang=en`);
    expect(withheld.status).to.equal(200);
    expect(withheld.text).to.include('so its figures are not published: they may not speak for the group');
    expect(withheld.text).not.to.match(/n = 12\b/);
    expect(withheld.text).not.to.include('result-card');
  });

  it('hides a small group from subtraction at every level, in public and inside', async () => {
    // Programme 2 has 2 answers. Programme 1 (90) must then be hidden too, and so must its cohorts
    // (50 and 40): otherwise faculty − cohort 1 − cohort 2 = programme 2.
    await fill([50, 40, 2]);
    await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');
    expect((await publish(true)).status).to.equal(200);
    const [pA1, pA2] = world.programmesA as [string, string];
    const page = await call(srv.url, 'GET', `/published/${world.campaign._id}?lang=en`);
    expect(page.text).to.include('n = 92');
    expect(page.text).not.to.match(/n = (90|50|40|2)\b/);
    const small = await call(srv.url, 'GET', `/published/${world.campaign._id}?unit=programme~${pA2}&lang=en`);
    expect(small.text).to.include('Fewer than 10 people answered in this group');

    // Inside (k = 5) the same: what is visible never leaves fewer than k by subtraction.
    const internal = await call(srv.url, 'GET', `/api/campaigns/${world.campaign._id}/results?unit=faculty~${world.facultyA}`, { cookie: admin });
    expect(internal.status).to.equal(200);
    const units = (internal.json as { units: { key: string; parent?: string; n: number | null }[] }).units;
    expect(units.find((u) => u.key === `programme~${pA2}`)?.n).to.equal(null);
    expect(units.find((u) => u.key === `programme~${pA1}`)?.n).to.equal(null);
    for (const parent of units.filter((u) => u.n !== null)) {
      const visibleKids = units.filter((u) => u.parent === parent.key && u.n !== null);
      const residue = parent.n! - visibleKids.reduce((sum, u) => sum + u.n!, 0);
      expect(residue === 0 || residue >= 5, `${parent.key} − visible parts = ${residue}`).to.equal(true);
    }
    for (const u of units) if (u.parent && units.find((p) => p.key === u.parent)?.n === null) expect(u.n, `${u.key} is part of a hidden unit`).to.equal(null);
  });

  it('does not even show the total when fewer than PUBLISHED_K answered', async () => {
    const small = { campaign: await createCampaign(SYSTEM_ACTOR, { ...campaignInputOf(world.campaign), title: { kk: 'Шағын', ru: 'Малый', en: 'Small survey' } }, 'open') };
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const segment = { faculty: world.facultyA, programme: world.programmesA[0]!, cohort: world.cohortsA[0]! };
    await srv.services.submissions.storeAccepted(small.campaign, def, Array.from({ length: 6 }, () => ({ answers: syntheticAnswers(def, seededRandom(3), 4), segment, day: '2026-10-01' })));
    await srv.services.writer.flush();
    await setCampaignStatus(SYSTEM_ACTOR, small.campaign._id, 'closed');
    expect((await call(srv.url, 'PUT', `/api/campaigns/${small.campaign._id}/published`, { cookie: admin, body: { published: true } })).status).to.equal(200);
    const page = await call(srv.url, 'GET', `/published/${small.campaign._id}?lang=en`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('<p class="stat__value">&lt; 10</p>');
    expect(page.text).not.to.match(/n = 6\b|>6</);
    expect(page.text).to.include('Fewer than 10 people answered in this group');
    expect(page.text).not.to.include('result-card');
  });

  it('publishes and takes down from the campaign page with its form token', async () => {
    await fill([60, 12, 25]);
    await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');
    // The campaign page leads to the preview of the public page, which holds the publish form.
    const campaignPage = await call(srv.url, 'GET', `/campaigns/${world.campaign._id}?lang=ru`, { cookie: admin });
    expect(campaignPage.text).to.include(`href="/campaigns/${world.campaign._id}/publish"`);
    const ctx = await formContext(srv.url, `/campaigns/${world.campaign._id}/publish?lang=ru`, admin);
    expect(ctx.html).to.include('Опубликовать сводку');
    expect(ctx.html).to.include('Перед публикацией: что увидят все');
    const refused = await postForm(srv.url, `/campaigns/${world.campaign._id}/publish`, ctx.cookie, { _csrf: 'wrong' });
    expect(refused.status).to.equal(403);
    const res = await postForm(srv.url, `/campaigns/${world.campaign._id}/publish`, ctx.cookie, { _csrf: ctx.token });
    expect(res.status).to.equal(303);
    const after = await call(srv.url, 'GET', `/campaigns/${world.campaign._id}?done=published&lang=ru`, { cookie: admin });
    expect(after.text).to.include('Сводка опубликована.');
    expect(after.text).to.include(`/published/${world.campaign._id}`);
    expect((await call(srv.url, 'GET', `/published/${world.campaign._id}?lang=kk`)).text).to.include('Топтар');
    const down = await postForm(srv.url, `/campaigns/${world.campaign._id}/unpublish`, ctx.cookie, { _csrf: ctx.token });
    expect(down.status).to.equal(303);
    expect((await call(srv.url, 'GET', `/published/${world.campaign._id}`)).status).to.equal(404);
  });
});
