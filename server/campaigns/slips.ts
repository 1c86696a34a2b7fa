// Printed slips: N single-use tokens for one group (usually a cohort), returned once in plain text for
// printing. The segment is checked against the structure and the campaign's audience, so a response
// given with a slip counts where the slip says; the audit entry records how many, never the tokens.
import type { Actor } from '../accounts/actor.js';
import { recordAudit } from '../audit/service.js';
import { badRequest, forbidden } from '../lib/errors.js';
import type { Segment } from '../responses/segment.js';
import type { CampaignDoc } from './model.js';
import { orgView } from './org-view.js';
import { getCampaign } from './service.js';
import { issueSlipTokens } from './tokens.js';

export const MAX_SLIPS = 5000;

const segmentError = (message: string) => badRequest(message, [{ path: 'segment', message }]);

/** Completes a segment from the structure (a cohort names its programme and faculty) and checks it fits the campaign. */
export async function slipSegment(campaign: CampaignDoc, input: Segment): Promise<Segment> {
  const org = await orgView();
  const segment: Segment = {};
  if (input.cohort) {
    const cohort = org.cohorts.find((c) => c.id === input.cohort);
    if (!cohort) throw segmentError(`Unknown cohort: ${input.cohort}.`);
    if (input.programme && input.programme !== cohort.programme) throw segmentError('The cohort belongs to another programme.');
    segment.cohort = cohort.id;
    segment.programme = cohort.programme;
  } else if (input.programme) segment.programme = input.programme;
  if (segment.programme) {
    const programme = org.programmes.find((p) => p.id === segment.programme);
    if (!programme) throw segmentError(`Unknown programme: ${segment.programme}.`);
    if (input.faculty && input.faculty !== programme.faculty) throw segmentError('The programme belongs to another faculty.');
    segment.faculty = programme.faculty;
  } else if (input.faculty) {
    if (!org.faculties.some((f) => f.id === input.faculty)) throw segmentError(`Unknown faculty: ${input.faculty}.`);
    segment.faculty = input.faculty;
  }
  if (input.discipline) {
    if (!org.disciplines.some((d) => d.id === input.discipline)) throw segmentError(`Unknown discipline: ${input.discipline}.`);
    segment.discipline = input.discipline;
  }

  const outside = () => segmentError('This group is not part of the campaign\u2019s audience.');
  if (segment.programme && !campaign.programmes.includes(segment.programme)) throw outside();
  if (segment.faculty && campaign.faculties.length && !campaign.faculties.includes(segment.faculty)) throw outside();
  if (campaign.audience.kind === 'cohort' && segment.cohort && !campaign.audience.ids.includes(segment.cohort)) throw outside();
  if (segment.discipline && campaign.audience.kind === 'discipline' && !campaign.audience.ids.includes(segment.discipline)) throw outside();
  return segment;
}

/** Issues `count` slips; the plain tokens exist only in the returned array. */
export async function issueSlips(actor: Actor, campaignId: string, count: number, input: Segment = {}): Promise<{ campaign: CampaignDoc; segment: Segment; tokens: string[] }> {
  if (actor.role !== 'admin') throw forbidden('Only the quality-assurance department (admins) can issue tokens.');
  const campaign = await getCampaign(actor, campaignId);
  if (campaign.status === 'closed') throw badRequest('This campaign is closed; slips for it could not be used.');
  const segment = await slipSegment(campaign, input);
  const tokens = await issueSlipTokens(actor, campaignId, count, segment);
  await recordAudit(actor, { action: 'issue_tokens', entity: 'campaigns', entityId: campaignId, after: { count, segment } });
  return { campaign, segment, tokens };
}
