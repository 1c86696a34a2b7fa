// Runs the test tiers (unit, integration, e2e, resilience), each with its own timeout, against one
// database: MONGODB_URI when set, otherwise an embedded FerretDB started here in a temporary directory.
// Before any tier past unit it builds dist/ (incrementally: a no-op when nothing changed), because the
// process tests, the resilience tier and an e2e suite run the compiled server users run.
// With CI set, a skipped or `.only` test fails the run instead of passing unnoticed.
// Ends with "N passed, N failed" so CI can read the result.
import Mocha from 'mocha';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { projectRoot } from '../server/lib/paths.js';
import { CHROMIUM } from './support/browser.js';
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

const CI = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';

interface TierResult {
  passes: number;
  failures: number;
  /** Full titles of the tests that did not run (it.skip, this.skip()). */
  skipped: string[];
}

/** `tsc -b tsconfig.build.json`, as `npm run build` does; throws with tsc's output when it fails. */
function buildServer(): void {
  const started = Date.now();
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: projectRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building dist/ failed (tsc -b tsconfig.build.json):\n${result.stdout}${result.stderr}${result.error?.message ?? ''}`);
  console.log(`dist/ is up to date (tsc -b, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

async function runTier(tier: Tier, grep?: string): Promise<TierResult> {
  if (tier === 'e2e' && !existsSync(CHROMIUM)) {
    // One clear line instead of a stack trace from every suite's before hook.
    console.log(`\n=== e2e tests ===\nChromium is not at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH. The e2e tier did not run.`);
    return { passes: 0, failures: 1, skipped: [] };
  }
  const mocha = new Mocha({ timeout: TIERS[tier], reporter: 'spec', forbidOnly: CI, ...(grep ? { grep } : {}) });
  const { rootHooks } = (await import(`./${tier}/hooks.ts`).catch(() => ({ rootHooks: undefined }))) as { rootHooks?: Mocha.RootHookObject };
  if (rootHooks) mocha.rootHooks(rootHooks);
  for (const file of testFiles(join(import.meta.dirname, tier))) mocha.addFile(file);
  await mocha.loadFilesAsync();
  console.log(`\n=== ${tier} tests ===`);
  return new Promise((resolve) => {
    const skipped: string[] = [];
    const runner = mocha.run(() => {
      const stats = runner.stats ?? { passes: 0, failures: 0 };
      resolve({ passes: stats.passes, failures: stats.failures, skipped });
    });
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, (test: Mocha.Test) => skipped.push(test.fullTitle()));
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
  if (tiers.some((t) => t !== 'unit')) {
    buildServer();
    await startTestDatabase();
  }
  let passed = 0;
  let failed = 0;
  const skipped: string[] = [];
  try {
    for (const tier of tiers) {
      const result = await runTier(tier, grep);
      passed += result.passes;
      failed += result.failures;
      skipped.push(...result.skipped);
    }
  } finally {
    await stopTestDatabase();
  }
  console.log(`\nTests finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (skipped.length) {
    console.log(`${CI ? 'CI is set, so these skipped tests count as failed' : 'Skipped (a failure in CI)'}:\n${skipped.map((t) => `  - ${t}`).join('\n')}`);
    if (CI) failed += skipped.length;
  }
  console.log(`${passed} passed, ${failed} failed${skipped.length && !CI ? `, ${skipped.length} skipped` : ''}`);
  finished = true;
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(err);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
