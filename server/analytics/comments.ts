// The open comments of a closed campaign, per group: one pass over its responses (a random sample of at
// most MAX_COMMENTS_PER_UNIT per group, in bounded memory), cached per campaign until new responses are
// stored (marked stale by the write path). Comments are individual texts, not counters, so they are shown
// only once the campaign has closed, from its final responses, through the gate's comment rule.
import type { Logger } from 'pino';
import { effectiveStatus, type CampaignDoc } from '../campaigns/model.js';
import { getPublishedDefinition } from '../instruments/service.js';
import { segmentKey, segmentUnits } from '../responses/segment.js';
import { eachResponse } from '../responses/store.js';
import { analysableItems } from './item-figures.js';

const MAX_COMMENTS_PER_UNIT = 400;

export interface Comment {
  item: string;
  text: string;
}

export interface RespondentLevel {
  responses: number;
  /** Respondents per unit key. */
  unitN: Record<string, number>;
  /** unit key → comments (a random sample of at most MAX_COMMENTS_PER_UNIT) */
  comments: Record<string, Comment[]>;
}

export async function computeRespondentLevel(campaign: CampaignDoc): Promise<RespondentLevel> {
  const definition = await getPublishedDefinition(campaign.instrument.id, campaign.instrument.version);
  const textItems = analysableItems(definition).filter((i) => i.type === 'text');
  const comments: Record<string, Comment[]> = {};
  const seen: Record<string, number> = {};
  const unitN: Record<string, number> = {};
  let responses = 0;
  // Only the segment and the open answers are read; each segment's units are worked out once (segments are few).
  const unitsOf = new Map<string, string[]>();
  for await (const r of eachResponse(campaign._id, ['segment', ...textItems.map((i) => `answers.${i.id}` as const)])) {
    responses++;
    const key = segmentKey(r.segment);
    let units = unitsOf.get(key);
    if (!units) unitsOf.set(key, (units = segmentUnits(r.segment).map((u) => u.key)));
    for (const unit of units) unitN[unit] = (unitN[unit] ?? 0) + 1;
    for (const item of textItems) {
      const text = r.answers[item.id];
      if (typeof text !== 'string') continue;
      for (const unit of units) {
        // Reservoir sampling keeps a uniform sample of each unit's comments in bounded memory.
        const list = (comments[unit] ??= []);
        const count = (seen[unit] = (seen[unit] ?? 0) + 1);
        const comment = { item: item.id, text };
        if (list.length < MAX_COMMENTS_PER_UNIT) list.push(comment);
        else {
          const j = Math.floor(Math.random() * count);
          if (j < MAX_COMMENTS_PER_UNIT) list[j] = comment;
        }
      }
    }
  }
  return { responses, unitN, comments };
}

/** Comments of closed campaigns, one cache per process (built with the app's services). */
export class CommentsCache {
  private entries = new Map<string, { value: RespondentLevel; stale: boolean }>();
  /** Computations in progress, so concurrent readers share one pass over the responses. */
  private running = new Map<string, Promise<RespondentLevel>>();
  /** Bumped by markStale: a computation that started before the last bump is stale when it ends. */
  private generations = new Map<string, number>();

  constructor(
    private readonly logger?: Logger,
    private readonly compute: typeof computeRespondentLevel = computeRespondentLevel,
  ) {}

  /** New responses were stored: the next read recomputes (called from the write path). */
  markStale(campaign: string): void {
    this.generations.set(campaign, (this.generations.get(campaign) ?? 0) + 1);
    const entry = this.entries.get(campaign);
    if (entry) entry.stale = true;
  }

  /** The comments of a closed campaign; undefined while it is open (comments wait for closing). */
  async of(campaign: CampaignDoc): Promise<RespondentLevel | undefined> {
    if (effectiveStatus(campaign) !== 'closed') return undefined;
    const entry = this.entries.get(campaign._id);
    if (entry && !entry.stale) return entry.value;
    const inProgress = this.running.get(campaign._id);
    if (inProgress) return inProgress;
    const generation = this.generations.get(campaign._id) ?? 0;
    const running = this.compute(campaign)
      .then((value) => {
        this.entries.set(campaign._id, { value, stale: (this.generations.get(campaign._id) ?? 0) !== generation });
        return value;
      })
      .catch((err: unknown) => {
        // Nothing is cached, so the next read tries again; the error is not swallowed.
        this.logger?.error({ err, campaign: campaign._id }, 'the comments of a campaign could not be read');
        throw err;
      })
      .finally(() => this.running.delete(campaign._id));
    this.running.set(campaign._id, running);
    return running;
  }
}
