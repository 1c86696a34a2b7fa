// The anonymous response-level export: one row per response, for the QA department's own analyses.
// What it keeps apart, as the anonymity design does (README "Anonymity", THREATS.md):
//  - who: admins only (the QA department); councils and programme leaders get the aggregates;
//  - when: only after the survey has closed, and only for surveys that never released live figures (with
//    live cuts, the rows of a group minus its last live figures would be its late responses, which the
//    final view leaves out for exactly that reason); exports taken at two moments cannot differ;
//  - what: each row's unit and its answers to questions with choices, points and numbers. No day, no
//    language, no id, no open text ("other, please specify" included: a comment beside a person's answers
//    can name them; comments are in the report and the aggregates, masked and apart from the answers);
//  - where: the unit gate decides the unit a row is labelled with, and which answers it shows
//    (response-gate.ts); rows with nothing left to show are left out and counted;
//  - order: rows are sorted by unit and answers, never in the order they were stored (on MongoDB that is
//    the order of submission).
// Reading the responses is a scan of this campaign's collection: it runs as a report job (service.ts), never
// on a page's request; the scan and the sort let the event loop in as they go.
import type { Actor } from '../accounts/actor.js';
import { effectiveStatus } from '../campaigns/model.js';
import { orgView } from '../campaigns/org-view.js';
import { getCampaign } from '../campaigns/service.js';
import { getPublishedDefinition } from '../instruments/service.js';
import type { Lang } from '../lib/i18n/index.js';
import { translate } from '../lib/i18n/index.js';
import { AppError, conflict, forbidden } from '../lib/errors.js';
import type { Analytics } from '../analytics/service.js';
import { analysableItems, type ItemMeta } from '../analytics/item-figures.js';
import { readRelease } from '../analytics/releases.js';
import { campaignUnits, treeOrder, type ResultUnit } from '../analytics/units.js';
import { segmentKey, segmentUnits } from '../responses/segment.js';
import { eachResponse } from '../responses/store.js';
import type { StoredAnswer } from '../responses/answers.js';
import { yielder } from './aggregates.js';
import { mergeRuns, sortInRuns } from './sorted-runs.js';
import { responseGate } from './response-gate.js';

export type AnswerCell = number | string | null;

export interface ResponseLevel {
  /** The campaign's title and year, for the file name and the explanation sheet. */
  title: string;
  academicYear: string;
  k: number;
  /** Column heads: the unit columns, then one per item shown anywhere. */
  unitColumns: string[];
  items: ItemMeta[];
  /** Sorted rows, made as they are written (a second copy of 100,000 rows never sits in memory): unit names
   *  (the labelled unit and its ancestors), then answers (null: not shown or not answered). */
  rows(): Generator<AnswerCell[]>;
  rowCount: number;
  /** Responses left out (their group is hidden everywhere, or nothing of theirs may be shown). */
  left: number;
  total: number;
}

/** Does the answer count in the item's figure (its n)? As item-figures.ts counts it. */
function isAnswered(meta: ItemMeta, value: StoredAnswer | undefined): boolean {
  if (value === undefined) return false;
  if (meta.type === 'multiple') return Array.isArray(value);
  if (meta.type === 'single') return typeof value === 'string';
  if (meta.range) return typeof value === 'number' && value >= meta.range.min && value <= meta.range.max;
  if (meta.type === 'nps') return typeof value === 'number';
  return typeof value === 'number';
}

const cellOf = (value: StoredAnswer | undefined): AnswerCell => (value === undefined ? null : Array.isArray(value) ? [...value].sort().join(';') : value);

/** Checks who and when (403, 409) before anything is read. */
export async function assertResponseLevelAllowed(actor: Actor, campaignId: string) {
  if (actor.role !== 'admin') throw forbidden('Response-level data is for the quality-assurance department (admins) only; councils and programme leaders export the aggregates.');
  const campaign = await getCampaign(actor, campaignId);
  if (effectiveStatus(campaign) !== 'closed') throw conflict('Response-level data is exported only after the survey has closed: two exports taken while answers arrive would differ by the newest responses.', 'not_closed');
  if ((await readRelease(campaign._id)).cuts > 0) {
    throw conflict('This survey showed live figures while it was open: its rows, less the figures shown then, would reveal the late responses the final view leaves out. Response-level data is available for surveys that show response counts only while open (campaign form, "While the survey is open").', 'live_figures_shown');
  }
  return campaign;
}

/** How far a response-level scan has come (responses read so far), for a report job's progress. */
export type ReadProgress = (read: number) => void;

