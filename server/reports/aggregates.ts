// The aggregates of a campaign at one group as XLSX (ExcelJS) and CSV: the figures table (table.ts), the
// comparisons, trends and comments analytics gave, and a sheet that explains every column. Text cells go
// through cells.ts (formula injection); numbers stay numbers, formatted as the dashboard rounds them.
// Written with ExcelJS's streaming writer (native zlib, rows committed as they are added): several times
// faster than building the workbook in memory, and the rows never sit in memory twice.
import { PassThrough } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type ExcelJS from 'exceljs';
import { loadExcelJS } from '../lib/heavy-modules.js';
import type { Lang } from '../lib/i18n/index.js';
import { translate } from '../lib/i18n/index.js';
import { formatP } from '../analytics/stats/index.js';
import { formatDateTime } from '../lib/dates.js';
import type { Collected } from './collect.js';
import { BOM, cellValue, csvLine, type Cell, type CsvSeparator } from './cells.js';
import { FIGURE_COLUMNS, figureRows, rowCells, type FigureRow } from './table.js';

/** Shares, rates and proportions show as percentages with one decimal; means and the rest with two. */
function numberFormat(figure: string): string | undefined {
  if (/^(share:|agree$|disagree$|response_rate$)/.test(figure)) return '0.0%';
  if (/^(mean|sd|index|alpha)$/.test(figure)) return '0.00';
  if (figure === 'nps') return '0.0';
  return undefined;
}

export function figuresCsv(rows: FigureRow[], separator: CsvSeparator): string {
  return BOM + csvLine([...FIGURE_COLUMNS], separator) + rows.map((r) => csvLine(rowCells(r), separator)).join('');
}

type Book = ExcelJS.stream.xlsx.WorkbookWriter;
type Sheet = ExcelJS.Worksheet;

/** Adds a row and commits it (streaming: written out at once); `format` sets number formats by column (1-based). */
function addRow(sheet: Sheet, values: readonly Cell[], format: Record<number, string | undefined> = {}): void {
  const row = sheet.addRow(values.map(cellValue));
  for (const [col, numFmt] of Object.entries(format)) if (numFmt) row.getCell(Number(col)).numFmt = numFmt;
  row.commit();
}

/** A sheet with its column heads in bold, frozen, and its column widths (set before any row is written). */
function sheetWithHeader(book: Book, name: string, columns: readonly string[], widths: number[] = []): Sheet {
  const sheet = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((_, i) => ({ width: widths[i] ?? 14 }));
  const row = sheet.addRow([...columns]);
  row.font = { bold: true };
  row.commit();
  return sheet;
}

/** Every `every` calls, lets the event loop run (submissions, dashboards) while a long file is written. */
export function yielder(every = 500): () => Promise<void> | undefined {
  let count = 0;
  return () => (++count % every === 0 ? nextTurn() : undefined);
}

/** Writes a workbook with ExcelJS's streaming writer and returns the file. */
export async function streamedWorkbook(write: (book: Book) => Promise<void> | void, meta: { title?: string; created: Date }): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const Excel = await loadExcelJS();
  const book = new Excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  book.creator = 'Pikir';
  book.created = meta.created;
  if (meta.title) book.title = meta.title;
  await write(book);
  await book.commit();
  await ended;
  return Buffer.concat(chunks);
}

export interface ExportMeta {
  generatedAt: Date;
  lang: Lang;
}

/** The sheet names, in the export's language (Excel allows 31 characters and no []:*?/\). */
const sheetName = (lang: Lang, key: string) => translate(lang, `reports.sheet.${key}`).replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);

