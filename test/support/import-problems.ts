// Checks that an import page states each problem of a file in the page's language: the API's report (with
// keys and parameters) says what the problems are; the page must show each in kk or ru, and no English one.
import { expect } from 'chai';
import { translate, type Lang } from '../../server/lib/i18n/index.js';

export interface ApiProblem {
  line: number;
  message: string;
  key: string;
  params: Record<string, string | number>;
}

/** The problems of a 422 (error.details) or of a dry run's report (problems), each with its key. */
export function apiProblems(json: unknown): ApiProblem[] {
  const j = json as { error?: { details?: ApiProblem[] }; problems?: ApiProblem[] };
  const list = j.error?.details ?? j.problems ?? [];
  for (const p of list) {
    expect(p.key, JSON.stringify(p)).to.match(/^imports\.problem\./);
    expect(p.params).to.be.an('object');
    expect(translate('en', p.key, p.params), 'the message is the English of its key').to.equal(p.message);
  }
  return list;
}

/** As Handlebars escapes a {{value}}. */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' };
const html = (text: string) => text.replace(/[&<>"'`=]/g, (c) => ESCAPES[c]!);

/** Every problem in `lang` on the page, none in English; returns the texts shown. */
export function expectProblemsShown(page: string, problems: ApiProblem[], lang: Lang): string[] {
  expect(problems.length, 'problems to look for').to.be.greaterThan(0);
  const texts = problems.map((p) => translate(lang, p.key, p.params));
  for (const [i, p] of problems.entries()) {
    expect(texts[i], `${p.key} has its own ${lang} text`).to.not.equal(p.message);
    expect(page, `line ${p.line} in ${lang}: ${texts[i]}`).to.contain(html(texts[i]!));
    expect(page, `line ${p.line} shown in English: ${p.message}`).to.not.contain(html(p.message));
  }
  return texts;
}
