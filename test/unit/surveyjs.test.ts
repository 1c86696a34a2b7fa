import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Definition, Item } from '../../server/instruments/schema.js';
import { convertSurveyJs } from '../../server/instruments/surveyjs.js';
import { slug } from '../../server/instruments/surveyjs-text.js';
import { definitionProblems } from '../../server/instruments/validate.js';

const SAMPLE = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/surveyjs/graduate-survey.json'), 'utf8')) as unknown;
const options = { id: 'graduates', audience: 'alumni' as const };

function items(definition: Record<string, unknown>): Item[] {
  return (definition as unknown as Definition).pages.flatMap((p) => p.items);
}

/** A one-page SurveyJS survey with the given elements. */
const survey = (elements: unknown[], extra: Record<string, unknown> = {}) => ({ title: 'T', description: 'D', pages: [{ name: 'p1', elements }], ...extra });

describe('SurveyJS import', () => {
  describe('the sample survey', () => {
    const { definition, unmapped } = convertSurveyJs(SAMPLE, options);
    const byId = new Map(items(definition).map((i) => [i.id, i]));

    it('becomes a valid definition', () => {
      expect(definitionProblems(definition)).to.deep.equal([]);
      expect((definition as unknown as Definition).pages.map((p) => p.id)).to.deep.equal(['employment', 'preparation', 'recommend']);
    });

    it('maps each question type onto ours', () => {
      const types = Object.fromEntries([...byId].map(([id, item]) => [id, item.type]));
      expect(types).to.deep.equal({
        employed: 'single', // boolean → yes/no
        job_relevance: 'single', // radiogroup
        sector: 'single', // dropdown
        months_to_job: 'number', // text, inputType number with min/max
        searching: 'single',
        skills: 'matrix', // five columns
        overall: 'rating', // rating 1–5 with end labels: no agreement labels made up for it
        missing_skills: 'multiple', // checkbox
        certificates: 'multiple', // tagbox
        teaching: 'matrix', // never / sometimes / often: a scale of three columns
        nps: 'nps', // rating 0–10
        nps_reason: 'text', // comment
        sector_comment: 'text',
        email: 'text', // text, inputType email
      });
      expect(byId.get('nps_reason')).to.include({ long: true, maxLength: 1000 });
      expect(byId.get('months_to_job')).to.include({ min: 0, max: 60, integer: true });
      expect(byId.get('employed')).to.deep.include({ required: true, options: [{ value: 'yes', label: { kk: 'Иә', ru: 'Да', en: 'Yes' } }, { value: 'no', label: { kk: 'Жоқ', ru: 'Нет', en: 'No' } }] });
      expect(byId.get('job_relevance')).to.include({ other: true });
      expect(byId.get('missing_skills')).to.deep.include({ maxChoices: 3 });
      expect((byId.get('missing_skills') as Item & { options: { value: string }[] }).options.map((o) => o.value)).to.deep.equal(['communication', 'teamwork', 'languages', 'data', 'management', 'none']);
      const skills = byId.get('skills') as Item & { rows: { id: string }[]; labels: { kk: string }[] };
      expect(skills.rows.map((r) => r.id)).to.deep.equal(['skills_theory', 'skills_practice', 'skills_digital']);
      expect(skills.labels[0]!.kk).to.equal('Мүлдем келіспеймін');
      expect(skills.required).to.equal(true);
      expect(byId.get('nps')).to.deep.include({ lowLabel: { kk: 'Мүлдем ықтимал емес', ru: 'Совсем маловероятно', en: 'Not at all likely' } });
    });

    it('keeps the translations and fills a missing one from another language, flagged', () => {
      expect(byId.get('overall')!.text).to.deep.equal({
        kk: 'Жалпы алғанда, бағдарлама сізді жұмысқа қаншалықты жақсы дайындады?',
        ru: 'В целом, насколько хорошо программа подготовила вас к работе?',
        en: 'Overall, how well did the programme prepare you for work?',
      });
      expect(byId.get('sector')!.text).to.deep.equal({ kk: 'В какой сфере вы работаете?', ru: 'В какой сфере вы работаете?', en: 'In which sector do you work?' });
      expect(unmapped).to.deep.include({ at: 'pages[0].elements[2].title', name: 'Sector', kind: 'translation_filled', langs: ['kk'], from: 'ru', message: '"Sector": no kk text; filled from ru.' });
      expect((definition.afterword as { en: string }).en).to.equal('Thank you!\nYour answers help the faculty council improve the programme.');
    });

    it('turns simple visibleIf expressions into showIf', () => {
      expect(byId.get('job_relevance')!.showIf).to.deep.equal({ item: 'employed', equals: 'yes' });
      expect(byId.get('searching')!.showIf).to.deep.equal({ item: 'employed', equals: 'no' });
      expect(byId.get('nps_reason')!.showIf).to.deep.equal({ item: 'nps', in: [0, 1, 2, 3, 4, 5, 6] });
      expect(byId.get('sector_comment')!.showIf).to.deep.equal({ and: [{ item: 'sector', in: ['public', 'ngo'] }, { item: 'job_relevance', answered: true }] });
      expect(byId.get('email')!.showIf).to.equal(undefined);
    });

    it('lists what could not be mapped', () => {
      const kinds = unmapped.map((u) => `${u.kind}:${u.name}${u.detail ? `:${u.detail}` : ''}`);
      expect(kinds).to.include.members([
        'property_dropped:survey:triggers',
        'unsupported_type:cv:file',
        'unsupported_type:privacy_note:html',
        'expression:email:age({birthdate}) > 21',
        'property_dropped:email:validators',
        'property_dropped:email:inputType: email',
        'panel_flattened:teachers_panel',
        'personal_data:email:email',
        'html_removed:completedHtml',
      ]);
      expect(unmapped.every((u) => u.message.length > 0 && u.at.length > 0)).to.equal(true);
    });
  });

  describe('ids', () => {
    it('derives valid, unique ids from question names', () => {
      const { definition } = convertSurveyJs(
        survey([
          { type: 'comment', name: 'Question 1', title: 'a' },
          { type: 'comment', name: 'question-1', title: 'b' },
          { type: 'comment', name: '1st answer', title: 'c' },
          { type: 'comment', name: 'Сұрақ қою', title: 'd' },
          { type: 'comment', name: '!!!', title: 'e' },
          { type: 'comment', name: 'x'.repeat(80), title: 'f' },
          { type: 'comment', name: 'x'.repeat(80), title: 'g' },
        ]),
        options,
      );
      const ids = items(definition).map((i) => i.id);
      expect(ids).to.deep.equal(['question_1', 'question-1', 'q1st_answer', 'suraq_qoyu', 'q5', 'x'.repeat(48), `${'x'.repeat(46)}_2`]);
      expect(definitionProblems(definition)).to.deep.equal([]);
      expect(slug('Ғылыми  жұмыс!')).to.equal('gylymi_zhumys');
    });

    it('makes option values valid and maps conditions through them', () => {
      const { definition } = convertSurveyJs(
        survey([
          { type: 'radiogroup', name: 'year', title: 'Year', choices: [1, 2, 3, { value: 'Fourth year', text: '4' }] },
          { type: 'comment', name: 'why', title: 'Why', visibleIf: "{year} anyof [1, 'Fourth year']" },
        ]),
        options,
      );
      const [year, why] = items(definition) as [Item & { options: { value: string }[] }, Item];
      expect(year.options.map((o) => o.value)).to.deep.equal(['v1', 'v2', 'v3', 'fourth_year']);
      expect(why.showIf).to.deep.equal({ item: 'year', in: ['v1', 'fourth_year'] });
    });
  });

  describe('expressions', () => {
    const base = [
      { type: 'radiogroup', name: 'a', title: 'A', choices: ['x', 'y', 'z'] },
      { type: 'checkbox', name: 'b', title: 'B', choices: ['p', 'q'] },
      { type: 'matrix', name: 'm', title: 'M', columns: [1, 2, 3, 4, 5], rows: ['r1', 'r2'] },
    ];
    const showIf = (expression: string) => {
      const { definition, unmapped } = convertSurveyJs(survey([...base, { type: 'comment', name: 'c', title: 'C', visibleIf: expression }]), options);
      return { showIf: items(definition).find((i) => i.id === 'c')!.showIf, unmapped };
    };

    it('converts negation, contains, noneof, allof, empty and parentheses', () => {
      expect(showIf("!({a} = 'x') or {a} empty").showIf).to.deep.equal({ or: [{ not: { item: 'a', equals: 'x' } }, { item: 'a', answered: false }] });
      expect(showIf("{a} <> 'y'").showIf).to.deep.equal({ not: { item: 'a', equals: 'y' } });
      expect(showIf("{b} contains 'p' && {b} notcontains 'q'").showIf).to.deep.equal({ and: [{ item: 'b', equals: 'p' }, { not: { item: 'b', equals: 'q' } }] });
      expect(showIf("{b} noneof ['p']").showIf).to.deep.equal({ not: { item: 'b', in: ['p'] } });
      expect(showIf("{b} allof ['p', 'q']").showIf).to.deep.equal({ and: [{ item: 'b', equals: 'p' }, { item: 'b', equals: 'q' }] });
    });

    it('converts a comparison on a matrix row of a five-point scale', () => {
      expect(showIf('{m.r2} >= 4').showIf).to.deep.equal({ item: 'm_r2', in: [4, 5] });
    });

    it('reports what it cannot convert and shows the question always', () => {
      for (const expression of ["{a} = 'w'", '{later} notempty', "{a} = 'x' and", 'sum({a}) > 1', "{a} matches 'x'"]) {
        const result = showIf(expression);
        expect(result.showIf, expression).to.equal(undefined);
        expect(result.unmapped.filter((u) => u.kind === 'expression').map((u) => u.detail), expression).to.deep.equal([expression]);
      }
    });
  });

  it('maps ratings of other ranges to rating items, odd steps to single choices, number fields without bounds to text, and reports it', () => {
    const { definition, unmapped } = convertSurveyJs(
      survey([
        { type: 'rating', name: 'r', title: 'R', rateMin: 1, rateMax: 3 },
        { type: 'text', name: 'n', title: 'N', inputType: 'number' },
        { type: 'rating', name: 'v', title: 'V', rateValues: [{ value: 1, text: 'bad' }, { value: 2, text: 'poor' }, { value: 3, text: 'ok' }, { value: 4, text: 'good' }, { value: 5, text: 'great' }] },
        { type: 'rating', name: 'h', title: 'H', rateValues: [1, 1.5, 2] },
      ]),
      options,
    );
    const [r, n, v, h] = items(definition);
    expect(r).to.deep.include({ type: 'rating', min: 1, max: 3 });
    expect(n!.type).to.equal('text');
    // Five labelled points reading from bad to good: an agreement-type item with its own labels.
    expect(v).to.deep.include({ type: 'likert', labels: ['bad', 'poor', 'ok', 'good', 'great'].map((en) => ({ kk: en, ru: en, en })) });
    expect(h).to.deep.include({ type: 'single' });
    expect(unmapped.map((u) => u.kind)).to.include.members(['rating_as_single', 'number_as_text']);
  });

  it('uses the survey locale for "default" texts', () => {
    const { definition, unmapped } = convertSurveyJs({ locale: 'ru', title: { default: 'Опрос', en: 'Survey', kk: 'Сауалнама' }, description: 'Описание', pages: [{ elements: [{ type: 'comment', name: 'c', title: 'Комментарий' }] }] }, options);
    expect(definition.title).to.deep.equal({ kk: 'Сауалнама', ru: 'Опрос', en: 'Survey' });
    expect(definition.description).to.deep.equal({ kk: 'Описание', ru: 'Описание', en: 'Описание' });
    expect(unmapped.find((u) => u.name === 'description')).to.include({ kind: 'translation_filled', from: 'ru' });
  });

  it('refuses something that is not a survey', () => {
    expect(() => convertSurveyJs([], options)).to.throw(/must be an object/);
    expect(() => convertSurveyJs({ title: 'x' }, options)).to.throw(/no pages/);
  });
});
