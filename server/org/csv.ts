// Reading a CSV as Excel saves it: UTF-8 with or without BOM, comma, semicolon or tab, quoted fields that
// span lines. Each row keeps the line number it starts on, so a report can say "line 7: …".
import { parse } from 'csv-parse/sync';
import { AppError } from '../lib/errors.js';
import { atLine, problem, type LineProblem } from '../lib/problems.js';
import { FORMULA_START } from './schemas.js';

export const MAX_CSV_BYTES = 2 * 1024 * 1024;
export const MAX_CSV_ROWS = 5000;

export interface CsvRow {
  /** The line (1-based, the header is line 1) where the row starts. */
  line: number;
  cells: Record<string, string>;
  values: string[];
}

/** A problem of the file's shape or of one row, by line: a catalogue key with parameters (lib/problems.ts). */
export type CsvProblem = LineProblem;

export interface ParsedCsv {
  columns: string[];
  rows: CsvRow[];
  problems: CsvProblem[];
}

/** Bytes to text; refuses what is not UTF-8 (an Excel "CSV" in Windows-1251 would garble Kazakh letters). */
export function decodeCsvBytes(bytes: Uint8Array): string {
  if (bytes.length > MAX_CSV_BYTES) throw new AppError(413, 'payload_too_large', 'The file is larger than 2 MB; split it into smaller files.');
  // UTF-16 ("Unicode text" in Excel) is valid UTF-8 byte by byte when it is mostly Latin, with a zero byte after each letter.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || bytes.subarray(0, 4096).includes(0)) {
    throw new AppError(400, 'not_utf8', 'The file is UTF-16 ("Unicode text"), not UTF-8. In Excel choose "Save as" → "CSV UTF-8 (comma delimited)".');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError(400, 'not_utf8', 'The file is not UTF-8 text. In Excel choose "Save as" → "CSV UTF-8 (comma delimited)".');
  }
}

/** The delimiter used in the header line, outside quotes: ";" (Excel in kk/ru locales), "," or tab. */
export function detectDelimiter(text: string): string {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch]! += 1;
  }
  const best = Object.entries(counts).sort((a, b) => b[1] - a[1])[0]!;
  return best[1] > 0 ? best[0] : ',';
}

/** "Name KK" → "name_kk". */
export function normaliseHeader(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

interface Parsed {
  record: string[];
  raw: string;
  info: { lines: number };
}

/**
 * Parses and checks the shape: the header must have the required columns and nothing unknown; each row
 * must fit the header; no cell may start like a spreadsheet formula. Rows with problems are still returned.
 */
export function parseCsv(text: string, columns: { required: readonly string[]; optional?: readonly string[] }): ParsedCsv {
  let records: Parsed[];
  try {
    records = parse(text, { bom: true, delimiter: detectDelimiter(text), info: true, raw: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, trim: true }) as unknown as Parsed[];
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 1;
    const unclosed = (err as { code?: string }).code === 'CSV_QUOTE_NOT_CLOSED';
    return { columns: [], rows: [], problems: [atLine(line, unclosed ? problem('quoteNotClosed') : problem('notCsv'))] };
  }
  if (!records.length) return { columns: [], rows: [], problems: [atLine(1, problem('emptyFile'))] };

  const header = records[0]!.record.map(normaliseHeader);
  const known = new Set([...columns.required, ...(columns.optional ?? [])]);
  const problems: CsvProblem[] = [];
  const expected = [...known].join(', ');
  const missing = columns.required.filter((c) => !header.includes(c));
  if (missing.length) problems.push(atLine(1, problem('missingColumns', { count: missing.length, columns: missing.join(', '), expected })));
  const unknown = header.filter((h) => h && !known.has(h));
  if (unknown.length) problems.push(atLine(1, problem('unknownColumns', { count: unknown.length, columns: unknown.join(', '), expected })));
  const repeated = [...new Set(header.filter((h, i) => h && header.indexOf(h) !== i))];
  if (repeated.length) problems.push(atLine(1, problem('repeatedColumns', { count: repeated.length, columns: repeated.join(', ') })));
  if (problems.length) return { columns: header, rows: [], problems };
  if (records.length - 1 > MAX_CSV_ROWS) return { columns: header, rows: [], problems: [atLine(1, problem('tooManyRows', { rows: records.length - 1, max: MAX_CSV_ROWS }))] };

  const rows: CsvRow[] = [];
  for (const { record, raw, info } of records.slice(1)) {
    // info.lines is where the record ends; a quoted value may span lines.
    const line = info.lines - (raw.replace(/^(\r?\n)+/, '').replace(/(\r?\n)+$/, '').match(/\n/g)?.length ?? 0);
    const cells: Record<string, string> = {};
    header.forEach((h, i) => {
      if (h) cells[h] = record[i] ?? '';
    });
    const extra = record.slice(header.length).filter((v) => v !== '');
    if (extra.length) problems.push(atLine(line, problem('moreValues', { values: record.length, columns: header.length })));
    for (const [column, value] of Object.entries(cells)) {
      if (FORMULA_START.test(value)) problems.push(atLine(line, problem('formula', { column, char: value[0]! })));
    }
    rows.push({ line, cells, values: record });
  }
  return { columns: header, rows, problems };
}
