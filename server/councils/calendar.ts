// The monitoring calendar: the procedure's yearly deliverables (seeds/002) as dated tasks with a responsible
// role — the survey plan, the social partners' resolution (January–February), the survey results at the
// council, learning outcomes and programme updates published in June, the external review by 1 July,
// graduate employment published in December. The QA office (admins) edits them; overdue ones are flagged.
import { localDay } from '../lib/dates.js';
import mongoose, { Schema } from 'mongoose';
import { z } from 'zod';
import type { Actor } from '../accounts/actor.js';
import { ROLES } from '../accounts/actor.js';
import { changedFields, recordAudit } from '../audit/service.js';
import { forbidden, notFound } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { localizedText, type LocalizedText } from '../instruments/schema.js';

export interface CalendarTaskDoc {
  _id: string;
  academicYear: string;
  key?: string;
  title: LocalizedText;
  /** YYYY-MM-DD */
  dueOn: string;
  responsible: (typeof ROLES)[number];
  status: 'open' | 'done';
  doneOn?: string;
}
export const CalendarTask = mongoose.model<CalendarTaskDoc>(
  'CalendarTask',
  new Schema<CalendarTaskDoc>({ _id: String, academicYear: String, key: String, title: Schema.Types.Mixed, dueOn: String, responsible: String, status: String, doneOn: String }, { versionKey: false }),
  'monitoring_calendar',
);

const t = (kk: string, ru: string, en: string): LocalizedText => ({ kk, ru, en });

/** The procedure's deliverables of an academic year "2026-2027": month and day, and in which calendar year. */
const DELIVERABLES: { key: string; title: LocalizedText; month: number; day: number; second: boolean; responsible: CalendarTaskDoc['responsible'] }[] = [
  { key: 'survey_plan', title: t('Сауалнама жоспары бекітілді', 'Утверждён план анкетирования', 'Survey plan approved'), month: 9, day: 30, second: false, responsible: 'admin' },
  { key: 'employment_site', title: t('Түлектердің жұмысқа орналасуы туралы ақпарат сайтта жарияланды', 'Сведения о трудоустройстве выпускников размещены на сайте', 'Graduate employment published on the university site'), month: 12, day: 31, second: false, responsible: 'admin' },
  { key: 'partners_resolution', title: t('Әлеуметтік серіктестермен кездесу нәтижелері бойынша қарар', 'Решение по итогам встречи с социальными партнёрами', "Resolution of the social partners' meeting"), month: 2, day: 28, second: true, responsible: 'programme_leader' },
  { key: 'survey_results', title: t('Сауалнама нәтижелері факультеттің сапа жөніндегі кеңесінде талқыланды', 'Результаты анкетирования обсуждены на совете факультета по качеству', "Survey results discussed at the faculty's quality council"), month: 4, day: 30, second: true, responsible: 'council' },
  { key: 'esuvo_update', title: t('ЖОББЖ тізілімінде оқу нәтижелері жаңартылды', 'Результаты обучения обновлены в реестре ЕСУВО', 'Learning outcomes updated in the ESUVO register'), month: 6, day: 30, second: true, responsible: 'programme_leader' },
  { key: 'programme_updates_site', title: t('Бағдарламалардың жаңартулары туралы ақпарат сайтта жарияланды', 'Сведения об обновлении программ размещены на сайте', 'Programme updates published on the university site'), month: 6, day: 30, second: true, responsible: 'programme_leader' },
  { key: 'external_review', title: t('Бағдарламаларға сыртқы стейкхолдерлердің пікірі', 'Рецензия внешних стейкхолдеров на программы', "External stakeholders' review of programmes"), month: 7, day: 1, second: true, responsible: 'programme_leader' },
];

const today = () => localDay(new Date());
export const isTaskOverdue = (task: Pick<CalendarTaskDoc, 'status' | 'dueOn'>, on = today()) => task.status === 'open' && task.dueOn < on;

/** Adds the procedure's deliverables of a year that are not yet in the calendar (start-up, and the admins' button). */
export async function seedCalendar(academicYear: string): Promise<number> {
  const [first, second] = academicYear.split('-').map(Number) as [number, number];
  const have = new Set(((await CalendarTask.find({ academicYear }).lean()) as CalendarTaskDoc[]).map((x) => x.key));
  const missing = DELIVERABLES.filter((d) => !have.has(d.key)).map((d) => ({
    _id: `cal_${academicYear}_${d.key}`,
    academicYear,
    key: d.key,
    title: d.title,
    dueOn: `${d.second ? second : first}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`,
    responsible: d.responsible,
    status: 'open' as const,
  }));
  if (missing.length) await CalendarTask.insertMany(missing, { ordered: false }).catch(() => undefined);
  return missing.length;
}

export async function listCalendar(_actor: Actor, academicYear: string): Promise<CalendarTaskDoc[]> {
  // One year holds a handful of tasks; readable by every signed-in user (it is the university's plan).
  return ((await CalendarTask.find({ academicYear }).lean()) as CalendarTaskDoc[]).sort((a, b) => a.dueOn.localeCompare(b.dueOn));
}

export const taskInput = z.strictObject({
  title: localizedText,
  dueOn: z.iso.date({ message: 'must be a date (YYYY-MM-DD)' }),
  responsible: z.enum(ROLES),
  status: z.enum(['open', 'done']).default('open'),
});

function requireAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw forbidden('Only the quality department edits the monitoring calendar.');
}

export async function addTask(actor: Actor, academicYear: string, input: z.input<typeof taskInput>): Promise<CalendarTaskDoc> {
  requireAdmin(actor);
  const parsed = taskInput.parse(input);
  const doc: CalendarTaskDoc = { _id: newId('cal'), academicYear, ...parsed, ...(parsed.status === 'done' ? { doneOn: today() } : {}) };
  await CalendarTask.create(doc);
  await recordAudit(actor, { action: 'create', entity: 'monitoring_calendar', entityId: doc._id, after: { title: doc.title.en, dueOn: doc.dueOn } });
  return doc;
}

export async function updateTask(actor: Actor, id: string, input: z.input<typeof taskInput>): Promise<CalendarTaskDoc> {
  requireAdmin(actor);
  const before = (await CalendarTask.findById(id).lean()) as CalendarTaskDoc | null;
  if (!before) throw notFound('There is no such task.');
  const parsed = taskInput.parse(input);
  const after: CalendarTaskDoc = { ...before, ...parsed };
  if (parsed.status === 'done') after.doneOn = before.doneOn ?? today();
  else delete after.doneOn;
  await CalendarTask.replaceOne({ _id: id }, after);
  const diff = changedFields(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>);
  if (Object.keys(diff.after).length) await recordAudit(actor, { action: 'update', entity: 'monitoring_calendar', entityId: id, ...diff });
  return after;
}
