// Random identifiers and hashes. Crockford base32 avoids look-alike letters on printed token slips.
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export function randomBase32(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i]! & 31];
  return out;
}

export const newId = (prefix: string) => `${prefix}${randomBase32(14)}`;

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/** Normalises a token typed from a slip: case, spaces, dashes, and letters that look like digits. */
export function normaliseToken(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, '').replace(/[oi l]/g, (c) => (c === 'o' ? '0' : '1'));
}

export const TOKEN_PATTERN = /^[0-9a-hjkmnp-tv-z]{12,40}$/;
