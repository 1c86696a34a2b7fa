// Libraries used only by reports and exports, loaded on first use rather than at start-up: ExcelJS and
// playwright-core together add about 100 MB to every process's heap, and a larger heap makes each garbage
// collection of the respondent hot path slower (measured: idle RSS 204 MB with them, 123 MB without).
import type ExcelJSModule from 'exceljs';
import type { chromium as chromiumType } from 'playwright-core';

let excel: Promise<typeof ExcelJSModule> | undefined;
let playwright: Promise<typeof chromiumType> | undefined;

export function loadExcelJS(): Promise<typeof ExcelJSModule> {
  excel ??= import('exceljs').then((m) => m.default);
  return excel;
}

export function loadChromium(): Promise<typeof chromiumType> {
  playwright ??= import('playwright-core').then((m) => m.chromium);
  return playwright;
}
