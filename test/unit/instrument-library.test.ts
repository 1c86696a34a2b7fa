import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { libraryFiles, loadLibrary } from '../../server/instruments/library.js';
import { definitionProblems } from '../../server/instruments/validate.js';

const KAZAKH_LETTERS = /[әғқңөұүһі]/i;

/** Every {kk, ru, en} object in a definition, with its path. */
function localizedStrings(value: unknown, path = ''): { path: string; kk: string; ru: string; en: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => localizedStrings(v, `${path}[${i}]`));
  if (!value || typeof value !== 'object') return [];
  const obj = value as Record<string, unknown>;
  if (typeof obj.kk === 'string' && typeof obj.ru === 'string' && typeof obj.en === 'string') return [{ path, kk: obj.kk, ru: obj.ru, en: obj.en }];
  return Object.entries(obj).flatMap(([k, v]) => localizedStrings(v, path ? `${path}.${k}` : k));
}

describe('instrument library', () => {
  it('holds the eight instruments of the library', () => {
    const ids = loadLibrary().map((d) => d.id).sort();
    expect(ids).to.deep.equal(['alumni', 'discipline-evaluation', 'employer-satisfaction', 'external-review', 'integrity', 'internship-supervisor', 'staff-quality-culture', 'student-satisfaction']);
  });

  for (const file of libraryFiles()) {
    describe(basename(file), () => {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;

      it('validates', () => {
        expect(definitionProblems(raw)).to.deep.equal([]);
      });

      it('has Kazakh in Kazakh letters and three different languages', () => {
        const strings = localizedStrings(raw);
        expect(strings.length).to.be.greaterThan(10);
        const kkText = strings.map((s) => s.kk).join(' ');
        expect(kkText).to.match(KAZAKH_LETTERS);
        const untranslated = strings.filter((s) => s.kk === s.ru || s.ru === s.en || s.kk === s.en).filter((s) => s.en.length > 3 && !/^[\d\s–-]+$/.test(s.en));
        expect(untranslated.map((s) => s.path), 'strings identical in two languages').to.deep.equal([]);
      });

      it('has at least three items in every scale', () => {
        const def = loadLibrary().find((d) => basename(file).startsWith(d.id))!;
        const counts = new Map<string, number>();
        for (const page of def.pages) for (const item of page.items) {
          if (item.scale) counts.set(item.scale, (counts.get(item.scale) ?? 0) + 1);
          if (item.type === 'matrix') for (const row of item.rows) if (row.scale) counts.set(row.scale, (counts.get(row.scale) ?? 0) + 1);
        }
        for (const scale of def.scales) expect(counts.get(scale.id) ?? 0, `scale ${scale.id}`).to.be.at.least(3);
      });
    });
  }

  it('names the item and the language of a missing translation', () => {
    const def = JSON.parse(readFileSync(libraryFiles()[0]!, 'utf8')) as { pages: { items: { text: Record<string, string> }[] }[] };
    delete def.pages[0]!.items[0]!.text.kk;
    expect(definitionProblems(def)).to.deep.include({ path: 'pages[0].items[0].text.kk', message: 'missing' });
  });
});
