// npm run bench — every benchmark in one go: one table on the console, the same figures as JSON in
// test/bench/results/ (compare runs across commits). `run.ts analytics`, `run.ts live` or `run.ts reports` run one part.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { projectRoot } from '../../server/lib/paths.js';
import { benchAnalytics, type AnalyticsFigures } from './analytics.js';
import { benchReports, type ReportFigures } from './reports.js';
import { measureCeilings, type Ceilings } from './ceilings.js';
import { runLoad, type LoadFigures } from './cycle.js';
import { benchLive, type LiveFigures } from './live.js';
import { buildBenchWorld, buildBlindBenchCampaign, startBenchDatabase, vmHwmMb } from './setup.js';
import { benchBlind, type BlindFigures } from './blind.js';
import { startServerProcess } from './server-process.js';

interface Report {
  date: string;
  commit: string;
  machine: { cpus: number; node: string };
  ceilings?: Ceilings;
  cycle?: LoadFigures[];
  postOnly?: LoadFigures;
  /** Each speed divided by the ceilings measured in the same run. */
  ratios?: Record<string, { toInsertOne: number; toInsertMany: number }>;
  live?: LiveFigures;
  /** Blind credentials: issuance alone, verified submission alone, the respondent cycle with blind tokens. */
  blind?: BlindFigures;
  analytics?: AnalyticsFigures[];
  reports?: ReportFigures[];
  memory?: { serverPeakRssMb: number | null; databasePeakRssMb: number | null };
}

