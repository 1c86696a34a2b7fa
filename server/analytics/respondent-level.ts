// Figures that need each respondent's answers, not just counts: scale indices and Cronbach's alpha,
// and the open-text comments. One pass over the campaign's responses, cached until new responses
// arrive (a busy campaign is refreshed in the background at most every REFRESH_MS and the cached
// figures say how many responses they are based on).
import { effectiveStatus, type CampaignDoc } from '../campaigns/model.js';
import { getPublishedDefinition } from '../instruments/service.js';
import type { Definition } from '../instruments/schema.js';
import { responsesCollection, type ResponseDoc } from '../respond/responses.js';
import { safeKey } from './aggregates/increments.js';
import { analysableItems } from './item-figures.js';
import { ScaleAccumulator } from './stats/index.js';
import type { AlphaResult, MeanInterval } from './stats/index.js';
import { unitKey } from './units.js';

export const REFRESH_MS = 30_000;
const MAX_COMMENTS_PER_UNIT = 400;

export interface ScaleFigures {
  alpha: AlphaResult;
  index: MeanInterval;
}

export interface Comment {
  item: string;
  text: string;
  lang: 'kk' | 'ru' | 'en';
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

function unitKeysOf(r: ResponseDoc): string[] {
  const keys = ['university'];
  if (r.segment.faculty) keys.push(unitKey('faculty', r.segment.faculty));
  if (r.segment.programme) keys.push(unitKey('programme', r.segment.programme));
  if (r.segment.cohort) keys.push(unitKey('cohort', r.segment.cohort));
  if (r.segment.discipline) keys.push(unitKey('discipline', r.segment.discipline));
  return keys.map((k) => (k.includes('~') ? `${k.split('~')[0]}~${safeKey(k.split('~')[1]!)}` : k));
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
  for await (const r of responsesCollection(campaign._id).find({}, { batchSize: 2000 }) as AsyncIterable<ResponseDoc>) {
    responses++;
    const units = unitKeysOf(r);
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

const cache = new Map<string, { value: RespondentLevel; stale: boolean; at: number; running?: Promise<RespondentLevel> }>();

/** Marks a campaign's respondent-level figures stale (called when new responses are flushed). */
export function invalidateRespondentLevel(campaign: string): void {
  const entry = cache.get(campaign);
  if (entry) entry.stale = true;
}

export async function respondentLevel(campaign: CampaignDoc, k: number): Promise<RespondentLevel> {
  const entry = cache.get(campaign._id);
  const open = effectiveStatus(campaign) !== 'closed';
  const refresh = () => {
    const running = computeRespondentLevel(campaign).then((computed) => {
      const value = open ? stepUnits(cache.get(campaign._id)?.value, computed, k) : computed;
      cache.set(campaign._id, { value, stale: false, at: Date.now() });
      return value;
    });
    const current = cache.get(campaign._id);
    if (current) current.running = running;
    return running;
  };
  if (!entry) {
    const value = await refresh();
    return value;
  }
  if (entry.stale && !entry.running && Date.now() - entry.at > REFRESH_MS) void refresh().catch(() => undefined);
  if (entry.stale && !entry.running && entry.value.responses < 5_000) return refresh();
  return entry.value;
}
