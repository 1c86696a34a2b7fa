// Each role's home after signing in: what is running in their scope with responses against the target,
// what needs doing, the latest results — and the live count socket refuses campaigns outside the scope.
import { expect } from 'chai';
import { io as connect, type Socket } from 'socket.io-client';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { createCampaign } from '../../server/campaigns/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { call, createUser, sessionCookie } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';
import { waitFor } from '../support/wait.js';

const DAY = 86_400_000;
const name = (en: string) => ({ kk: `${en} (kk)`, ru: `${en} (ru)`, en });

describe('the staff home', () => {
  let srv: TestServer;
  let world: SurveyWorld;
  before(async () => {
    srv = await startTestServer({}, { realtime: true });
  });
  after(async () => srv.close());

  beforeEach(async () => {
    world = await buildSurveyWorld();
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const random = seededRandom(5);
    const [c1] = world.cohortsA as [string];
    const [pA1] = world.programmesA as [string];
    await srv.services.submissions.storeAccepted(world.campaign, def, Array.from({ length: 31 }, () => ({ answers: syntheticAnswers(def, random, 4), segment: { faculty: world.facultyA, programme: pA1, cohort: c1 }, day: '2026-10-01' })));
    await srv.services.writer.flush();
    // A draft that should have opened yesterday, and a campaign of faculty B only.
    await createCampaign(SYSTEM_ACTOR, { title: name('Late draft'), instrument: { id: 'student-satisfaction', version: 1 }, audience: { kind: 'faculty', ids: [world.facultyA] }, academicYear: '2025-2026', opensAt: new Date(Date.now() - DAY), closesAt: new Date(Date.now() + 20 * DAY), openLinkEnabled: true, openLinkCap: 0 });
    await createCampaign(SYSTEM_ACTOR, { title: name('Faculty B survey'), instrument: { id: 'student-satisfaction', version: 1 }, audience: { kind: 'faculty', ids: [world.facultyB] }, academicYear: '2025-2026', opensAt: new Date(Date.now() - DAY), closesAt: new Date(Date.now() + 2 * DAY), openLinkEnabled: true, openLinkCap: 0 }, 'open');
  });

  it('gives an admin the campaigns with responses against the target and the tasks: a late draft, one closing soon', async () => {
    const admin = sessionCookie(srv.config, await createUser({ role: 'admin' }));
    const page = await call(srv.url, 'GET', '/?lang=en', { cookie: admin });
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Your work');
    expect(page.text).to.not.include('Surveys for quality councils');
    expect(page.text).to.include('31 of 155 responses');
    expect(page.text).to.include('20%');
    expect(page.text).to.match(/Open «Late draft»: it is still a draft/);
    expect(page.text).to.match(/«Faculty B survey» closes on/);
  });

  it('gives a council member only their faculty: no other faculty\'s campaign, no campaign tasks, a link to their council', async () => {
    const council = sessionCookie(srv.config, await createUser({ role: 'council', faculties: [world.facultyA] }));
    const page = await call(srv.url, 'GET', '/?lang=en', { cookie: council });
    expect(page.text).to.include('Student satisfaction 2025');
    expect(page.text).to.not.include('Faculty B survey');
    expect(page.text).to.not.include('Late draft');
    expect(page.text).to.include(`href="/councils/${world.facultyA}"`);
    // Signed out: the public landing page, with the way in.
    const out = await call(srv.url, 'GET', '/?lang=en');
    expect(out.text).to.include('Surveys for quality councils');
    expect(out.text).to.include('href="/login"');
  });

  it('pushes counts of campaigns in scope only over the socket', async () => {
    const cookie = sessionCookie(srv.config, await createUser({ role: 'council', faculties: [world.facultyA] }));
    const socket: Socket = connect(srv.url, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false });
    try {
      await new Promise<void>((resolve, reject) => (socket.on('connect', () => resolve()), socket.on('connect_error', reject)));
      const ok = (await socket.emitWithAck('counts', { campaigns: [world.campaign._id] })) as { ok: boolean; data: { counts: Record<string, number> } };
      expect(ok.ok).to.equal(true);
      expect(ok.data.counts[world.campaign._id]).to.equal(31);
      const { items } = (await call(srv.url, 'GET', '/api/campaigns', { cookie: sessionCookie(srv.config, await createUser({ role: 'admin' })) })).json as { items: { id: string; title: { en: string } }[] };
      const other = items.find((c) => c.title.en === 'Faculty B survey')!.id;
      const refused = (await socket.emitWithAck('counts', { campaigns: [other] })) as { ok: boolean; error: { code: string } };
      expect(refused).to.deep.include({ ok: false });
      expect(refused.error.code).to.equal('not_found');
      expect(((await socket.emitWithAck('counts', { campaigns: [{ $gt: '' }] })) as { ok: boolean }).ok).to.equal(false);
      let pushed = 0;
      socket.on('count', (m: { campaign: string; n: number }) => m.campaign === world.campaign._id && (pushed = m.n));
      const def = await getPublishedDefinition('student-satisfaction', 1);
      const [c1] = world.cohortsA as [string];
      await srv.services.submissions.storeAccepted(world.campaign, def, [{ answers: syntheticAnswers(def, seededRandom(8), 4), segment: { faculty: world.facultyA, programme: world.programmesA[0]!, cohort: c1 }, day: '2026-10-02' }]);
      await srv.services.writer.flush();
      await waitFor('the pushed count', () => (pushed === 32 ? true : undefined));
    } finally {
      socket.close();
    }
  });
});
