// Room names are a rule, written once. A results room is per campaign, group and scope signature, so
// sockets whose users see the same thing share one computation and no socket receives another scope.
import type { Actor } from '../accounts/actor.js';

export const campaignRoom = (campaign: string) => `campaign:${campaign}`;

export function scopeSignature(actor: Actor): string {
  if (actor.role === 'admin') return 'admin';
  return `${actor.role}|f:${[...actor.faculties].sort().join(',')}|p:${[...actor.programmes].sort().join(',')}`;
}

export const resultsRoom = (campaign: string, unit: string, actor: Actor) => `results:${campaign}:${unit}:${scopeSignature(actor)}`;

export function parseResultsRoom(room: string): { campaign: string; unit: string } | null {
  const m = /^results:([a-z0-9]+):([^:]+):/.exec(room);
  return m ? { campaign: m[1]!, unit: m[2]! } : null;
}

/** A faculty council's room: told that the council's records changed (anyone who may read them may join). */
export const councilRoom = (faculty: string) => `council:${faculty}`;
