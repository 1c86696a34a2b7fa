// The server's half of RFC 9474 (node:crypto) against an independent implementation — the browser's
// library, @cloudflare/blindrsa-ts (its own bignum code): the same blind signature bit for bit, a credential
// the library finalizes verifies here and there, and what must be refused is refused.
import { expect } from 'chai';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { RSABSSA } from '@cloudflare/blindrsa-ts';
import { blindSign, fromBase64url, KEY_BYTES, verifyCredential } from '../../server/credentials/rsa.js';
import { Blinder } from '../bench/blind.js';

describe('blind RSA signatures (RFC 9474, RSABSSA-SHA384-PSS-Randomized)', function () {
  this.timeout(60_000);
  const suite = RSABSSA.SHA384.PSS.Randomized();
  let privateKey: KeyObject;
  let publicKey: KeyObject;
  let webPublic: CryptoKey;
  let webPrivate: CryptoKey;

  before(async () => {
    ({ privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 }));
    webPublic = await crypto.subtle.importKey('spki', publicKey.export({ type: 'spki', format: 'der' }), { name: 'RSA-PSS', hash: 'SHA-384' }, true, ['verify']);
    webPrivate = await crypto.subtle.importKey('pkcs8', privateKey.export({ type: 'pkcs8', format: 'der' }), { name: 'RSA-PSS', hash: 'SHA-384' }, true, ['sign']);
  });

  async function blinded() {
    const prepared = suite.prepare(crypto.getRandomValues(new Uint8Array(32)));
    const { blindedMsg, inv } = await suite.blind(webPublic, prepared);
    return { prepared, blindedMsg, inv };
  }

  it('signs a blinded message exactly as the library does, and the finished credential verifies in both', async () => {
    const { prepared, blindedMsg, inv } = await blinded();
    const ours = blindSign(privateKey, publicKey, Buffer.from(blindedMsg));
    const theirs = await suite.blindSign(webPrivate, blindedMsg);
    expect(ours.toString('hex')).to.equal(Buffer.from(theirs).toString('hex'));
    const signature = await suite.finalize(webPublic, prepared, new Uint8Array(ours), inv);
    expect(verifyCredential(publicKey, Buffer.from(prepared), Buffer.from(signature))).to.equal(true);
    expect(await suite.verify(webPublic, signature, prepared)).to.equal(true);
    expect(prepared).to.have.length(64);
    expect(ours).to.have.length(KEY_BYTES);
  });

  it('refuses a changed message, a changed signature, another key and the zero-salt variant', async () => {
    const { prepared, blindedMsg, inv } = await blinded();
    const signature = Buffer.from(await suite.finalize(webPublic, prepared, new Uint8Array(blindSign(privateKey, publicKey, Buffer.from(blindedMsg))), inv));
    const message = Buffer.from(prepared);
    const flipped = (b: Buffer, at: number) => {
      const c = Buffer.from(b);
      c[at]! ^= 0x80;
      return c;
    };
    expect(verifyCredential(publicKey, flipped(message, 0), signature), 'prefix').to.equal(false);
    expect(verifyCredential(publicKey, flipped(message, 63), signature), 'message').to.equal(false);
    expect(verifyCredential(publicKey, message, flipped(signature, 17)), 'signature').to.equal(false);
    expect(verifyCredential(publicKey, message.subarray(0, 63), signature), 'short message').to.equal(false);
    expect(verifyCredential(publicKey, message, signature.subarray(1)), 'short signature').to.equal(false);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    expect(verifyCredential(other, message, signature), 'another key').to.equal(false);
    // RSABSSA-SHA384-PSSZERO: the same key, a salt of length 0 — a different variant, refused.
    const zero = RSABSSA.SHA384.PSSZero.Randomized();
    const z = zero.prepare(crypto.getRandomValues(new Uint8Array(32)));
    const zb = await zero.blind(webPublic, z);
    const zs = await zero.finalize(webPublic, z, new Uint8Array(blindSign(privateKey, publicKey, Buffer.from(zb.blindedMsg))), zb.inv);
    expect(verifyCredential(publicKey, Buffer.from(z), Buffer.from(zs)), 'zero salt').to.equal(false);
  });

  it('refuses to sign what is not a number below the modulus, or not as long as it', () => {
    expect(() => blindSign(privateKey, publicKey, Buffer.alloc(KEY_BYTES, 0xff))).to.throw(RangeError);
    expect(() => blindSign(privateKey, publicKey, Buffer.alloc(KEY_BYTES - 1, 1))).to.throw(RangeError);
    expect(() => blindSign(privateKey, publicKey, Buffer.alloc(KEY_BYTES + 1, 1))).to.throw(RangeError);
  });

  it('accepts what the benchmark\'s load client makes (its BigInt blinding must give real credentials)', () => {
    const blinder = Blinder.from(publicKey.export({ type: 'spki', format: 'der' }).toString('base64url'));
    for (let i = 0; i < 5; i++) {
      const { prepared, blinded, inv } = blinder.blind();
      const credential = blinder.finalize(prepared, inv, blindSign(privateKey, publicKey, Buffer.from(blinded, 'base64url')).toString('base64url'));
      expect(verifyCredential(publicKey, Buffer.from(credential.message, 'base64url'), Buffer.from(credential.signature, 'base64url'))).to.equal(true);
    }
  });

  it('reads strict base64url only', () => {
    expect(fromBase64url('AQID')?.toString('hex')).to.equal('010203');
    expect(fromBase64url('AQ')?.toString('hex')).to.equal('01');
    for (const bad of ['AQ==', 'A+/B', 'A', 'a b', '\u00e9']) expect(fromBase64url(bad), bad).to.equal(undefined);
  });
});
