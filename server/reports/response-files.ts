// The response-level export as files: CSV (UTF-8 with BOM, written in chunks) and XLSX (ExcelJS's
// streaming writer, so 100,000 rows never become one workbook in memory), with a sheet that says what each
// column and code means and what was left out.
import type { Writable } from 'node:stream';
import { loadExcelJS } from '../lib/heavy-modules.js';
import type { Lang } from '../lib/i18n/index.js';
import { translate } from '../lib/i18n/index.js';
import type { ItemMeta } from '../analytics/item-figures.js';
import { yielder } from './aggregates.js';
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

export async function writeResponsesCsv(data: ResponseLevel, out: Writable, separator: CsvSeparator): Promise<void> {
  const chunks: string[] = [BOM + csvLine([...data.unitColumns, ...data.items.map(itemHead)], separator)];
  for (const row of data.rows()) {
    chunks.push(csvLine(row, separator));
    if (chunks.length >= 500) await write(out, chunks.splice(0).join(''));
  }
  await write(out, chunks.join(''));
}

function write(out: Writable, text: string): Promise<void> {
  if (!text) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const ok = out.write(text, (err) => (err ? reject(err) : undefined));
    if (ok) resolve();
    else out.once('drain', resolve);
  });
}

export async function writeResponsesXlsx(data: ResponseLevel, out: Writable, lang: Lang): Promise<void> {
  const Excel = await loadExcelJS();
  const book = new Excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  book.creator = 'Pikir';
  const sheet = book.addWorksheet(translate(lang, 'reports.sheet.responses').slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  const head = sheet.addRow([...data.unitColumns, ...data.items.map(itemHead)]);
  head.font = { bold: true };
  head.commit();
  const breathe = yielder();
  for (const row of data.rows()) {
    sheet.addRow(row.map(cellValue)).commit();
    await breathe();
  }
  sheet.commit();
  const about = book.addWorksheet(translate(lang, 'reports.sheet.questions').slice(0, 31));
  about.addRow(['column', 'question', 'codes']).commit();
  for (const column of data.unitColumns) about.addRow([cellValue(column), cellValue(translate(lang, 'reports.responses.unitColumn')), null]).commit();
  for (const meta of data.items) about.addRow([meta.id, cellValue(meta.group ? `${meta.group.text[lang]} — ${meta.text[lang]}` : meta.text[lang]), cellValue(codes(meta, lang))]).commit();
  about.addRow([]).commit();
  about.addRow([null, cellValue(translate(lang, 'reports.responses.about', { k: data.k, total: data.total, rows: data.rowCount, left: data.left })), null]).commit();
  about.commit();
  await book.commit();
}
