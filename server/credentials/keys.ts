// One RSA key pair per campaign that uses blind credentials (2048 bits, e = 65537). The public key is
// published (the verification page, the respondent pages) so anyone can check a credential. The private key
// is stored like the other secrets: it never sits in the database in the clear, but encrypted (AES-256-GCM)
// under a key derived from JWT_SECRET — which lives in DATA_DIR/secrets.json or the environment, not in the
// database — so a copy of the database alone cannot sign. Once the campaign has closed the private key is
// destroyed (the field removed; on the embedded store secure_delete zeroes its bytes) and the public key is
// kept as the archive. A key is created once: by a unique insert, so two processes (or two requests) that
// race to create it end with the same one.
import { createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, generateKeyPair, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import type { Collection } from 'mongodb';
import type { Logger } from 'pino';
import { effectiveStatus, type CampaignDoc } from '../campaigns/model.js';
import { usesBlindCredentials } from '../campaigns/blind.js';
import { Campaign } from '../campaigns/model.js';
import { findCampaign } from '../campaigns/service.js';
import { localDay } from '../lib/dates.js';
import { ALGORITHM, KEY_BITS } from './rsa.js';

const generate = promisify(generateKeyPair);

interface Sealed {
  iv: string;
  tag: string;
  data: string;
}

export interface CredentialKeyDoc {
  /** The campaign's id. */
  _id: string;
  algorithm: typeof ALGORITHM;
  bits: number;
  /** SubjectPublicKeyInfo, DER, base64url. */
  publicKey: string;
  /** SHA-256 of the SubjectPublicKeyInfo, hex: what respondents and the verification page compare. */
  fingerprint: string;
  /** The PKCS #8 private key, sealed under the secret; absent once destroyed. */
  privateKey?: Sealed;
  createdOn: string;
  destroyedOn?: string;
}

export interface CampaignKey {
  campaign: string;
  bits: number;
  publicKey: KeyObject;
  /** SubjectPublicKeyInfo (DER) as base64url, for the browser (WebCrypto imports "spki"). */
  spki: string;
  pem: string;
  fingerprint: string;
  createdOn: string;
  destroyedOn?: string;
}

export const KEYS = 'credential_keys';

function keys(): Collection<CredentialKeyDoc> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  return db.collection<CredentialKeyDoc>(KEYS);
}

/** The sealing key of one campaign's private key: HKDF-SHA-256 of the secret, bound to the campaign. */
function sealingKey(secret: string, campaign: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'pikir:credential-keys', campaign, 32));
}

function seal(secret: string, campaign: string, plain: Buffer): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(secret, campaign), iv);
  cipher.setAAD(Buffer.from(campaign));
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { iv: iv.toString('base64url'), tag: cipher.getAuthTag().toString('base64url'), data: data.toString('base64url') };
}

function unseal(secret: string, campaign: string, sealed: Sealed): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(secret, campaign), Buffer.from(sealed.iv, 'base64url'));
  decipher.setAAD(Buffer.from(campaign));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64url')), decipher.final()]);
}

export const fingerprintOf = (spkiDer: Buffer) => createHash('sha256').update(spkiDer).digest('hex');

function publicView(doc: CredentialKeyDoc): CampaignKey {
  const der = Buffer.from(doc.publicKey, 'base64url');
  const publicKey = createPublicKey({ key: der, format: 'der', type: 'spki' });
  return {
    campaign: doc._id,
    bits: doc.bits,
    publicKey,
    spki: doc.publicKey,
    pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: doc.fingerprint,
    createdOn: doc.createdOn,
    ...(doc.destroyedOn ? { destroyedOn: doc.destroyedOn } : {}),
  };
}

/** Public keys never change: remembered once read. Private keys are unsealed when first needed. */
const publicKeys = new Map<string, CampaignKey>();
const privateKeys = new Map<string, KeyObject>();
const creating = new Map<string, Promise<CampaignKey>>();

/** Forgets what this process holds of a campaign's key (after destroying it; tests). */
export function forgetKey(campaign: string): void {
  privateKeys.delete(campaign);
  publicKeys.delete(campaign);
}

/**
 * The campaign's key as published, or undefined if it has none yet. By _id; the public key never changes,
 * so it is read once (`fresh` reads the document again, for whether the private key is destroyed).
 */
