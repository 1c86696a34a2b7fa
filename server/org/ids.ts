// Generated string ids ("fac_9k2m…"): short, URL-safe, with a prefix that says what they name. Colleagues
// store these ids in campaigns and responses, so they never change once given.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

/** 16 characters of base32 (80 random bits) after the prefix, e.g. newId('prg') → "prg_4t9m2k…". */
export function newId(prefix: string): string {
  const bytes = randomBytes(16);
  let out = '';
  for (const byte of bytes.subarray(0, 16)) out += ALPHABET[byte & 31];
  return `${prefix}_${out}`;
}
