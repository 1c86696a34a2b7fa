// `npm start`: brings dist/ up to date, then runs the compiled server (dist/server/main.js) in this process.
// Only the files changed since their dist/ copy are transpiled, with esbuild and without type-checking —
// a fresh clone needs about a second, an unchanged tree a few milliseconds. Type-checking is the job of
// `npm run build` / `npm run typecheck` (tsc -b, which CI and the test runner use); it took ~15 s and ran
// again after every pull or edit, so it does not sit in front of every start any more.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'server');
const outDir = join(root, 'dist', 'server');

/** Every .ts file under server/ (declaration files and the Go launcher's folder have nothing to emit). */
function sources(dir = srcDir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, out);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const outputOf = (source) => join(outDir, relative(srcDir, source)).replace(/\.ts$/, '.js');
const mtime = (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -1;

/** The compiled files whose source is gone (a renamed module must not be imported by mistake). */
function orphans(dir, expected, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) orphans(path, expected, out);
    else if (/\.js(\.map)?$/.test(entry.name) && !expected.has(path.replace(/\.map$/, ''))) out.push(path);
  }
  return out;
}

async function transpile(files) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    console.error('dist/ is missing or older than server/, and esbuild is not installed: run `npm install`, or `npm run build` (tsc) before `npm start`.');
    process.exit(1);
  }
  // The settings that decide the emitted JavaScript, as tsconfig.json states them for tsc.
  const tsconfigRaw = { compilerOptions: { verbatimModuleSyntax: true, useDefineForClassFields: true, target: 'ES2023' } };
  await Promise.all(
    files.map(async (source) => {
      const output = outputOf(source);
      const result = await esbuild.transform(readFileSync(source, 'utf8'), { loader: 'ts', format: 'esm', target: 'es2023', platform: 'node', sourcemap: 'external', sourcefile: relative(dirname(output), source), tsconfigRaw });
      mkdirSync(dirname(output), { recursive: true });
      writeFileSync(`${output}.map`, result.map);
      writeFileSync(output, `${result.code}//# sourceMappingURL=${output.split('/').pop()}.map\n`);
    }),
  );
}

const started = Date.now();
const all = sources();
const stale = all.filter((source) => mtime(outputOf(source)) < mtime(source));
if (stale.length) {
  await transpile(stale);
  for (const path of orphans(outDir, new Set(all.map(outputOf)))) rmSync(path);
  console.log(`dist/: ${stale.length} of ${all.length} server files transpiled in ${Math.round(Date.now() - started)} ms (no type check; \`npm run typecheck\` does that)`);
}
await import(pathToFileURL(join(outDir, 'main.js')).href);
