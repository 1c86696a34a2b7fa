// What goes into a spreadsheet cell of an export: formula-like text neutralised, numbers kept as numbers,
// CSV lines quoted and terminated as RFC 4180 (or as Excel saves CSV in Kazakh and Russian locales).
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { BOM, cellValue, csvLine, inert } from '../../server/reports/cells.js';

describe('export cells', () => {
  it('neutralises text a spreadsheet would run as a formula (=, +, -, @, tab, carriage return)', () => {
    for (const payload of ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", '-2+3', '@SUM(1,1)', '\t=1+1', '\r=1+1']) {
      expect(inert(payload), JSON.stringify(payload)).to.equal(`'${payload}`);
      expect(cellValue(payload)).to.equal(`'${payload}`);
    }
  });

  it('leaves ordinary text, Kazakh letters and numbers alone (a negative NPS stays a number)', () => {
    expect(inert('Әділ бағалау: ғ қ ң ө ұ ү һ і')).to.equal('Әділ бағалау: ғ қ ң ө ұ ү һ і');
    expect(inert('a = b')).to.equal('a = b');
    expect(cellValue(-12.5)).to.equal(-12.5);
    expect(cellValue(0)).to.equal(0);
    expect(cellValue(null)).to.equal(null);
    expect(cellValue(undefined)).to.equal(null);
    expect(cellValue(Number.NaN)).to.equal(null);
  });

  it('writes CSV lines that a CSV reader reads back to the same cells, formulas neutralised', () => {
    const cells = ['Информатика, "ИС"', 'line\nbreak', ' padded ', '=1+1', 0.625, -3, null, 'қ'];
    const line = csvLine(cells);
    expect(line.endsWith('\r\n')).to.equal(true);
    const [row] = parse(line, { relax_column_count: false }) as string[][];
    expect(row).to.deep.equal(['Информатика, "ИС"', 'line\nbreak', ' padded ', "'=1+1", '0.625', '-3', '', 'қ']);
  });

  it('writes the semicolon variant with decimal commas, as Excel opens CSV in Kazakh and Russian locales', () => {
    const line = csvLine(['a;b', 0.625, 3, -1.5], 'semicolon');
    expect(line).to.equal('"a;b";0,625;3;-1,5\r\n');
    const [row] = parse(line, { delimiter: ';' }) as string[][];
    expect(row).to.deep.equal(['a;b', '0,625', '3', '-1,5']);
  });

  it('marks UTF-8 with a byte order mark (Excel reads Kazakh and Russian correctly only with it)', () => {
    expect(Buffer.from(BOM, 'utf8')).to.deep.equal(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});
