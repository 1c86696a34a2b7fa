// What needs a signed-in user's attention, for the home page: overdue council actions in their scope, and
// overdue deliverables of this year's monitoring calendar for their role (admins: all of them).
import type { Actor } from '../accounts/actor.js';
import { academicYearOf } from '../campaigns/dates.js';
import { isLang } from '../lib/i18n/index.js';
import { overdueActions } from './actions-service.js';
import { isTaskOverdue, listCalendar } from './calendar.js';

export async function attentionFor(actor: Actor, lang: string) {
  const l = isLang(lang) ? lang : 'kk';
  const [actions, tasks] = await Promise.all([overdueActions(actor), listCalendar(actor, academicYearOf(new Date()))]);
  return {
    actions: actions.map((a) => ({ id: a._id, title: a.title, dueOn: a.dueOn })),
    tasks: tasks.filter((t) => isTaskOverdue(t) && (actor.role === 'admin' || t.responsible === actor.role)).map((t) => ({ title: t.title[l], dueOn: t.dueOn })),
    // A council member's own councils (admins reach every council from the menu).
    councils: actor.role === 'council' ? actor.faculties : [],
  };
}
