// bench:reports — time and peak memory to make the exports of a closed campaign of 10k and 100k responses
// (student satisfaction, spread over two faculties, six programmes and eighteen cohorts), from the compiled
// server as users run it: the figures XLSX and CSV, the council report PDF (Chromium printing; its memory
// counted apart), and the response-level CSV and XLSX (a scan of every response). Peak RSS is sampled
// every 20 ms from /proc while each request runs, and the CPU time the server and the database spent on it
// is read from /proc too: on a busy shared machine wall time says more about the neighbours than the code.
import { readdirSync, readFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import mongoose from 'mongoose';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { createCampaign } from '../../server/campaigns/service.js';
import { seededRandom, syntheticAnswers } from '../../server/demo/synthetic.js';
import { connectDatabase } from '../../server/db/connection.js';
import { getPublishedDefinition, seedLibrary } from '../../server/instruments/service.js';
import { randomBase32, sha256 } from '../../server/lib/ids.js';
import { org } from '../../server/org/service.js';
import { responsesCollection, type ResponseDoc } from '../../server/responses/store.js';
import { BENCH_ADMIN, startServerProcess } from './server-process.js';
import { startBenchDatabase } from './setup.js';

export interface ReportFigures {
  size: number;
  exports: { what: string; ms: number; bytes: number; serverCpuMs: number; databaseCpuMs: number; chromiumCpuMs?: number; serverPeakRssMb: number; chromiumPeakPssMb?: number }[];
}

const rssKb = (pid: number): number => {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
};

/** Proportional set size: shared pages counted once across Chromium's processes (their RSS would count them in each). */
const pssKb = (pid: number): number => {
  try {
    return Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
};

/** Every process below `root` (Chromium's browser, renderer and GPU processes under the server). */
function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone */
    }
  }
  const out: number[] = [];
  const visit = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent !== pid) continue;
      out.push(child);
      visit(child);
    }
  };
  visit(root);
  return out;
}

