// The blind signer's thread (signer.ts): RSASP1 on a blinded message, then RSAVP1 to check the signature
// before it leaves (RFC 9474 §4.3, rsa.ts). It holds the keys the request thread still holds, by number.
import { parentPort } from 'node:worker_threads';
import type { KeyObject } from 'node:crypto';
import { blindSign, SigningFailure } from './rsa.js';
import type { SignRequest, SignResult } from './signer.js';

const keys = new Map<number, { privateKey: KeyObject; publicKey: KeyObject }>();

parentPort!.on('message', (request: SignRequest) => {
  if ('forget' in request) {
    keys.delete(request.forget);
    return;
  }
  if (request.keys) keys.set(request.key, request.keys);
  let result: SignResult;
  try {
    const pair = keys.get(request.key);
    if (!pair) throw new Error('the signing thread does not hold this key');
    result = { id: request.id, signature: blindSign(pair.privateKey, pair.publicKey, Buffer.from(request.blinded.buffer, request.blinded.byteOffset, request.blinded.byteLength)) };
  } catch (err) {
    const kind = err instanceof RangeError ? 'range' : err instanceof SigningFailure ? 'failure' : 'other';
    result = { id: request.id, error: { kind, message: err instanceof Error ? err.message : String(err) } };
  }
  parentPort!.postMessage(result);
});
