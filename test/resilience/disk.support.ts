// The raw-bytes audits' shared parts (disk-anonymity, disk-blind, disk-invitations): the attacker's tools —
// a copy of the data directory as one stream of bytes, where values sit in it, how well an order read from it
// predicts the order of submissions — and the rig: the compiled server on its own DATA_DIR, answered one
// response at a time, copied once the mixing period has passed.
import { expect } from 'chai';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import mongoose from 'mongoose';
import { loadConfig, type Config } from '../../server/config.js';
import { freePort, startEmbedded, type EmbeddedServer } from '../../server/db/embedded.js';
import { waitFor } from '../support/wait.js';
import { startServer, useDatabase, type ServerChild } from './support.js';

export interface DataCopy {
  /** Every file of the copy, in a fixed order (path order), with its bytes. */
  files: { path: string; bytes: Buffer }[];
}

/** Copies the whole directory as it is at this moment (the database running), as a thief would. */
export function copyDataDir(dir: string): DataCopy {
  const dest = mkdtempSync(join(tmpdir(), 'pikir-stolen-'));
  cpSync(dir, dest, { recursive: true });
  try {
    return { files: readTree(dest) };
  } finally {
    rmSync(dest, { recursive: true, force: true });
  }
}

function readTree(dest: string): DataCopy['files'] {
  const files: DataCopy['files'] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push({ path: relative(dest, path), bytes: readFileSync(path) });
    }
  };
  walk(dest);
  return files;
}

/** Every place `needle` occurs, as offsets into the copy's files laid end to end. */
export function positionsOf(copy: DataCopy, needle: string): number[] {
  const bytes = Buffer.from(needle, 'utf8');
  const out: number[] = [];
  let base = 0;
  for (const file of copy.files) {
    for (let at = file.bytes.indexOf(bytes); at >= 0; at = file.bytes.indexOf(bytes, at + 1)) out.push(base + at);
    base += file.bytes.length;
  }
  return out;
}

export const foundIn = (copy: DataCopy, needle: string): string[] => {
  const bytes = Buffer.from(needle, 'utf8');
  return copy.files.filter((f) => f.bytes.includes(bytes)).map((f) => f.path);
};

/**
 * The stored JSON document (FerretDB keeps each as one JSON text, its key list first) around a position
 * that positionsOf returned: from the "{" that opens it to the "}" that closes it, as an attacker reads it.
 */
export function documentAt(copy: DataCopy, position: number): string {
  let base = 0;
  for (const file of copy.files) {
    if (position < base + file.bytes.length) {
      const at = position - base;
      const start = file.bytes.lastIndexOf(Buffer.from('{"$s":'), at);
      if (start < 0) return '';
      let depth = 0;
      let quoted = false;
      for (let i = start; i < file.bytes.length; i++) {
        const c = file.bytes[i]!;
        if (quoted) {
          if (c === 0x5c) i++; // a backslash escapes the next byte
          else if (c === 0x22) quoted = false;
        } else if (c === 0x22) quoted = true;
        else if (c === 0x7b) depth++;
        else if (c === 0x7d && --depth === 0) return file.bytes.subarray(start, i + 1).toString('utf8');
      }
      return file.bytes.subarray(start).toString('utf8');
    }
    base += file.bytes.length;
  }
  return '';
}

/** A SQLite varint at `at`: its value and length in bytes. */
function varint(b: Buffer, at: number): [number, number] {
  let v = 0;
  for (let i = 0; i < 8; i++) {
    const byte = b[at + i]!;
    v = v * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) return [v, i + 1];
  }
  return [v * 256 + b[at + 8]!, 9];
}

/**
 * Where an attacker who reads the SQLite format finds `needle` in storage order: the rowid of the table
 * row whose cell holds it (SQLite file format, table b-tree leaf pages), in the first database file that
 * has it. FerretDB appends each inserted document with the next rowid, so rowid order is insertion order.
 */
