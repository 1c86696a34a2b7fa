// What reports show of the council's records (handed to the reports feature by services.ts; reports never
// read council documents): the decisions and actions tied to a campaign's results, for the council report;
// a programme's action register with its follow-up, for the evidence pack; the minutes of a meeting, for
// printing. Each read is the actor's own (the same scope rules as the council pages: 404 outside it), and
// every figure in them was gated when it was frozen or is gated now (follow-up).
import type { Actor } from '../accounts/actor.js';
import type { Analytics } from '../analytics/service.js';
import { academicYearOf } from '../campaigns/dates.js';
import { translate, type Lang } from '../lib/i18n/index.js';
import { loadOrgSnapshot } from '../org/snapshot.js';
import { canReadFaculty } from './access.js';
import { targetLabel } from './action-routes.js';
import { listActions } from './actions-service.js';
import { accountNames } from './council-service.js';
import { followUp } from './follow-up.js';
import { minutesLocals } from './meeting-routes.js';
import { Meeting, type ActionDoc, type MeetingDoc } from './model.js';
import { actionRow, followUpView, snapshotView } from './view-model.js';

export interface ReportDecision {
  meeting: string;
  faculty: string;
  item: string;
  snapshot?: ReturnType<typeof snapshotView>;
  kind: string;
  unit: string;
  rationale: string;
  stakeholderComments: string;
  votes: string;
}

export type ReportAction = ReturnType<typeof actionRow> & {
  faculty: string;
  programme: string;
  decidedAt: string;
  description: string;
  doneOn: string;
  esg: string;
  evidenceList: string[];
  followUps: ReturnType<typeof followUpView>[];
};

/** Meetings the actor may read (a handful a year per faculty: the collection is scanned, then filtered). */
async function readableMeetings(actor: Actor): Promise<MeetingDoc[]> {
  const docs = (await Meeting.find({}).lean()) as MeetingDoc[];
  return docs.filter((m) => canReadFaculty(actor, m.faculty)).sort((a, b) => a.date.localeCompare(b.date));
}

async function actionView(analytics: Analytics, a: ActionDoc, lang: Lang, owners: Map<string, string>, meetings: MeetingDoc[]): Promise<ReportAction> {
  const org = await loadOrgSnapshot();
  const meeting = meetings.find((m) => m._id === a.meeting);
  const item = meeting?.agenda.find((x) => x.id === a.agendaItem);
  return {
    ...actionRow(a, lang, owners),
    faculty: org.faculty.get(a.faculty)?.name[lang] ?? '',
    programme: a.programme ? (org.programme.get(a.programme)?.name[lang] ?? '') : '',
    decidedAt: meeting ? `${meeting.date} · ${meeting.title}${item ? ` · ${item.title}` : ''}` : '',
    description: a.description,
    doneOn: a.doneOn ?? '',
    esg: a.esg.join(', '),
    evidenceList: a.evidence.map((e) => (e.kind === 'link' ? `${e.label} <${e.url}>` : e.name)),
    followUps: await Promise.all(a.targets.map(async (t) => followUpView(await followUp(analytics, a.faculty, t), lang, await targetLabel(t, lang)))),
  };
}

/** Decisions on agenda items that froze this campaign's results at one of `units`, and the actions tied to them or aimed at its figures there. */
export async function councilRecordsForReport(analytics: Analytics, actor: Actor, input: { campaign: string; units: readonly string[]; lang: Lang }): Promise<{ decisions: ReportDecision[]; actions: ReportAction[] }> {
  const { lang } = input;
  const units = new Set(input.units);
  const [meetings, actions, org] = await Promise.all([readableMeetings(actor), listActions(actor), loadOrgSnapshot()]);
  const decisions: ReportDecision[] = [];
  const decided = new Set<string>();
  for (const m of meetings) {
    for (const a of m.agenda) {
      if (!a.snapshot || a.snapshot.campaign !== input.campaign || !units.has(a.snapshot.unit)) continue;
      decided.add(`${m._id}/${a.id}`);
      if (!a.decision) continue;
      const d = a.decision;
      decisions.push({
        meeting: `${m.date} · ${m.title}`,
        faculty: org.faculty.get(m.faculty)?.name[lang] ?? '',
        item: a.title,
        snapshot: snapshotView(a.snapshot, lang),
        kind: translate(lang, `councils.decision.${d.kind}`),
        unit: d.unit ? (org.programme.get(d.unit)?.name[lang] ?? org.discipline.get(d.unit)?.name[lang] ?? '') : '',
        rationale: d.rationale,
        stakeholderComments: d.stakeholderComments,
        votes: translate(lang, 'councils.decision.votes', { for: d.votes.for, against: d.votes.against, abstain: d.votes.abstain }),
      });
    }
  }
  const tied = actions.filter((a) => decided.has(`${a.meeting}/${a.agendaItem}`) || a.targets.some((t) => t.campaign === input.campaign && units.has(t.unit)));
  const owners = await accountNames(tied.map((a) => a.owner));
  return { decisions, actions: await Promise.all(tied.map((a) => actionView(analytics, a, lang, owners, meetings))) };
}

/**
 * A programme's action register for one academic year: the actions of the programme, and its faculty's
 * actions for every programme, that were decided, due or aimed at a survey in that year — each with its
 * follow-up.
 */
export async function actionRegister(analytics: Analytics, actor: Actor, input: { programme: string; year: string; campaigns: readonly string[]; lang: Lang }): Promise<ReportAction[]> {
  const org = await loadOrgSnapshot();
  const faculty = org.programme.get(input.programme)?.faculty;
  const [meetings, actions] = await Promise.all([readableMeetings(actor), listActions(actor)]);
  const ofProgramme = (a: ActionDoc) => a.programme === input.programme || (!a.programme && a.faculty === faculty) || a.targets.some((t) => t.unit === `programme~${input.programme}`);
  const inYear = (a: ActionDoc) =>
    academicYearOf(new Date(`${a.dueOn}T12:00:00Z`)) === input.year ||
    a.targets.some((t) => input.campaigns.includes(t.campaign)) ||
    meetings.some((m) => m._id === a.meeting && academicYearOf(new Date(`${m.date}T12:00:00Z`)) === input.year);
  const chosen = actions.filter((a) => ofProgramme(a) && inYear(a));
  const owners = await accountNames(chosen.map((a) => a.owner));
  return Promise.all(chosen.map((a) => actionView(analytics, a, input.lang, owners, meetings)));
}

/** The minutes page of a meeting, to print: its view, locals and language (the meeting's). */
export async function minutesForPrint(actor: Actor, meetingId: string): Promise<{ view: string; lang: Lang; title: string; locals: Record<string, unknown> }> {
  const { lang, locals } = await minutesLocals(actor, meetingId);
  return { view: 'councils/minutes', lang, title: String(locals.title), locals };
}
