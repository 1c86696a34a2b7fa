// Who is acting: passed to every service call (HTTP, sockets, jobs, tests), never read from req there.
import type { Lang } from '../lib/i18n/index.js';

export const ROLES = ['admin', 'council', 'programme_leader', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  userId: string;
  role: Role;
  email: string;
  name: string;
  lang: Lang;
  /** Faculty ids the actor is scoped to (council members, viewers). Admins ignore scope. */
  faculties: string[];
  /** Programme ids the actor is scoped to (programme leaders, viewers). */
  programmes: string[];
}

/** The system itself (start-up seeding, jobs): acts as an admin, recorded as "system" in the audit log. */
export const SYSTEM_ACTOR: Actor = { userId: 'system', role: 'admin', email: 'system', name: 'Pikir', lang: 'en', faculties: [], programmes: [] };
