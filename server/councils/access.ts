// Who may read and change a faculty council's records: admins everywhere; council members of the faculty
// read and edit; viewers of the faculty read. Actions tied to a programme are also readable by its
// programme leader. Everything outside the scope answers 404, exactly like something that does not exist.
import type { Actor } from '../accounts/actor.js';
import { forbidden, notFound } from '../lib/errors.js';

export function canReadFaculty(actor: Actor, faculty: string): boolean {
  if (actor.role === 'admin') return true;
  return (actor.role === 'council' || actor.role === 'viewer') && actor.faculties.includes(faculty);
}

export function canEditFaculty(actor: Actor, faculty: string): boolean {
  return actor.role === 'admin' || (actor.role === 'council' && actor.faculties.includes(faculty));
}

export function canReadAction(actor: Actor, action: { faculty: string; programme?: string }): boolean {
  return canReadFaculty(actor, action.faculty) || (action.programme !== undefined && actor.role === 'programme_leader' && actor.programmes.includes(action.programme));
}

export function assertReadFaculty(actor: Actor, faculty: string): void {
  if (!canReadFaculty(actor, faculty)) throw notFound('There is no such council, or it is outside your scope.');
}

export function assertEditFaculty(actor: Actor, faculty: string): void {
  assertReadFaculty(actor, faculty);
  if (!canEditFaculty(actor, faculty)) throw forbidden("Only the faculty's council members and the quality department change the council's records.");
}

/** The scope a council sees results in: its own faculty (snapshots and follow-up are taken as the council sees them). */
export function councilActor(faculty: string): Actor {
  return { userId: 'system', role: 'council', email: 'system', name: 'Pikir', lang: 'en', faculties: [faculty], programmes: [] };
}
