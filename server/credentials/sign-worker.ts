// The blind signer's thread (signer.ts): RSASP1 on a blinded message, then RSAVP1 to check the signature
// before it leaves (RFC 9474 §4.3, rsa.ts). The keys arrive with each request and are kept nowhere here, so
// a private key destroyed after its campaign closed does not linger in this thread.
import { parentPort } from 'node:worker_threads';
import { blindSign, SigningFailure } from './rsa.js';
import type { SignRequest, SignResult } from './signer.js';

parentPort!.on('message', (request: SignRequest) => {
  let result: SignResult;
  try {
    result = { id: request.id, signature: blindSign(request.privateKey, request.publicKey, request.blinded) };
  } catch (err) {
    const kind = err instanceof RangeError ? 'range' : err instanceof SigningFailure ? 'failure' : 'other';
    result = { id: request.id, error: { kind, message: err instanceof Error ? err.message : String(err) } };
  }
  parentPort!.postMessage(result);
});
