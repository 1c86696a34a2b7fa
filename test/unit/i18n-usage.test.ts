import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { flatten, hasKey, LANGUAGES, loadCatalogue } from '../../server/lib/i18n/index.js';
import { projectRoot } from '../../server/lib/paths.js';
import { IMPORT_KINDS } from '../../server/org/import.js';
import { FIELD_PROBLEM_NAMES } from '../../server/org/import-problems.js';

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, ext) : name.endsWith(ext) ? [path] : [];
  });
}

describe('interface strings used by the templates and the server', () => {
  it('exist in kk, ru and en (a literal key used anywhere resolves in every catalogue)', () => {
    const used = new Set<string>();
    for (const file of files(join(projectRoot, 'views'), '.hbs')) for (const m of readFileSync(file, 'utf8').matchAll(/\{\{t\s+"([a-zA-Z0-9_.-]+)"/g)) used.add(m[1]!);
    for (const file of files(join(projectRoot, 'server'), '.ts')) for (const m of readFileSync(file, 'utf8').matchAll(/translate\([^,]+,\s*'([a-zA-Z0-9_.-]+)'/g)) used.add(m[1]!);
    expect(used.size).to.be.greaterThan(100);
    const missing = [...used].flatMap((key) => LANGUAGES.filter((lang) => !hasKey(lang, key)).map((lang) => `${lang}: ${key}`));
    expect(missing).to.deep.equal([]);
  });

  it('has every problem an import can report (imports.problem.*) in kk, ru and en', () => {
    const names = new Set<string>(FIELD_PROBLEM_NAMES);
    for (const kind of IMPORT_KINDS) names.add(`exists.${kind}`).add(`sameUnit.${kind}`);
    for (const noun of ['Faculty', 'Department', 'Programme']) names.add(`no${noun}`);
    // problem('name', …) and the employment import's at('name', …), wherever lib/problems.js is used.
    for (const file of files(join(projectRoot, 'server'), '.ts')) {
      const text = readFileSync(file, 'utf8');
      if (text.includes("lib/problems.js'")) for (const m of text.matchAll(/\b(?:problem|at)\('([a-zA-Z.]+)'/g)) names.add(m[1]!);
    }
    expect(names.size).to.be.greaterThan(50);
    const missing = [...names].flatMap((name) => LANGUAGES.filter((lang) => !hasKey(lang, `imports.problem.${name}`)).map((lang) => `${lang}: imports.problem.${name}`));
    expect(missing).to.deep.equal([]);
  });

  it('gives a count to every use of a key with plural forms (else the "other" form is shown for any number)', () => {
    const plural = (key: string) => LANGUAGES.every((lang) => hasKey(lang, key)) && !hasPlainKey(key);
    const missing: string[] = [];
    for (const file of files(join(projectRoot, 'views'), '.hbs'))
      for (const m of readFileSync(file, 'utf8').matchAll(/\{\{t\s+"([a-zA-Z0-9_.-]+)"([^}]*)\}\}/g)) if (plural(m[1]!) && !/\bcount=/.test(m[2]!)) missing.push(`${file}: ${m[0]}`);
    for (const file of files(join(projectRoot, 'server'), '.ts'))
      for (const m of readFileSync(file, 'utf8').matchAll(/translate\([^,]+,\s*'([a-zA-Z0-9_.-]+)'(?:,\s*(\{[^}]*\}))?\)/g)) if (plural(m[1]!) && !/\bcount\b/.test(m[2] ?? '')) missing.push(`${file}: ${m[0]}`);
    expect(missing).to.deep.equal([]);
  });
});

/** Whether the English catalogue has the key as one plain string (not only as plural forms). */
const englishFlat = flatten(loadCatalogue('en'));
function hasPlainKey(key: string): boolean {
  return typeof englishFlat[key] === 'string';
}
