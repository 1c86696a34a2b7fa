// Figures that need each respondent's answers, not just counts: scale indices and Cronbach's alpha,
// and the open-text comments. One pass over the campaign's responses, cached until new responses
// arrive (marked stale by the write path; a busy campaign is refreshed in the background at most every
// REFRESH_MS and the cached figures say how many responses they are based on). Closing or reopening a
// campaign invalidates its entry at once.
import type { Logger } from 'pino';
import type { Lang } from '../lib/i18n/index.js';
import { effectiveStatus, type CampaignDoc } from '../campaigns/model.js';
import { getPublishedDefinition } from '../instruments/service.js';
import type { Definition } from '../instruments/schema.js';
import { eachResponse, segmentUnits } from '../responses/index.js';
import { analysableItems } from './item-figures.js';
import { ScaleAccumulator } from './stats/index.js';
import type { AlphaResult, MeanInterval } from './stats/index.js';

export const REFRESH_MS = 30_000;
const MAX_COMMENTS_PER_UNIT = 400;

export interface ScaleFigures {
  alpha: AlphaResult;
  index: MeanInterval;
}

export interface Comment {
  item: string;
  text: string;
  lang: Lang;
}

export interface RespondentLevel {
  responses: number;
  computedAt: string;
  /** Responses per unit that these figures are based on. */
  unitN: Record<string, number>;
  /** unit key → scale id → figures */
  scales: Record<string, Record<string, ScaleFigures>>;
  /** unit key → comments (a random sample of at most MAX_COMMENTS_PER_UNIT) */
  comments: Record<string, Comment[]>;
}

export async function computeRespondentLevel(campaign: CampaignDoc, def?: Definition): Promise<RespondentLevel> {
  const definition = def ?? (await getPublishedDefinition(campaign.instrument.id, campaign.instrument.version));
  const items = analysableItems(definition);
  const scales = definition.scales.map((s) => {
    const members = items.filter((i) => i.scale === s.id && (i.type === 'likert' || i.type === 'matrix-row'));
    return { id: s.id, members, reversed: members.map((m) => Boolean(m.reverse)) };
  }).filter((s) => s.members.length >= 2);
  const textItems = items.filter((i) => i.type === 'text');
  const acc = new Map<string, Map<string, ScaleAccumulator>>();
  const comments: Record<string, Comment[]> = {};
  const seen: Record<string, number> = {};
  const unitN: Record<string, number> = {};
  let responses = 0;
  for await (const r of eachResponse(campaign._id)) {
    responses++;
    const units = segmentUnits(r.segment).map((u) => u.key);
    for (const unit of units) unitN[unit] = (unitN[unit] ?? 0) + 1;
    for (const scale of scales) {
      const answers = scale.members.map((m) => (typeof r.answers[m.id] === 'number' ? (r.answers[m.id] as number) : null));
      if (answers.every((a) => a === null)) continue;
      for (const unit of units) {
        let byScale = acc.get(unit);
        if (!byScale) acc.set(unit, (byScale = new Map()));
        let a = byScale.get(scale.id);
        if (!a) byScale.set(scale.id, (a = new ScaleAccumulator(scale.members.length, scale.reversed)));
        a.add(answers);
      }
    }
    for (const item of textItems) {
      const text = r.answers[item.id];
      if (typeof text !== 'string') continue;
      for (const unit of units) {
        // Reservoir sampling keeps a uniform sample of each unit's comments in bounded memory.
        const list = (comments[unit] ??= []);
        const count = (seen[unit] = (seen[unit] ?? 0) + 1);
        const comment = { item: item.id, text, lang: r.lang };
        if (list.length < MAX_COMMENTS_PER_UNIT) list.push(comment);
        else {
          const j = Math.floor(Math.random() * count);
          if (j < MAX_COMMENTS_PER_UNIT) list[j] = comment;
        }
      }
    }
  }
  const scalesOut: RespondentLevel['scales'] = {};
  for (const [unit, byScale] of acc) {
    scalesOut[unit] = {};
    for (const [id, a] of byScale) scalesOut[unit]![id] = { alpha: a.alpha(), index: a.index() };
  }
  return { responses, computedAt: new Date().toISOString(), unitN, scales: scalesOut, comments };
}

