// Instants on the JSON API: ISO 8601 / RFC 3339 date-times with a timezone, both ways. Requests must
// say their offset ("2025-10-01T00:00:00+05:00" or "…Z"): a local time, a bare number, null or true is
// refused rather than read as some instant. Answers are UTC ("2025-09-30T19:00:00.000Z").
import { z } from 'zod';

const MESSAGE = 'must be an ISO 8601 date-time with a timezone, e.g. 2025-10-01T00:00:00+05:00';

/** An instant as the API answers it. */
export const isoDateTime = z.iso.datetime({ offset: true, message: MESSAGE });

/** An instant as a request gives it, read into a Date. */
export const dateTimeInput = isoDateTime.transform((s) => new Date(s));