export async function responseLevel(analytics: Analytics, actor: Actor, campaignId: string, lang: Lang, progress?: ReadProgress): Promise<ResponseLevel> {
  const campaign = await assertResponseLevelAllowed(actor, campaignId);
  const definition = await getPublishedDefinition(campaign.instrument.id, campaign.instrument.version);
  const units = campaignUnits(campaign, await orgView());
  const byKey = new Map(units.map((u) => [u.key, u]));
  const items = analysableItems(definition).filter((i) => i.type !== 'text');
  const k = analytics.k;

  // One pass: each response's path in the tree and its answers. Segments are few: each one's path is
  // worked out once, and responses are counted per path (and per path × item answered); the counts per
  // unit are summed from those afterwards. Only the segment and the answers are read (no id, no day).
  const paths: string[][] = [];
  const pathOf = new Map<string, number>();
  const pathN: number[] = [];
  const pathAnswered: number[][] = [];
  const raw: ({ path: number; answers: AnswerCell[] } | undefined)[] = [];
  for await (const r of eachResponse(campaign._id, ['segment', 'answers'])) {
    const key = segmentKey(r.segment);
    let path = pathOf.get(key);
    if (path === undefined) {
      path = paths.push(segmentUnits(r.segment).map((u) => u.key).filter((unit) => byKey.has(unit))) - 1;
      pathOf.set(key, path);
      pathN.push(0);
      pathAnswered.push(items.map(() => 0));
    }
    pathN[path]!++;
    const answered = pathAnswered[path]!;
    const answers: AnswerCell[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      const value = r.answers[items[i]!.id];
      if (isAnswered(items[i]!, value)) answered[i]!++;
      answers[i] = cellOf(value);
    }
    raw.push({ path, answers });
    if (progress && raw.length % PROGRESS_EVERY === 0) progress(raw.length);
  }
  progress?.(raw.length);
  const n = new Map<string, number>();
  const answeredIn = items.map(() => new Map<string, number>());
  paths.forEach((keys, p) => {
    for (const key of keys) {
      n.set(key, (n.get(key) ?? 0) + pathN[p]!);
      items.forEach((_, i) => answeredIn[i]!.set(key, (answeredIn[i]!.get(key) ?? 0) + pathAnswered[p]![i]!));
    }
  });

  // The unit counts must be the ones the dashboard gates (aggregates rebuilt from these same responses).
  const results = await analytics.resultsFor(actor, campaign, { unit: 'university' });
  for (const u of results.units) {
    if (u.n !== null && u.n !== (n.get(u.key) ?? 0)) throw new AppError(409, 'aggregates_differ', 'The stored responses and the figures disagree (the aggregates are being rebuilt); try again in a minute, or recompute the campaign.');
  }

  const gate = responseGate({ units, n: (key) => n.get(key) ?? 0, k, items: items.map((meta, i) => ({ id: meta.id, sensitive: Boolean(meta.sensitive), answered: (key) => answeredIn[i]!.get(key) ?? 0 })) });
  const order = new Map(treeOrder(units).map((u, i) => [u.key, i]));
  const depth = Math.max(1, ...units.map((u) => levelDepth(u, byKey)));
  const nameOf = (key: string) => byKey.get(key)?.name[lang] ?? '';
  const labels = paths.map((p) => (p.length ? gate.labelOf(p) : undefined));
  const shownOf = labels.map((label) => (label ? gate.shownItems(label) : undefined));

  // Each row with its sort key, computed once (a comparator that joined cells would do it n·log n times);
  // each response's raw answers are let go as soon as its row is made.
  const breathe = yielder();
  const labelled: SortableRow[] = [];
  let left = 0;
  for (let i = 0; i < raw.length; i++) {
    const row = raw[i]!;
    raw[i] = undefined;
    const label = labels[row.path];
    const shown = shownOf[row.path];
    if (!label || !shown?.size) {
      left++;
      continue;
    }
    const cells = row.answers.map((v, j) => (shown.has(items[j]!.id) ? v : null));
    labelled.push({ label, rank: order.get(label)!, key: cells.map((c) => (c === null ? '' : String(c))).join('\u0001'), cells });
    await breathe();
  }
  raw.length = 0;
  const rowCount = labelled.length;
  const runs = await sortInRuns(labelled, byUnitThenAnswers);

  const shownAnywhere = items.filter((meta) => units.some((u) => gate.shownItems(u.key).has(meta.id)));
  const keep = items.map((meta) => shownAnywhere.includes(meta));
  const unitNames = new Map<string, string[]>();
  const namesOf = (label: string): string[] => {
    let names = unitNames.get(label);
    if (!names) {
      names = [];
      for (let u: ResultUnit | undefined = byKey.get(label); u && u.level !== 'university'; u = u.parent ? byKey.get(u.parent) : undefined) names.unshift(nameOf(u.key));
      while (names.length < depth - 1) names.push('');
      unitNames.set(label, names);
    }
    return names;
  };
  const unitColumns = levelColumns(units, lang).slice(0, Math.max(0, depth - 1));
  return {
    title: campaign.title[lang],
    academicYear: campaign.academicYear,
    k,
    unitColumns,
    items: shownAnywhere,
    rowCount,
    *rows() {
      for (const row of mergeRuns(runs, byUnitThenAnswers)) yield [...namesOf(row.label), ...row.cells.filter((_, j) => keep[j])];
    },
    left,
    total: rowCount + left,
  };
}

/** Responses read between two progress reports. */
const PROGRESS_EVERY = 500;

interface SortableRow {
  label: string;
  rank: number;
  key: string;
  cells: AnswerCell[];
}

/** Rows in tree order of their unit, then by their answers: a function of the responses, never of storage order. */
const byUnitThenAnswers = (a: SortableRow, b: SortableRow) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function levelDepth(u: ResultUnit, byKey: Map<string, ResultUnit>): number {
  let d = 1;
  for (let p = u.parent; p; p = byKey.get(p)?.parent) d++;
  return d;
}

/** The unit columns' heads, by the levels below the university in this campaign's tree. */
function levelColumns(units: readonly ResultUnit[], lang: Lang): string[] {
  const levels = units.some((u) => u.level === 'discipline') ? ['discipline'] : ['faculty', 'programme', 'cohort'];
  return levels.map((l) => translate(lang, `reports.level.${l}`));
}
