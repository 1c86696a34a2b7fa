// Respondent pages, enhanced: live showIf on the same page (the "answer only if" notes then hide), cohort
// lists filtered by programme, focus on the error summary. Everything works without this script; it only
// makes it smoother.

/** Mirrors server/instruments/conditions.ts. */
export function evaluate(condition, answers) {
  if ('not' in condition) return !evaluate(condition.not, answers);
  if ('and' in condition) return condition.and.every((c) => evaluate(c, answers));
  if ('or' in condition) return condition.or.some((c) => evaluate(c, answers));
  const value = answers[condition.item];
  const answered = value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0);
  if ('answered' in condition) return answered === condition.answered;
  if ('gte' in condition) {
    const given = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : undefined;
    return given !== undefined && given >= condition.gte;
  }
  const wanted = ('equals' in condition ? [condition.equals] : condition.in).map(String);
  if (Array.isArray(value)) return value.some((v) => wanted.includes(v));
  return answered && wanted.includes(String(value));
}

function currentAnswers(form) {
  const answers = JSON.parse(form.dataset.known || '{}');
  for (const el of form.elements) {
    if (!el.name || !el.name.startsWith('q_')) continue;
    const id = el.name.slice(2);
    if ((el.type === 'radio' || el.type === 'checkbox') && !el.checked) continue;
    if (el.type === 'checkbox') (answers[id] = Array.isArray(answers[id]) ? answers[id] : []).push(el.value);
    else if (el.value !== '') answers[id] = el.value;
  }
  return answers;
}

export function applyShowIf(form) {
  const answers = currentAnswers(form);
  for (const block of form.querySelectorAll('[data-show-if]')) {
    const visible = evaluate(JSON.parse(block.dataset.showIf), answers);
    block.hidden = !visible;
    for (const input of block.querySelectorAll('input, select, textarea')) input.disabled = !visible;
  }
}

function filterCohorts(form) {
  const programme = form.querySelector('#f-programme');
  const cohorts = form.querySelector('[data-cohorts]');
  if (!programme || !cohorts) return;
  for (const option of cohorts.options) {
    if (!option.dataset.programme) continue;
    const match = option.dataset.programme === programme.value;
    option.hidden = !match;
    option.disabled = !match;
    if (!match && option.selected) cohorts.value = '';
  }
  // The years are grouped by programme (for pages without this script); only the chosen one's group shows.
  for (const group of cohorts.querySelectorAll('optgroup')) group.hidden = group.dataset.programme !== programme.value;
}

const form = document.querySelector('[data-respond-form]');
if (form) {
  // Follow-ups now appear only when their answer calls for them: the "answer only if" notes are for pages without this script.
  for (const note of form.querySelectorAll('[data-only-if]')) note.hidden = true;
  applyShowIf(form);
  filterCohorts(form);
  form.addEventListener('change', () => {
    applyShowIf(form);
    filterCohorts(form);
  });
  const summary = document.getElementById('error-summary');
  if (summary) summary.focus();
  // A second click while the first submit is on its way does nothing (the server is idempotent anyway).
  form.addEventListener('submit', (event) => {
    if (form.dataset.sending === '1') event.preventDefault();
    else setTimeout(() => (form.dataset.sending = '1'), 0);
  });
}