/**
 * While a campaign is open, a unit's figures move only when it has gained at least k responses since
 * they were last shown (as released counts do), so comparing two views never isolates one response.
 */
export function stepUnits(previous: RespondentLevel | undefined, next: RespondentLevel, k: number): RespondentLevel {
  if (!previous) return next;
  const merged: RespondentLevel = { ...next, unitN: { ...next.unitN }, scales: { ...next.scales }, comments: { ...next.comments } };
  for (const unit of Object.keys(next.unitN)) {
    const before = previous.unitN[unit];
    if (before !== undefined && next.unitN[unit]! - before < k) {
      merged.unitN[unit] = before;
      if (previous.scales[unit]) merged.scales[unit] = previous.scales[unit]!;
      else delete merged.scales[unit];
      merged.comments[unit] = previous.comments[unit] ?? [];
    }
  }
  return merged;
}

interface Entry {
  value: RespondentLevel;
  /** Open or closed when computed: a change invalidates the entry (closed figures are exact). */
  open: boolean;
  k: number;
  stale: boolean;
  at: number;
}

/** Respondent-level figures per campaign, one per process (built with the app's services). */
export class RespondentLevelCache {
  private entries = new Map<string, Entry>();
  /** Computations in progress, so concurrent readers share one pass over the responses. */
  private running = new Map<string, Promise<RespondentLevel>>();
  /** Bumped by markStale: a computation that started before the last bump is stale when it ends. */
  private generations = new Map<string, number>();

  constructor(
    private readonly logger?: Logger,
    private readonly compute: typeof computeRespondentLevel = computeRespondentLevel,
  ) {}

  /** New responses were stored: the next read refreshes (called from the write path). */
  markStale(campaign: string): void {
    this.generations.set(campaign, (this.generations.get(campaign) ?? 0) + 1);
    const entry = this.entries.get(campaign);
    if (entry) entry.stale = true;
  }

  async of(campaign: CampaignDoc, k: number): Promise<RespondentLevel> {
    const open = effectiveStatus(campaign) !== 'closed';
    let entry = this.entries.get(campaign._id);
    if (entry && (entry.open !== open || entry.k !== k)) {
      this.entries.delete(campaign._id);
      entry = undefined;
    }
    if (!entry) return this.refresh(campaign, k, open);
    // Small campaigns are recomputed before answering; large ones answer from the cache and refresh behind.
    if (entry.stale && entry.value.responses < 5_000) return this.refresh(campaign, k, open);
    if (entry.stale && Date.now() - entry.at > REFRESH_MS) void this.refresh(campaign, k, open).catch(() => undefined);
    return entry.value;
  }

  private refresh(campaign: CampaignDoc, k: number, open: boolean): Promise<RespondentLevel> {
    const key = `${campaign._id}|${open}|${k}`;
    const inProgress = this.running.get(key);
    if (inProgress) return inProgress;
    const generation = this.generations.get(campaign._id) ?? 0;
    const running = this.compute(campaign)
      .then((computed) => {
        const previous = this.entries.get(campaign._id);
        const value = open ? stepUnits(previous?.open === open && previous.k === k ? previous.value : undefined, computed, k) : computed;
        const stale = (this.generations.get(campaign._id) ?? 0) !== generation;
        this.entries.set(campaign._id, { value, open, k, stale, at: Date.now() });
        return value;
      })
      .catch((err: unknown) => {
        // The entry stays stale, so the next read tries again; the error is not swallowed.
        this.logger?.error({ err, campaign: campaign._id }, 'respondent-level figures could not be computed');
        throw err;
      })
      .finally(() => this.running.delete(key));
    this.running.set(key, running);
    return running;
  }
}
