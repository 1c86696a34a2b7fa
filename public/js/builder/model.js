// The builder's model: the definition itself (the same JSON the JSON editor shows and the server
// validates), changed only by the operations below. Loading a definition and saving it without a change
// gives back exactly the same JSON; every operation works on a copy, so the previous state is kept for
// undo. No DOM here: the unit tests use this module as the browser does.

export const LANGS = ['kk', 'ru', 'en'];
export const ITEM_TYPES = ['likert', 'rating', 'single', 'multiple', 'nps', 'matrix', 'text', 'number'];
export const ESG = ['1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8', '1.9', '1.10'];
/** Types whose answers are points of a scale (they may join scales and be reverse-scored). */
export const SCORED = new Set(['likert', 'rating', 'matrix']);

export const emptyText = () => ({ kk: '', ru: '', en: '' });
export const clone = (value) => structuredClone(value);

/** A path as the builder writes it ("pages.0.items.2.text.kk") → its segments (numbers for indexes). */
export function segments(path) {
  return path === '' ? [] : path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** A validation path ("pages[0].items[2].text.kk") as the builder's dotted path. */
export const dotted = (validationPath) => validationPath.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');

export function getAt(root, path) {
  let node = root;
  for (const s of segments(path)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = node[s];
  }
  return node;
}

/** A copy of root with value at path (undefined deletes the key); missing objects on the way are created. */
export function setAt(root, path, value) {
  const copy = clone(root);
  const parts = segments(path);
  let node = copy;
  parts.slice(0, -1).forEach((s, i) => {
    if (node[s] === null || typeof node[s] !== 'object') node[s] = typeof parts[i + 1] === 'number' ? [] : {};
    node = node[s];
  });
  const last = parts[parts.length - 1];
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(last, 1);
    else delete node[last];
  } else node[last] = value;
  return copy;
}

/** Every id an answer or item uses (items, matrix rows), for making new ones unique. */
export function usedIds(def) {
  const ids = new Set();
  for (const page of def.pages ?? []) {
    for (const item of page.items ?? []) {
      ids.add(item.id);
      for (const row of item.rows ?? []) ids.add(row.id);
    }
  }
  return ids;
}

/** The first free id "<prefix><n>" among `taken`. */
export function freeId(prefix, taken) {
  for (let n = 1; ; n++) if (!taken.has(`${prefix}${n}`)) return `${prefix}${n}`;
}

