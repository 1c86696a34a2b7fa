// JSON submission for API clients and the enhanced form: POST /api/respond/:link with the whole response.
import { Router } from 'express';
import { z } from 'zod';
import { apiRoute } from '../lib/api-route.js';
import { clientOf } from '../lib/client-key.js';
import { AppError } from '../lib/errors.js';
import { langSchema } from '../lib/schemas.js';
import { segmentSchema } from '../responses/segment.js';
import { entryFor } from './entry.js';
import type { CredentialService } from '../credentials/service.js';
import type { SubmissionService } from './submission.js';

// Numbers first: most answers are scale points, and a union stops at the first option that fits.
const answerValue = z.union([z.number().finite(), z.string().max(5000), z.array(z.string().max(100)).max(30)]);

export const submitBody = z.strictObject({
  submissionId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'must be 16–64 letters, digits, _ or - (a random id per response)'),
  lang: langSchema.optional().describe('the language the respondent answered in; accepted for older clients, not stored (a response keeps no language)'),
  segment: segmentSchema.default({}),
  answers: z.record(z.string().max(100), answerValue).refine((a) => Object.keys(a).length <= 500, 'too many answers'),
  token: z.string().max(64).optional(),
  credential: z
    .strictObject({
      message: z.string().max(200).describe('the prepared message, base64url: 32 random bytes of prefix and 32 random bytes of message (RFC 9474, Randomized)'),
      signature: z.string().max(1000).describe('the unblinded RSASSA-PSS signature, base64url'),
    })
    .optional()
    .describe('a blind-signed credential: required by surveys with blind credentials (then instead of a token; submissionId is not used)'),
});

const submitResult = z.object({ status: z.enum(['stored', 'duplicate']) });

const issueBody = z.strictObject({
  token: z.string().max(64).describe('the personal link\'s token or the slip code'),
  blindedMessage: z.string().max(1400).describe('RFC 9474 blinded_msg, base64url, as many bytes as the key\'s modulus'),
});
const issueResult = z.object({
  blindSignature: z.string().describe('RFC 9474 blind_sig, base64url: finalize it with the blinding inverse to get the credential\'s signature'),
  status: z.enum(['issued', 'again']).describe('"again": the same blinded message was signed before (a retry)'),
});
const keyResult = z.object({
  campaign: z.string(),
  algorithm: z.literal('RSABSSA-SHA384-PSS-Randomized'),
  bits: z.number().int(),
  spki: z.string().describe('the public key, SubjectPublicKeyInfo DER in base64url'),
  fingerprint: z.string().describe('SHA-256 of the SubjectPublicKeyInfo, hex (also on the public verification page)'),
  verification: z.string().describe('address of the public verification page'),
});
const linkParams = z.object({ link: z.string().max(40) });

export function respondApiRouter(submissions: SubmissionService, credentials: CredentialService): Router {
  const router = Router();

  apiRoute(
    router,
    {
      method: 'get',
      path: '/api/respond/:link/key',
      summary: 'The public key of a survey with blind credentials',
      description: 'RSABSSA-SHA384-PSS-Randomized (RFC 9474). 404 when the survey does not use blind credentials (or is unknown); 409 campaign_not_open for a survey not opened yet, campaign_closed for one that closed without a key.',
      tags: ['respond'],
      access: 'anyone with the link',
      params: linkParams,
      response: keyResult,
    },
    async (_req, res) => {
      const { link } = res.locals.params as { link: string };
      const entry = await entryFor({ link });
      if (!entry.blind) throw new AppError(404, 'credentials_off', 'This survey does not use blind credentials.');
      const key = await credentials.key(entry.campaign);
      if (!key) throw entry.state === 'closed' ? new AppError(409, 'campaign_closed', 'This survey has closed.') : new AppError(409, 'campaign_not_open', 'This survey is not open yet.');
      res.json({ campaign: entry.campaign._id, algorithm: 'RSABSSA-SHA384-PSS-Randomized' as const, bits: key.bits, spki: key.spki, fingerprint: key.fingerprint, verification: `/credentials/${entry.campaign._id}` });
    },
  );

  apiRoute(
    router,
    {
      method: 'post',
      path: '/api/respond/:link/credential',
      summary: 'Exchange a token for a blind-signed credential (surveys with blind credentials)',
      description:
        'The browser (or client) picks a random 32-byte message, prepares it with a 32-byte random prefix, blinds it with the survey\'s public key (GET /api/respond/{link}/key) and sends the blinded message with its token. ' +
        'One credential per token: 201 the first time; 200 "again" for the same blinded message (a retry); 409 credential_issued for another one. The answers are then submitted with the finalized credential and without the token. ' +
        '400 invalid_blinded_message for a message the key cannot sign; 404 for an unknown token; 409 credentials_off, campaign_closed or campaign_not_open; 429 after too many unknown tokens.',
      tags: ['respond'],
      access: 'the holder of a token of this survey',
      params: linkParams,
      body: issueBody,
      response: issueResult,
      status: [201, 200],
    },
    async (req, res) => {
      const body = res.locals.body as z.infer<typeof issueBody>;
      const { link } = res.locals.params as { link: string };
      const { campaign, token } = await submissions.guard.tokenLookup(clientOf(req, res), link, () => credentials.campaignOfToken(link, body.token));
      const issued = await credentials.issue(campaign, token, body.blindedMessage);
      res.status(issued.status === 'issued' ? 201 : 200).json(issued);
    },
  );

  apiRoute(
    router,
    {
      method: 'post',
      path: '/api/respond/:link',
      summary: 'Submit a whole response through an open link (or with a single-use token)',
      description:
        'Answers are keyed by item id (matrix rows by row id; "<item>:other" for other-text). Likert 1–5 or "na"; nps 0–10; single: option value; multiple: list of values. ' +
        '201 stored; retrying with the same submissionId never stores twice (200, status "duplicate"). 409 already_answered when a token was used; 429 with Retry-After when flooded, or after too many tokens that do not exist from one client or for one link. ' +
        'A survey with blind credentials takes a credential instead of a token (403 credential_required without one, 409 credential_required with a token): 400 invalid_credential when its signature does not verify with the survey\'s key, 409 credential_spent when a response was stored with it already.',
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
      const outcome = await submissions.accept(entry, { segment: body.segment, answers: body.answers, submissionId: body.submissionId, client, credential: body.credential });
      if (outcome.status === 'invalid') throw new AppError(400, 'validation_failed', `Some answers are not valid: ${outcome.errors.slice(0, 5).map((e) => `${e.item}: ${e.code}`).join('; ')}`, outcome.errors);
      res.status(outcome.status === 'stored' ? 201 : 200).json({ status: outcome.status });
    },
  );
  return router;
}
