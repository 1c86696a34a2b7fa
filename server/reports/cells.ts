// What goes into a spreadsheet cell. Text that a spreadsheet would take for a formula (a comment or a
// unit name beginning with =, +, -, @, a tab or a carriage return: OWASP's list) gets a leading
// apostrophe, in CSV and XLSX alike, so opening or editing the file never runs it. Numbers we computed are
// written as numbers (a negative NPS stays a number); only text is neutralised.
export type Cell = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function inert(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A cell as it is written: numbers as they are, text neutralised, nothing as empty. */
export function cellValue(value: Cell): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return inert(value);
}

export const BOM = '\uFEFF';

/** comma: RFC 4180 (R, Python, LibreOffice); semicolon: as Excel saves CSV in Kazakh and Russian locales (decimal comma). */
export type CsvSeparator = 'comma' | 'semicolon';

/** One CSV line (CRLF-terminated): text quoted when it must be, formula-like text neutralised. */
export function csvLine(values: readonly Cell[], separator: CsvSeparator = 'comma'): string {
  const sep = separator === 'semicolon' ? ';' : ',';
  return (
    values
      .map((v) => {
        const cell = cellValue(v);
        if (cell === null) return '';
        if (typeof cell === 'number') return separator === 'semicolon' ? String(cell).replace('.', ',') : String(cell);
        return /[",;\r\n]/.test(cell) || cell !== cell.trim() ? `"${cell.replace(/"/g, '""')}"` : cell;
      })
      .join(sep) + '\r\n'
  );
}