/** A free id derived from another ("overall" → "overall-2"), for copies. */
function copyId(id, taken) {
  const base = id.replace(/-\d+$/, '').slice(0, 44);
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** The parts of a new item of a type that are its own (the common ones are kept when the type changes). */
function typeParts(type, taken) {
  switch (type) {
    case 'rating':
      return { min: 1, max: 5 };
    case 'single':
    case 'multiple':
      return { options: [{ value: 'o1', label: emptyText() }, { value: 'o2', label: emptyText() }] };
    case 'matrix': {
      const a = freeId('r', taken);
      const b = freeId('r', new Set([...taken, a]));
      return { rows: [{ id: a, text: emptyText() }, { id: b, text: emptyText() }] };
    }
    case 'number':
      return { min: 0, max: 100, integer: true };
    default:
      return {};
  }
}

export function newItem(def, type) {
  const taken = usedIds(def);
  const id = freeId('q', taken);
  return { id, type, text: emptyText(), ...typeParts(type, new Set([...taken, id])) };
}

export function newPage(def) {
  const taken = new Set((def.pages ?? []).map((p) => p.id));
  return { id: freeId('page', taken), title: emptyText(), items: [newItem(def, 'likert')] };
}

const COMMON = ['id', 'text', 'help', 'required', 'showIf', 'replaces', 'esg', 'sensitive'];

/** The item as another type: its common fields kept (scale and reverse only between scored types). */
export function changeType(def, item, type) {
  const kept = {};
  for (const key of COMMON) if (item[key] !== undefined) kept[key] = clone(item[key]);
  if (SCORED.has(type) && SCORED.has(item.type)) {
    if (item.scale !== undefined) kept.scale = item.scale;
    if (item.reverse !== undefined) kept.reverse = item.reverse;
  }
  const others = { ...def, pages: def.pages.map((p) => ({ ...p, items: p.items.filter((i) => i !== item) })) };
  const { id, text, ...rest } = kept;
  return { id, type, text, ...rest, ...typeParts(type, new Set([...usedIds(others), id])) };
}

function move(list, from, to) {
  const copy = [...list];
  const [x] = copy.splice(from, 1);
  copy.splice(to, 0, x);
  return copy;
}

/** A copied item (and its matrix rows) under ids not in `taken`, which it adds them to; a copy replaces nothing. */
function renameCopiedItem(item, taken) {
  item.id = copyId(item.id, taken);
  taken.add(item.id);
  for (const row of item.rows ?? []) {
    row.id = copyId(row.id, taken);
    taken.add(row.id);
    delete row.replaces;
  }
  delete item.replaces;
}

/** The operations the builder offers; each returns a new definition (and where the selection goes). */
export const ops = {
  addPage(def, after = def.pages.length - 1) {
    const pages = [...def.pages];
    pages.splice(after + 1, 0, newPage(def));
    return { def: { ...def, pages }, select: { page: after + 1 } };
  },
  duplicatePage(def, p) {
    const copy = clone(def.pages[p]);
    const taken = new Set([...usedIds(def), ...def.pages.map((x) => x.id)]);
    copy.id = copyId(copy.id, taken);
    taken.add(copy.id);
    // An item's condition may point at the original page's items: left as is, the check says so.
    for (const item of copy.items) renameCopiedItem(item, taken);
    const pages = [...def.pages];
    pages.splice(p + 1, 0, copy);
    return { def: { ...def, pages }, select: { page: p + 1 } };
  },
  deletePage(def, p) {
    if (def.pages.length <= 1) return { def, select: { page: 0 } };
    const pages = def.pages.filter((_, i) => i !== p);
    return { def: { ...def, pages }, select: { page: Math.min(p, pages.length - 1) } };
  },
  movePage(def, p, by) {
    const to = p + by;
    if (to < 0 || to >= def.pages.length) return { def, select: { page: p } };
    return { def: { ...def, pages: move(def.pages, p, to) }, select: { page: to } };
  },
  addItem(def, p, type, after = def.pages[p].items.length - 1) {
    const items = [...def.pages[p].items];
    items.splice(after + 1, 0, newItem(def, type));
    return { def: withItems(def, p, items), select: { page: p, item: after + 1 } };
  },
  duplicateItem(def, p, i) {
    const copy = clone(def.pages[p].items[i]);
    renameCopiedItem(copy, usedIds(def));
    const items = [...def.pages[p].items];
    items.splice(i + 1, 0, copy);
    return { def: withItems(def, p, items), select: { page: p, item: i + 1 } };
  },
  deleteItem(def, p, i) {
    if (def.pages[p].items.length <= 1) return { def, select: { page: p, item: i } };
    const items = def.pages[p].items.filter((_, x) => x !== i);
    return { def: withItems(def, p, items), select: { page: p, item: Math.min(i, items.length - 1) } };
  },
  /** Moves an item up or down; past the first or last item of a page it goes to the next page. */
  moveItem(def, p, i, by) {
    const items = def.pages[p].items;
    const to = i + by;
    if (to >= 0 && to < items.length) return { def: withItems(def, p, move(items, i, to)), select: { page: p, item: to } };
    const q = p + by;
    if (q < 0 || q >= def.pages.length || items.length <= 1) return { def, select: { page: p, item: i } };
    const item = items[i];
    let next = withItems(def, p, items.filter((_, x) => x !== i));
    const target = [...next.pages[q].items];
    const at = by < 0 ? target.length : 0;
    target.splice(at, 0, item);
    next = withItems(next, q, target);
    return { def: next, select: { page: q, item: at } };
  },
  setType(def, p, i, type) {
    const items = [...def.pages[p].items];
    items[i] = changeType(def, items[i], type);
    return { def: withItems(def, p, items), select: { page: p, item: i } };
  },
  /** Adds to a list inside the definition (options, rows, labels, scales) a new element made by `make`. */
  addTo(def, path, make) {
    const list = getAt(def, path) ?? [];
    return { def: setAt(def, path, [...list, make(list)]) };
  },
  removeFrom(def, path, index) {
    const list = getAt(def, path) ?? [];
    return { def: setAt(def, path, list.filter((_, x) => x !== index)) };
  },
  moveIn(def, path, index, by) {
    const list = getAt(def, path) ?? [];
    const to = index + by;
    if (to < 0 || to >= list.length) return { def };
    return { def: setAt(def, path, move(list, index, to)) };
  },
};

function withItems(def, p, items) {
  const pages = [...def.pages];
  pages[p] = { ...pages[p], items };
  return { ...def, pages };
}

/** A new option value, unique in its item ("o3"). */
export const newOption = (options) => ({ value: freeId('o', new Set(options.map((o) => o.value))), label: emptyText() });

/** Undo: the states before each change, newest last (a bounded stack). */
export class History {
  constructor(limit = 100) {
    this.limit = limit;
    this.states = [];
  }
  push(state) {
    this.states.push(JSON.stringify(state));
    if (this.states.length > this.limit) this.states.shift();
  }
  get canUndo() {
    return this.states.length > 0;
  }
  undo() {
    const last = this.states.pop();
    return last === undefined ? undefined : JSON.parse(last);
  }
}

/**
 * What a respondent's answers can be compared with, for each earlier item: the answer ids (a matrix's
 * rows), a label to show, the operators that make sense and the values it can have.
 */
export function conditionTargets(def, page, item, lang) {
  const out = [];
  for (let p = 0; p < def.pages.length; p++) {
    const items = def.pages[p].items ?? [];
    for (let i = 0; i < items.length; i++) {
      if (p === page && i === item) return out;
      const it = items[i];
      const label = (text) => (text && (text[lang] || text.en || text.ru || text.kk)) || '';
      const na = (allow) => (allow ? [{ value: 'na', label: 'N/A' }] : []);
      const points = (min, max, labels) => Array.from({ length: Math.max(0, max - min + 1) }, (_, k) => ({ value: min + k, label: labels?.[k] ? `${min + k} — ${label(labels[k])}` : String(min + k) }));
      const base = { page: p };
      switch (it.type) {
        case 'single':
        case 'multiple':
          out.push({ ...base, id: it.id, label: label(it.text), type: it.type, ops: ['is', 'isnot', 'oneof', 'answered', 'notanswered'], values: [...(it.options ?? []).map((o) => ({ value: o.value, label: label(o.label) || o.value })), ...(it.other ? [{ value: 'other', label: 'other' }] : [])] });
          break;
        case 'likert':
          out.push({ ...base, id: it.id, label: label(it.text), type: it.type, ops: ['is', 'isnot', 'oneof', 'gte', 'answered', 'notanswered'], values: [...points(1, 5, it.labels), ...na(it.allowNA)] });
          break;
        case 'rating':
          out.push({ ...base, id: it.id, label: label(it.text), type: it.type, ops: ['is', 'isnot', 'oneof', 'gte', 'answered', 'notanswered'], values: [...points(it.min, it.max, it.labels), ...na(it.allowNA)] });
          break;
        case 'nps':
          out.push({ ...base, id: it.id, label: label(it.text), type: it.type, ops: ['is', 'isnot', 'oneof', 'gte', 'answered', 'notanswered'], values: points(0, 10) });
          break;
        case 'matrix':
          for (const row of it.rows ?? []) {
            out.push({ ...base, id: row.id, label: `${label(it.text)} › ${label(row.text)}`, type: 'matrix-row', ops: ['is', 'isnot', 'oneof', 'gte', 'answered', 'notanswered'], values: [...points(1, it.labels?.length ?? 5, it.labels), ...na(it.allowNA)] });
          }
          break;
        case 'number':
          out.push({ ...base, id: it.id, label: label(it.text), type: it.type, ops: ['gte', 'is', 'answered', 'notanswered'], values: null });
          break;
        default:
          out.push({ ...base, id: it.id, label: label(it.text), type: it.type, ops: ['answered', 'notanswered'], values: null });
      }
    }
  }
  return out;
}

/** One comparison as a rule the editor shows; undefined when the condition is not one of these shapes. */
function leafRule(c) {
  if (!c || typeof c !== 'object') return undefined;
  const keys = Object.keys(c).sort().join(',');
  if (keys === 'equals,item') return { item: c.item, op: 'is', value: c.equals };
  if (keys === 'in,item') return { item: c.item, op: 'oneof', value: [...c.in] };
  if (keys === 'gte,item') return { item: c.item, op: 'gte', value: c.gte };
  if (keys === 'answered,item') return { item: c.item, op: c.answered ? 'answered' : 'notanswered' };
  if (keys === 'not' && c.not && Object.keys(c.not).sort().join(',') === 'equals,item') return { item: c.not.item, op: 'isnot', value: c.not.equals };
  return undefined;
}

/**
 * A showIf as rules joined by "all" or "any": {join, rules, single} where single says the condition was one
 * rule without a join. null when the editor cannot show it (nested groups): it is then kept as it is.
 */
export function conditionToRules(condition) {
  if (condition === undefined) return { join: 'and', rules: [], single: true };
  const one = leafRule(condition);
  if (one) return { join: 'and', rules: [one], single: true };
  for (const join of ['and', 'or']) {
    if (Object.keys(condition).length === 1 && Array.isArray(condition[join])) {
      const rules = condition[join].map(leafRule);
      return rules.every(Boolean) ? { join, rules, single: false } : null;
    }
  }
  return null;
}

function ruleCondition(rule) {
  switch (rule.op) {
    case 'is':
      return { item: rule.item, equals: rule.value };
    case 'isnot':
      return { not: { item: rule.item, equals: rule.value } };
    case 'oneof':
      return { item: rule.item, in: rule.value };
    case 'gte':
      return { item: rule.item, gte: rule.value };
    case 'answered':
      return { item: rule.item, answered: true };
    default:
      return { item: rule.item, answered: false };
  }
}

/** Rules back to a showIf (undefined when there are none): the exact inverse of conditionToRules. */
export function rulesToCondition({ join, rules, single }) {
  if (!rules.length) return undefined;
  if (rules.length === 1 && single !== false) return ruleCondition(rules[0]);
  return { [join]: rules.map(ruleCondition) };
}