export async function figuresWorkbook(collected: Collected, meta: ExportMeta): Promise<Buffer> {
  const { lang } = meta;
  const { results, extras, trends } = collected;
  const k = results.k;
  const names = new Map(results.units.map((u) => [u.key, u.name[lang]]));
  const breathe = yielder();
  return streamedWorkbook(
    async (book) => {
      const figures = sheetWithHeader(book, sheetName(lang, 'figures'), FIGURE_COLUMNS, [24, 12, 28, 24, 18, 48, 14, 28, 10, 8, 10, 10, 40]);
      for (const r of figureRows(collected, lang)) {
        const format = numberFormat(r.figure);
        addRow(figures, rowCells(r), { 9: format, 11: format, 12: format });
        await breathe();
      }
      figures.commit();

      const tests = sheetWithHeader(book, sheetName(lang, 'tests'), TEST_COLUMNS, [24, 28, 18, 48, 16, 28, 10, 10, 10, 12]);
      for (const view of collected.views) {
        for (const item of view.items) {
          for (const c of item.comparisons) {
            const against = c.against === 'children' ? translate(lang, 'results.tests.between') : translate(lang, 'results.tests.vsRest', { unit: names.get(c.against.replace('rest of ', '')) ?? c.against });
            addRow(tests, [view.selected, names.get(view.selected), item.id, item.text[lang], translate(lang, `results.tests.${c.test}`), against, c.p, c.p === null ? null : formatP(c.p, lang), c.effect, c.effectName, c.significant ? translate(lang, 'reports.yes') : translate(lang, 'reports.no')], { 7: '0.0000', 9: '0.00' });
          }
        }
      }
      tests.commit();

      const trendSheet = sheetWithHeader(book, sheetName(lang, 'trends'), TREND_COLUMNS, [18, 48, 12, 18, 8, 10, 10, 10, 12, 10, 10, 12]);
      for (const item of trends.items) {
        for (const p of item.points) {
          const c = p.change;
          addRow(trendSheet, [item.id, item.text[lang], p.academicYear, p.campaign, p.n, p.agree?.p ?? null, p.agree?.low ?? null, p.agree?.high ?? null, c?.from, c?.p, c?.effect, c ? translate(lang, c.significant ? 'reports.yes' : 'reports.no') : null], { 6: '0.0%', 7: '0.0%', 8: '0.0%', 10: '0.0000', 11: '0.00' });
        }
      }
      trendSheet.commit();

      const comments = sheetWithHeader(book, sheetName(lang, 'comments'), COMMENT_COLUMNS, [18, 40, 8, 80, 12]);
      if (extras.suppressed) addRow(comments, ['', '', '', extras.commentsReason === 'open' ? translate(lang, 'results.commentsOpen') : translate(lang, 'results.commentsSuppressed', { count: k })]);
      for (const c of extras.comments) addRow(comments, [c.item, extras.textItems.find((t) => t.id === c.item)?.text[lang] ?? '', c.lang, c.text, c.count]);
      comments.commit();

      const about = sheetWithHeader(book, sheetName(lang, 'columns'), ['sheet', 'column', 'meaning'], [16, 16, 110]);
      addRow(about, ['', '', `${results.campaign.title[lang]} · ${results.campaign.academicYear} · ${results.campaign.instrument.title[lang]} v${results.campaign.instrument.version}`]);
      addRow(about, ['', '', translate(lang, 'reports.about.generated', { at: formatDateTime(meta.generatedAt, lang), unit: names.get(results.selected) ?? results.selected, k })]);
      addRow(about, ['', '', translate(lang, results.final ? 'reports.about.final' : results.liveResults === 'counts' ? 'reports.about.countsOnly' : 'reports.about.live', { k })]);
      for (const [sheet, columns] of [['figures', FIGURE_COLUMNS], ['tests', TEST_COLUMNS], ['trends', TREND_COLUMNS], ['comments', COMMENT_COLUMNS]] as const) {
        for (const column of columns) addRow(about, [sheetName(lang, sheet), column, translate(lang, `reports.columns.${sheet}.${column}`, { k })]);
      }
      addRow(about, ['', '', translate(lang, 'results.method')]);
      for (const reason of ['small', 'protects', 'sensitive', 'counts-only', 'scope'] as const) addRow(about, ['', reason, translate(lang, `results.reason.${reason}`, { k, count: k })]);
      about.commit();
    },
    { title: results.campaign.title[lang], created: meta.generatedAt },
  );
}

const TEST_COLUMNS = ['unit_key', 'unit', 'item_id', 'question', 'test', 'against', 'p', 'p_text', 'effect', 'effect_name', 'significant'] as const;
const TREND_COLUMNS = ['item_id', 'question', 'academic_year', 'campaign_id', 'n', 'agree', 'ci_low', 'ci_high', 'change_from', 'change_p', 'change_r', 'change_significant'] as const;
const COMMENT_COLUMNS = ['item_id', 'question', 'language', 'comment', 'respondents'] as const;
