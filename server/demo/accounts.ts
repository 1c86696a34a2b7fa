// The demo's sign-ins: besides the admin, one account per kind of staff a newcomer should try — a faculty
// council member, a programme leader and a viewer — each with a one-time password, printed once at start
// as a short table (sign-in-table.ts), never into the JSON log.
import type { Actor } from '../accounts/actor.js';
import { inviteUser } from '../accounts/service.js';
import type { SignIn } from '../lib/sign-in-table.js';

export interface DemoUnits {
  /** The IT faculty (the council member's scope). */
  itFaculty: string;
  /** 6B06101 Computer Science (the programme leader's). */
  csProgramme: string;
  /** The Faculty of Education and Psychology (the viewer's). */
  pedFaculty: string;
}

/** Creates the three demo accounts; returns their sign-ins and the council member's user id (the demo council's secretary). */
export async function createDemoAccounts(actor: Actor, units: DemoUnits): Promise<{ signIns: SignIn[]; council: string }> {
  const council = await inviteUser(actor, { email: 'council.it@pikir.local', name: 'IT faculty council (demo)', role: 'council', faculties: [units.itFaculty], lang: 'kk' });
  const leader = await inviteUser(actor, { email: 'leader.cs@pikir.local', name: 'Computer Science programme leader (demo)', role: 'programme_leader', programmes: [units.csProgramme], lang: 'ru' });
  const viewer = await inviteUser(actor, { email: 'viewer.ped@pikir.local', name: 'Education faculty viewer (demo)', role: 'viewer', faculties: [units.pedFaculty], lang: 'en' });
  const signIns = [
    { role: 'Faculty council', scope: 'Faculty of Information Technology', email: council.user.email, password: council.oneTimePassword ?? 'single sign-on' },
    { role: 'Programme leader', scope: '6B06101 Computer Science', email: leader.user.email, password: leader.oneTimePassword ?? 'single sign-on' },
    { role: 'Viewer', scope: 'Faculty of Education and Psychology', email: viewer.user.email, password: viewer.oneTimePassword ?? 'single sign-on' },
  ];
  return { signIns, council: council.user.id };
}
