// The action form: its fields as a form schema, the choices it offers (owners, programmes, the figures an
// action can aim to move), and the conversion between form values and the service's input.
import { z } from 'zod';
import type { Actor } from '../accounts/actor.js';
import { analysableItems } from '../analytics/item-figures.js';
import { effectiveStatus } from '../campaigns/model.js';
import { listCampaigns } from '../campaigns/service.js';
import { checkboxField, formSchema, listField, textField } from '../lib/forms.js';
import { translate, type Lang } from '../lib/i18n/index.js';
import { ESG_STANDARDS } from '../instruments/schema.js';
import { getPublishedDefinition } from '../instruments/service.js';
import { loadOrgSnapshot } from '../org/snapshot.js';
import type { ActionInput } from './actions-service.js';
import { accountChoices } from './council-service.js';
import { ACTION_KINDS, ACTION_STATUSES, type ActionDoc } from './model.js';

export const TARGET_ROWS = 3;
export const actionForm = formSchema({
  title: textField(300),
  description: textField(5_000),
  kind: textField(20),
  programme: textField(40),
  owner: textField(40),
  dueOn: textField(20),
  status: textField(20),
  meeting: textField(20),
  agendaItem: textField(20),
  figure: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().max(200)).max(TARGET_ROWS)),
  unit: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().max(100)).max(TARGET_ROWS)),
  esg: listField(10),
  public: checkboxField,
  public_kk: textField(2_000),
  public_ru: textField(2_000),
  public_en: textField(2_000),
});
export type ActionFormValues = z.infer<typeof actionForm>;

/** "campaign|item:ID" or "campaign|scale:ID" — one option of the figure select. */
const figureValue = (campaign: string, what: { item?: string; scale?: string }) => `${campaign}|${what.item ? `item:${what.item}` : `scale:${what.scale}`}`;

export function actionInputOf(f: ActionFormValues): ActionInput {
  const targets = f.figure
    .map((figure, i) => ({ figure, unit: f.unit[i] ?? '' }))
    .filter((t) => t.figure && t.unit)
    .map(({ figure, unit }) => {
      const [campaign = '', what = ''] = figure.split('|');
      const [kind, id] = what.split(':');
      return { campaign, unit, ...(kind === 'scale' ? { scale: id ?? '' } : { item: id ?? '' }) };
    });
  const text = { kk: f.public_kk.trim(), ru: f.public_ru.trim(), en: f.public_en.trim() };
  return {
    title: f.title,
    description: f.description,
    kind: f.kind as ActionInput['kind'],
    ...(f.programme ? { programme: f.programme } : {}),
    owner: f.owner,
    dueOn: f.dueOn,
    status: (f.status || 'planned') as ActionInput['status'],
    ...(f.meeting ? { meeting: f.meeting } : {}),
    ...(f.agendaItem ? { agendaItem: f.agendaItem } : {}),
    targets,
    esg: f.esg,
    public: f.public,
    ...(text.kk || text.ru || text.en ? { publicText: text } : {}),
  };
}

export function formValuesOf(a: Partial<ActionDoc>): ActionFormValues {
  return {
    title: a.title ?? '',
    description: a.description ?? '',
    kind: a.kind ?? 'corrective',
    programme: a.programme ?? '',
    owner: a.owner ?? '',
    dueOn: a.dueOn ?? '',
    status: a.status ?? 'planned',
    meeting: a.meeting ?? '',
    agendaItem: a.agendaItem ?? '',
    figure: (a.targets ?? []).map((t) => figureValue(t.campaign, t)),
    unit: (a.targets ?? []).map((t) => t.unit),
    esg: a.esg ?? [],
    public: a.public ?? false,
    public_kk: a.publicText?.kk ?? '',
    public_ru: a.publicText?.ru ?? '',
    public_en: a.publicText?.en ?? '',
  };
}

/** The form's choices, with the given values selected. */
export async function actionFormModel(actor: Actor, faculty: string, values: ActionFormValues, lang: Lang) {
  const org = await loadOrgSnapshot();
  const programmes = org.programmes.filter((p) => p.faculty === faculty && !p.archived);
  const owners = await accountChoices(actor, faculty);
  // The figures an action can aim at: agreement questions and scales of the campaigns this faculty took part in.
  const campaigns = (await listCampaigns(actor)).filter((c) => c.status !== 'draft' && (c.faculties.length === 0 || c.faculties.includes(faculty)));
  const figureGroups: { label: string; options: { value: string; label: string }[] }[] = [];
  for (const c of campaigns) {
    const def = await getPublishedDefinition(c.instrument.id, c.instrument.version);
    const items = analysableItems(def).filter((i) => (i.type === 'likert' || i.type === 'matrix-row') && !i.rating);
    const options = [
      ...def.scales.map((s) => ({ value: figureValue(c._id, { scale: s.id }), label: `${translate(lang, 'councils.actionForm.scale')}: ${s.title[lang]}` })),
      ...items.map((i) => ({ value: figureValue(c._id, { item: i.id }), label: i.text[lang] })),
    ];
    if (options.length) figureGroups.push({ label: `${c.title[lang]} (${translate(lang, `campaigns.state.${effectiveStatus(c)}`)})`, options });
  }
  const units = [{ value: `faculty~${faculty}`, label: org.faculty.get(faculty)?.name[lang] ?? faculty }, ...programmes.map((p) => ({ value: `programme~${p.id}`, label: `${p.code} · ${p.name[lang]}` }))];
  return {
    values,
    kinds: ACTION_KINDS.map((k) => ({ value: k, label: translate(lang, `councils.actionKind.${k}`), checked: k === values.kind })),
    statuses: ACTION_STATUSES.map((s) => ({ value: s, label: translate(lang, `councils.status.${s}`), selected: s === values.status })),
    programmes: programmes.map((p) => ({ value: p.id, label: `${p.code} · ${p.name[lang]}`, selected: p.id === values.programme })),
    owners: owners.map((o) => ({ value: o.id, label: o.name, selected: o.id === values.owner })),
    targets: Array.from({ length: TARGET_ROWS }, (_, i) => ({
      index: i + 1,
      figureGroups: figureGroups.map((g) => ({ label: g.label, options: g.options.map((o) => ({ ...o, selected: o.value === values.figure[i] })) })),
      units: units.map((u) => ({ ...u, selected: u.value === values.unit[i] })),
    })),
    esg: ESG_STANDARDS.map((s) => ({ value: s, label: `${s} ${translate(lang, `councils.esg.${s.replace('.', '_')}`)}`, checked: values.esg.includes(s) })),
  };
}
