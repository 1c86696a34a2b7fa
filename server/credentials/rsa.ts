// The server's half of RSABSSA-SHA384-PSS-Randomized (RFC 9474) on Node's own crypto: the blind signature
// (RSASP1 on the blinded message, then RSAVP1 to check it before it is returned, RFC 9474 §4.3) and the
// verification of a finished credential (RSASSA-PSS, SHA-384, MGF1-SHA-384, 48-byte salt, RFC 8017), on
// the prepared message: a 32-byte random prefix (the "Randomized" variant) and the 32-byte random message
// the browser chose. OpenSSL blinds its own private-key operation against timing attacks.
import { constants, privateDecrypt, publicEncrypt, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

export const ALGORITHM = 'RSABSSA-SHA384-PSS-Randomized';
/** Modulus length of every campaign key (RFC 9474 asks for at least 2048). */
export const KEY_BITS = 2048;
export const KEY_BYTES = KEY_BITS / 8;
export const SALT_BYTES = 48;
/** The prepared message: 32 random bytes of prefix (RFC 9474 §4.1, Randomized) and 32 random bytes of message. */
export const PREPARED_BYTES = 64;

const B64URL = /^[A-Za-z0-9_-]*$/;

/** Strict base64url (no padding, no other letters): undefined when the text is not. */
export function fromBase64url(text: string): Buffer | undefined {
  if (!B64URL.test(text) || text.length % 4 === 1) return undefined;
  return Buffer.from(text, 'base64url');
}

export class SigningFailure extends Error {}

/**
 * BlindSign (RFC 9474 §4.3): s = m^d mod n, then m' = s^e mod n must equal m before s is returned.
 * Throws RangeError when the blinded message is not a number below the modulus.
 */
export function blindSign(privateKey: KeyObject, publicKey: KeyObject, blinded: Buffer): Buffer {
  if (blinded.length !== KEY_BYTES) throw new RangeError(`the blinded message must be ${KEY_BYTES} bytes`);
  let signature: Buffer;
  try {
    signature = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, blinded);
  } catch {
    throw new RangeError('the blinded message is not a number below the key\u2019s modulus');
  }
  const back = publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
  if (back.length !== blinded.length || !timingSafeEqual(back, blinded)) throw new SigningFailure('signing failure');
  return signature;
}

/** RSASSA-PSS-VERIFY of a finished credential on its prepared message. */
export function verifyCredential(publicKey: KeyObject, prepared: Buffer, signature: Buffer): boolean {
  if (prepared.length !== PREPARED_BYTES || signature.length !== KEY_BYTES) return false;
  try {
    return verify('sha384', prepared, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: SALT_BYTES }, signature);
  } catch {
    return false;
  }
}
