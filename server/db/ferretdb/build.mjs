// Builds the embedded FerretDB server (run by `npm install`). The binary goes to .cache/ferretdb/ (git-ignored)
// and is rebuilt only when the Go sources change. Without Go this only warns (MONGODB_URI still works),
// except in CI without MONGODB_URI, where it fails the install.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const srcDir = dirname(fileURLToPath(import.meta.url));
const root = resolve(srcDir, '../../..');
const outDir = join(root, '.cache', 'ferretdb');
const binary = join(outDir, 'ferretdb');
const stampFile = join(outDir, 'source.sha256');

// Every Go source file counts: the server is more than main.go (the WAL checkpoint lives in its own file).
const sources = [...readdirSync(srcDir).filter((f) => f.endsWith('.go')).sort(), 'go.mod', 'go.sum'];
const sourceHash = createHash('sha256');
for (const file of sources) sourceHash.update(file + '\0').update(readFileSync(join(srcDir, file)));
const stamp = sourceHash.digest('hex');

if (existsSync(binary) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === stamp) {
  console.log('[pikir] embedded FerretDB is up to date');
  process.exit(0);
}

if (spawnSync('go', ['version']).error) {
  // In CI (without MONGODB_URI) a missing Go would only surface later as tests that cannot start: fail here.
  const required = Boolean(process.env.CI) && !['false', '0'].includes(process.env.CI) && !process.env.MONGODB_URI;
  const say = required ? console.error : console.warn;
  say('[pikir] Go is not installed: the embedded FerretDB was not built.');
  say('[pikir] Install Go 1.22+ and run `npm install` again, or set MONGODB_URI to use an external MongoDB.');
  process.exit(required ? 1 : 0);
}

mkdirSync(outDir, { recursive: true });
const started = Date.now();
console.log('[pikir] building the embedded FerretDB v1.24.2 (first build takes about a minute)…');
execFileSync('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', binary, '.'], {
  cwd: srcDir,
  stdio: 'inherit',
  env: { ...process.env, CGO_ENABLED: '0' },
});
writeFileSync(stampFile, stamp + '\n');
console.log(`[pikir] built ${binary} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
