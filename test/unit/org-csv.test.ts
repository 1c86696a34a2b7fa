import { expect } from 'chai';
import { decodeCsvBytes, detectDelimiter, parseCsv } from '../../server/org/csv.js';

const COLUMNS = { required: ['code', 'name_kk', 'name_ru', 'name_en'] };
const KAZAKH = 'Әғқңөұүһі әғқңөұүһі';

describe('CSV reading', () => {
  it('reads UTF-8 with a BOM and semicolons as Excel saves them, keeping Kazakh letters exactly', () => {
    const text = `\uFEFFCode;Name KK;Name RU;Name EN\r\nIT;${KAZAKH};Информатика;IT\r\n`;
    const parsed = parseCsv(text, COLUMNS);
    expect(parsed.problems).to.deep.equal([]);
    expect(parsed.columns).to.deep.equal(['code', 'name_kk', 'name_ru', 'name_en']);
    expect(parsed.rows[0]!.cells.name_kk).to.equal(KAZAKH);
    expect(parsed.rows[0]!.line).to.equal(2);
  });

  it('detects the delimiter from the header line', () => {
    expect(detectDelimiter('a;b;c\n1,2;3')).to.equal(';');
    expect(detectDelimiter('a,b,c')).to.equal(',');
    expect(detectDelimiter('a\tb\tc')).to.equal('\t');
    expect(detectDelimiter('"a;b",c,d')).to.equal(',');
  });

  it('numbers rows by the line they start on, across blank lines and multi-line values', () => {
    const text = 'code,name_kk,name_ru,name_en\nA,a,a,a\n\nB,"two\nlines",b,b\nC,c,c,c\n';
    const parsed = parseCsv(text, COLUMNS);
    expect(parsed.rows.map((r) => [r.line, r.cells.code])).to.deep.equal([
      [2, 'A'],
      [4, 'B'],
      [6, 'C'],
    ]);
  });

  it('reports cells that start like a formula, by line and column', () => {
    const text = 'code,name_kk,name_ru,name_en\nA,=HYPERLINK("x"),a,a\nB,b,+7,b\nC,c,c,@SUM(1)\nD,d,-d,d\n';
    const parsed = parseCsv(text, COLUMNS);
    expect(parsed.problems.map((p) => p.line)).to.deep.equal([2, 3, 4, 5]);
    expect(parsed.problems[0]!.message).to.match(/name_kk: starts with "="/);
  });

  it('names missing and unknown columns on line 1', () => {
    const parsed = parseCsv('code,name_kk,nmae_ru\nA,a,a\n', COLUMNS);
    expect(parsed.rows).to.deep.equal([]);
    expect(parsed.problems.map((p) => p.line)).to.deep.equal([1, 1]);
    expect(parsed.problems[0]!.message).to.match(/missing columns: name_ru, name_en/);
    expect(parsed.problems[1]!.message).to.match(/unknown column: nmae_ru/);
  });

  it('reports a row with more values than columns, and an unclosed quote', () => {
    expect(parseCsv('code,name_kk,name_ru,name_en\nA,a,a,a,extra\n', COLUMNS).problems[0]).to.include({ line: 2 });
    expect(parseCsv('code,name_kk,name_ru,name_en\nA,"a,a,a\n', COLUMNS).problems[0]!.message).to.match(/never closed/);
  });

  it('refuses bytes that are not UTF-8 (a Windows-1251 file)', () => {
    const cp1251 = Uint8Array.from([0xc8, 0xed, 0xf4, 0xee]); // "Инфо" in Windows-1251
    expect(() => decodeCsvBytes(cp1251)).to.throw(/not UTF-8/);
    expect(decodeCsvBytes(new TextEncoder().encode(KAZAKH))).to.equal(KAZAKH);
  });
});
