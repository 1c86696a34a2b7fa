// Blind credentials under load (RFC 9474): the cost of an issuance (token → blind signature: a token read,
// a group-committed claim, the token's unused record deleted, an RSA-2048 private-key operation and its
// check), of a verified submission (an RSA-PSS verification and the response stored under the credential),
// and the respondent cycle with blind tokens: get the credential, GET the survey page, POST the answers with
// the credential. The load client blinds and finalizes with BigInt arithmetic and a small pool of blinding
// factors (a real browser draws a new one each time; reusing them costs unlinkability, not server work).
import { constants, createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import type { LoadFigures } from './cycle.js';
import { answersJson, measure, requestWithBody } from './cycle.js';

const SALT = 48;

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
  }
  return result;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new Error('not invertible');
  return ((oldS % m) + m) % m;
}

const toBig = (b: Buffer) => BigInt(`0x${b.toString('hex') || '0'}`);
const toBytes = (x: bigint, len: number) => Buffer.from(x.toString(16).padStart(len * 2, '0'), 'hex');
const sha384 = (...parts: Buffer[]) => createHash('sha384').update(Buffer.concat(parts)).digest();

function mgf1(seed: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  for (let counter = 0; out.length * 48 < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    out.push(sha384(seed, c));
  }
  return Buffer.concat(out).subarray(0, length);
}

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1), SHA-384, MGF1-SHA-384, 48-byte salt. */
function emsaPss(message: Buffer, emBits: number): Buffer {
  const emLen = Math.ceil(emBits / 8);
  const salt = randomBytes(SALT);
  const h = sha384(Buffer.alloc(8), sha384(message), salt);
  const db = Buffer.concat([Buffer.alloc(emLen - SALT - 48 - 2), Buffer.from([1]), salt]);
  const mask = mgf1(h, emLen - 48 - 1);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLen - emBits);
  return Buffer.concat([db, h, Buffer.from([0xbc])]);
}

/** The respondent's side for the load client. */
export class Blinder {
  private readonly pool: { x: bigint; inv: bigint }[] = [];
  private at = 0;
  private constructor(
    private readonly n: bigint,
    private readonly bits: number,
    private readonly spki: Buffer,
  ) {
    const e = 65537n;
    for (let i = 0; i < 32; i++) {
      const r = toBig(randomBytes(this.bytes)) % n;
      this.pool.push({ x: modPow(r, e, n), inv: modInverse(r, n) });
    }
  }

  get bytes(): number {
    return Math.ceil(this.bits / 8);
  }

  static from(spki: string): Blinder {
    const der = Buffer.from(spki, 'base64url');
    const jwk = createPublicKey({ key: der, format: 'der', type: 'spki' }).export({ format: 'jwk' }) as { n: string };
    const n = toBig(Buffer.from(jwk.n, 'base64url'));
    return new Blinder(n, n.toString(2).length, der);
  }

  /** A prepared message (32-byte prefix, 32-byte message) and its blinded form. */
  blind(): { prepared: Buffer; blinded: string; inv: bigint } {
    const prepared = randomBytes(64);
    const m = toBig(emsaPss(prepared, this.bits - 1));
    const { x, inv } = this.pool[this.at++ % this.pool.length]!;
    return { prepared, blinded: toBytes((m * x) % this.n, this.bytes).toString('base64url'), inv };
  }

  finalize(prepared: Buffer, inv: bigint, blindSignature: string): { message: string; signature: string } {
    const s = (toBig(Buffer.from(blindSignature, 'base64url')) * inv) % this.n;
    return { message: prepared.toString('base64url'), signature: toBytes(s, this.bytes).toString('base64url') };
  }

  /** Checks a credential as the server will (once, before a run: the client's arithmetic must be right). */
  verifies(c: { message: string; signature: string }): boolean {
    return verify('sha384', Buffer.from(c.message, 'base64url'), { key: createPublicKey({ key: this.spki, format: 'der', type: 'spki' }), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: SALT }, Buffer.from(c.signature, 'base64url'));
  }
}

export interface BlindFigures {
  issuance: LoadFigures;
  submission: LoadFigures;
  cycle: LoadFigures[];
}

/** The blind-credential benchmarks against a campaign with blind credentials and enough unused slips. */
export async function benchBlind(url: string, link: string, tokens: string[], log: (line: string) => void = () => {}): Promise<BlindFigures> {
  const key = await requestWithBody(url, 'GET', `/api/respond/${link}/key`);
  if (key.status !== 200) throw new Error(`key: ${key.status} ${key.text}`);
  const blinder = Blinder.from((JSON.parse(key.text) as { spki: string }).spki);
  let next = 0;
  const credentials: { message: string; signature: string }[] = [];

  const issue = async (): Promise<{ message: string; signature: string } | undefined> => {
    const token = tokens[next++];
    if (!token) return undefined;
    const { prepared, blinded, inv } = blinder.blind();
    const res = await requestWithBody(url, 'POST', `/api/respond/${link}/credential`, JSON.stringify({ token, blindedMessage: blinded }));
    if (res.status !== 201) return undefined;
    return blinder.finalize(prepared, inv, (JSON.parse(res.text) as { blindSignature: string }).blindSignature);
  };
  const submit = async (credential: { message: string; signature: string }) =>
    (await requestWithBody(url, 'POST', `/api/respond/${link}`, `{"submissionId":"${randomBytes(18).toString('base64url')}","lang":"kk","answers":${answersJson()},"credential":${JSON.stringify(credential)}}`)).status === 201;

  const first = await issue();
  if (!first || !blinder.verifies(first)) throw new Error('the load client\u2019s blinding does not give valid credentials');
  credentials.push(first);

  log('  blind issuance alone at concurrency 8… ');
  const issuance = await measure(
    8,
    8,
    async () => {
      const c = await issue();
      if (c) credentials.push(c);
      return Boolean(c);
    },
    () => next >= tokens.length,
  );
  log(`${issuance.perSecond}/s\n`);

  log('  verified submission alone at concurrency 8… ');
  const submission = await measure(
    8,
    8,
    async () => {
      const c = credentials.pop();
      return c ? submit(c) : false;
    },
    () => credentials.length === 0,
  );
  log(`${submission.perSecond}/s${credentials.length === 0 ? ' (ran out of credentials)' : ''}\n`);

  const cycle: LoadFigures[] = [];
  for (const c of [1, 8]) {
    log(`  blind cycle (credential, GET page, POST with credential) at concurrency ${c}… `);
    const figures = await measure(
      c,
      8,
      async () => {
        const credential = await issue();
        if (!credential) return false;
        const page = await requestWithBody(url, 'GET', `/s/${link}`, undefined, { 'accept-language': 'kk' });
        return page.status === 200 && (await submit(credential));
      },
      () => next >= tokens.length,
    );
    log(`${figures.perSecond}/s${next >= tokens.length ? ' (ran out of slips)' : ''}\n`);
    cycle.push(figures);
  }
  return { issuance, submission, cycle };
}
