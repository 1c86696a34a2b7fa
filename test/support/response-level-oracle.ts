// The response-level rows as the export's first version made them, in the plainest way: every stored
// response read whole, counted into each of its units, gated by the same gate (response-gate.ts), one sort
// at the end. Slow and simple, kept here as the reference: the report job (which counts per segment, reads
// only the segment and the answers, sorts in runs and merges them) must give exactly these rows.
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { analysableItems, type ItemMeta } from '../../server/analytics/item-figures.js';
import { campaignUnits, treeOrder, type ResultUnit } from '../../server/analytics/units.js';
import { orgView } from '../../server/campaigns/org-view.js';
import { getCampaign } from '../../server/campaigns/service.js';
import { getPublishedDefinition } from '../../server/instruments/service.js';
import { translate, type Lang } from '../../server/lib/i18n/index.js';
import { responseGate } from '../../server/reports/response-gate.js';
import type { StoredAnswer } from '../../server/responses/answers.js';
import { segmentUnits } from '../../server/responses/segment.js';
import { responsesCollection } from '../../server/responses/store.js';

type Cell = number | string | null;

function answered(meta: ItemMeta, value: StoredAnswer | undefined): boolean {
  if (value === undefined) return false;
  if (meta.type === 'multiple') return Array.isArray(value);
  if (meta.type === 'single') return typeof value === 'string';
  if (meta.range) return typeof value === 'number' && value >= meta.range.min && value <= meta.range.max;
  return typeof value === 'number';
}

/** The head and the rows (unit names, then answers) of a campaign's response-level export. */
export async function expectedResponseRows(campaignId: string, lang: Lang, k: number): Promise<{ head: string[]; rows: Cell[][]; left: number }> {
  const campaign = await getCampaign(SYSTEM_ACTOR, campaignId);
  const definition = await getPublishedDefinition(campaign.instrument.id, campaign.instrument.version);
  const units = campaignUnits(campaign, await orgView());
  const byKey = new Map(units.map((u) => [u.key, u]));
  const items = analysableItems(definition).filter((i) => i.type !== 'text');
  const responses = await (await responsesCollection(campaignId)).find({}).toArray();

  const n = new Map<string, number>();
  const answeredIn = items.map(() => new Map<string, number>());
  const paths = responses.map((r) => segmentUnits(r.segment).map((u) => u.key).filter((key) => byKey.has(key)));
  responses.forEach((r, i) => {
    for (const key of paths[i]!) n.set(key, (n.get(key) ?? 0) + 1);
    items.forEach((meta, j) => {
      if (answered(meta, r.answers[meta.id])) for (const key of paths[i]!) answeredIn[j]!.set(key, (answeredIn[j]!.get(key) ?? 0) + 1);
    });
  });
  const gate = responseGate({ units, n: (key) => n.get(key) ?? 0, k, items: items.map((meta, j) => ({ id: meta.id, sensitive: Boolean(meta.sensitive), answered: (key) => answeredIn[j]!.get(key) ?? 0 })) });

  const order = new Map(treeOrder(units).map((u, i) => [u.key, i]));
  const rows: { rank: number; key: string; label: string; cells: Cell[] }[] = [];
  let left = 0;
  responses.forEach((r, i) => {
    const label = paths[i]!.length ? gate.labelOf(paths[i]!) : undefined;
    const shown = label ? gate.shownItems(label) : undefined;
    if (!label || !shown?.size) return void left++;
    const cells = items.map((meta) => {
      const value = shown.has(meta.id) ? r.answers[meta.id] : undefined;
      return value === undefined ? null : Array.isArray(value) ? [...value].sort().join(';') : value;
    });
    rows.push({ rank: order.get(label)!, key: cells.map((c) => (c === null ? '' : String(c))).join('\u0001'), label, cells });
  });
  rows.sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const depthOf = (u: ResultUnit) => {
    let d = 1;
    for (let p = u.parent; p; p = byKey.get(p)?.parent) d++;
    return d;
  };
  const depth = Math.max(1, ...units.map(depthOf));
  const names = (label: string) => {
    const out: string[] = [];
    for (let u = byKey.get(label); u && u.level !== 'university'; u = u.parent ? byKey.get(u.parent) : undefined) out.unshift(u.name[lang]);
    while (out.length < depth - 1) out.push('');
    return out;
  };
  const levels = units.some((u) => u.level === 'discipline') ? ['discipline'] : ['faculty', 'programme', 'cohort'];
  const shownAnywhere = items.map((meta) => units.some((u) => gate.shownItems(u.key).has(meta.id)));
  return {
    head: [...levels.map((l) => translate(lang, `reports.level.${l}`)).slice(0, Math.max(0, depth - 1)), ...items.filter((_, j) => shownAnywhere[j]).map((m) => m.id)],
    rows: rows.map((r) => [...names(r.label), ...r.cells.filter((_, j) => shownAnywhere[j])]),
    left,
  };
}
