import { notFound } from '../lib/errors.js';

/** Route ids are checked against their shape before any query, so a hostile value
 *  (`{"$gt":""}`, a path) is a plain 404 and never reaches the store. */
const idOf =
  (shape: RegExp, message: string) =>
  (value: unknown): string => {
    const id = typeof value === 'string' ? value : '';
    if (!shape.test(id)) throw notFound(message);
    return id;
  };

export const FACULTY = /^fac_[0-9a-z]{16}$/;
export const facultyOf = idOf(FACULTY, 'There is no such council, or it is outside your scope.');
export const meetingIdOf = idOf(/^mtg[0-9a-z]{14}$/, 'There is no such meeting, or it is outside your scope.');
export const actionIdOf = idOf(/^act[0-9a-z]{14}$/, 'There is no such action, or it is outside your scope.');
