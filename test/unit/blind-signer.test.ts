// The signing thread (server/credentials/signer.ts): the same signature as signing on the request thread, the
// same refusal of a message the key cannot sign, and a thread that stops fails what it held and is replaced.
import { expect } from 'chai';
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { blindSign } from '../../server/credentials/rsa.js';
import { BlindSigner } from '../../server/credentials/signer.js';

describe('the blind signer thread', function () {
  this.timeout(30_000);
  let privateKey: KeyObject;
  let publicKey: KeyObject;
  let signer: BlindSigner;
  before(() => {
    ({ privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 }));
  });
  beforeEach(() => {
    signer = new BlindSigner();
  });
  afterEach(() => signer.close());

  /** A number below the modulus: a leading byte of 1. */
  const message = () => Buffer.concat([Buffer.from([1]), randomBytes(255)]);

  it('gives the signature the request thread would, for many messages at once', async () => {
    const messages = Array.from({ length: 40 }, message);
    const signatures = await Promise.all(messages.map((m) => signer.sign(privateKey, publicKey, m)));
    signatures.forEach((s, i) => expect(s.equals(blindSign(privateKey, publicKey, messages[i]!)), `message ${i}`).to.equal(true));
  });

  it('refuses a message that is not below the modulus with a RangeError, and signs the next one', async () => {
    let refused: unknown;
    await signer.sign(privateKey, publicKey, Buffer.alloc(256, 0xff)).catch((err: unknown) => (refused = err));
    expect(refused).to.be.instanceOf(RangeError);
    const m = message();
    expect((await signer.sign(privateKey, publicKey, m)).equals(blindSign(privateKey, publicKey, m))).to.equal(true);
  });

  it('fails the requests of a thread that stops, and starts a new thread for the next request', async () => {
    const held = Array.from({ length: 5 }, () => signer.sign(privateKey, publicKey, message()).then(() => 'signed', () => 'failed'));
    await signer.close();
    const outcomes = await Promise.all(held);
    // Each request either finished before the thread stopped or failed: none is left waiting.
    expect(outcomes.every((o) => o === 'signed' || o === 'failed')).to.equal(true);
    expect(outcomes).to.include('failed');
    const m = message();
    expect((await signer.sign(privateKey, publicKey, m)).equals(blindSign(privateKey, publicKey, m))).to.equal(true);
  });
});
