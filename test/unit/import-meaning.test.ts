// Imports that keep their meaning: every case from other people's files that went wrong, reproduced in
// fixtures of our own (test/fixtures/surveyjs, test/fixtures/limesurvey), converted and checked for what
// is stored, what the report says, and what the import refuses.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../server/lib/errors.js';
import { convertLimeSurvey } from '../../server/instruments/limesurvey.js';
import type { Definition, Item } from '../../server/instruments/schema.js';
import { convertSurveyJs, type UnmappedEntry } from '../../server/instruments/surveyjs.js';
import { definitionProblems } from '../../server/instruments/validate.js';
import { labelPolarity, scaleDirection } from '../../server/instruments/scale-direction.js';
import { guessLanguage } from '../../server/instruments/surveyjs-text.js';

const fixture = (dir: string, name: string) => readFileSync(join(import.meta.dirname, '../fixtures', dir, name), 'utf8');
const surveyjs = (name: string, extra: Record<string, unknown> = {}) => convertSurveyJs(JSON.parse(fixture('surveyjs', name)), { id: 'imported', audience: 'student', ...extra });
const items = (definition: Record<string, unknown>) => new Map((definition as unknown as Definition).pages.flatMap((p) => p.items).map((i) => [i.id, i] as const));
const kinds = (unmapped: UnmappedEntry[]) => unmapped.map((u) => `${u.kind}:${u.name}`);

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected the import to be refused');
}

