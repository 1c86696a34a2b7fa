// The landing page: what Pikir is, and the way in for each kind of user. Signed in, it first lists what
// needs attention in the user's scope (overdue council actions, overdue deliverables of the calendar).
import { Router } from 'express';
import type { Actor } from '../accounts/actor.js';

export interface Attention {
  actions: { id: string; title: string; dueOn: string }[];
  tasks: { title: string; dueOn: string }[];
}
/** What needs the signed-in user's attention (councils feature). */
export type AttentionFor = (actor: Actor, lang: string) => Promise<Attention>;

export function homeRouter(attentionFor: AttentionFor = () => Promise.resolve({ actions: [], tasks: [] })): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const actor = res.locals.actor as Actor | undefined;
    const attention = actor ? await attentionFor(actor, String(res.locals.lang)) : undefined;
    const any = attention && (attention.actions.length > 0 || attention.tasks.length > 0);
    res.render('home', { titleKey: 'home.title', attention: any ? attention : undefined, overdue: attention?.actions });
  });
  return router;
}
