// Runs the test tiers (unit, integration, e2e), each with its own timeout, against one database:
// MONGODB_URI when set, otherwise an embedded FerretDB started here in a temporary directory.
// Ends with "N passed, N failed" so CI can read the result.
import Mocha from 'mocha';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startTestDatabase, stopTestDatabase } from './support/database.js';

const TIERS = { unit: 5_000, integration: 30_000, e2e: 60_000, resilience: 180_000 } as const;
type Tier = keyof typeof TIERS;

function testFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? testFiles(path) : name.endsWith('.test.ts') ? [path] : [];
    })
    .sort();
}

async function runTier(tier: Tier, grep?: string): Promise<{ passes: number; failures: number; pending: number }> {
  const mocha = new Mocha({ timeout: TIERS[tier], reporter: 'spec', ...(grep ? { grep } : {}) });
  const { rootHooks } = (await import(`./${tier}/hooks.ts`).catch(() => ({ rootHooks: undefined }))) as { rootHooks?: Mocha.RootHookObject };
  if (rootHooks) mocha.rootHooks(rootHooks);
  for (const file of testFiles(join(import.meta.dirname, tier))) mocha.addFile(file);
  await mocha.loadFilesAsync();
  console.log(`\n=== ${tier} tests ===`);
  return new Promise((resolve) => {
    const runner = mocha.run(() => {
      const stats = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
      resolve({ passes: stats.passes, failures: stats.failures, pending: stats.pending });
    });
  });
}

let finished = false;
// A test that leaves nothing pending would let Node exit quietly with 0: make that a failure.
process.on('exit', (code) => {
  if (!finished && code === 0) {
    console.log('\nThe test run ended before all tests had finished (an unresolved promise?).\n0 passed, 1 failed');
    process.exitCode = 1;
  }
});

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const grepIndex = args.indexOf('--grep');
  const grep = grepIndex >= 0 ? args[grepIndex + 1] : undefined;
  const named = args.filter((a, i) => a in TIERS && !(grepIndex >= 0 && i === grepIndex + 1)) as Tier[];
  // npm test runs every tier; the resilience tier (fault injection, fuzzing) takes under a minute.
  const tiers: Tier[] = named.length ? named : ['unit', 'integration', 'e2e', 'resilience'];
  const started = Date.now();
  if (tiers.some((t) => t !== 'unit')) await startTestDatabase();
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  try {
    for (const tier of tiers) {
      const result = await runTier(tier, grep);
      passed += result.passes;
      failed += result.failures;
      skipped += result.pending;
    }
  } finally {
    await stopTestDatabase();
  }
  console.log(`\nTests finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  finished = true;
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(err);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
