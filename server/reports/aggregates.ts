// The aggregates of a campaign at one group as XLSX (ExcelJS) and CSV: the figures table (table.ts), the
// comparisons, trends and comments analytics gave, and a sheet that explains every column. Text cells go
// through cells.ts (formula injection); numbers stay numbers, formatted as the dashboard rounds them.
import ExcelJS from 'exceljs';
import type { Lang } from '../lib/i18n/index.js';
import { translate } from '../lib/i18n/index.js';
import { formatP } from '../analytics/stats/index.js';
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

type Sheet = ExcelJS.Worksheet;

function addRow(sheet: Sheet, values: readonly Cell[]): ExcelJS.Row {
  return sheet.addRow(values.map(cellValue));
}

function header(sheet: Sheet, columns: readonly string[], widths: number[] = []): void {
  const row = sheet.addRow([...columns]);
  row.font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  columns.forEach((_, i) => (sheet.getColumn(i + 1).width = widths[i] ?? 14));
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
  const book = new ExcelJS.Workbook();
  book.creator = 'Pikir';
  book.created = meta.generatedAt;
  book.title = results.campaign.title[lang];

  const figures = book.addWorksheet(sheetName(lang, 'figures'));
  header(figures, FIGURE_COLUMNS, [24, 12, 28, 24, 18, 48, 14, 28, 10, 8, 10, 10, 40]);
  for (const r of figureRows(collected, lang)) {
    const row = addRow(figures, rowCells(r));
    const format = numberFormat(r.figure);
    if (format) for (const col of [9, 11, 12]) row.getCell(col).numFmt = format;
  }

  const tests = book.addWorksheet(sheetName(lang, 'tests'));
  header(tests, TEST_COLUMNS, [24, 28, 18, 48, 16, 28, 10, 10, 10, 12]);
  const names = new Map(results.units.map((u) => [u.key, u.name[lang]]));
  for (const view of collected.views) {
    for (const item of view.items) {
      for (const c of item.comparisons) {
        const against = c.against === 'children' ? translate(lang, 'results.tests.between') : translate(lang, 'results.tests.vsRest', { unit: names.get(c.against.replace('rest of ', '')) ?? c.against });
        const row = addRow(tests, [view.selected, names.get(view.selected), item.id, item.text[lang], translate(lang, `results.tests.${c.test}`), against, c.p, c.effect, c.effectName, c.significant ? translate(lang, 'reports.yes') : translate(lang, 'reports.no')]);
        row.getCell(7).numFmt = '0.000';
        row.getCell(8).numFmt = '0.00';
        if (c.p !== null && c.p < 0.001) row.getCell(7).note = formatP(c.p, lang);
      }
    }
  }

  const trendSheet = book.addWorksheet(sheetName(lang, 'trends'));
  header(trendSheet, TREND_COLUMNS, [18, 48, 12, 18, 8, 10, 10, 10]);
  for (const item of trends.items) {
    for (const p of item.points) {
      const row = addRow(trendSheet, [item.id, item.text[lang], p.academicYear, p.campaign, p.n, p.agree?.p ?? null, p.agree?.low ?? null, p.agree?.high ?? null]);
      for (const col of [6, 7, 8]) row.getCell(col).numFmt = '0.0%';
    }
  }

  const comments = book.addWorksheet(sheetName(lang, 'comments'));
  header(comments, COMMENT_COLUMNS, [18, 40, 8, 80]);
  if (extras.suppressed) addRow(comments, ['', '', '', extras.commentsReason === 'open' ? translate(lang, 'results.commentsOpen') : translate(lang, 'results.commentsSuppressed', { k: results.k })]);
  for (const c of extras.comments) addRow(comments, [c.item, extras.textItems.find((t) => t.id === c.item)?.text[lang] ?? '', c.lang, c.text]);

  const about = book.addWorksheet(sheetName(lang, 'columns'));
  header(about, ['sheet', 'column', 'meaning'], [16, 16, 110]);
  const campaignLine = `${results.campaign.title[lang]} · ${results.campaign.academicYear} · ${results.campaign.instrument.title[lang]} v${results.campaign.instrument.version}`;
  addRow(about, ['', '', campaignLine]);
  addRow(about, ['', '', translate(lang, 'reports.about.generated', { at: meta.generatedAt.toISOString(), unit: names.get(results.selected) ?? results.selected, k: results.k })]);
  addRow(about, ['', '', translate(lang, results.final ? 'reports.about.final' : results.liveResults === 'counts' ? 'reports.about.countsOnly' : 'reports.about.live', { k: results.k })]);
  for (const [sheet, columns] of [['figures', FIGURE_COLUMNS], ['tests', TEST_COLUMNS], ['trends', TREND_COLUMNS], ['comments', COMMENT_COLUMNS]] as const) {
    for (const column of columns) addRow(about, [sheetName(lang, sheet), column, translate(lang, `reports.columns.${sheet}.${column}`, { k: results.k })]);
  }
  addRow(about, ['', '', translate(lang, 'results.method')]);
  for (const reason of ['small', 'protects', 'sensitive', 'counts-only', 'scope'] as const) addRow(about, ['', reason, translate(lang, `results.reason.${reason}`, { k: results.k })]);

  return Buffer.from(await book.xlsx.writeBuffer());
}

const TEST_COLUMNS = ['unit_key', 'unit', 'item_id', 'question', 'test', 'against', 'p', 'effect', 'effect_name', 'significant'] as const;
const TREND_COLUMNS = ['item_id', 'question', 'academic_year', 'campaign_id', 'n', 'agree', 'ci_low', 'ci_high'] as const;
const COMMENT_COLUMNS = ['item_id', 'question', 'language', 'comment'] as const;
