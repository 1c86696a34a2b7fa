// "You said, we did": public actions (their kk/ru/en texts are written to be public) that answer what
// respondents said — shown on the published summary of the campaign they answer, and on the first page of
// the next wave of the same instrument, where it is most likely to raise the response rate. The first page
// is on the respondent's hot path: answers are cached per campaign for a minute (a new public action shows
// within that minute, in every process).
import type { CampaignDoc } from '../campaigns/model.js';
import { findCampaign } from '../campaigns/service.js';
import type { LocalizedText } from '../instruments/schema.js';
import { Action, type ActionDoc } from './model.js';

export interface PublicAction {
  id: string;
  text: LocalizedText;
  status: ActionDoc['status'];
  /** The campaign (wave) the action answers. */
  answers: string;
}

/** What the published summary and the next wave's first page ask for. */
export type PublicActionsFor = (which: { campaign: string } | { nextWave: Pick<CampaignDoc, '_id' | 'instrument' | 'opensAt'> }) => Promise<PublicAction[]>;

const TTL_MS = 60_000;
const cache = new Map<string, { at: number; value: Promise<PublicAction[]> }>();

async function compute(which: Parameters<PublicActionsFor>[0]): Promise<PublicAction[]> {
  // Public actions are few; the filter scans a small collection.
  const docs = (await Action.find({ public: true }).lean()) as ActionDoc[];
  const out: PublicAction[] = [];
  for (const a of docs) {
    if (!a.publicText || a.status === 'cancelled') continue;
    for (const t of a.targets) {
      let matches = false;
      if ('campaign' in which) matches = t.campaign === which.campaign;
      else if (t.instrument === which.nextWave.instrument.id && t.campaign !== which.nextWave._id) {
        const baseline = await findCampaign(t.campaign);
        matches = Boolean(baseline && baseline.closesAt <= which.nextWave.opensAt);
      }
      if (matches) {
        out.push({ id: a._id, text: a.publicText, status: a.status, answers: t.campaign });
        break;
      }
    }
  }
  return out;
}

export const publicActionsFor: PublicActionsFor = (which) => {
  const key = 'campaign' in which ? `c:${which.campaign}` : `n:${which.nextWave._id}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
  const value = compute(which).catch((err: unknown) => {
    cache.delete(key);
    throw err;
  });
  cache.set(key, { at: Date.now(), value });
  return value;
};

/** After a change in this process, show it at once here (other processes within the minute). */
export function forgetPublicActions(): void {
  cache.clear();
}
