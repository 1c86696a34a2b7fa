// GET /api/credentials/:id — the public ledger of a campaign with blind credentials, as JSON (the page is
// routes.ts): anyone can fetch it, compare it over time and check credentials against the key.
import { Router } from 'express';
import { z } from 'zod';
import { apiRoute } from '../lib/api-route.js';
import { isoDateTime } from '../lib/iso-date.js';
import { campaignParams } from '../lib/schemas.js';
import { verifiableCampaign } from './public.js';
import { ALGORITHM } from './rsa.js';
import type { CredentialService } from './service.js';

const ledgerOut = z.object({
  campaign: z.string(),
  state: z.enum(['draft', 'scheduled', 'open', 'closed']),
  eligible: z.number().int().describe('personal links and slips issued for the survey: who may answer'),
  issued: z.number().int().describe('credentials issued (at most one per link or slip)'),
  spent: z.number().int().describe('credentials spent: responses stored, each under the credential it spent'),
  responses: z.number().int().describe('responses the results count'),
  agree: z.boolean().describe('issued ≤ eligible, spent ≤ issued, and the results count exactly the spent credentials'),
  algorithm: z.literal(ALGORITHM),
  key: z
    .object({
      bits: z.number().int(),
      spki: z.string().describe('SubjectPublicKeyInfo, DER, base64url'),
      pem: z.string(),
      fingerprint: z.string().describe('SHA-256 of the SubjectPublicKeyInfo, hex'),
      createdOn: z.string(),
      destroyedOn: z.string().nullable().describe('the day the private key was destroyed (after closing); null while the survey may still issue'),
    })
    .nullable(),
  countedAt: isoDateTime.describe('the figures are recounted at most once a minute'),
});

export function credentialsApiRouter(credentials: CredentialService): Router {
  const router = Router();
  apiRoute(
    router,
    {
      method: 'get',
      path: '/api/credentials/:id',
      summary: 'Public ledger of a survey with blind credentials',
      description: 'Eligible, issued and spent credentials, responses counted, and the public key (RFC 9474, RSABSSA-SHA384-PSS-Randomized). 404 for a survey without blind credentials or not yet opened.',
      tags: ['respond'],
      access: 'anyone',
      params: campaignParams,
      response: ledgerOut,
    },
    async (_req, res) => {
      const campaign = await verifiableCampaign((res.locals.params as { id: string }).id);
      await credentials.key(campaign);
      const l = await credentials.ledger(campaign);
      res.json({
        campaign: l.campaign,
        state: l.state,
        eligible: l.eligible,
        issued: l.issued,
        spent: l.spent,
        responses: l.responses,
        agree: l.agree,
        algorithm: l.algorithm,
        key: l.key ? { bits: l.key.bits, spki: l.key.spki, pem: l.key.pem, fingerprint: l.key.fingerprint, createdOn: l.key.createdOn, destroyedOn: l.key.destroyedOn ?? null } : null,
        countedAt: l.countedAt.toISOString(),
      } satisfies z.infer<typeof ledgerOut>);
    },
  );
  return router;
}
