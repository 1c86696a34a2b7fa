// A respondent's side of blind credentials in Node, with the same library the browser uses
// (@cloudflare/blindrsa-ts on WebCrypto), for tests that obtain and spend credentials over HTTP.
import { RSABSSA } from '@cloudflare/blindrsa-ts';

export interface Credential {
  message: string;
  signature: string;
}

export interface BlindRequest {
  /** The blinded message to send with the token (base64url). */
  blinded: string;
  /** Turns the blind signature into the credential (checks it with the key, as the browser does). */
  finalize(blindSignature: string): Promise<Credential>;
}

const suite = RSABSSA.SHA384.PSS.Randomized();

export async function importKey(spki: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('spki', Buffer.from(spki, 'base64url'), { name: 'RSA-PSS', hash: 'SHA-384' }, true, ['verify']);
}

/** Prepares a random 32-byte message and blinds it with the campaign's key. */
export async function blindRequest(spki: string): Promise<BlindRequest> {
  const key = await importKey(spki);
  const prepared = suite.prepare(crypto.getRandomValues(new Uint8Array(32)));
  const { blindedMsg, inv } = await suite.blind(key, prepared);
  return {
    blinded: Buffer.from(blindedMsg).toString('base64url'),
    async finalize(blindSignature) {
      const signature = await suite.finalize(key, prepared, new Uint8Array(Buffer.from(blindSignature, 'base64url')), inv);
      return { message: Buffer.from(prepared).toString('base64url'), signature: Buffer.from(signature).toString('base64url') };
    },
  };
}

/** The campaign's public key through the respondent API. */
export async function fetchKey(url: string, link: string): Promise<{ spki: string; fingerprint: string; campaign: string }> {
  const res = await fetch(`${url}/api/respond/${link}/key`);
  if (res.status !== 200) throw new Error(`key: ${res.status} ${await res.text()}`);
  return (await res.json()) as { spki: string; fingerprint: string; campaign: string };
}

/** POST /api/respond/:link/credential. */
export async function requestCredential(url: string, link: string, token: string, blinded: string): Promise<{ status: number; body: { blindSignature?: string; status?: string; error?: { code: string; message: string } } }> {
  const res = await fetch(`${url}/api/respond/${link}/credential`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, blindedMessage: blinded }) });
  return { status: res.status, body: (await res.json()) as { blindSignature?: string; status?: string; error?: { code: string; message: string } } };
}

/** A whole issuance: key, blind, exchange the token, finalize. */
export async function obtainCredential(url: string, link: string, token: string, spki?: string): Promise<Credential> {
  const request = await blindRequest(spki ?? (await fetchKey(url, link)).spki);
  const issued = await requestCredential(url, link, token, request.blinded);
  if (issued.status !== 201 || !issued.body.blindSignature) throw new Error(`issuance: ${issued.status} ${JSON.stringify(issued.body)}`);
  return request.finalize(issued.body.blindSignature);
}