export async function findKey(campaign: string, options: { fresh?: boolean } = {}): Promise<CampaignKey | undefined> {
  const known = publicKeys.get(campaign);
  if (known && !options.fresh) return known;
  const doc = await keys().findOne({ _id: campaign }, { projection: { privateKey: 0 } });
  if (!doc) return undefined;
  const view = publicView(doc);
  publicKeys.set(campaign, view);
  return view;
}

/**
 * The campaign's key, created now if it has none (a campaign with blind credentials that has opened and not closed).
 * Generation takes 0.1–2 s on another thread; concurrent callers in this process share it, and a
 * concurrent creator elsewhere wins by the unique _id.
 */
export async function ensureKey(secret: string, campaign: Pick<CampaignDoc, '_id' | 'status' | 'opensAt' | 'closesAt' | 'blindCredentials'>): Promise<CampaignKey | undefined> {
  const existing = await findKey(campaign._id);
  if (existing) return existing;
  // Made for a campaign that has opened (or is scheduled to) and not closed: a draft may still drop the option.
  if (!usesBlindCredentials(campaign) || campaign.status !== 'open' || effectiveStatus(campaign) === 'closed') return undefined;
  let pending = creating.get(campaign._id);
  if (!pending) {
    pending = createKey(secret, campaign._id).finally(() => creating.delete(campaign._id));
    creating.set(campaign._id, pending);
  }
  return pending;
}

async function createKey(secret: string, campaign: string): Promise<CampaignKey> {
  const pair = await generate('rsa', { modulusLength: KEY_BITS, publicExponent: 0x10001 });
  const spki = pair.publicKey.export({ type: 'spki', format: 'der' });
  const pkcs8 = pair.privateKey.export({ type: 'pkcs8', format: 'der' });
  const doc: CredentialKeyDoc = {
    _id: campaign,
    algorithm: ALGORITHM,
    bits: KEY_BITS,
    publicKey: spki.toString('base64url'),
    fingerprint: fingerprintOf(spki),
    privateKey: seal(secret, campaign, pkcs8),
    createdOn: localDay(new Date()),
  };
  try {
    await keys().insertOne(doc);
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    // Another process (or an earlier attempt whose answer was lost) created it first: that one is the key.
  }
  const stored = await findKey(campaign);
  if (!stored) throw new Error('the campaign key could not be stored');
  return stored;
}

/** The private key to sign with, or undefined when there is none (never created, or destroyed). */
export async function signingKey(secret: string, campaign: string): Promise<KeyObject | undefined> {
  const known = privateKeys.get(campaign);
  if (known) return known;
  const doc = await keys().findOne({ _id: campaign });
  if (!doc?.privateKey) return undefined;
  const key = createPrivateKey({ key: unseal(secret, campaign, doc.privateKey), format: 'der', type: 'pkcs8' });
  privateKeys.set(campaign, key);
  return key;
}

/** Destroys a campaign's private key and keeps the public one (the archive). Idempotent. */
export async function destroyPrivateKey(campaign: string, now = new Date()): Promise<boolean> {
  const result = await keys().updateOne({ _id: campaign }, { $unset: { privateKey: '' }, $set: { destroyedOn: localDay(now) } });
  forgetKey(campaign);
  return result.modifiedCount === 1;
}

/**
 * The key sweep (a timer in bootstrap, and once at start): destroys the private keys of campaigns that have
 * closed (or no longer exist), and creates the keys of open or scheduled campaigns that still lack one, so
 * the first respondent does not wait for a key. Reads the small keys and campaigns collections.
 */
export async function sweepKeys(secret: string, logger?: Logger, now = new Date()): Promise<{ destroyed: number; created: number }> {
  let destroyed = 0;
  let created = 0;
  const live = await keys().find({ privateKey: { $exists: true } }, { projection: { _id: 1 } }).toArray();
  for (const { _id } of live) {
    const campaign = await findCampaign(_id);
    if (!campaign || effectiveStatus(campaign, now) === 'closed') {
      if (await destroyPrivateKey(_id, now)) destroyed++;
    }
  }
  const blind = (await Campaign.find({ blindCredentials: true, status: 'open' }).lean()) as CampaignDoc[];
  for (const campaign of blind) {
    if (effectiveStatus(campaign, now) === 'closed' || (await findKey(campaign._id))) continue;
    await ensureKey(secret, campaign);
    created++;
  }
  if (destroyed || created) logger?.info({ destroyed, created }, 'credential keys swept');
  return { destroyed, created };
}
