// Blind signatures off the event loop. The RSA-2048 private-key operation takes about 0.35 ms of CPU, a
// fifth of everything else an issuance costs the server; on the request thread it delays every other
// request by as much. One worker thread does it instead (sign-worker.ts); the request thread posts the
// blinded message and awaits the answer. A worker that dies fails the requests it held (503, the browser
// asks again) and a new one starts with the next request.
//
// A campaign's keys go to the thread once (cloning them with every message cost about 0.15 ms of the
// request thread), under a number. The thread lets a key go when this thread's key object is collected: a
// destroyed private key (keys.ts forgets it) lives no longer there than here, and is never asked for again,
// since only a key this thread still holds is sent.
import { Worker } from 'node:worker_threads';
import type { KeyObject } from 'node:crypto';
import { SigningFailure } from './rsa.js';

export type SignRequest =
  | { id: number; key: number; keys?: { privateKey: KeyObject; publicKey: KeyObject }; blinded: Uint8Array }
  /** The key numbered `forget` is no longer held by the request thread. */
  | { forget: number };

export type SignResult = { id: number; signature: Uint8Array } | { id: number; error: { kind: 'range' | 'failure' | 'other'; message: string } };

interface Pending {
  worker: Worker;
  resolve: (signature: Buffer) => void;
  reject: (err: unknown) => void;
}

/** One per process (CredentialService). */
export class BlindSigner {
  private worker: Worker | undefined;
  /** Key numbers the current worker holds. */
  private sent = new Set<number>();
  private readonly pending = new Map<number, Pending>();
  private readonly keyNumbers = new WeakMap<KeyObject, number>();
  private readonly collected = new FinalizationRegistry<number>((key) => {
    if (this.sent.delete(key)) this.worker?.postMessage({ forget: key } satisfies SignRequest);
  });
  private next = 0;
  private nextKey = 0;

  /** blindSign (rsa.ts) on the signer's thread: RangeError for a message the key cannot sign, as there. */
  sign(privateKey: KeyObject, publicKey: KeyObject, blinded: Buffer): Promise<Buffer> {
    const worker = this.worker ?? this.start();
    const id = this.next++;
    let key = this.keyNumbers.get(privateKey);
    if (key === undefined) {
      key = this.nextKey++;
      this.keyNumbers.set(privateKey, key);
      this.collected.register(privateKey, key);
    }
    const known = this.sent.has(key);
    this.sent.add(key);
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      // A copy of its own: a small Buffer shares an 8 KB pool, which the message would copy whole.
      worker.postMessage({ id, key, ...(known ? {} : { keys: { privateKey, publicKey } }), blinded: new Uint8Array(blinded) } satisfies SignRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    // Compiled, this module is dist/…/signer.js beside sign-worker.js. Under tsx (the tests) both are .ts
    // files, and tsx registers its loader on the main thread only: the thread registers it before importing.
    const entry = new URL(import.meta.url.endsWith('.ts') ? './sign-worker.ts' : './sign-worker.js', import.meta.url).href;
    const load = entry.endsWith('.ts') ? `import('tsx/esm/api').then((tsx) => tsx.register()).then(() => import(${JSON.stringify(entry)}))` : `import(${JSON.stringify(entry)})`;
    const worker = new Worker(load, { eval: true });
    // Idle, it must not keep the process alive; a request in flight is held by its caller.
    worker.unref();
    worker.on('message', (result: SignResult) => {
      const p = this.pending.get(result.id);
      if (!p) return;
      this.pending.delete(result.id);
      if ('signature' in result) return p.resolve(Buffer.from(result.signature));
      const { kind, message } = result.error;
      p.reject(kind === 'range' ? new RangeError(message) : kind === 'failure' ? new SigningFailure(message) : new Error(message));
    });
    const fail = (err: unknown) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, p] of this.pending) {
        if (p.worker !== worker) continue;
        this.pending.delete(id);
        p.reject(err);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the signing thread stopped (exit code ${code})`)));
    this.worker = worker;
    this.sent = new Set();
    return worker;
  }
}
