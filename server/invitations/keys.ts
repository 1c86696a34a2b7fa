// Identifiers derived from secrets and hashes, so every lookup is by _id and nothing needs storing twice.
import { createHmac } from 'node:crypto';
import { invitationToken } from '../campaigns/tokens.js';
import { sha256 } from '../lib/ids.js';
import type { SendKind } from './model.js';

export const contactIdOf = (campaignId: string, email: string) => 'k' + sha256(`contact:${campaignId}:${email.trim().toLowerCase()}`).slice(0, 32);

/** The unsubscribe link's id: an HMAC of the contact id — never the survey token. */
export function unsubscribeIdOf(secret: string, contactId: string): string {
  return createHmac('sha256', secret).update(`unsubscribe:${contactId}`).digest('base64url').slice(0, 32);
}

/** A send claim's _id: keyed by the secret, so the claim cannot be computed from a contact's id alone. */
export function claimIdOf(secret: string, campaignId: string, contactId: string, kind: SendKind, sequence: number): string {
  return createHmac('sha256', secret).update(`send:${campaignId}:${contactId}:${kind}:${sequence}`).digest('base64url');
}

export const contactToken = (secret: string, campaignId: string, contactId: string) => invitationToken(secret, campaignId, contactId);

export const UNSUBSCRIBE_ID = /^[A-Za-z0-9_-]{32}$/;
