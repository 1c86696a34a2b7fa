// The instrument editor, enhanced: the JSON is checked as you type (line and column of a syntax error),
// a button tidies it up, and leaving with unsaved changes asks first. The page works without this script;
// the server still validates everything on save.

/** Mirrors jsonErrorOffset in server/instruments/problems.ts: where the JSON stops being valid. */
function errorOffset(text) {
  let i = 0;
  const fail = () => {
    throw new RangeError(String(i));
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') return void i++;
      if (c < ' ') fail();
      i += c === '\\' ? 2 : 1;
    }
    fail();
  };
  const value = (depth) => {
    ws();
    const c = text[i];
    if (depth > 200) fail();
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (;;) {
        if (c === '{') {
          ws();
          if (text[i] !== '"') fail();
          string();
          ws();
          if (text[i] !== ':') fail();
          i++;
        }
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    const literal = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!literal) fail();
    i += literal[0].length;
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail();
    return text.length;
  } catch (err) {
    if (err instanceof RangeError) return Number(err.message);
    throw err;
  }
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
