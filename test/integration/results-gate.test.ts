// The suppression gate through the results API: groups below k, and figures of one item, are never
// recoverable by subtracting what is visible (the item gate runs on the numbers who answered the item).
import { expect } from 'chai';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { setCampaignStatus } from '../../server/campaigns/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { call, createUser, sessionCookie } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildSurveyWorld } from '../support/survey-fixtures.js';

type Figures = { kind: string; n?: number };
type Results = { units: { key: string; n: number | null }[]; items: { id: string; figures: Record<string, Figures> }[] };

describe('the suppression gate in the results API', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ SUPPRESSION_K: '5' });
  });
  after(async () => srv.close());

  it('suppresses an item in a visible group when the parent minus that group would leave fewer than k answers', async () => {
    // Exact finals at the static gate: counts only while open (live figures add the cut rules, tested apart).
    const world = await buildSurveyWorld({ liveResults: 'counts' });
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const random = seededRandom(21);
    const [c1, , c3] = world.cohortsA as [string, string, string];
    const [pA1, pA2] = world.programmesA as [string, string];
    const answers = (answered: boolean) => {
      const a = syntheticAnswers(def, random, 4);
      if (answered) a.teach_explain = 4;
      else delete a.teach_explain;
      return a;
    };
    // Programme 1: 15 responses, 13 answer teach_explain; programme 2: 5 responses, 2 answer it.
    const responses = [
      ...Array.from({ length: 15 }, (_, i) => ({ answers: answers(i < 13), segment: { faculty: world.facultyA, programme: pA1, cohort: c1 }, day: '2026-10-01' })),
      ...Array.from({ length: 5 }, (_, i) => ({ answers: answers(i < 2), segment: { faculty: world.facultyA, programme: pA2, cohort: c3 }, day: '2026-10-01' })),
    ];
    await srv.services.submissions.storeAccepted(world.campaign, def, responses);
    await srv.services.writer.flush();
    await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');
    const admin = sessionCookie(srv.config, await createUser({ role: 'admin', email: `admin.gate.${Date.now()}@test.pikir.kz` }));

    const res = await call(srv.url, 'GET', `/api/campaigns/${world.campaign._id}/results?unit=faculty~${world.facultyA}`, { cookie: admin });
    expect(res.status).to.equal(200);
    const results = res.json as Results;
    // Both programmes are shown as groups (15 and 5 responses, residue 0).
    expect(results.units.find((u) => u.key === `programme~${pA1}`)?.n).to.equal(15);
    expect(results.units.find((u) => u.key === `programme~${pA2}`)?.n).to.equal(5);
    const item = results.items.find((i) => i.id === 'teach_explain')!;
    expect(item.figures[`faculty~${world.facultyA}`]).to.include({ kind: 'scale', n: 15 });
    // Programme 2 has 2 answers (below k), and programme 1's 13 would reveal them as 15 − 13.
    expect(item.figures[`programme~${pA2}`]).to.deep.equal({ kind: 'suppressed', reason: 'small' });
    // …and programme 1 says why it is hidden: not too small, but protecting programme 2.
    expect(item.figures[`programme~${pA1}`]).to.deep.equal({ kind: 'suppressed', reason: 'protects' });
    // An item everyone answered stays visible in both.
    const other = results.items.find((i) => i.id === 'teach_engage')!;
    expect(other.figures[`programme~${pA1}`]?.kind).to.equal('scale');
    expect(other.figures[`programme~${pA2}`]?.kind).to.equal('scale');
  });
  it('keeps scale indices of sensitive (integrity) items at faculty level and above', async () => {
    const world = await buildSurveyWorld({ instrument: 'integrity' });
    const def = await getPublishedDefinition('integrity', 1);
    const random = seededRandom(8);
    const [c1] = world.cohortsA as [string];
    const [pA1] = world.programmesA as [string];
    await srv.services.submissions.storeAccepted(world.campaign, def, Array.from({ length: 30 }, () => ({ answers: syntheticAnswers(def, random, 3.5), segment: { faculty: world.facultyA, programme: pA1, cohort: c1 }, day: '2026-10-01' })));
    await srv.services.writer.flush();
    await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');
    const admin = sessionCookie(srv.config, await createUser({ role: 'admin', email: `admin.scales.${Date.now()}@test.pikir.kz` }));
    type Scales = { scales: { id: string; index: { n: number } | null }[] };
    const faculty = await call(srv.url, 'GET', `/api/campaigns/${world.campaign._id}/scales?unit=faculty~${world.facultyA}`, { cookie: admin });
    expect(faculty.status).to.equal(200);
    expect((faculty.json as Scales).scales.filter((sc) => sc.index).length).to.be.greaterThan(0);
    const programme = await call(srv.url, 'GET', `/api/campaigns/${world.campaign._id}/scales?unit=programme~${pA1}`, { cookie: admin });
    expect(programme.status).to.equal(200);
    expect((programme.json as Scales).scales.map((sc) => sc.index)).to.deep.equal((programme.json as Scales).scales.map(() => null));
  });

  it('shows a council member the university only when what lies outside their faculty is not one other faculty', async () => {
    const world = await buildSurveyWorld({ audience: 'university', liveResults: 'counts' });
    const def = await getPublishedDefinition('student-satisfaction', 1);
    const random = seededRandom(31);
    const [c1] = world.cohortsA as [string];
    const [pA1] = world.programmesA as [string];
    const group = (segment: Record<string, string>, count: number) => Array.from({ length: count }, () => ({ answers: syntheticAnswers(def, random, 3.5), segment, day: '2026-10-01' }));
    await srv.services.submissions.storeAccepted(world.campaign, def, [...group({ faculty: world.facultyA, programme: pA1, cohort: c1 }, 20), ...group({ faculty: world.facultyB, programme: world.programmeB }, 12)]);
    await srv.services.writer.flush();
    await setCampaignStatus(SYSTEM_ACTOR, world.campaign._id, 'closed');
    const council = sessionCookie(srv.config, await createUser({ role: 'council', faculties: [world.facultyA], email: `council.scope.${Date.now()}@test.pikir.kz` }));
    const admin = sessionCookie(srv.config, await createUser({ role: 'admin', email: `admin.scope.${Date.now()}@test.pikir.kz` }));
    type Scoped = Results & { units: { key: string; n: number | null; reason?: string }[] };
    // University minus faculty A would be faculty B exactly: the council member does not get the university.
    const mine = (await call(srv.url, 'GET', `/api/campaigns/${world.campaign._id}/results?unit=faculty~${world.facultyA}`, { cookie: council })).json as Scoped;
    expect(mine.units.find((u) => u.key === 'university')).to.include({ n: null, reason: 'scope' });
    expect(mine.units.find((u) => u.key === `faculty~${world.facultyA}`)?.n).to.equal(20);
    for (const item of mine.items) expect(item.figures.university, item.id).to.deep.equal({ kind: 'suppressed', reason: 'scope' });
    const admins = (await call(srv.url, 'GET', `/api/campaigns/${world.campaign._id}/results`, { cookie: admin })).json as Scoped;
    expect(admins.units.find((u) => u.key === 'university')?.n).to.equal(32);
  });
});
