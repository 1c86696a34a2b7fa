// Two waves of the student satisfaction survey in faculty A, with answers chosen so every figure the council
// pages show can be computed by hand in the test.
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import type { CampaignDoc } from '../../server/campaigns/model.js';
import { createCampaign, setCampaignStatus } from '../../server/campaigns/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import type { TestServer } from '../support/server.js';
import { buildSurveyWorld, type SurveyWorld } from '../support/survey-fixtures.js';

const DAY = 86_400_000;
const name = (en: string) => ({ kk: `${en} (kk)`, ru: `${en} (ru)`, en });

export interface TwoWaves extends SurveyWorld {
  wave1: CampaignDoc;
  wave2: CampaignDoc;
}

/** Wave 1 (2024-2025, closed) and wave 2 (2025-2026, open) of student-satisfaction for faculty A. */
export async function buildTwoWaves(): Promise<TwoWaves> {
  const world = await buildSurveyWorld({ opensAt: new Date(Date.now() - 200 * DAY), closesAt: new Date(Date.now() + 200 * DAY), liveResults: 'figures' });
  // buildSurveyWorld opens its campaign; wave 1 is a separate, earlier, closed campaign of the same instrument.
  const wave1 = await createCampaign(
    SYSTEM_ACTOR,
    { title: name('Student satisfaction 2024'), instrument: { id: 'student-satisfaction', version: 1 }, audience: { kind: 'faculty', ids: [world.facultyA] }, academicYear: '2024-2025', opensAt: new Date(Date.now() - 400 * DAY), closesAt: new Date(Date.now() - 300 * DAY), openLinkEnabled: true, openLinkCap: 0, liveResults: 'counts' },
    'open',
  );
  return { ...world, wave1, wave2: world.campaign };
}

/**
 * Stores `agree` responses answering 4 and `disagree` answering 2 to `item` (other items random), in one
 * cohort of programme 1 — or of programme 2 with `programme2`.
 */
export async function answer(srv: TestServer, world: TwoWaves, campaign: CampaignDoc, counts: { agree: number; disagree: number; overall?: [number, number] }, options: { programme2?: boolean; item?: string; seed?: number } = {}): Promise<void> {
  const def = await getPublishedDefinition('student-satisfaction', 1);
  const random = seededRandom(options.seed ?? 3);
  const [c1, , c3] = world.cohortsA as [string, string, string];
  const [pA1, pA2] = world.programmesA as [string, string];
  const segment = options.programme2 ? { faculty: world.facultyA, programme: pA2, cohort: c3 } : { faculty: world.facultyA, programme: pA1, cohort: c1 };
  const item = options.item ?? 'voice_acted';
  const total = counts.agree + counts.disagree;
  const [overallAgree] = counts.overall ?? [0, 0];
  const responses = Array.from({ length: total }, (_, i) => {
    const answers = syntheticAnswers(def, random, 4);
    answers[item] = i < counts.agree ? 4 : 2;
    if (counts.overall) answers.overall_sat = i < overallAgree ? 5 : 1;
    return { answers, segment, day: '2026-10-01' };
  });
  await srv.services.submissions.storeAccepted(campaign, def, responses);
  await srv.services.writer.flush();
}

export async function close(campaign: CampaignDoc): Promise<void> {
  if (campaign.closesAt.getTime() > Date.now()) await setCampaignStatus(SYSTEM_ACTOR, campaign._id, 'closed');
}

/** Wilson's score interval at 95 % (z = 1.96, as the README's statistics table says), written out here so the test does not lean on the code it checks. */
export function wilson(x: number, n: number): { p: number; low: number; high: number } {
  const z = 1.96;
  const p = x / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = ((z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n)));
  return { p, low: centre - half, high: centre + half };
}
