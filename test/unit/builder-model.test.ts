// The visual builder's model (public/js/builder/model.js, the module the browser runs): builder → JSON →
// builder is lossless, every operation keeps a valid definition valid, and the condition editor's rules
// are exactly the conditions they stand for.
import { expect } from 'chai';
import fc from 'fast-check';
import { loadLibrary } from '../../server/instruments/library.js';
import type { Condition, Definition } from '../../server/instruments/schema.js';
import { definitionProblems } from '../../server/instruments/validate.js';

type Json = Record<string, unknown>;
type Result = { def: Json; select?: { page: number; item?: number } };
interface Rules {
  join: 'and' | 'or';
  rules: { item: string; op: string; value?: unknown }[];
  single: boolean;
}
interface BuilderModel {
  ITEM_TYPES: string[];
  ops: {
    addPage(def: Json, after?: number): Result;
    duplicatePage(def: Json, p: number): Result;
    deletePage(def: Json, p: number): Result;
    movePage(def: Json, p: number, by: number): Result;
    addItem(def: Json, p: number, type: string, after?: number): Result;
    duplicateItem(def: Json, p: number, i: number): Result;
    deleteItem(def: Json, p: number, i: number): Result;
    moveItem(def: Json, p: number, i: number, by: number): Result;
    setType(def: Json, p: number, i: number, type: string): Result;
  };
  setAt(root: Json, path: string, value: unknown): Json;
  getAt(root: Json, path: string): unknown;
  dotted(path: string): string;
  conditionToRules(condition: Condition | undefined): Rules | null;
  rulesToCondition(rules: Rules): Condition | undefined;
  conditionTargets(def: Json, page: number, item: number, lang: string): { id: string; type: string; ops: string[]; values: { value: unknown }[] | null }[];
  History: new () => { push(state: unknown): void; undo(): unknown; canUndo: boolean };
}

// A plain ES module for the browser: loaded by path so TypeScript does not try to type-check it.
const modelPath = '../../public/js/builder/model.js';
const model = (await import(modelPath)) as BuilderModel;

const library = loadLibrary() as unknown as Json[];
const text = (en: string) => ({ kk: `${en} kk`, ru: `${en} ru`, en });

/** Fills the empty texts a new item or page starts with, as a person would before saving. */
function filled(def: Json): Json {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== 'object') return v;
    const o = v as Json;
    if (['kk', 'ru', 'en'].every((l) => typeof o[l] === 'string')) return Object.fromEntries(['kk', 'ru', 'en'].map((l) => [l, (o[l] as string) || `text ${l}`]));
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x)]));
  };
  return walk(def) as Json;
}