export function rowidOf(copy: DataCopy, needle: string): number | undefined {
  const bytes = Buffer.from(needle, 'utf8');
  for (const { path, bytes: db } of copy.files) {
    if (!path.endsWith('.sqlite') || db.length < 100) continue;
    const pageSize = db.readUInt16BE(16) === 1 ? 65536 : db.readUInt16BE(16);
    const usable = pageSize - db[20]!;
    for (let at = db.indexOf(bytes); at >= 0; at = db.indexOf(bytes, at + 1)) {
      const pageStart = Math.floor(at / pageSize) * pageSize;
      const header = pageStart + (pageStart === 0 ? 100 : 0);
      if (db[header] !== 0x0d) continue; // not a table leaf page (an index, or free)
      for (let i = 0; i < db.readUInt16BE(header + 3); i++) {
        const cell = pageStart + db.readUInt16BE(header + 8 + 2 * i);
        const [payload, n1] = varint(db, cell);
        const [rowid, n2] = varint(db, cell + n1);
        const max = usable - 35;
        const min = Math.floor(((usable - 12) * 32) / 255) - 23;
        const k = min + ((payload - min) % (usable - 4));
        const local = payload <= max ? payload : k <= max ? k : min;
        if (at >= cell && at < cell + n1 + n2 + local) return rowid;
      }
    }
  }
  return undefined;
}

/**
 * Page numbers the WAL index (`-shm`) still lists for frames past the log's end: the order in which pages
 * were written before the last checkpoint (SQLite wal.c: blocks of 32 KiB, page numbers as native u32;
 * block 0 starts with the 136-byte header, mxFrame at offset 16, and lists frames 1..4062; block b lists
 * 4096 frames from 4062 + (b−1)·4096 + 1). Page 1 is left out: the server's wipe writes it, unchanged.
 */
export function staleIndexPages(copy: DataCopy): { file: string; frame: number; page: number }[] {
  const out: { file: string; frame: number; page: number }[] = [];
  for (const { path, bytes } of copy.files) {
    if (!path.endsWith('.sqlite-shm') || bytes.length < 136) continue;
    const mxFrame = bytes.readUInt32LE(16);
    for (let block = 0; block * 32768 < bytes.length; block++) {
      const [start, count, first] = block === 0 ? [136, 4062, 1] : [block * 32768, 4096, 4062 + (block - 1) * 4096 + 1];
      for (let i = 0; i < count && start + 4 * i + 4 <= bytes.length; i++) {
        const page = bytes.readUInt32LE(start + 4 * i);
        if (first + i > mxFrame && page > 1) out.push({ file: path, frame: first + i, page });
      }
    }
  }
  return out;
}

/**
 * Times (ms since 1970) between `from` and `to` found anywhere in the copy: FerretDB keeps a date as its
 * milliseconds in decimal (SQLite JSON), and an ISO string would show its hours.
 */
export function timesWithin(copy: DataCopy, from: number, to: number): { file: string; value: string }[] {
  const out: { file: string; value: string }[] = [];
  for (const { path, bytes } of copy.files) {
    const text = bytes.toString('latin1');
    for (const m of text.matchAll(/(?<![0-9])[0-9]{13}(?![0-9])/g)) if (Number(m[0]) >= from && Number(m[0]) <= to) out.push({ file: path, value: m[0] });
    for (const m of text.matchAll(/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}/g)) {
      const at = Date.parse(`${m[0]}Z`);
      if (at >= from - 60_000 && at <= to) out.push({ file: path, value: m[0] });
    }
  }
  return out;
}

function ranks(values: number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(values.length);
  order.forEach(([, i], rank) => (r[i] = rank));
  return r;
}

