import { expect } from 'chai';
import { loadLibrary } from '../../server/instruments/library.js';
import { describeCondition, printPages } from '../../server/instruments/preview.js';
import { jsonErrorOffset, parseEditorJson, problemLines, problemView } from '../../server/instruments/problems.js';
import type { Definition } from '../../server/instruments/schema.js';
import { applyTexts, localizedTexts } from '../../server/instruments/texts.js';

const library = loadLibrary();
const integrity = library.find((d) => d.id === 'integrity')!;

describe('instrument editor helpers', () => {
  it('lists every localized text of a definition with its path and owner', () => {
    const rows = localizedTexts(integrity);
    expect(rows[0]).to.include({ field: 't.title', path: 'title', page: null, prop: 'title', kk: integrity.title.kk });
    const firstItem = integrity.pages[0]!.items[0]!;
    expect(rows.find((r) => r.path === 'pages[0].items[0].text')).to.include({ field: 't.pages.0.items.0.text', page: 0, owner: firstItem.id, prop: 'text' });
    const option = rows.find((r) => r.prop === 'label');
    expect(option?.owner).to.match(/ › /);
    const json = JSON.stringify(integrity);
    const count = (json.match(/"kk":/g) ?? []).length;
    expect(rows.length).to.equal(count);
  });

  it('applies posted texts only where a text already is', () => {
    const fields = { 't.title.en': 'New', 't.pages.0.items.0.text.ru': 'Новый', 't.pages.0.id.kk': 'x', 't.__proto__.x.kk': 'x', 't.constructor.prototype.x.kk': 'x', 't.title.de': 'x', other: 'y' };
    const out = applyTexts(integrity, fields) as Definition;
    expect(out.title).to.deep.equal({ ...integrity.title, en: 'New' });
    expect(out.pages[0]!.items[0]!.text.ru).to.equal('Новый');
    expect(out.pages[0]!.id).to.equal(integrity.pages[0]!.id);
    expect(integrity.title.en).to.equal('Academic integrity');
    expect(({} as Record<string, unknown>).x).to.equal(undefined);
  });

  it('finds the line each validation problem points at, or the nearest enclosing value that is there', () => {
    const text = JSON.stringify({ id: 'x', title: { kk: 'а', ru: 'б' }, pages: [{ id: 'p', items: [{ id: 'q1' }, { 'id\u002e': 'q2', text: { en: 'T' } }] }] }, null, 2);
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const lines = problemLines(text, ['title.ru', 'title.en', 'pages[0].items[1].text.en', 'pages[0].items[1].text.kk', 'pages[0].items[2]', 'pages[0].items[1]', 'nowhere.at.all', '', 'pages[0].items[1].id.']);
    expect(lines.get('title.ru')).to.equal(lineOf('"ru": "б"'));
    expect(lines.get('title.en')).to.equal(lineOf('"title"'));
    expect(lines.get('pages[0].items[1].text.en')).to.equal(lineOf('"en": "T"'));
    expect(lines.get('pages[0].items[1].text.kk')).to.equal(lineOf('"text"'));
    expect(lines.get('pages[0].items[2]')).to.equal(lineOf('"items"'));
    expect(lines.get('pages[0].items[1]')).to.equal(lineOf('"id.": "q2"') - 1);
    expect(lines.get('pages[0].items[1].id.')).to.equal(lineOf('"id.": "q2"'));
    expect(lines.get('nowhere.at.all')).to.equal(1);
    expect(lines.get('')).to.equal(1);
    expect(problemLines('{"a": [1, ', ['a'])).to.deep.equal(new Map([['a', 1]]));
  });

  it('says on which line and column JSON stops being valid', () => {
    expect(parseEditorJson('{\n  "a": 1,\n  "b" 2\n}').problem).to.include({ line: 3, column: 7 });
    expect(parseEditorJson('[1, 2').problem).to.include({ line: 1, column: 6 });
    expect(jsonErrorOffset('{"a": [1, 2,]}')).to.equal(12);
    expect(jsonErrorOffset('{"a": "ok"}')).to.equal(11);
    // Strict JSON, as JSON.parse reads it: no comments, no trailing commas, no unknown escapes.
    expect(jsonErrorOffset('{"a": 1 // note\n}')).to.equal(8);
    expect(jsonErrorOffset('{"a": 1,}')).to.equal(8);
    expect(jsonErrorOffset('{"a": "\\q"}')).to.equal(6);
    // Hostile nesting stops the scan instead of exhausting the stack.
    expect(parseEditorJson('['.repeat(500_000)).problem).to.include({ line: 1, column: 201 });
    expect(problemLines('['.repeat(50_000) + ']'.repeat(50_000), ['[0][0]'])).to.deep.equal(new Map([['[0][0]', 1]]));
    expect(parseEditorJson('{"a": 1}')).to.deep.equal({ value: { a: 1 } });
  });

  it('puts known validation messages into the page language', () => {
    expect(problemView({ path: 'pages[0].items[1].text.kk', message: 'missing' }, 'kk')).to.deep.equal({ path: 'pages[0].items[1].text.kk', text: 'толтырылмаған' });
    expect(problemView({ path: 'audience', message: 'Invalid option: expected one of "student"|"employer"' }, 'ru').text).to.equal('допустимо одно из: student, employer');
    expect(problemView({ path: 'x', message: 'Something new' }, 'en').text).to.equal('Something new');
  });

  it('numbers questions for print and describes conditions with option labels', () => {
    const pages = printPages(integrity, 'en');
    const numbers = pages.flatMap((p) => p.items.map((i) => i.number));
    expect(numbers).to.deep.equal(numbers.map((_, i) => String(i + 1)));
    const conditional = pages.flatMap((p) => p.items).filter((i) => i.condition);
    expect(conditional.length).to.equal(integrity.pages.flatMap((p) => p.items).filter((i) => i.showIf).length);
    const def: Definition = {
      ...integrity,
      pages: [
        {
          id: 'p',
          title: integrity.title,
          items: [
            { id: 'a', type: 'single', text: integrity.title, options: [{ value: 'yes', label: { kk: 'Иә', ru: 'Да', en: 'Yes' } }, { value: 'no', label: { kk: 'Жоқ', ru: 'Нет', en: 'No' } }] },
            { id: 'b', type: 'text', text: integrity.title, showIf: { or: [{ item: 'a', equals: 'yes' }, { not: { item: 'a', answered: true } }] } },
          ],
        },
      ],
    };
    const names = { numbers: new Map([['a', '1']]), labels: new Map([['a', new Map([['yes', 'Yes']])]]) };
    expect(describeCondition(def.pages[0]!.items[1]!.showIf!, 'en', names)).to.equal('the answer to question 1 is “Yes” or not (question 1 is answered)');
    expect(printPages(def, 'ru')[0]!.items[1]!.condition).to.equal('Отвечайте, только если ответ на вопрос 1 — “Да” или не (на вопрос 1 дан ответ).');
  });
});