describe('the builder model', () => {
  it('gives back exactly the JSON it was given: every library instrument, key order included', () => {
    for (const def of library) {
      const history = new model.History();
      history.push(def);
      expect(JSON.stringify(history.undo())).to.equal(JSON.stringify(def));
      // Setting a field to the value it has, and reading it, changes nothing either.
      const again = model.setAt(def, 'pages.0.items.0.text.kk', model.getAt(def, 'pages.0.items.0.text.kk'));
      expect(JSON.stringify(again)).to.equal(JSON.stringify(def));
    }
  });

  it('keeps a definition valid through any sequence of operations (and never changes the one it was given)', () => {
    const base = library.find((d) => d.id === 'student-satisfaction')!;
    const frozen = JSON.stringify(base);
    const op = fc.oneof(
      fc.record({ kind: fc.constant('addPage'), p: fc.nat(5) }),
      fc.record({ kind: fc.constant('duplicatePage'), p: fc.nat(5) }),
      fc.record({ kind: fc.constant('deletePage'), p: fc.nat(5) }),
      fc.record({ kind: fc.constant('movePage'), p: fc.nat(5), by: fc.constantFrom(-1, 1) }),
      fc.record({ kind: fc.constant('addItem'), p: fc.nat(5), type: fc.constantFrom(...model.ITEM_TYPES) }),
      fc.record({ kind: fc.constant('duplicateItem'), p: fc.nat(5), i: fc.nat(8) }),
      fc.record({ kind: fc.constant('deleteItem'), p: fc.nat(5), i: fc.nat(8) }),
      fc.record({ kind: fc.constant('moveItem'), p: fc.nat(5), i: fc.nat(8), by: fc.constantFrom(-1, 1) }),
      fc.record({ kind: fc.constant('setType'), p: fc.nat(5), i: fc.nat(8), type: fc.constantFrom(...model.ITEM_TYPES) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), (steps) => {
        let def = base;
        for (const step of steps) {
          const pages = def.pages as { items: unknown[] }[];
          const p = step.p % pages.length;
          const i = 'i' in step ? step.i % pages[p]!.items.length : 0;
          const o = model.ops;
          if (step.kind === 'addPage') def = o.addPage(def, p).def;
          else if (step.kind === 'duplicatePage') def = o.duplicatePage(def, p).def;
          else if (step.kind === 'deletePage') def = o.deletePage(def, p).def;
          else if (step.kind === 'movePage') def = o.movePage(def, p, step.by).def;
          else if (step.kind === 'addItem') def = o.addItem(def, p, step.type).def;
          else if (step.kind === 'duplicateItem') def = o.duplicateItem(def, p, i).def;
          else if (step.kind === 'deleteItem') def = o.deleteItem(def, p, i).def;
          else if (step.kind === 'moveItem') def = o.moveItem(def, p, i, step.by).def;
          else def = o.setType(def, p, i, step.type).def;
        }
        // Moving items can put a condition before the item it refers to; that is what the check reports.
        const problems = definitionProblems(filled(def)).filter((x) => !/not an earlier item/.test(x.message));
        expect(problems, JSON.stringify(steps)).to.deep.equal([]);
        expect(JSON.stringify(base)).to.equal(frozen);
      }),
      { numRuns: 150 },
    );
  });

  it('makes a new item of every type that is valid once its texts are written', () => {
    for (const type of model.ITEM_TYPES) {
      const { def } = model.ops.addItem(library[0]!, 0, type);
      expect(definitionProblems(filled(def)), type).to.deep.equal([]);
      const pages = def.pages as { items: { type: string }[] }[];
      expect(pages[0]!.items.at(-1)!.type).to.equal(type);
    }
  });

  it('shows every condition of the library either as rules that give it back exactly, or as "too complex" (kept as it is)', () => {
    const conditions: Condition[] = [];
    for (const def of library as unknown as Definition[]) for (const page of def.pages) for (const item of page.items) if (item.showIf) conditions.push(item.showIf);
    expect(conditions.length).to.be.greaterThan(3);
    for (const c of conditions) {
      const rules = model.conditionToRules(c);
      if (rules) expect(model.rulesToCondition(rules)).to.deep.equal(c);
    }
  });

  it('turns rules into conditions and back without loss, for every shape the editor offers', () => {
    const leaf = fc.oneof(
      fc.record({ item: fc.constantFrom('a', 'b'), equals: fc.oneof(fc.constantFrom('x', 'y'), fc.integer({ min: 0, max: 10 })) }),
      fc.record({ not: fc.record({ item: fc.constantFrom('a', 'b'), equals: fc.constantFrom('x', 'y') }) }),
      fc.record({ item: fc.constantFrom('a', 'b'), in: fc.array(fc.constantFrom('x', 'y', 1, 2), { minLength: 1, maxLength: 3 }) }),
      fc.record({ item: fc.constantFrom('a', 'b'), gte: fc.integer({ min: -5, max: 10 }) }),
      fc.record({ item: fc.constantFrom('a', 'b'), answered: fc.boolean() }),
    ) as fc.Arbitrary<Condition>;
    const condition = fc.oneof(leaf, fc.record({ and: fc.array(leaf, { minLength: 1, maxLength: 4 }) }), fc.record({ or: fc.array(leaf, { minLength: 1, maxLength: 4 }) })) as fc.Arbitrary<Condition>;
    fc.assert(
      fc.property(condition, (c) => {
        const rules = model.conditionToRules(c);
        expect(rules).to.not.equal(null);
        expect(model.rulesToCondition(rules!)).to.deep.equal(c);
      }),
    );
    // Nested groups are not shown as rules (and so never rewritten by the editor).
    expect(model.conditionToRules({ and: [{ or: [{ item: 'a', answered: true }] }] })).to.equal(null);
    expect(model.rulesToCondition({ join: 'and', rules: [], single: true })).to.equal(undefined);
  });

  it('offers only earlier items in the condition editor, with the values each can have', () => {
    const def = {
      pages: [
        { items: [{ id: 'a', type: 'single', options: [{ value: 'x', label: text('X') }, { value: 'y', label: text('Y') }], text: text('A') }, { id: 'r', type: 'rating', min: 0, max: 3, text: text('R') }] },
        { items: [{ id: 'm', type: 'matrix', labels: [text('Bad'), text('OK'), text('Good')], allowNA: true, rows: [{ id: 'm1', text: text('M1') }, { id: 'm2', text: text('M2') }], text: text('M') }, { id: 'later', type: 'text', text: text('L') }] },
      ],
    };
    const targets = model.conditionTargets(def, 1, 1, 'en');
    expect(targets.map((t) => t.id)).to.deep.equal(['a', 'r', 'm1', 'm2']);
    expect(targets[0]!.values!.map((v) => v.value)).to.deep.equal(['x', 'y']);
    expect(targets[1]!.values!.map((v) => v.value)).to.deep.equal([0, 1, 2, 3]);
    expect(targets[1]!.ops).to.include('gte');
    expect(targets[2]!.values!.map((v) => v.value)).to.deep.equal([1, 2, 3, 'na']);
    expect(model.conditionTargets(def, 0, 0, 'en')).to.deep.equal([]);
  });

  it('reads validation paths as the builder writes them', () => {
    expect(model.dotted('pages[1].items[3].text.kk')).to.equal('pages.1.items.3.text.kk');
    expect(model.dotted('scales[0].id')).to.equal('scales.0.id');
  });
});
