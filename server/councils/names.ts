// Meetings and actions by id, named by their title (a meeting with its date), for pages that show what an
// id refers to (the audit log). One read per collection for all ids.
import mongoose from 'mongoose';
import { Action, Meeting } from './model.js';

export async function councilNames(ids: readonly string[]): Promise<Map<string, string>> {
  const meetings = ids.filter((id) => /^mtg_[0-9a-z]{16}$/.test(id));
  const actions = ids.filter((id) => /^act_[0-9a-z]{16}$/.test(id));
  // Trusted: the operator is ours (sanitizeFilter would turn it into $eq), the ids were filtered by pattern.
  const [m, a] = await Promise.all([
    meetings.length ? Meeting.find({ _id: mongoose.trusted({ $in: meetings }) as unknown as string }, { title: 1, date: 1 }).lean<{ _id: string; title: string; date: string }[]>() : [],
    actions.length ? Action.find({ _id: mongoose.trusted({ $in: actions }) as unknown as string }, { title: 1 }).lean<{ _id: string; title: string }[]>() : [],
  ]);
  return new Map([...m.map((d) => [d._id, `${d.title} (${d.date})`] as const), ...a.map((d) => [d._id, d.title] as const)]);
}
