// Benchmark fixtures: a FerretDB of its own, a programme with one cohort, a 20-item instrument and an
// open campaign whose respondents need no "about you" step (as in the LimeSurvey comparison).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { SYSTEM_ACTOR } from '../../server/accounts/actor.js';
import { createCampaign } from '../../server/campaigns/service.js';
import { issueSlipTokens } from '../../server/campaigns/tokens.js';
import type { CampaignDoc } from '../../server/campaigns/model.js';
import { connectDatabase } from '../../server/db/connection.js';
import { startEmbedded, type EmbeddedServer } from '../../server/db/embedded.js';
import { createInstrument, publish, seedLibrary } from '../../server/instruments/service.js';
import { InstrumentVersion } from '../../server/instruments/model.js';
import { org } from '../../server/org/service.js';

export const BENCH_INSTRUMENT = {
  id: 'bench-20',
  title: { kk: 'Жүктеме сынағы', ru: 'Нагрузочный тест', en: 'Load test' },
  description: { kk: 'Жиырма сұрақ', ru: 'Двадцать вопросов', en: 'Twenty questions' },
  audience: 'student',
  estimatedMinutes: 3,
  scales: [{ id: 'all', title: { kk: 'Барлығы', ru: 'Все', en: 'All' } }],
  pages: [
    {
      id: 'p1',
      title: { kk: 'Сұрақтар', ru: 'Вопросы', en: 'Questions' },
      items: Array.from({ length: 20 }, (_, i) => ({
        id: `q${i + 1}`,
        type: 'likert',
        required: true,
        scale: 'all',
        text: { kk: `Сұрақ ${i + 1}: бәрі жақсы ма?`, ru: `Вопрос ${i + 1}: всё хорошо?`, en: `Question ${i + 1}: is all well?` },
      })),
    },
  ],
};

export interface BenchWorld {
  db: EmbeddedServer;
  campaign: CampaignDoc;
  programme: string;
  faculty: string;
  cohort: string;
}

export async function startBenchDatabase(): Promise<EmbeddedServer> {
  const dir = mkdtempSync(join(tmpdir(), 'pikir-bench-'));
  return startEmbedded({ dataDir: dir, databaseName: 'pikir_bench' });
}

export async function buildBenchWorld(db: EmbeddedServer, instrument: { id: string; version: number } = { id: 'bench-20', version: 1 }): Promise<Omit<BenchWorld, 'db'>> {
  if (mongoose.connection.readyState !== mongoose.ConnectionStates.connected) await connectDatabase({ uri: db.uri, embedded: true });
  const a = SYSTEM_ACTOR;
  const name = (s: string) => ({ kk: `${s} kk`, ru: `${s} ru`, en: s });
  const faculty = (await org.faculties.create(a, { code: `F${Date.now() % 100000}`, name: name('Bench faculty') })).id;
  const dep = (await org.departments.create(a, { faculty, code: `BD${Date.now() % 100000}`, name: name('Bench department') })).id;
  const programme = (await org.programmes.create(a, { code: `6B0${Math.floor(1000 + Math.random() * 8999)}`, name: name('Bench programme'), level: 'bachelor', faculty, department: dep })).id;
  const cohort = (await org.cohorts.create(a, { programme, entryYear: 2024, size: 100000, label: '2024' })).id;
  await seedLibrary(a);
  if (instrument.id === 'bench-20' && !(await InstrumentVersion.exists({ _id: 'bench-20@1' }))) {
    await createInstrument(a, BENCH_INSTRUMENT);
    await publish(a, 'bench-20', 1);
  }
  const campaign = await createCampaign(
    a,
    {
      title: name('Bench campaign'),
      instrument,
      audience: { kind: 'cohort', ids: [cohort] },
      academicYear: '2025-2026',
      opensAt: new Date(Date.now() - 86_400_000),
      closesAt: new Date(Date.now() + 86_400_000 * 30),
      openLinkEnabled: true,
      openLinkCap: 0,
    },
    'open',
  );
  return { campaign, programme, faculty, cohort };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function vmHwmMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/**
 * A second campaign like the bench campaign but with blind credentials, and `slips` unused slips for it
 * (the blind-credential benchmarks use each once).
 */
export async function buildBlindBenchCampaign(world: Omit<BenchWorld, 'db'>, slips: number): Promise<{ campaign: CampaignDoc; tokens: string[] }> {
  const a = SYSTEM_ACTOR;
  const campaign = await createCampaign(
    a,
    {
      title: { kk: 'Соқыр куәлік', ru: 'Слепые удостоверения', en: 'Blind credentials bench' },
      instrument: { id: 'bench-20', version: 1 },
      audience: { kind: 'cohort', ids: [world.cohort] },
      academicYear: '2025-2026',
      opensAt: new Date(Date.now() - 86_400_000),
      closesAt: new Date(Date.now() + 86_400_000 * 30),
      openLinkEnabled: false,
      openLinkCap: 0,
      blindCredentials: true,
    },
    'open',
  );
  const tokens: string[] = [];
  for (let left = slips; left > 0; left -= 5000) tokens.push(...(await issueSlipTokens(a, campaign._id, Math.min(5000, left), {})));
  return { campaign, tokens };
}

