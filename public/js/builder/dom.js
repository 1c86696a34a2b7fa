// Small DOM builders for the instrument builder: every control gets a label, hints are tied to their
// controls with aria-describedby, and each field carries data-path (the definition path it edits), so
// problems from the server can be shown next to the field they concern.
import { LANGS } from './model.js';

const LANGUAGE_NAMES = { kk: 'Қазақша', ru: 'Русский', en: 'English' };
let counter = 0;
const uid = (prefix) => `${prefix}-${++counter}`;

/** el('p', {class: 'hint'}, ['text', node]): attributes with null or undefined values are left out. */
export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'value' && 'value' in node) node.value = String(value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of [children].flat(2)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  return node;
}

/** A labelled control in its wrapper; `path` marks where problems of that definition path are shown. */
export function field(label, input, { path, hint } = {}) {
  if (!input.id) input.id = uid('f');
  const hintId = hint ? `${input.id}-hint` : undefined;
  if (hintId) input.setAttribute('aria-describedby', hintId);
  return el('div', { class: 'field', 'data-field': path }, [el('label', { for: input.id }, label), hint ? el('p', { class: 'hint', id: hintId }, hint) : null, input]);
}

export function fieldset(legend, children, { path, hint } = {}) {
  const hintId = hint ? uid('h') : undefined;
  return el('fieldset', { class: 'field-group', 'data-field': path, 'aria-describedby': hintId }, [el('legend', {}, legend), hint ? el('p', { class: 'hint', id: hintId }, hint) : null, ...children]);
}

/** A text in kk, ru and en side by side (stacked on a phone), each input marked with its language. */
export function localizedFields(binder, label, path, value, { long }) {
  const cells = LANGS.map((lang) => {
    const id = `b-${path}.${lang}`;
    const attrs = { id, lang, 'data-path': `${path}.${lang}`, spellcheck: 'true' };
    const input = long ? el('textarea', { ...attrs, rows: '2' }) : el('input', { ...attrs, type: 'text' });
    input.value = value?.[lang] ?? '';
    input.addEventListener('input', () => binder.text(`${path}.${lang}`, input.value));
    return el('div', { class: 'lang-cell', 'data-field': `${path}.${lang}` }, [el('label', { for: id, class: 'lang-cell__name' }, [LANGUAGE_NAMES[lang], el('span', { class: 'visually-hidden' }, `: ${label}`)]), input]);
  });
  return el('fieldset', { class: 'field-group localized', 'data-field': path }, [el('legend', {}, label), el('div', { class: 'lang-grid' }, cells)]);
}

/** A button; with `icon`, the icon is shown and `label` is its accessible name (and tooltip). */
export function button(text, onClick, { icon, label, disabled, class: className, ...attrs } = {}) {
  const b = el('button', { type: 'button', class: className ?? (icon ? 'icon-button' : 'button button--secondary'), 'aria-label': icon ? label ?? text : null, title: icon ? label ?? text : null, disabled: disabled ? true : null, ...attrs }, icon ?? text);
  b.addEventListener('click', onClick);
  return b;
}

export function select(options, value, attrs = {}) {
  const node = el('select', attrs, options.map((o) => el('option', { value: o.value }, o.label)));
  node.value = value ?? '';
  return node;
}

export function checkbox(label, checked, onChange, { hint, ...attrs } = {}) {
  const id = attrs.id ?? uid('c');
  const hintId = hint ? `${id}-hint` : undefined;
  const input = el('input', { type: 'checkbox', ...attrs, id, 'aria-describedby': hintId });
  input.checked = checked;
  input.addEventListener('change', () => onChange(input.checked));
  return el('div', { class: 'check', 'data-field': attrs['data-path'] }, [input, ' ', el('label', { for: id }, label), hint ? el('p', { class: 'hint', id: hintId }, hint) : null]);
}

export function numberField(binder, label, path, value, { min, max, optional } = {}) {
  const input = el('input', { type: 'number', id: `b-${path}`, 'data-path': path, min, max, step: '1', inputmode: 'numeric', class: 'input-short', value: value ?? '' });
  input.addEventListener('input', () => binder.number(path, input.value));
  return field(optional ? `${label} (${binder.s('optional')})` : label, input, { path });
}
