// The response-level export as files, made by a report job and kept in memory until downloaded (jobs.ts
// bounds how much): CSV (UTF-8 with BOM) and XLSX (ExcelJS's streaming writer, so 100,000 rows never
// become one workbook object: only the compressed file is kept), with a sheet that says what each column
// and code means and what was left out.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Lang } from '../lib/i18n/index.js';
import { translate } from '../lib/i18n/index.js';
import type { ItemMeta } from '../analytics/item-figures.js';
import { streamedWorkbook } from './aggregates.js';
import { BOM, cellValue, csvLine, type CsvSeparator } from './cells.js';
import type { ResponseLevel } from './responses.js';

const itemHead = (meta: ItemMeta) => meta.id;

/** What the answers of an item are coded as, in words ("1 = …; 2 = …"). */
export function codes(meta: ItemMeta, lang: Lang): string {
  if (meta.options) return [...meta.options.map((o) => `${o.value} = ${o.label[lang]}`), ...(meta.type === 'single' || meta.type === 'multiple' ? [`other = ${translate(lang, 'respond.other')}`] : [])].join('; ') + (meta.type === 'multiple' ? ` (${translate(lang, 'reports.responses.multiple')})` : '');
  if (meta.range) {
    const labels = meta.labels ?? (meta.type === 'likert' || meta.type === 'matrix-row' ? [1, 2, 3, 4, 5].map((p) => ({ kk: '', ru: '', en: '', [lang]: translate(lang, `respond.agree.${p}`) })) : undefined);
    const points = Array.from({ length: meta.range.max - meta.range.min + 1 }, (_, i) => meta.range!.min + i);
    return points.map((p, i) => (labels?.[i]?.[lang] ? `${p} = ${labels[i]![lang]}` : String(p))).join('; ') + (meta.allowNA ? `; na = ${translate(lang, 'reports.responses.na')}` : '') + (meta.reverse ? ` (${translate(lang, 'reports.responses.reverse')})` : '');
  }
  if (meta.type === 'nps') return '0–10';
  return translate(lang, 'reports.responses.number');
}

/** Rows written between two progress reports (and, in CSV, two turns of the event loop). */
const PROGRESS_EVERY = 500;
const XLSX_ROWS_PER_TURN = 100;

/** How far the writing has come (rows written so far), for a report job's progress. */
export type WriteProgress = (written: number) => void;

/** The response-level data as CSV (UTF-8 with BOM), in memory: the event loop runs between blocks of rows. */
export async function responsesCsv(data: ResponseLevel, separator: CsvSeparator, progress?: WriteProgress): Promise<Buffer> {
  const blocks: Buffer[] = [];
  let lines: string[] = [BOM + csvLine([...data.unitColumns, ...data.items.map(itemHead)], separator)];
  let written = 0;
  for (const row of data.rows()) {
    lines.push(csvLine(row, separator));
    if (++written % PROGRESS_EVERY === 0) {
      blocks.push(Buffer.from(lines.join(''), 'utf8'));
      lines = [];
      progress?.(written);
      await nextTurn();
    }
  }
  blocks.push(Buffer.from(lines.join(''), 'utf8'));
  progress?.(written);
  return Buffer.concat(blocks);
}

/** The response-level data as XLSX (ExcelJS's streaming writer, rows committed as they are added), with the sheet that explains the columns. */
export async function responsesXlsx(data: ResponseLevel, lang: Lang, progress?: WriteProgress): Promise<Buffer> {
  return streamedWorkbook(
    async (book) => {
      const sheet = book.addWorksheet(translate(lang, 'reports.sheet.responses').slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
      const head = sheet.addRow([...data.unitColumns, ...data.items.map(itemHead)]);
      head.font = { bold: true };
      head.commit();
      let written = 0;
      for (const row of data.rows()) {
        sheet.addRow(row.map(cellValue)).commit();
        // ExcelJS takes about 0.15 ms a row: the event loop runs every XLSX_ROWS_PER_TURN rows.
        if (++written % XLSX_ROWS_PER_TURN === 0) await nextTurn();
        if (written % PROGRESS_EVERY === 0) progress?.(written);
      }
      progress?.(written);
      sheet.commit();
      const about = book.addWorksheet(translate(lang, 'reports.sheet.questions').slice(0, 31));
      about.addRow(['column', 'question', 'codes']).commit();
      for (const column of data.unitColumns) about.addRow([cellValue(column), cellValue(translate(lang, 'reports.responses.unitColumn')), null]).commit();
      for (const meta of data.items) about.addRow([meta.id, cellValue(meta.group ? `${meta.group.text[lang]} — ${meta.text[lang]}` : meta.text[lang]), cellValue(codes(meta, lang))]).commit();
      about.addRow([]).commit();
      about.addRow([null, cellValue(translate(lang, 'reports.responses.about', { k: data.k, total: data.total, rows: data.rowCount, left: data.left })), null]).commit();
      about.commit();
    },
    { created: new Date() },
  );
}
