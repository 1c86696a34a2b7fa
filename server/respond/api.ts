// JSON submission for API clients and the enhanced form: POST /api/respond/:link with the whole response.
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../config.js';
import { apiRoute } from '../lib/api-route.js';
import { AppError } from '../lib/errors.js';
import { LANGUAGES } from '../lib/i18n/index.js';
import { resolveSegment } from '../campaigns/audience.js';
import { answerIds, itemsOf, otherKey, readAllAnswers } from './answers.js';
import type { Definition } from '../instruments/schema.js';
import { entryFromLink, entryFromToken } from './entry.js';
import { submissionGuard } from './guard.js';
import { segmentSchema } from './segment.js';
import { submitResponse } from './submission.js';

// Numbers first: most answers are scale points, and a union stops at the first option that fits.
const answerValue = z.union([z.number().finite(), z.string().max(5000), z.array(z.string().max(100)).max(30)]);

export const submitBody = z.strictObject({
  submissionId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'must be 16–64 letters, digits, _ or - (a random id per response)'),
  lang: z.enum(LANGUAGES),
  segment: segmentSchema.default({}),
  answers: z.record(z.string().max(100), answerValue).refine((a) => Object.keys(a).length <= 500, 'too many answers'),
  token: z.string().max(64).optional(),
});

const submitResult = z.object({ status: z.enum(['stored', 'duplicate']) });

const knownKeys = new WeakMap<Definition, Set<string>>();
function knownAnswerKeys(def: Definition): Set<string> {
  let keys = knownKeys.get(def);
  if (!keys) knownKeys.set(def, (keys = new Set(itemsOf(def).flatMap(({ item }) => [...answerIds(item), otherKey(item.id)]))));
  return keys;
}

export function respondApiRouter(config: Config): Router {
  const router = Router();
  const guard = submissionGuard(config);
  apiRoute(
    router,
    {
      method: 'post',
      path: '/api/respond/:link',
      summary: 'Submit a whole response through an open link (or with a single-use token)',
      description:
        'Answers are keyed by item id (matrix rows by row id; "<item>:other" for other-text). Likert 1–5 or "na"; nps 0–10; single: option value; multiple: list of values. ' +
        'Retrying with the same submissionId never stores twice (status "duplicate"). 409 already_answered when a token was used; 429 with Retry-After when flooded.',
      tags: ['respond'],
      access: 'anyone with the link',
      params: z.object({ link: z.string().max(40) }),
      body: submitBody,
      response: submitResult,
      status: 201,
    },
    async (req, res) => {
      const body = res.locals.body as z.infer<typeof submitBody>;
      const { link } = res.locals.params as { link: string };
      const entry = body.token ? await entryFromToken(body.token) : await entryFromLink(link);
      if (body.token && entry.campaign.linkId !== link) throw new AppError(404, 'invalid_link', 'This token does not belong to this survey.');
      if (entry.tokenState === 'used') throw new AppError(409, 'already_answered', 'A response has already been given with this token.');
      const segment = resolveSegment(body.segment, entry.choice);
      if (!segment) throw new AppError(400, 'validation_failed', 'The segment does not match this survey: choose a programme (and cohort) of its audience.');
      const unknown = Object.keys(body.answers).filter((key) => !knownAnswerKeys(entry.definition).has(key));
      if (unknown.length) throw new AppError(400, 'validation_failed', `These answers are not items of this survey: ${unknown.slice(0, 5).join(', ')}.`);
      const { answers, errors } = readAllAnswers(entry.definition, body.answers, (id) => id);
      if (errors.length) throw new AppError(400, 'validation_failed', `Some answers are not valid: ${errors.slice(0, 5).map((e) => `${e.item}: ${e.code}`).join('; ')}`, errors);
      if (!body.token) guard(req, entry);
      const outcome = await submitResponse({ campaign: entry.campaign, definition: entry.definition, answers, segment, lang: body.lang, submissionId: body.submissionId, token: body.token });
      if (outcome === 'already_answered') throw new AppError(409, 'already_answered', 'A response has already been given with this token.');
      res.status(outcome === 'stored' ? 201 : 200).json({ status: outcome });
    },
  );
  return router;
}
