// The landing page. Signed out: what Pikir is, and the way in. Signed in: the user's home — what needs
// attention in their scope, open campaigns with responses against the target (pushed live), and the latest
// results (server/home/staff-home.ts).
import { Router } from 'express';
import type { Actor } from '../accounts/actor.js';
import { localDay } from '../campaigns/dates.js';
import { dayLabel, progressView } from '../campaigns/view-model.js';
import type { ResponseCounts } from '../campaigns/progress.js';
import type { Config } from '../config.js';
import type { Lang } from '../lib/i18n/index.js';
import { staffHome, type Todo } from './staff-home.js';

export interface Attention {
  actions: { id: string; title: string; dueOn: string }[];
  tasks: { title: string; dueOn: string }[];
  /** The faculty councils the user belongs to, for the "my council" link. */
  councils?: string[];
}
/** What needs the signed-in user's attention (councils feature). */
export type AttentionFor = (actor: Actor, lang: string) => Promise<Attention>;

const todoHref = (t: Todo) => (t.kind === 'send_invitations' || t.kind === 'send_reminders' ? `/campaigns/${t.campaign}/invitations` : t.kind === 'publish' ? `/results/${t.campaign}` : `/campaigns/${t.campaign}`);

export function homeRouter(config: Pick<Config, 'jwtSecret'>, counts: ResponseCounts, attentionFor: AttentionFor = () => Promise.resolve({ actions: [], tasks: [] })): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const actor = res.locals.actor as Actor | undefined;
    if (!actor) return res.render('home', { titleKey: 'home.title' });
    const lang = res.locals.lang as Lang;
    const [attention, home] = await Promise.all([attentionFor(actor, lang), staffHome(actor, counts, config)]);
    const todo = home.todo.map((t) => ({ key: `home.todo.${t.kind}`, title: t.title[lang], href: todoHref(t), date: 'on' in t ? dayLabel(localDay(t.on), lang) : undefined, count: 'count' in t ? t.count : undefined }));
    res.render('home-staff', {
      titleKey: 'home.staff.title',
      // The socket only when there is a count to keep live.
      ...(home.open.length ? { scripts: ['/static/js/home.js'], vendorScripts: ['/socket.io/socket.io.min.js'] } : {}),
      role: actor.role,
      isAdmin: actor.role === 'admin',
      councils: attention.councils ?? [],
      todo,
      overdue: attention.actions,
      tasks: attention.tasks,
      nothingToDo: !todo.length && !attention.actions.length && !attention.tasks.length,
      open: home.open.map((c) => ({ id: c.id, title: c.title[lang], closes: dayLabel(localDay(c.closesAt), lang), ...progressView(c) })),
      recent: home.recent.map((c) => ({ id: c.id, title: c.title[lang], year: c.academicYear, closed: dayLabel(localDay(c.closedAt), lang), n: c.n })),
    });
  });
  return router;
}