/** Spearman's rank correlation of two lists of distinct values. */
export function spearman(a: number[], b: number[]): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const n = a.length;
  const d2 = ra.reduce((sum, r, i) => sum + (r - rb[i]!) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

/**
 * The pairing attack: sort the people by one order the attacker can read (or knows), sort the responses by
 * where they sit in the files, pair them rank by rank; returns how many pairs are right. Under a random
 * storage order this is the number of fixed points of a random permutation: about Poisson(1) per group.
 */
export function rightPairs<T>(people: T[], personKey: (p: T) => number, responseKey: (p: T) => number): number {
  const byPerson = [...people].sort((x, y) => personKey(x) - personKey(y));
  const byResponse = [...people].sort((x, y) => responseKey(x) - responseKey(y));
  return byPerson.filter((p, i) => byResponse[i] === p).length;
}

/** A reproducible permutation (the known random order in which tokens are used). */
export function seededOrder<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

// ---- the rig: the compiled server with its own data directory, as `npm start` would keep it ----

export interface DiskRig {
  dataDir: string;
  db: EmbeddedServer;
  server: ServerChild;
  /** The server's configuration, read from the same environment and DATA_DIR (its generated secret included). */
  config: Config;
  stop(): Promise<void>;
}

/**
 * DATA_DIR made the way an older version or a careless operator might (0755), an embedded FerretDB in it
 * checkpointing every second, `prepare` run on this process's connection, then the server with a
 * one-second mixing period. JWT_SECRET is not given: the generated secret lies in DATA_DIR, so whoever
 * copies the directory has it too (the worst case).
 */
export async function startRig(prepare: (config: Config) => Promise<void>, env: Record<string, string> = {}): Promise<DiskRig> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pikir-disk-'));
  chmodSync(dataDir, 0o755);
  mkdirSync(join(dataDir, 'db'), { mode: 0o755 });
  chmodSync(join(dataDir, 'db'), 0o755);
  writeFileSync(join(dataDir, 'db', 'left-by-hand.txt'), 'x', { mode: 0o644 });
  const port = await freePort();
  const serverEnv = { DATA_DIR: dataDir, RESPONSE_MIX_SECONDS: '1', DB_CHECKPOINT_SECONDS: '1', ...env };
  const config = loadConfig({ ...serverEnv, PORT: String(port), BASE_URL: `http://127.0.0.1:${port}` });
  const db = await startEmbedded({ dataDir, databaseName: 'pikir_disk', checkpointSeconds: 1 });
  await useDatabase(db.uri);
  await prepare(config);
  await mongoose.disconnect(); // only the server writes from here on; the test reconnects to watch
  const server = await startServer(db.uri, port, serverEnv);
  await useDatabase(db.uri);
  return {
    dataDir,
    db,
    server,
    config,
    async stop() {
      await mongoose.disconnect();
      server.child.kill('SIGTERM');
      await server.exited;
      await db.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until every campaign's responses are rewritten in random order (pointer: not unmixed, one
 * generation left) and a checkpoint has since truncated the WAL and wiped its index: the moment the
 * promise is about.
 */
export async function waitUntilMixedAndCheckpointed(rig: DiskRig, campaigns: string[]): Promise<void> {
  const db = mongoose.connection.db!;
  await waitFor(
    'every campaign to be mixed, with one generation left',
    async () => {
      const pointers = new Map((await db.collection<{ _id: string; unmixed: boolean }>('response_stores').find({}).toArray()).map((p) => [p._id, p]));
      const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
      return campaigns.every((c) => pointers.get(c)?.unmixed === false && names.filter((n) => n.startsWith(`responses_${c}`)).length === 1);
    },
    { timeout: 60_000, interval: 200 },
  );
  const wal = join(rig.dataDir, 'db', 'pikir_disk.sqlite-wal');
  const shm = join(rig.dataDir, 'db', 'pikir_disk.sqlite-shm');
  const indexWiped = () => !existsSync(shm) || staleIndexPages({ files: [{ path: 'db/pikir_disk.sqlite-shm', bytes: readFileSync(shm) }] }).length === 0;
  await waitFor('the WAL to be truncated and its index wiped by a checkpoint', () => (!existsSync(wal) || statSync(wal).size === 0) && indexWiped(), { timeout: 30_000, interval: 50 });
}

/**
 * One response sent as a respondent's browser sends it, then a pause: one at a time, as in a classroom, every
 * response is a group commit of its own (the worst case for storage order).
 */
export async function answerAlone(rig: DiskRig, link: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${rig.server.url}/api/respond/${link}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, await res.text()).to.equal(201);
  await new Promise((r) => setTimeout(r, 20));
}

/**
 * The thief's copy, taken once every campaign is mixed and checkpointed; it holds no time written while
 * people answered (from `answeringFrom` on: FerretDB keeps dates as milliseconds).
 */
export async function copyAfterMixing(rig: DiskRig, campaigns: string[], answeringFrom: number): Promise<DataCopy> {
  await waitUntilMixedAndCheckpointed(rig, campaigns);
  const copy = copyDataDir(rig.dataDir);
  expect(timesWithin(copy, answeringFrom, Date.now()), 'times of day from the answering period').to.deep.equal([]);
  return copy;
}

// ---- the pairing attack over seeds ----

/** An order the attacker can read or knows: its name and each person's (or response's) place in it. */
export type Order<P> = readonly [name: string, key: (p: P) => number];

/** Where the responses lie in the copy: storage order as SQLite keeps it (rowids) and byte offset. */
export function responseOrders<P extends { rowid: number; position: number }>(): Order<P>[] {
  return [
    ['rowid', (p) => p.rowid],
    ['byte offset', (p) => p.position],
  ];
}

/**
 * Every pairing attack: each order of the people against each order of the responses, pairs right summed
 * over `groups` (people the attacker can already tell apart, e.g. by a response's segment, are paired
 * within their group), by "<order of people> × responses by <order of responses>".
 */
export function pairingAttacks<P extends { rowid: number; position: number }>(groups: P[][], personOrders: Order<P>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const [person, key] of personOrders) {
    for (const [response, at] of responseOrders<P>()) out.set(`${person} × responses by ${response}`, groups.reduce((sum, group) => sum + rightPairs(group, key, at), 0));
  }
  return out;
}