describe('imports that keep their meaning', () => {
  describe('scale direction', () => {
    it('reads the direction from labels in any language, and from values when the labels say nothing', () => {
      expect(labelPolarity('Strongly disagree')).to.equal(-1);
      expect(labelPolarity('Полностью не согласен')).to.equal(-1);
      expect(labelPolarity('Толық келісемін')).to.equal(1);
      expect(labelPolarity('Neither agree nor disagree')).to.equal(0);
      const five = ['Strongly agree', 'Agree', 'Neutral', 'Disagree', 'Strongly disagree'];
      expect(scaleDirection(five.map((t, i) => ({ value: 5 - i, texts: [t] })))).to.include({ order: 'descending', by: 'labels and values', conflict: false });
      expect(scaleDirection(five.map((t, i) => ({ value: i + 1, texts: [t] })))).to.include({ order: 'descending', by: 'labels', conflict: true });
      expect(scaleDirection([1, 2, 3].map((v) => ({ value: v, texts: [String(v)] })))).to.include({ order: 'ascending', by: 'values' });
      expect(scaleDirection(['a', 'b'].map((v) => ({ value: v, texts: [v] })))).to.include({ order: 'unclear', unlabelled: true });
    });

    it('stores a matrix running from "strongly agree" (5) down to "strongly disagree" (1) so that strongly agree is 5, and says so', () => {
      const { definition, unmapped } = surveyjs('reversed-agreement.json');
      expect(definitionProblems(definition)).to.deep.equal([]);
      const matrix = items(definition).get('teaching') as Extract<Item, { type: 'matrix' }>;
      expect(matrix.labels!.map((l) => l.en)).to.deep.equal(['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree']);
      expect(kinds(unmapped)).to.include('scale_reversed:teaching');
      // "{teaching.fair} <= 2" meant disagreeing (the tool's values 1 and 2): now stored 1 and 2 as well.
      expect(items(definition).get('why_not')!.showIf).to.deep.equal({ item: 'teaching_fair', in: [1, 2] });
    });

    it('refuses a scale whose labels run one way in one language and the other way in another, and imports it once told', () => {
      const err = refusal(() => surveyjs('unclear-direction.json'));
      expect(err.status).to.equal(422);
      expect(err.code).to.equal('scale_direction_unclear');
      expect(err.details).to.deep.equal([{ at: 'pages[0].elements[0]', name: 'canteen', labels: ['Poor', 'Fair', 'Good', 'Excellent'] }]);
      const { definition } = surveyjs('unclear-direction.json', { directions: { 'pages[0].elements[0]': 'ascending' } });
      const matrix = items(definition).get('canteen') as Extract<Item, { type: 'matrix' }>;
      expect(matrix.labels!.map((l) => l.en)).to.deep.equal(['Poor', 'Fair', 'Good', 'Excellent']);
      expect(definitionProblems(definition)).to.deep.equal([]);
    });
  });

  describe('a Russian file without a locale, with ratings of other ranges', () => {
    const { definition, unmapped } = surveyjs('russian-ratings.json');
    const byId = items(definition);

    it('is read as Russian, from its letters, and the report says how', () => {
      expect(definitionProblems(definition)).to.deep.equal([]);
      expect((definition.title as { ru: string }).ru).to.equal('Опрос о библиотеке');
      const guessed = unmapped.find((u) => u.kind === 'language_guessed')!;
      expect(guessed.from).to.equal('ru');
      expect(guessed.message).to.match(/texts in Cyrillic, none with Kazakh letters/);
    });

    it('splits "value|text" choices into a value and its label', () => {
      const used = byId.get('used') as Extract<Item, { type: 'single' }>;
      expect(used.options.map((o) => o.label.ru)).to.deep.equal(['Да', 'Нет']);
      expect(kinds(unmapped)).to.include.members(['choice_split:used', 'values_renamed:used']);
    });

    it('maps rateMin/rateMax, rateValues and rateCount to rating items with their labels (the old spelling included)', () => {
      expect(byId.get('satisfied')).to.deep.include({ type: 'rating', min: 1, max: 5, lowLabel: { kk: 'Совсем не удовлетворён', ru: 'Совсем не удовлетворён', en: 'Совсем не удовлетворён' } });
      expect((byId.get('satisfied') as { labels?: unknown }).labels).to.equal(undefined);
      expect(byId.get('visits_week')).to.deep.include({ type: 'rating', min: 0, max: 3 });
      expect((byId.get('visits_week') as { labels: { ru: string }[] }).labels.map((l) => l.ru)).to.deep.equal(['Ни разу', 'Один раз', 'Два раза', 'Три раза и чаще']);
      expect(byId.get('books')).to.deep.include({ type: 'rating', min: 1, max: 4 });
      expect(byId.get('overall')).to.deep.include({ type: 'rating', min: 1, max: 10 });
    });

    it('keeps the conditions on them', () => {
      expect(byId.get('satisfied')!.showIf).to.deep.equal({ item: 'used', equals: 'v1' });
      expect(byId.get('visits_why')!.showIf).to.deep.equal({ item: 'visits_week', in: [1, 2, 3] });
      expect(byId.get('books_missing')!.showIf).to.deep.equal({ and: [{ item: 'books', in: [1, 2, 3, 4] }, { item: 'books', in: [1, 2] }] });
      expect(byId.get('overall_why')!.showIf).to.deep.equal({ item: 'overall', in: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
      expect(unmapped.filter((u) => u.kind === 'expression')).to.deep.equal([]);
    });

    it('fills the page number placeholders of page titles, and says so', () => {
      expect((definition as unknown as Definition).pages.map((p) => p.title.ru)).to.deep.equal(['Страница 1 из 2', 'Страница 2 из 2']);
      expect(unmapped.filter((u) => u.kind === 'placeholder_filled')).to.have.length(2);
    });
  });

  it('reads a Kazakh file without a locale as Kazakh', () => {
    const { definition, unmapped } = surveyjs('kazakh-no-locale.json');
    expect((definition.title as { kk: string }).kk).to.equal('Кітапхана туралы сауалнама');
    expect(unmapped.find((u) => u.kind === 'language_guessed')!.from).to.equal('kk');
    expect(guessLanguage(['В целом я удовлетворён.', 'Библиотека работает хорошо.'])!.lang).to.equal('ru');
    expect(guessLanguage(['Overall I am satisfied.'])!.lang).to.equal('en');
  });

  it('names a second language it cannot keep ({"default", "de"}) instead of losing it silently', () => {
    const { definition, unmapped } = surveyjs('german-second-language.json');
    expect((definition.title as { en: string }).en).to.equal('Graduate survey');
    const dropped = unmapped.find((u) => u.kind === 'language_dropped')!;
    expect(dropped.detail).to.equal('de');
    expect(dropped.message).to.match(/^6 texts in "de" were left out/);
  });

  it('answers a file with no importable question with a clear 422 that lists what was left out', () => {
    const err = refusal(() => surveyjs('imagepicker-only.json'));
    expect(err.status).to.equal(422);
    expect(err.code).to.equal('nothing_to_import');
    expect(err.message).to.match(/left out: imagepicker/);
    expect((err.details as UnmappedEntry[]).filter((u) => u.kind === 'unsupported_type').map((u) => u.name)).to.deep.equal(['building', 'canteen']);
  });

  it('warns about questions asking for personal data in an anonymous survey', () => {
    const { unmapped } = surveyjs('personal-data.json');
    expect(unmapped.filter((u) => u.kind === 'personal_data').map((u) => `${u.name}:${u.detail}`)).to.deep.equal(['email:email', 'phone:phone']);
  });

  it('still maps the sample survey, with its 1–5 "how well" rating as a rating (not agreement labels)', () => {
    const { definition } = convertSurveyJs(JSON.parse(fixture('surveyjs', 'graduate-survey.json')), { id: 'g', audience: 'alumni' });
    const byId = items(definition);
    expect(byId.get('overall')).to.deep.include({ type: 'rating', min: 1, max: 5 });
    expect(byId.get('nps')!.type).to.equal('nps');
    // Never / sometimes / often is a scale: one matrix of three columns, not three single choices.
    expect(byId.get('teaching')).to.deep.include({ type: 'matrix' });
    expect(definitionProblems(definition)).to.deep.equal([]);
  });

  describe('LimeSurvey', () => {
    it('imports a 3.x structure: languages, groups as pages, a reversed array with "cannot say", lists, multiple choice, numbers, relevance', () => {
      const { definition, unmapped } = convertLimeSurvey(fixture('limesurvey', 'teaching-ls3.lss'), { id: 'ls3', audience: 'student' });
      expect(definitionProblems(definition)).to.deep.equal([]);
      const def = definition as unknown as Definition;
      expect(def.title).to.deep.equal({ ru: 'Опрос студентов об обучении', kk: 'Студенттердің оқыту туралы сауалнамасы', en: 'Student survey on teaching' });
      expect(def.pages.map((p) => p.title.en)).to.deep.equal(['Teaching', 'Resources']);
      const byId = items(definition);
      expect(byId.get('q1')).to.deep.include({ type: 'single', required: true });
      const q2 = byId.get('q2') as Extract<Item, { type: 'matrix' }>;
      expect(q2.labels!.map((l) => l.en)).to.deep.equal(['Strongly disagree', 'Disagree', 'Neutral', 'Agree', 'Strongly agree']);
      expect(q2.allowNA).to.equal(true);
      expect(q2.rows.map((r) => r.text.kk)).to.deep.equal(['Оқытушылар түсінікті түсіндіреді.', 'Бағалау әділ.', 'Жүктеме тым көп.']);
      expect(q2.showIf).to.deep.equal({ item: 'q1', equals: 'a1' });
      expect(byId.get('q3')!.showIf).to.deep.equal({ or: [{ item: 'q2_sq003', equals: 4 }, { item: 'q2_sq003', equals: 5 }] });
      expect(byId.get('q4')).to.deep.include({ type: 'multiple', other: true });
      expect(byId.get('q5')).to.deep.include({ type: 'number', min: 0, max: 60, integer: true, showIf: { item: 'q4', equals: 'sq001' } });
      expect(byId.get('q6')).to.deep.include({ type: 'rating', min: 1, max: 5, showIf: { item: 'q4', equals: 'sq002' } });
      expect(byId.get('q8')!.showIf).to.deep.equal({ item: 'q6', in: [4, 5] });
      expect(byId.has('q7')).to.equal(false);
      expect(kinds(unmapped)).to.include.members(['scale_reversed:Q2', 'na_column:Q2', 'unsupported_type:Q7', 'values_renamed:Q1']);
    });

    it('imports a 6.x structure (texts in l10n tables), a 10-point array as a 10-column matrix, and names what it drops', () => {
      const { definition, unmapped } = convertLimeSurvey(fixture('limesurvey', 'employers-ls6.lss'), { id: 'ls6', audience: 'employer' });
      expect(definitionProblems(definition)).to.deep.equal([]);
      const byId = items(definition);
      expect((byId.get('e1') as Extract<Item, { type: 'matrix' }>).labels).to.have.length(5);
      expect((byId.get('e2') as Extract<Item, { type: 'matrix' }>).labels).to.have.length(10);
      expect(byId.get('e2')!.showIf).to.deep.equal({ item: 'e1_s1', answered: true });
      expect(byId.get('e4')!.showIf).to.deep.equal({ item: 'e3', equals: 'no' });
      expect(byId.get('e1')!.text).to.deep.equal({ en: 'How well prepared are our graduates?', kk: 'Түлектеріміз қаншалықты дайын?', ru: 'Насколько подготовлены наши выпускники?' });
      expect(kinds(unmapped)).to.include.members(['language_dropped:survey', 'personal_data:e5']);
    });

    it('refuses what is not a survey structure, and a file that declares entities, with a 400', () => {
      for (const xml of ['<html></html>', 'not xml at all <', '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><document><LimeSurveyDocType>Survey</LimeSurveyDocType></document>']) {
        const err = refusal(() => convertLimeSurvey(xml, { id: 'x', audience: 'student' }));
        expect(err.status, xml).to.equal(400);
        expect(err.code).to.equal('invalid_limesurvey');
      }
    });
  });
});
