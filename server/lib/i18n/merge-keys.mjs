// Dev tool: merges interface strings into the three catalogues in one quick read-modify-write.
// Usage: node server/lib/i18n/merge-keys.mjs fragment.json   (fragment: {"en": {...}, "ru": {...}, "kk": {...}})
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'locales');
const fragment = JSON.parse(readFileSync(process.argv[2], 'utf8'));

function merge(target, source) {
  for (const [key, value] of Object.entries(source)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      target[key] = target[key] && typeof target[key] === 'object' ? target[key] : {};
      merge(target[key], value);
    } else target[key] = value;
  }
  return target;
}

for (const lang of ['kk', 'ru', 'en']) {
  if (!fragment[lang]) throw new Error(`fragment has no "${lang}" part`);
  const file = join(dir, `${lang}.json`);
  const catalogue = merge(JSON.parse(readFileSync(file, 'utf8')), fragment[lang]);
  writeFileSync(file, JSON.stringify(catalogue, null, 2) + '\n');
}
console.log('merged into kk.json, ru.json, en.json');
