// The instrument editor, enhanced: the JSON is checked as you type (line and column of a syntax error),
// a button tidies it up, and leaving with unsaved changes asks first. The page works without this script;
// the server still validates everything on save.

import { visit } from '/vendor/jsonc-parser/main.js';

const STOP = Symbol('stop');

/** Where the JSON stops being valid, found by the same parser and options as on the server (problems.ts). */
function errorOffset(text) {
  let offset = text.length;
  try {
    visit(
      text,
      {
        onError: (_error, at) => {
          offset = at;
          throw STOP;
        },
      },
      { disallowComments: true, allowTrailingComma: false },
    );
  } catch (err) {
    // A text nested deeper than the stack allows keeps its end as the place.
    if (err !== STOP && !(err instanceof RangeError)) throw err;
  }
  return offset;
}

function lineAndColumn(text) {
  const before = text.slice(0, errorOffset(text)).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

function checkSyntax(input, status) {
  try {
    JSON.parse(input.value);
    status.textContent = status.dataset.ok;
    status.classList.remove('field-error');
    return true;
  } catch (err) {
    status.textContent = `${status.dataset.bad} (${lineAndColumn(input.value)}) ${err.message}`;
    status.classList.add('field-error');
    return false;
  }
}

const input = document.querySelector('[data-json-input]');
const status = document.querySelector('[data-syntax-status]');
if (input && status && !input.readOnly) {
  let timer;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => checkSyntax(input, status), 300);
  });
  const format = document.querySelector('[data-format]');
  if (format) {
    format.hidden = false;
    format.addEventListener('click', () => {
      if (!checkSyntax(input, status)) return;
      input.value = JSON.stringify(JSON.parse(input.value), null, 2);
      input.dispatchEvent(new Event('input'));
    });
  }
}

// A problem's path links to its line: select that line in the editor and scroll it into view.
function showLine(textarea, line) {
  const lines = textarea.value.split('\n');
  const n = Math.min(Math.max(1, line), lines.length);
  const start = lines.slice(0, n - 1).reduce((sum, l) => sum + l.length + 1, 0);
  textarea.focus({ preventScroll: true });
  textarea.setSelectionRange(start, start + lines[n - 1].length);
  const lineHeight = parseFloat(window.getComputedStyle(textarea).lineHeight) || 20;
  textarea.scrollTop = Math.max(0, (n - 3) * lineHeight);
  // On a phone the editor may start below the fold: bring the selected line itself into view.
  const y = textarea.getBoundingClientRect().top + window.scrollY + (n - 1) * lineHeight - textarea.scrollTop;
  window.scrollTo({ top: Math.max(0, y - window.innerHeight / 3) });
}

if (input) {
  for (const link of document.querySelectorAll('.problem-link[data-line]')) {
    link.addEventListener('click', (event) => {
      event.preventDefault();
      showLine(input, Number(link.dataset.line));
    });
  }
}

// Unsaved changes: ask before leaving the page (not when a form of the page is being submitted).
let dirty = false;
for (const form of document.querySelectorAll('.editor form')) {
  form.addEventListener('input', () => (dirty = true));
  form.addEventListener('submit', () => (dirty = false));
}
window.addEventListener('beforeunload', (event) => {
  if (dirty) event.preventDefault();
});