/** User + system CPU time of a process so far, in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
const cpuMs = (pid: number): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
};

async function measure(serverPid: number, databasePid: number, what: string, run: () => Promise<number>): Promise<ReportFigures['exports'][number]> {
  const cpu0 = [cpuMs(serverPid), cpuMs(databasePid)] as const;
  // Chromium's processes come and go (a renderer per print): each one's CPU as last seen, its memory summed.
  const chromiumCpu0 = new Map(descendants(serverPid).map((pid) => [pid, cpuMs(pid)]));
  const chromiumCpu = new Map<number, number>();
  let server = 0;
  let chromium = 0;
  const sample = () => {
    server = Math.max(server, rssKb(serverPid));
    const pids = descendants(serverPid);
    chromium = Math.max(chromium, pids.reduce((s, pid) => s + pssKb(pid), 0));
    for (const pid of pids) chromiumCpu.set(pid, Math.max(chromiumCpu.get(pid) ?? 0, cpuMs(pid) - (chromiumCpu0.get(pid) ?? 0)));
  };
  const timer = setInterval(sample, 20);
  const t0 = performance.now();
  const bytes = await run();
  const ms = performance.now() - t0;
  clearInterval(timer);
  sample();
  const chromiumCpuMs = [...chromiumCpu.values()].reduce((s, x) => s + x, 0);
  return {
    what,
    ms: Math.round(ms),
    bytes,
    serverCpuMs: cpuMs(serverPid) - cpu0[0],
    databaseCpuMs: cpuMs(databasePid) - cpu0[1],
    ...(chromiumCpuMs ? { chromiumCpuMs } : {}),
    serverPeakRssMb: Math.round(server / 1024),
    ...(chromium ? { chromiumPeakPssMb: Math.round(chromium / 1024) } : {}),
  };
}

async function buildWorld(size: number) {
  const a = SYSTEM_ACTOR;
  const tag = `${size}`;
  const name = (s: string) => ({ kk: `${s} (қаз.)`, ru: `${s} (рус.)`, en: s });
  const cohorts: { faculty: string; programme: string; cohort: string }[] = [];
  // Enrolment (the target) twice the responses: a 50 % response rate.
  const cohortsCount = 18;
  for (let f = 0; f < 2; f++) {
    const faculty = (await org.faculties.create(a, { code: `BF${tag}${f}`, name: name(`Faculty ${f + 1}`) })).id;
    const department = (await org.departments.create(a, { faculty, code: `BD${tag}${f}`, name: name(`Department ${f + 1}`) })).id;
    for (let p = 0; p < 3; p++) {
      const programme = (await org.programmes.create(a, { code: `6B${String(size).length}${f}${p}01`, name: name(`Programme ${f + 1}.${p + 1}`), level: 'bachelor', faculty, department })).id;
      for (let c = 0; c < 3; c++) cohorts.push({ faculty, programme, cohort: (await org.cohorts.create(a, { programme, entryYear: 2023 + c, size: Math.ceil((size * 2) / cohortsCount), label: `${2023 + c}` })).id });
    }
  }
  const campaign = await createCampaign(
    a,
    { title: name(`Reports bench ${size}`), instrument: { id: 'student-satisfaction', version: 1 }, audience: { kind: 'university', ids: [] }, academicYear: '2025-2026', opensAt: new Date(Date.now() - 40 * 86_400_000), closesAt: new Date(Date.now() - 86_400_000), openLinkEnabled: false, openLinkCap: 0, liveResults: 'counts' },
    'open',
  );
  const def = await getPublishedDefinition('student-satisfaction', 1);
  const random = seededRandom(size);
  const collection = await responsesCollection(campaign._id);
  for (let done = 0; done < size; done += 1000) {
    const batch: ResponseDoc[] = Array.from({ length: Math.min(1000, size - done) }, (_, i) => {
      const segment = cohorts[(done + i) % cohorts.length]!;
      return { _id: sha256(randomBase32(26)), campaign: campaign._id, segment, day: '2026-03-10', lang: (['kk', 'ru', 'en'] as const)[i % 3]!, answers: syntheticAnswers(def, random, 2.8 + random() * 2) };
    });
    await collection.insertMany(batch, { ordered: false });
  }
  return campaign._id;
}

export async function benchReports(sizes = [10_000, 100_000]): Promise<ReportFigures[]> {
  const db = await startBenchDatabase();
  const out: ReportFigures[] = [];
  try {
    await connectDatabase({ uri: db.uri, embedded: true });
    await seedLibrary(SYSTEM_ACTOR);
    const campaigns: { size: number; id: string }[] = [];
    for (const size of sizes) {
      process.stdout.write(`  filling ${size} responses… `);
      const t0 = Date.now();
      campaigns.push({ size, id: await buildWorld(size) });
      console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    await mongoose.disconnect(); // from here on only the server process uses the store
    const server = await startServerProcess(db.uri);
    try {
      const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(BENCH_ADMIN) });
      const cookie = /pikir_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
      // node:http rather than fetch: a first export of 100k responses may take longer than fetch's 300 s.
      const request = (path: string) =>
        new Promise<{ status: number; location?: string; body: Buffer }>((resolve, reject) => {
          httpGet(`${server.url}${path}`, { headers: { cookie } }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks) }));
            res.on('error', reject);
          }).on('error', reject);
        });
      // A report job answers 202 after 20 s: follow it to its file, as the exports page does.
      const get = async (path: string): Promise<number> => {
        let res = await request(path);
        if (res.status === 202) {
          for (;;) {
            const job = JSON.parse((await request(res.location!)).body.toString()) as { state: string };
            if (job.state !== 'queued' && job.state !== 'running') break;
            await new Promise((r) => setTimeout(r, 200));
          }
          res = await request(`${res.location!}/file`);
        }
        if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.body.toString().slice(0, 300)}`);
        return res.body.length;
      };
      for (const { size, id } of campaigns) {
        // Responses were inserted directly: build the aggregates as the start-up repair would, then close.
        const rebuilt = await fetch(`${server.url}/api/campaigns/${id}/recompute`, { method: 'POST', headers: { cookie } });
        if (!rebuilt.ok) throw new Error(`recompute: ${rebuilt.status}`);
        const closed = await fetch(`${server.url}/api/campaigns/${id}/close`, { method: 'POST', headers: { cookie } });
        if (!closed.ok) throw new Error(`close: ${closed.status} ${await closed.text()}`);
        const pid = server.child.pid!;
        const exports: ReportFigures['exports'] = [];
        process.stdout.write(`  ${size}: `);
        for (const [what, path] of [
          ['figures XLSX (first: comments read)', `/api/campaigns/${id}/figures.xlsx?lang=kk`],
          ['figures XLSX', `/api/campaigns/${id}/figures.xlsx?lang=kk`],
          ['figures CSV', `/api/campaigns/${id}/figures.csv?lang=kk`],
          ['council report PDF', `/api/campaigns/${id}/report.pdf?lang=kk`],
          ['council report PDF (again)', `/api/campaigns/${id}/report.pdf?lang=ru`],
          ['responses CSV', `/api/campaigns/${id}/responses.csv?lang=kk`],
          ['responses XLSX', `/api/campaigns/${id}/responses.xlsx?lang=kk`],
        ] as const) {
          const figures = await measure(pid, db.pid, what, () => get(path));
          exports.push(figures);
          process.stdout.write(`${what} ${figures.ms} ms (server CPU ${figures.serverCpuMs} ms); `);
        }
        console.log('');
        out.push({ size, exports });
      }
    } finally {
      await server.stop();
    }
  } finally {
    await mongoose.disconnect().catch(() => undefined);
    await db.stop();
  }
  return out;
}