/**
 * Bounds of an audit of 4 seeds × 30 respondents (Monte Carlo over 2·10⁶ uniformly random storage orders,
 * n = 30): |Spearman| ≥ 0.65 has probability 1.3·10⁻⁴ per seed, and the mean over 4 seeds ≥ 0.35 has
 * 1.3·10⁻⁴; a pairing attack gets the number of fixed points of a random permutation right, P(≥ 8 of 30) ≈
 * 1·10⁻⁵ and, summed over 4 seeds, P(≥ 14) ≈ 8·10⁻⁵ (exact). A storage order that follows submission scores
 * ρ = 1 and 30 of 30. (The 99 % critical value, 0.47, would fail a correct implementation about once in 25
 * runs of 4 seeds.)
 */
export const SEED_BOUNDS = { rhoPerSeed: 0.65, rhoMean: 0.35, rightPerSeed: 7, rightTotal: 13 } as const;

/** The seeds of one audit: each seed's Spearman and pairing attacks within their bounds, then all together within theirs. */
export class SeedAudit {
  private readonly rhos: number[] = [];
  private readonly rightTotal = new Map<string, number>();

  /** One seed: |ρ| (named by `rhoLabel`) and every attack's pairs right within the per-seed bounds. */
  seed(rho: number, rhoLabel: string, attacks: Map<string, number>): void {
    expect(Math.abs(rho), rhoLabel).to.be.below(SEED_BOUNDS.rhoPerSeed);
    this.rhos.push(rho);
    for (const [name, right] of attacks) {
      expect(right, `pairs right by ${name}`).to.be.at.most(SEED_BOUNDS.rightPerSeed);
      this.rightTotal.set(name, (this.rightTotal.get(name) ?? 0) + right);
    }
  }

  /** The mean ρ and each attack's pairs right over all seeds within their bounds; returns the figures for the log ("per seed: …; pairs right of N: …"). */
  verdict(people: number): string {
    const mean = this.rhos.reduce((a, b) => a + b, 0) / this.rhos.length;
    expect(Math.abs(mean), `mean Spearman over the seeds (${this.rhos.map((r) => r.toFixed(2)).join(', ')})`).to.be.below(SEED_BOUNDS.rhoMean);
    for (const [name, right] of this.rightTotal) expect(right, `pairs right by ${name} over the seeds`).to.be.at.most(SEED_BOUNDS.rightTotal);
    return `per seed: ${this.rhos.map((r) => r.toFixed(3)).join(', ')}; pairs right of ${people}: ${[...this.rightTotal].map(([n, r]) => `${r} by ${n}`).join('; ')}`;
  }
}