async function httpPart(report: Report, parts: Set<string>): Promise<void> {
  const db = await startBenchDatabase();
  try {
    if (parts.has('ceilings')) report.ceilings = await measureCeilings(db.uri);
    const world = await buildBenchWorld(db);
    const blind = parts.has('blind') ? await buildBlindBenchCampaign(world, 15_000) : undefined;
    await mongoose.disconnect(); // from here on only the server process uses the store
    const server = await startServerProcess(db.uri, [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', join(projectRoot, 'test/bench/results')] : []), ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [])]);
    try {
      if (parts.has('post')) {
        report.postOnly = await runLoad(server.url, world.campaign.linkId, 32, 8, true);
      }
      if (parts.has('cycle')) {
        report.cycle = [];
        for (const c of [1, 8, 32]) {
          process.stdout.write(`  cycle at concurrency ${c}… `);
          const figures = await runLoad(server.url, world.campaign.linkId, c, 8);
          console.log(`${figures.perSecond}/s`);
          report.cycle.push(figures);
        }
        process.stdout.write('  POST alone at concurrency 32… ');
        report.postOnly = await runLoad(server.url, world.campaign.linkId, 32, 8, true);
        console.log(`${report.postOnly.perSecond}/s`);
      }
      if (blind) report.blind = await benchBlind(server.url, blind.campaign.linkId, blind.tokens, (line) => process.stdout.write(line));
      if (parts.has('live')) {
        process.stdout.write('  300 dashboards at 100 responses/s… ');
        report.live = await benchLive(server.url, world.campaign._id, world.campaign.linkId);
        console.log(`p95 ${report.live.p95} ms`);
      }
      report.memory = { serverPeakRssMb: vmHwmMb(server.child.pid!), databasePeakRssMb: vmHwmMb(db.pid) };
    } finally {
      await server.stop();
    }
  } finally {
    await mongoose.disconnect();
    await db.stop();
  }
}

function printTable(r: Report): void {
  const rows: [string, string, string, string][] = [];
  const ceiling = r.ceilings?.insertManyPerSecond;
  if (r.ceilings) {
    rows.push(['raw insertOne (ceiling)', `${r.ceilings.insertOnePerSecond}/s`, '', '']);
    rows.push(['raw insertMany ×50 (ceiling)', `${r.ceilings.insertManyPerSecond}/s`, '', '']);
  }
  const ratios = (perSecond: number) => (r.ceilings ? `${(perSecond / r.ceilings.insertOnePerSecond).toFixed(2)} × insertOne, ${(perSecond / r.ceilings.insertManyPerSecond).toFixed(2)} × batched ceiling` : '');
  for (const c of r.cycle ?? []) rows.push([`cycle GET+POST, c=${c.concurrency}`, `${c.perSecond}/s`, `p50 ${c.p50} · p95 ${c.p95} · p99 ${c.p99} ms`, `${(c.perSecond / 5.4).toFixed(0)}× LimeSurvey; ${ratios(c.perSecond)}${c.errors ? `; ${c.errors} errors` : ''}`]);
  if (r.postOnly) rows.push(['POST alone, c=32', `${r.postOnly.perSecond}/s`, `p50 ${r.postOnly.p50} · p95 ${r.postOnly.p95} ms`, ceiling ? ratios(r.postOnly.perSecond) : '']);
  if (r.blind) {
    const { issuance, submission, cycle } = r.blind;
    // Machine time per operation: the two cores (and the load client) shared, as everywhere in this table.
    const each = (f: LoadFigures) => (f.perSecond ? `${(1000 / f.perSecond).toFixed(2)} ms each` : '');
    rows.push([`blind issuance alone, c=${issuance.concurrency}`, `${issuance.perSecond}/s`, `p50 ${issuance.p50} · p95 ${issuance.p95} ms`, `${each(issuance)}${issuance.errors ? `; ${issuance.errors} errors` : ''}`]);
    rows.push([`verified submission alone, c=${submission.concurrency}`, `${submission.perSecond}/s`, `p50 ${submission.p50} · p95 ${submission.p95} ms`, `${each(submission)}${submission.errors ? `; ${submission.errors} errors` : ''}`]);
    // This VM's speed moves by a third within the hour: the ratios to the ceilings (and to the plain cycle) of
    // the same run say how the blind cycle fares against what the machine could do at that moment.
    const plain = r.cycle?.find((p) => p.concurrency === 8)?.perSecond;
    const against = (c: LoadFigures) => [r.ceilings ? `${(c.perSecond / r.ceilings.insertOnePerSecond).toFixed(2)} × insertOne` : '', c.concurrency === 8 && plain ? `${(c.perSecond / plain).toFixed(2)} × the plain cycle` : ''].filter(Boolean).join(', ');
    for (const c of cycle) rows.push([`blind cycle credential+GET+POST, c=${c.concurrency}`, `${c.perSecond}/s`, `p50 ${c.p50} · p95 ${c.p95} · p99 ${c.p99} ms`, [c.concurrency === 8 ? (c.perSecond >= 300 ? 'target ≥ 300/s met' : 'BELOW the 300/s target') : '', against(c), c.errors ? `${c.errors} errors` : ''].filter(Boolean).join('; ')]);
  }
  if (r.live) rows.push([`accepted → dashboard event (${r.live.clients} clients, ${r.live.rate}/s)`, `p50 ${r.live.p50} ms`, `p95 ${r.live.p95} ms · max ${r.live.max} ms`, r.live.allClientsSawFinalCount ? 'all clients exact' : 'SOME CLIENTS MISSED THE FINAL COUNT']);
  for (const a of r.analytics ?? []) {
    rows.push([`dashboard read, ${a.size / 1000}k responses`, `${a.readMs} ms (cached ${a.cachedReadMs} ms)`, `p95 ${a.readP95Ms} ms`, '']);
    rows.push([`recompute, ${a.size / 1000}k responses`, `${a.recomputeMs} ms`, `raw scan ${a.scanMs} ms`, `${a.recomputeToScan} × scan, peak RSS ${a.recomputePeakRssMb} MB`]);
  }
  for (const x of r.reports ?? []) for (const e of x.exports) rows.push([`${e.what}, ${x.size / 1000}k responses`, `${e.ms} ms (CPU: server ${e.serverCpuMs} ms, database ${e.databaseCpuMs} ms${e.chromiumCpuMs ? `, Chromium ${e.chromiumCpuMs} ms` : ''})`, `${Math.round(e.bytes / 1024)} KB`, `peak RSS server ${e.serverPeakRssMb} MB${e.chromiumPeakPssMb ? `, Chromium ${e.chromiumPeakPssMb} MB (PSS)` : ''}`]);
  if (r.memory) rows.push(['peak RSS', `server ${r.memory.serverPeakRssMb} MB`, `database ${r.memory.databasePeakRssMb} MB`, '']);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  console.log('\n' + rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')).join('\n'));
}

async function main(): Promise<void> {
  const which = process.argv[2] ?? 'all';
  const parts = new Set(which === 'all' ? ['ceilings', 'cycle', 'blind', 'live', 'analytics', 'reports'] : which === 'live' ? ['live'] : which === 'analytics' ? ['analytics'] : which === 'http' ? ['ceilings', 'cycle', 'blind'] : [which]);
  const { execSync } = await import('node:child_process');
  const report: Report = { date: new Date().toISOString(), commit: execSync('git rev-parse --short HEAD', { cwd: projectRoot }).toString().trim(), machine: { cpus: (await import('node:os')).cpus().length, node: process.version } };
  if (parts.has('ceilings') || parts.has('cycle') || parts.has('live') || parts.has('post') || parts.has('blind')) await httpPart(report, parts);
  if (parts.has('analytics')) {
    console.log('  analytics…');
    report.analytics = await benchAnalytics(process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(',').map(Number) : undefined);
  }
  if (parts.has('reports')) {
    console.log('  reports…');
    report.reports = await benchReports(process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(',').map(Number) : undefined);
  }
  if (report.ceilings) {
    const { insertOnePerSecond: one, insertManyPerSecond: many } = report.ceilings;
    const ratio = (x: number) => ({ toInsertOne: Math.round((x / one) * 100) / 100, toInsertMany: Math.round((x / many) * 100) / 100 });
    report.ratios = {
      ...Object.fromEntries((report.cycle ?? []).map((c) => [`cycleC${c.concurrency}`, ratio(c.perSecond)])),
      ...(report.postOnly ? { postOnly: ratio(report.postOnly.perSecond) } : {}),
      ...Object.fromEntries((report.blind?.cycle ?? []).map((c) => [`blindCycleC${c.concurrency}`, ratio(c.perSecond)])),
    };
  }
  printTable(report);
  const dir = join(projectRoot, 'test/bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${report.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  console.log(`\nwritten to ${file}`);
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
