// The visual instrument builder (a draft version): an outline of pages and items, an editor for the
// selected one, and a live preview as a respondent sees it. Every change goes through model.js; the server
// checks the definition after each change (its zod schema, POST /api/instruments/check) and renders the
// preview with the respondent templates (POST /api/instruments/preview), so nothing here second-guesses
// what is valid. Saving is a PUT of the definition — the same JSON the JSON editor edits.
import { conditionTargets, conditionToRules, dotted, ESG, getAt, History, ITEM_TYPES, newOption, ops, rulesToCondition, SCORED, setAt, emptyText } from './model.js';
import { el, field, fieldset, localizedFields, button, select, checkbox, numberField } from './dom.js';
import { applyShowIf } from '../respond.js';

const root = document.querySelector('[data-builder]');
if (root) start(root);

function start(root) {
  const strings = JSON.parse(root.dataset.i18n);
  const plural = new Intl.PluralRules(document.documentElement.lang || 'en');
  // With a numeric count, the plural form for it ("columnsChanged_few"), as the server's translate() picks.
  const pick = (key, params) => (typeof params.count === 'number' ? strings[`${key}_${plural.select(params.count)}`] ?? strings[`${key}_other`] : undefined) ?? strings[key] ?? key;
  const s = (key, params = {}) => pick(key, params).replace(/\{\{(\w+)\}\}/g, (_, k) => String(params[k] ?? ''));
  const api = root.dataset.api;
  const lang = document.documentElement.lang || 'en';
  const els = {
    outline: root.querySelector('[data-outline]'),
    editor: root.querySelector('[data-editor]'),
    preview: root.querySelector('[data-preview]'),
    status: root.querySelector('[data-status]'),
    announce: root.querySelector('[data-announce]'),
    problems: root.querySelector('[data-problems]'),
    warnings: root.querySelector('[data-warnings]'),
    undo: root.querySelector('[data-undo]'),
    save: root.querySelector('[data-save]'),
    device: root.querySelector('[data-device]'),
    previewLang: root.querySelector('[data-preview-lang]'),
    views: root.querySelectorAll('[data-view]'),
  };

  const state = {
    def: null,
    saved: '',
    selection: { settings: true },
    problems: [],
    warnings: [],
    history: new History(),
    /** The field whose typing is one undo step (its state was pushed when typing began). */
    typing: null,
    previewLang: lang,
  };

  // ---- loading, checking, saving -------------------------------------------------------------
  fetch(api, { headers: { accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
    .then((body) => {
      state.def = body.version.definition;
      state.saved = JSON.stringify(state.def);
      render();
      check();
    })
    .catch(() => (els.status.textContent = s('loadFailed')));

  let checkTimer;
  function scheduleCheck() {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, 350);
  }

  let checking = 0;
  async function check() {
    const mine = ++checking;
    const definition = state.def;
    const [checked, preview] = await Promise.all([
      post('/api/instruments/check', { definition }).then((r) => r.json()),
      post('/api/instruments/preview', { definition, lang: state.previewLang }).then((r) => r.text()),
    ]).catch(() => [null, null]);
    if (mine !== checking || !checked) return;
    state.problems = checked.problems.map((p) => ({ ...p, field: dotted(p.path) }));
    state.warnings = checked.warnings.map((w) => ({ ...w, field: dotted(w.path) }));
    showProblems();
    showPreview(preview);
    updateStatus();
  }

  function post(path, body) {
    return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  }

  async function save() {
    els.save.disabled = true;
    els.status.textContent = s('saving');
    try {
      const res = await fetch(api, { method: 'PUT', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(state.def) });
      const body = await res.json();
      if (res.ok) {
        state.def = body.version.definition;
        state.saved = JSON.stringify(state.def);
        announce(s('saved'));
      } else {
        const details = Array.isArray(body.error?.details) ? body.error.details : [];
        if (details.length) await check();
        announce(details.length ? s('notSavedProblems', { count: details.length }) : `${s('notSaved')} ${body.error?.message ?? ''}`);
      }
    } catch {
      announce(s('notSaved'));
    } finally {
      els.save.disabled = false;
      updateStatus();
    }
  }

  const dirty = () => state.def && JSON.stringify(state.def) !== state.saved;
  function updateStatus() {
    if (!state.def) return;
    const parts = [dirty() ? s('unsaved') : s('allSaved')];
    parts.push(state.problems.length ? s('problemCount', { count: state.problems.length }) : s('noProblems'));
    if (state.warnings.length) parts.push(s('warningCount', { count: state.warnings.length }));
    els.status.textContent = parts.join(' · ');
    els.undo.disabled = !state.history.canUndo;
  }
  window.addEventListener('beforeunload', (event) => {
    if (dirty()) event.preventDefault();
  });

  function announce(text) {
    els.announce.textContent = '';
    // A change of text after clearing is what screen readers pick up reliably.
    setTimeout(() => (els.announce.textContent = text), 30);
  }

  // ---- changes and undo ----------------------------------------------------------------------
  /** Applies an operation's result: remembers the state before for undo, re-renders, checks. */
  function change(result, message) {
    state.history.push(state.def);
    state.typing = null;
    state.def = result.def;
    if (result.select) state.selection = result.select;
    render(result.focus);
    scheduleCheck();
    if (message) announce(message);
  }

  function undo() {
    const previous = state.history.undo();
    if (!previous) return;
    state.def = previous;
    state.typing = null;
    if (!selectionExists()) state.selection = { settings: true };
    render();
    scheduleCheck();
    announce(s('undone'));
  }

  function selectionExists() {
    const { page, item, settings } = state.selection;
    if (settings) return true;
    if (!state.def.pages[page]) return false;
    return item === undefined || Boolean(state.def.pages[page].items[item]);
  }

  /** A field edited in place: one undo step per field while typing, no re-render (focus stays). */
  function setField(path, value, { rerender = false } = {}) {
    if (state.typing !== path) {
      state.history.push(state.def);
      state.typing = path;
    }
    state.def = setAt(state.def, path, value);
    if (rerender) {
      state.typing = null;
      render(path);
    } else refreshOutlineLabels();
    scheduleCheck();
    updateStatus();
  }

  // ---- rendering -----------------------------------------------------------------------------
  function render(focusPath) {
    renderOutline();
    renderEditor();
    showProblems();
    updateStatus();
    if (focusPath) {
      const target = root.querySelector(`[data-path="${CSS.escape(focusPath)}"]`) ?? root.querySelector(`[data-focus="${CSS.escape(focusPath)}"]`);
      target?.focus();
    }
  }

  const textOf = (text) => (text && (text[lang] || text.en || text.ru || text.kk)) || '';
  const typeName = (type) => s(`type.${type}`);

  function renderOutline() {
    const def = state.def;
    const list = el('ol', { class: 'outline__pages' });
    const settingsButton = el('button', { type: 'button', class: `outline__select${state.selection.settings ? ' is-selected' : ''}`, 'aria-current': state.selection.settings ? 'true' : null, 'data-focus': 'select:settings' }, s('settings'));
    settingsButton.addEventListener('click', () => selectEntry({ settings: true }, 'select:settings'));
    def.pages.forEach((page, p) => {
      const selectedPage = !state.selection.settings && state.selection.page === p && state.selection.item === undefined;
      const pageItem = el('li', { class: 'outline__page' });
      const head = el('div', { class: 'outline__row outline__row--page' });
      const pageButton = el('button', { type: 'button', class: `outline__select${selectedPage ? ' is-selected' : ''}`, 'aria-current': selectedPage ? 'true' : null, 'data-focus': `select:${p}`, 'data-outline-page': String(p) }, `${s('page')} ${p + 1}: ${textOf(page.title) || s('untitled')}`);
      pageButton.addEventListener('click', () => selectEntry({ page: p }, `select:${p}`));
      pageButton.addEventListener('keydown', (event) => moveKeys(event, () => ops.movePage(state.def, p, -1), () => ops.movePage(state.def, p, 1), (r) => `select:${r.select.page}`));
      // The tools of the selected page or question only: fewer stops for the keyboard, the same for the mouse.
      head.append(
        pageButton,
        ...(!selectedPage ? [] : [el('span', { class: 'outline__tools' }, [
          button(s('moveUp'), () => change(ops.movePage(state.def, p, -1), s('movedPage', { n: p })), { icon: '↑', label: `${s('moveUp')}: ${s('page')} ${p + 1}`, disabled: p === 0 }),
          button(s('moveDown'), () => change(ops.movePage(state.def, p, 1), s('movedPage', { n: p + 2 })), { icon: '↓', label: `${s('moveDown')}: ${s('page')} ${p + 1}`, disabled: p === def.pages.length - 1 }),
          button(s('duplicate'), () => change({ ...ops.duplicatePage(state.def, p), focus: `select:${p + 1}` }, s('duplicated')), { icon: '⧉', label: `${s('duplicate')}: ${s('page')} ${p + 1}` }),
          button(s('delete'), () => change({ ...ops.deletePage(state.def, p), focus: 'select:settings' }, s('deletedUndo')), { icon: '✕', label: `${s('delete')}: ${s('page')} ${p + 1}`, disabled: def.pages.length <= 1 }),
        ])]),
      );
      pageItem.append(head);
      const items = el('ol', { class: 'outline__items' });
      page.items.forEach((item, i) => {
        const selected = !state.selection.settings && state.selection.page === p && state.selection.item === i;
        const count = problemsUnder(`pages.${p}.items.${i}`);
        const row = el('li', { class: 'outline__row' });
        const label = el('span', { class: 'outline__text', 'data-outline-label': `${p}.${i}` }, textOf(item.text) || s('untitled'));
        const pick = el('button', { type: 'button', class: `outline__select outline__select--item${selected ? ' is-selected' : ''}`, 'aria-current': selected ? 'true' : null, 'data-focus': `select:${p}.${i}`, 'data-outline-item': `${p}.${i}` }, [
          el('span', { class: 'outline__type' }, typeName(item.type)),
          label,
          item.showIf ? el('span', { class: 'pill', title: s('conditional') }, s('conditionalShort')) : null,
          count ? el('span', { class: 'pill pill--bad' }, s('problemsShort', { count })) : null,
        ]);
        pick.addEventListener('click', () => selectEntry({ page: p, item: i }, `select:${p}.${i}`));
        pick.addEventListener('keydown', (event) => moveKeys(event, () => ops.moveItem(state.def, p, i, -1), () => ops.moveItem(state.def, p, i, 1), (r) => `select:${r.select.page}.${r.select.item}`));
        const name = `${s('item')} ${i + 1}`;
        row.append(
          pick,
          ...(!selected ? [] : [el('span', { class: 'outline__tools' }, [
            button(s('moveUp'), () => change(withFocus(ops.moveItem(state.def, p, i, -1)), s('moved')), { icon: '↑', label: `${s('moveUp')}: ${name}`, disabled: p === 0 && i === 0 }),
            button(s('moveDown'), () => change(withFocus(ops.moveItem(state.def, p, i, 1)), s('moved')), { icon: '↓', label: `${s('moveDown')}: ${name}`, disabled: p === def.pages.length - 1 && i === page.items.length - 1 }),
            button(s('duplicate'), () => change(withFocus(ops.duplicateItem(state.def, p, i)), s('duplicated')), { icon: '⧉', label: `${s('duplicate')}: ${name}` }),
            button(s('delete'), () => change({ ...ops.deleteItem(state.def, p, i), focus: `select:${p}` }, s('deletedUndo')), { icon: '✕', label: `${s('delete')}: ${name}`, disabled: page.items.length <= 1 }),
          ])]),
        );
        items.append(row);
      });
      pageItem.append(items);
      // Adding a question: pick its type, then add it at the end of this page.
      const typeSelect = select(ITEM_TYPES.map((t) => ({ value: t, label: typeName(t) })), 'likert', { id: `add-type-${p}`, 'aria-label': `${s('newItemType')} (${s('page')} ${p + 1})`, 'data-add-type': String(p) });
      const add = button(s('addItem'), () => change(withFocus(ops.addItem(state.def, p, typeSelect.value)), s('added')), { 'data-add-item': String(p) });
      pageItem.append(el('div', { class: 'outline__add' }, [typeSelect, add]));
      list.append(pageItem);
    });
    const addPage = button(s('addPage'), () => change({ ...ops.addPage(state.def), focus: `select:${state.def.pages.length}` }, s('addedPage')), { 'data-add-page': '' });
    els.outline.replaceChildren(settingsButton, list, addPage);
  }

  function withFocus(result) {
    return { ...result, focus: result.select.item === undefined ? `select:${result.select.page}` : `select:${result.select.page}.${result.select.item}` };
  }

  /** Alt+↑ / Alt+↓ on an outline entry moves it (the buttons do the same). */
  function moveKeys(event, up, down, focusOf) {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    const result = event.key === 'ArrowUp' ? up() : down();
    if (result.def === state.def) return;
    change({ ...result, focus: focusOf(result) }, s('moved'));
  }

  function selectEntry(selection, focus) {
    state.selection = selection;
    state.typing = null;
    render(focus);
    // On a phone the editor is its own view: show it.
    if (window.matchMedia('(max-width: 759px)').matches) showView('editor');
  }

  function refreshOutlineLabels() {
    for (const label of els.outline.querySelectorAll('[data-outline-label]')) {
      const [p, i] = label.dataset.outlineLabel.split('.').map(Number);
      const item = state.def.pages[p]?.items[i];
      if (item) label.textContent = textOf(item.text) || s('untitled');
    }
    for (const b of els.outline.querySelectorAll('[data-outline-page]')) {
      const p = Number(b.dataset.outlinePage);
      b.textContent = `${s('page')} ${p + 1}: ${textOf(state.def.pages[p]?.title) || s('untitled')}`;
    }
  }

  const problemsUnder = (prefix) => state.problems.filter((p) => p.field === prefix || p.field.startsWith(`${prefix}.`)).length;

  // ---- the editor panel ----------------------------------------------------------------------
  const binder = {
    text: (path, value) => setField(path, value),
    number: (path, raw) => setField(path, raw === '' ? undefined : Number(raw)),
    checkbox: (path, checked) => setField(path, checked ? true : undefined),
    optionalText: (path, on) => setField(path, on ? emptyText() : undefined, { rerender: true }),
    s,
  };

  function renderEditor() {
    const { settings, page, item } = state.selection;
    let content;
    if (settings) content = settingsEditor();
    else if (item === undefined) content = pageEditor(page);
    else content = itemEditor(page, item);
    els.editor.replaceChildren(...content);
  }

  function settingsEditor() {
    const def = state.def;
    const audience = select(
      ['student', 'employer', 'alumni', 'staff', 'external_reviewer'].map((a) => ({ value: a, label: s(`audience.${a}`) })),
      def.audience,
      { id: 'b-audience', 'data-path': 'audience' },
    );
    audience.addEventListener('change', () => setField('audience', audience.value));
    return [
      el('h2', { id: 'editor-heading', tabindex: '-1' }, s('settings')),
      localizedFields(binder, s('titleLabel'), 'title', def.title, { long: false }),
      localizedFields(binder, s('description'), 'description', def.description, { long: true }),
      field(s('audienceLabel'), audience),
      numberField(binder, s('minutes'), 'estimatedMinutes', def.estimatedMinutes, { min: 1, max: 120 }),
      optionalLocalized(s('afterword'), 'afterword', def.afterword, true),
      scalesEditor(),
    ];
  }

  function optionalLocalized(label, path, value, long) {
    const box = checkbox(s('addText', { what: label }), value !== undefined, (on) => binder.optionalText(path, on), { 'data-focus': path });
    return el('div', { class: 'optional-text' }, [box, value !== undefined ? localizedFields(binder, label, path, value, { long }) : null]);
  }

  function scalesEditor() {
    const scales = state.def.scales ?? [];
    const list = el('ol', { class: 'list-editor' });
    scales.forEach((scale, i) => {
      list.append(
        el('li', { class: 'list-editor__row' }, [
          idField(s('scaleId'), `scales.${i}.id`, scale.id),
          localizedFields(binder, s('scaleTitle'), `scales.${i}.title`, scale.title, { long: false }),
          el('p', { class: 'list-editor__tools' }, [button(s('delete'), () => change(ops.removeFrom(state.def, 'scales', i), s('deletedUndo')), { label: `${s('delete')}: ${scale.id}` })]),
        ]),
      );
    });
    const add = button(s('addScale'), () => {
      const taken = new Set(scales.map((x) => x.id));
      let n = scales.length + 1;
      while (taken.has(`scale${n}`)) n++;
      change({ ...ops.addTo(state.def, 'scales', () => ({ id: `scale${n}`, title: emptyText() })), focus: `scales.${scales.length}.id` }, s('added'));
    });
    return el('section', { class: 'builder-section', 'aria-labelledby': 'scales-heading' }, [el('h3', { id: 'scales-heading' }, s('scales')), el('p', { class: 'hint' }, s('scalesHint')), list, add]);
  }

  function idField(label, path, value) {
    const input = el('input', { type: 'text', id: `b-${path}`, value, 'data-path': path, spellcheck: 'false', autocomplete: 'off', maxlength: '48', class: 'input-id' });
    input.addEventListener('input', () => setField(path, input.value.trim()));
    return field(label, input, { path, hint: s('idHint') });
  }

  function pageEditor(p) {
    const page = state.def.pages[p];
    const base = `pages.${p}`;
    return [
      el('h2', { id: 'editor-heading', tabindex: '-1' }, `${s('page')} ${p + 1}`),
      localizedFields(binder, s('pageTitle'), `${base}.title`, page.title, { long: false }),
      optionalLocalized(s('intro'), `${base}.intro`, page.intro, true),
      idField(s('pageId'), `${base}.id`, page.id),
    ];
  }

  function itemEditor(p, i) {
    const item = state.def.pages[p].items[i];
    const base = `pages.${p}.items.${i}`;
    const type = select(ITEM_TYPES.map((t) => ({ value: t, label: typeName(t) })), item.type, { id: 'b-type', 'data-path': `${base}.type` });
    type.addEventListener('change', () => change({ ...ops.setType(state.def, p, i, type.value), focus: `${base}.type` }, s('typeChanged', { type: typeName(type.value) })));
    const parts = [
      el('h2', { id: 'editor-heading', tabindex: '-1' }, `${s('page')} ${p + 1} · ${s('item')} ${i + 1}`),
      field(s('itemType'), type, { path: `${base}.type` }),
      localizedFields(binder, s('itemText'), `${base}.text`, item.text, { long: true }),
      optionalLocalized(s('help'), `${base}.help`, item.help, false),
      checkbox(s('required'), Boolean(item.required), (on) => binder.checkbox(`${base}.required`, on), { 'data-path': `${base}.required` }),
      ...typeEditor(item, base),
      tagsEditor(item, base),
      conditionEditor(item, p, i, base),
      idField(s('itemId'), `${base}.id`, item.id),
    ];
    return parts;
  }

  function typeEditor(item, base) {
    switch (item.type) {
      case 'likert':
        return [labelsEditor(item, base, 5, true), checkbox(s('allowNA'), Boolean(item.allowNA), (on) => binder.checkbox(`${base}.allowNA`, on), { 'data-path': `${base}.allowNA` })];
      case 'rating':
        return ratingEditor(item, base);
      case 'single':
      case 'multiple':
        return choiceEditor(item, base);
      case 'nps':
        return [optionalLocalized(s('lowLabel'), `${base}.lowLabel`, item.lowLabel, false), optionalLocalized(s('highLabel'), `${base}.highLabel`, item.highLabel, false)];
      case 'matrix':
        return matrixEditor(item, base);
      case 'text':
        return [
          checkbox(s('long'), Boolean(item.long), (on) => binder.checkbox(`${base}.long`, on), { 'data-path': `${base}.long` }),
          numberField(binder, s('maxLength'), `${base}.maxLength`, item.maxLength, { min: 1, max: 5000, optional: true }),
        ];
      case 'number':
        return [
          el('div', { class: 'field-row' }, [numberField(binder, s('min'), `${base}.min`, item.min, {}), numberField(binder, s('max'), `${base}.max`, item.max, {})]),
          checkbox(s('integer'), Boolean(item.integer), (on) => binder.checkbox(`${base}.integer`, on), { 'data-path': `${base}.integer` }),
          optionalLocalized(s('unit'), `${base}.unit`, item.unit, false),
        ];
      default:
        return [];
    }
  }

  /** Scale labels: the standard agreement labels (left out) or one label per point. */
  function labelsEditor(item, base, count, standardAllowed) {
    const own = Array.isArray(item.labels);
    const parts = [];
    if (standardAllowed) {
      parts.push(
        checkbox(s('ownLabels'), own, (on) => setField(`${base}.labels`, on ? Array.from({ length: count }, () => emptyText()) : undefined, { rerender: true }), { 'data-focus': `${base}.labels`, hint: s('standardLabels') }),
      );
    }
    if (own) {
      const list = el('ol', { class: 'list-editor' });
      item.labels.forEach((label, k) => list.append(el('li', { class: 'list-editor__row' }, [localizedFields(binder, s('labelN', { n: k + 1 }), `${base}.labels.${k}`, label, { long: false })])));
      parts.push(list);
    }
    return el('section', { class: 'builder-section', 'data-field': `${base}.labels` }, [el('h3', {}, s('labels')), ...parts]);
  }

  function ratingEditor(item, base) {
    const points = item.max - item.min + 1;
    const perPoint = Array.isArray(item.labels);
    const range = (key, value) => {
      const input = numberField(binder, s(key), `${base}.${key}`, value, { min: key === 'min' ? -10 : -9, max: key === 'min' ? 10 : 100 });
      // The number of points changes the labels: keep one per point when they are given.
      input.querySelector('input').addEventListener('change', () => {
        const it = getAt(state.def, base);
        if (Array.isArray(it.labels) && Number.isInteger(it.min) && Number.isInteger(it.max) && it.max >= it.min && it.max - it.min < 21) {
          const n = it.max - it.min + 1;
          const labels = Array.from({ length: n }, (_, k) => it.labels[k] ?? emptyText());
          setField(`${base}.labels`, labels, { rerender: true });
        }
      });
      return input;
    };
    return [
      el('div', { class: 'field-row' }, [range('min', item.min), range('max', item.max)]),
      el('p', { class: 'hint' }, s('ratingHint')),
      optionalLocalized(s('lowLabel'), `${base}.lowLabel`, item.lowLabel, false),
      optionalLocalized(s('highLabel'), `${base}.highLabel`, item.highLabel, false),
      checkbox(s('pointLabels'), perPoint, (on) => setField(`${base}.labels`, on && points > 0 && points <= 21 ? Array.from({ length: points }, () => emptyText()) : undefined, { rerender: true }), { 'data-focus': `${base}.labels` }),
      perPoint
        ? el(
            'ol',
            { class: 'list-editor', 'data-field': `${base}.labels` },
            item.labels.map((label, k) => el('li', { class: 'list-editor__row' }, [localizedFields(binder, s('pointN', { n: item.min + k }), `${base}.labels.${k}`, label, { long: false })])),
          )
        : null,
      checkbox(s('allowNA'), Boolean(item.allowNA), (on) => binder.checkbox(`${base}.allowNA`, on), { 'data-path': `${base}.allowNA` }),
    ];
  }

  function choiceEditor(item, base) {
    const list = el('ol', { class: 'list-editor' });
    item.options.forEach((option, k) => {
      const path = `${base}.options.${k}`;
      list.append(
        el('li', { class: 'list-editor__row' }, [
          localizedFields(binder, s('optionN', { n: k + 1 }), `${path}.label`, option.label, { long: false }),
          el('div', { class: 'list-editor__tools' }, [
            idField(s('optionValue'), `${path}.value`, option.value),
            button(s('moveUp'), () => change({ ...ops.moveIn(state.def, `${base}.options`, k, -1), focus: `${base}.options.${k - 1}.label.kk` }, s('moved')), { icon: '↑', label: `${s('moveUp')}: ${s('optionN', { n: k + 1 })}`, disabled: k === 0 }),
            button(s('moveDown'), () => change({ ...ops.moveIn(state.def, `${base}.options`, k, 1), focus: `${base}.options.${k + 1}.label.kk` }, s('moved')), { icon: '↓', label: `${s('moveDown')}: ${s('optionN', { n: k + 1 })}`, disabled: k === item.options.length - 1 }),
            button(s('delete'), () => change(ops.removeFrom(state.def, `${base}.options`, k), s('deletedUndo')), { icon: '✕', label: `${s('delete')}: ${s('optionN', { n: k + 1 })}`, disabled: item.options.length <= 2 }),
          ]),
        ]),
      );
    });
    const add = button(s('addOption'), () => change({ ...ops.addTo(state.def, `${base}.options`, newOption), focus: `${base}.options.${item.options.length}.label.kk` }, s('added')), { 'data-add-option': '' });
    const parts = [el('section', { class: 'builder-section', 'data-field': `${base}.options` }, [el('h3', {}, s('options')), list, add])];
    parts.push(checkbox(s('other'), Boolean(item.other), (on) => binder.checkbox(`${base}.other`, on), { 'data-path': `${base}.other` }));
    if (item.type === 'multiple') parts.push(numberField(binder, s('maxChoices'), `${base}.maxChoices`, item.maxChoices, { min: 1, max: 30, optional: true }));
    return parts;
  }

  function matrixEditor(item, base) {
    const rows = el('ol', { class: 'list-editor' });
    item.rows.forEach((row, k) => {
      const path = `${base}.rows.${k}`;
      rows.append(
        el('li', { class: 'list-editor__row' }, [
          localizedFields(binder, s('rowN', { n: k + 1 }), `${path}.text`, row.text, { long: false }),
          el('div', { class: 'list-editor__tools' }, [
            idField(s('rowId'), `${path}.id`, row.id),
            checkbox(s('reverse'), Boolean(row.reverse), (on) => binder.checkbox(`${path}.reverse`, on), { 'data-path': `${path}.reverse` }),
            scaleSelect(`${path}.scale`, row.scale, s('rowScale')),
            button(s('moveUp'), () => change(ops.moveIn(state.def, `${base}.rows`, k, -1), s('moved')), { icon: '↑', label: `${s('moveUp')}: ${s('rowN', { n: k + 1 })}`, disabled: k === 0 }),
            button(s('moveDown'), () => change(ops.moveIn(state.def, `${base}.rows`, k, 1), s('moved')), { icon: '↓', label: `${s('moveDown')}: ${s('rowN', { n: k + 1 })}`, disabled: k === item.rows.length - 1 }),
            button(s('delete'), () => change(ops.removeFrom(state.def, `${base}.rows`, k), s('deletedUndo')), { icon: '✕', label: `${s('delete')}: ${s('rowN', { n: k + 1 })}`, disabled: item.rows.length <= 2 }),
          ]),
        ]),
      );
    });
    const addRow = button(s('addRow'), () => {
      const taken = new Set(item.rows.map((r) => r.id));
      let n = item.rows.length + 1;
      while (taken.has(`${item.id}_${n}`)) n++;
      change({ ...ops.addTo(state.def, `${base}.rows`, () => ({ id: `${item.id}_${n}`.slice(0, 48), text: emptyText() })), focus: `${base}.rows.${item.rows.length}.text.kk` }, s('added'));
    });
    const columns = item.labels?.length ?? 5;
    const count = select(Array.from({ length: 10 }, (_, k) => ({ value: String(k + 2), label: String(k + 2) })), String(columns), { id: `b-${base}.columns`, 'data-focus': `${base}.columns` });
    count.addEventListener('change', () => {
      const n = Number(count.value);
      const labels = Array.from({ length: n }, (_, k) => item.labels?.[k] ?? emptyText());
      change({ def: setAt(state.def, `${base}.labels`, n === 5 && !item.labels ? undefined : labels), focus: `${base}.columns` }, s('columnsChanged', { count: n }));
    });
    return [
      el('section', { class: 'builder-section', 'data-field': `${base}.rows` }, [el('h3', {}, s('rows')), rows, addRow]),
      field(s('columns'), count, { hint: s('columnsHint') }),
      labelsEditor(item, base, columns, columns === 5),
      checkbox(s('allowNA'), Boolean(item.allowNA), (on) => binder.checkbox(`${base}.allowNA`, on), { 'data-path': `${base}.allowNA` }),
    ];
  }

  function scaleSelect(path, value, label) {
    const options = [{ value: '', label: s('noScale') }, ...(state.def.scales ?? []).map((x) => ({ value: x.id, label: `${x.id}${textOf(x.title) ? ` — ${textOf(x.title)}` : ''}` }))];
    const input = select(options, value ?? '', { id: `b-${path}`, 'data-path': path });
    input.addEventListener('change', () => setField(path, input.value || undefined));
    return field(label, input, { path });
  }

  function tagsEditor(item, base) {
    const parts = [];
    if (SCORED.has(item.type)) {
      parts.push(scaleSelect(`${base}.scale`, item.scale, s('scale')));
      if (item.type !== 'matrix') parts.push(checkbox(s('reverse'), Boolean(item.reverse), (on) => binder.checkbox(`${base}.reverse`, on), { 'data-path': `${base}.reverse`, hint: s('reverseHint') }));
    }
    parts.push(checkbox(s('sensitive'), Boolean(item.sensitive), (on) => binder.checkbox(`${base}.sensitive`, on), { 'data-path': `${base}.sensitive`, hint: s('sensitiveHint') }));
    const esg = new Set(item.esg ?? []);
    const boxes = ESG.map((code) =>
      checkbox(code, esg.has(code), (on) => {
        const next = new Set(getAt(state.def, base).esg ?? []);
        if (on) next.add(code);
        else next.delete(code);
        const list = ESG.filter((c) => next.has(c));
        setField(`${base}.esg`, list.length ? list : undefined);
      }, { title: s(`esg.${code}`) }),
    );
    parts.push(fieldset(s('esgTags'), [el('div', { class: 'esg-boxes' }, boxes)], { path: `${base}.esg`, hint: s('esgHint') }));
    return el('section', { class: 'builder-section' }, [el('h3', {}, s('analysis')), ...parts]);
  }

  // ---- the skip-logic editor -----------------------------------------------------------------
  function conditionEditor(item, p, i, base) {
    const path = `${base}.showIf`;
    const section = el('section', { class: 'builder-section condition', 'data-field': path, 'aria-labelledby': 'cond-heading' }, [el('h3', { id: 'cond-heading' }, s('showIf'))]);
    const parsed = conditionToRules(item.showIf);
    if (parsed === null) {
      section.append(el('p', { class: 'hint' }, s('conditionComplex')), el('pre', { class: 'condition__json' }, JSON.stringify(item.showIf)), button(s('removeCondition'), () => change({ def: setAt(state.def, path, undefined), focus: `${path}.add` }, s('deletedUndo'))));
      return section;
    }
    const targets = conditionTargets(state.def, p, i, lang);
    const write = (next) => change({ def: setAt(state.def, path, rulesToCondition(next)), focus: next.focus }, undefined);
    if (!parsed.rules.length) section.append(el('p', { class: 'hint' }, s('alwaysShown')));
    else {
      const join = select([{ value: 'and', label: s('joinAll') }, { value: 'or', label: s('joinAny') }], parsed.join, { id: `b-${path}.join`, 'data-focus': `${path}.join` });
      join.addEventListener('change', () => write({ ...parsed, join: join.value, single: false, focus: `${path}.join` }));
      if (parsed.rules.length > 1) section.append(field(s('join'), join));
      const list = el('ol', { class: 'rules' });
      parsed.rules.forEach((rule, r) => list.append(ruleRow(rule, r, parsed, targets, path, write)));
      section.append(list);
    }
    const add = button(s('addRule'), () => {
      const first = targets[0];
      if (!first) return;
      const rule = { item: first.id, op: first.ops[0], value: defaultValue(first, first.ops[0]) };
      write({ ...parsed, rules: [...parsed.rules, rule], focus: `${path}.${parsed.rules.length}.item` });
    }, { 'data-focus': `${path}.add`, disabled: targets.length === 0 });
    section.append(add);
    if (!targets.length) section.append(el('p', { class: 'hint' }, s('noEarlier')));
    return section;
  }

  function defaultValue(target, op) {
    if (op === 'answered' || op === 'notanswered') return undefined;
    if (!target.values) return 0;
    if (op === 'oneof') return target.values.slice(0, 1).map((v) => v.value);
    const scored = target.values.filter((v) => v.value !== 'na');
    return op === 'gte' ? scored[scored.length - 1]?.value ?? 0 : target.values[0]?.value;
  }

  function ruleRow(rule, r, parsed, targets, path, write) {
    const rulePath = `${path}.${r}`;
    const target = targets.find((t) => t.id === rule.item);
    const replace = (next, focus) => write({ ...parsed, rules: parsed.rules.map((x, k) => (k === r ? next : x)), focus });
    // Only earlier items are offered; a rule about one that is no longer earlier stays visible as such.
    const itemOptions = targets.map((t) => ({ value: t.id, label: `${t.label || t.id} (${t.id})` }));
    if (!target) itemOptions.unshift({ value: rule.item, label: s('notEarlier', { id: rule.item }) });
    const itemSelect = select(itemOptions, rule.item, { id: `b-${rulePath}.item`, 'data-focus': `${rulePath}.item` });
    itemSelect.addEventListener('change', () => {
      const t = targets.find((x) => x.id === itemSelect.value);
      const op = t.ops.includes(rule.op) ? rule.op : t.ops[0];
      replace({ item: t.id, op, value: defaultValue(t, op) }, `${rulePath}.item`);
    });
    const opList = target ? target.ops : [rule.op];
    const opSelect = select(opList.map((o) => ({ value: o, label: s(`op.${o}`) })), rule.op, { id: `b-${rulePath}.op`, 'data-focus': `${rulePath}.op` });
    opSelect.addEventListener('change', () => replace({ item: rule.item, op: opSelect.value, value: target ? defaultValue(target, opSelect.value) : rule.value }, `${rulePath}.op`));
    const parts = [field(s('ruleItem'), itemSelect), field(s('ruleOp'), opSelect)];
    if (rule.op !== 'answered' && rule.op !== 'notanswered') parts.push(valueControl(rule, target, rulePath, (value) => replace({ ...rule, value }, `${rulePath}.value`)));
    parts.push(button(s('removeRule'), () => write({ ...parsed, rules: parsed.rules.filter((_, k) => k !== r), focus: `${path}.add` }), { icon: '✕', label: `${s('removeRule')} ${r + 1}` }));
    return el('li', { class: 'rule' }, parts);
  }

  function valueControl(rule, target, rulePath, set) {
    const values = target?.values;
    if (!values) {
      const input = el('input', { type: 'number', id: `b-${rulePath}.value`, value: String(rule.value ?? ''), 'data-focus': `${rulePath}.value`, step: 'any' });
      input.addEventListener('change', () => set(input.value === '' ? 0 : Number(input.value)));
      return field(s('ruleValue'), input);
    }
    if (rule.op === 'oneof') {
      const chosen = new Set((rule.value ?? []).map(String));
      const boxes = values.map((v) =>
        checkbox(v.label, chosen.has(String(v.value)), (on) => {
          const next = values.filter((x) => (x.value === v.value ? on : chosen.has(String(x.value)))).map((x) => x.value);
          if (next.length) set(next);
        }),
      );
      return fieldset(s('ruleValues'), boxes, {});
    }
    const options = (rule.op === 'gte' ? values.filter((v) => v.value !== 'na') : values).map((v) => ({ value: String(v.value), label: v.label }));
    const input = select(options, String(rule.value), { id: `b-${rulePath}.value`, 'data-focus': `${rulePath}.value` });
    input.addEventListener('change', () => {
      const v = values.find((x) => String(x.value) === input.value);
      set(v ? v.value : input.value);
    });
    return field(s('ruleValue'), input);
  }

  // ---- problems and warnings, next to their fields -------------------------------------------
  function showProblems() {
    for (const old of root.querySelectorAll('[data-problem-for]')) old.remove();
    for (const input of root.querySelectorAll('[aria-invalid="true"]')) {
      input.removeAttribute('aria-invalid');
      const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x && !x.startsWith('pb-'));
      if (ids.length) input.setAttribute('aria-describedby', ids.join(' '));
      else input.removeAttribute('aria-describedby');
    }
    let n = 0;
    const unplaced = [];
    for (const problem of state.problems) {
      const place = placeOf(problem.field);
      if (!place) {
        unplaced.push(problem);
        continue;
      }
      const id = `pb-${n++}`;
      const message = el('p', { class: 'field-error', id, 'data-problem-for': problem.field }, problem.text);
      // Under the field it concerns (the kk/ru/en cells stay aligned above it).
      place.wrapper.append(message);
      if (place.input) {
        place.input.setAttribute('aria-invalid', 'true');
        place.input.setAttribute('aria-describedby', `${place.input.getAttribute('aria-describedby') ?? ''} ${id}`.trim());
      }
    }
    // Problems elsewhere (another item, or a field not shown): a list with a way to go there.
    const elsewhere = state.problems.filter((p) => unplaced.includes(p));
    els.problems.replaceChildren(
      ...(elsewhere.length
        ? [
            el('h2', { class: 'builder-problems__title' }, s('problemsElsewhere', { count: elsewhere.length })),
            el(
              'ul',
              { class: 'problem-list' },
              elsewhere.slice(0, 30).map((p) => el('li', {}, [button(`${describePath(p.field)}: ${p.text}`, () => goTo(p.field), { class: 'link-button' })])),
            ),
          ]
        : []),
    );
    els.warnings.replaceChildren(
      ...(state.warnings.length
        ? [
            el('h2', { class: 'builder-problems__title' }, s('warnings', { count: state.warnings.length })),
            el(
              'ul',
              { class: 'warning-list' },
              state.warnings.slice(0, 30).map((w) => el('li', { class: `warning warning--${w.kind}` }, [button(`${describePath(w.field)}: ${w.text}`, () => goTo(w.field), { class: 'link-button' }), w.excerpt ? el('span', { class: 'hint' }, ` «${w.excerpt}»`) : null])),
            ),
          ]
        : []),
    );
  }

  /** The field (or the nearest enclosing one shown) a problem's path points at, in the editor panel. */
  function placeOf(path) {
    for (let p = path; p; p = p.replace(/\.?[^.]*$/, '')) {
      const input = els.editor.querySelector(`[data-path="${CSS.escape(p)}"]`);
      if (input) return { input, wrapper: input.closest('[data-field]') ?? input.parentElement };
      const wrapper = els.editor.querySelector(`[data-field="${CSS.escape(p)}"]`);
      if (wrapper) return { wrapper, input: wrapper.querySelector('input, select, textarea') };
      if (/^pages\.\d+\.items\.\d+$/.test(p) || /^pages\.\d+$/.test(p)) return undefined;
    }
    return undefined;
  }

  function describePath(path) {
    const m = /^pages\.(\d+)(?:\.items\.(\d+))?/.exec(path);
    if (!m) return s('settings');
    return m[2] === undefined ? `${s('page')} ${Number(m[1]) + 1}` : `${s('page')} ${Number(m[1]) + 1} · ${s('item')} ${Number(m[2]) + 1}`;
  }

  function goTo(path) {
    const m = /^pages\.(\d+)(?:\.items\.(\d+))?/.exec(path);
    state.selection = m ? (m[2] === undefined ? { page: Number(m[1]) } : { page: Number(m[1]), item: Number(m[2]) }) : { settings: true };
    render();
    if (window.matchMedia('(max-width: 759px)').matches) showView('editor');
    const place = placeOf(path);
    (place?.input ?? els.editor.querySelector('#editor-heading'))?.focus();
  }

  // ---- preview -------------------------------------------------------------------------------
  function showPreview(html) {
    if (html === null) return;
    const doc = new DOMParser().parseFromString(html, 'text/html');
    els.preview.replaceChildren(...doc.body.childNodes);
    const form = els.preview.querySelector('[data-preview-form]');
    if (form) {
      applyShowIf(form);
      form.addEventListener('change', () => applyShowIf(form));
      form.addEventListener('submit', (event) => event.preventDefault());
    }
  }

  els.device.addEventListener('change', () => {
    const phone = els.device.querySelector('input:checked')?.value === 'phone';
    els.preview.classList.toggle('preview-frame--phone', phone);
  });
  els.previewLang.addEventListener('change', () => {
    state.previewLang = els.previewLang.value;
    check();
  });

  // ---- views on narrow screens, keyboard, buttons --------------------------------------------
  function showView(name) {
    root.dataset.show = name;
    for (const b of els.views) b.setAttribute('aria-pressed', String(b.dataset.view === name));
  }
  for (const b of els.views) b.addEventListener('click', () => showView(b.dataset.view));
  showView('outline');

  els.undo.addEventListener('click', undo);
  els.save.addEventListener('click', () => void save());
  document.addEventListener('keydown', (event) => {
    const mod = event.ctrlKey || event.metaKey;
    if (mod && event.key.toLowerCase() === 's') {
      event.preventDefault();
      void save();
    } else if (mod && !event.shiftKey && event.key.toLowerCase() === 'z' && !event.target.closest('input[type=text], textarea, input[type=number]')) {
      // In a text field the browser undoes typing; elsewhere Ctrl+Z undoes the last change.
      event.preventDefault();
      undo();
    }
  });
}
