// JSON submission for API clients and the enhanced form: POST /api/respond/:link with the whole response.
import { Router } from 'express';
import { z } from 'zod';
import { apiRoute } from '../lib/api-route.js';
import { clientOf } from '../lib/client-key.js';
import { AppError } from '../lib/errors.js';
import { langSchema } from '../lib/schemas.js';
import { segmentSchema } from '../responses/segment.js';
import { entryFor } from './entry.js';
import type { SubmissionService } from './submission.js';

// Numbers first: most answers are scale points, and a union stops at the first option that fits.
const answerValue = z.union([z.number().finite(), z.string().max(5000), z.array(z.string().max(100)).max(30)]);

export const submitBody = z.strictObject({
  submissionId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'must be 16–64 letters, digits, _ or - (a random id per response)'),
  lang: langSchema,
  segment: segmentSchema.default({}),
  answers: z.record(z.string().max(100), answerValue).refine((a) => Object.keys(a).length <= 500, 'too many answers'),
  token: z.string().max(64).optional(),
});

const submitResult = z.object({ status: z.enum(['stored', 'duplicate']) });

export function respondApiRouter(submissions: SubmissionService): Router {
  const router = Router();
  apiRoute(
    router,
    {
      method: 'post',
      path: '/api/respond/:link',
      summary: 'Submit a whole response through an open link (or with a single-use token)',
      description:
        'Answers are keyed by item id (matrix rows by row id; "<item>:other" for other-text). Likert 1–5 or "na"; nps 0–10; single: option value; multiple: list of values. ' +
        '201 stored; retrying with the same submissionId never stores twice (200, status "duplicate"). 409 already_answered when a token was used; 429 with Retry-After when flooded, or after too many tokens that do not exist from one client or for one link.',
      tags: ['respond'],
      access: 'anyone with the link',
      params: z.object({ link: z.string().max(40) }),
      body: submitBody,
      response: submitResult,
      status: [201, 200],
    },
    async (req, res) => {
      const body = res.locals.body as z.infer<typeof submitBody>;
      const { link } = res.locals.params as { link: string };
      const client = clientOf(req, res);
      const entry = body.token === undefined ? await entryFor({ link }) : await submissions.guard.tokenLookup(client, link, () => entryFor({ link, token: body.token }));
      const outcome = await submissions.accept(entry, { segment: body.segment, answers: body.answers, lang: body.lang, submissionId: body.submissionId, client });
      if (outcome.status === 'invalid') throw new AppError(400, 'validation_failed', `Some answers are not valid: ${outcome.errors.slice(0, 5).map((e) => `${e.item}: ${e.code}`).join('; ')}`, outcome.errors);
      res.status(outcome.status === 'stored' ? 201 : 200).json({ status: outcome.status });
    },
  );
  return router;
}
