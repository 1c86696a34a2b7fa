// Reading what the exports produce, with real tools: PDF text through poppler's pdftotext (Debian's
// poppler-utils, installed by .ci/run), XLSX through ExcelJS's reader, ZIP through yauzl, CSV through
// csv-parse — never through the code that wrote them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';

export const PDFTOTEXT = process.env.PDFTOTEXT_PATH ?? '/usr/bin/pdftotext';

/** The text of a PDF in the order it is painted (`-raw`), and its page count. */
export function pdfText(pdf: Buffer): { text: string; pages: number } {
  if (!existsSync(PDFTOTEXT)) throw new Error(`${PDFTOTEXT} is missing: the report tests read PDFs with poppler's pdftotext (apt-get install poppler-utils; .ci/run installs it), or set PDFTOTEXT_PATH`);
  const dir = mkdtempSync(join(tmpdir(), 'pikir-pdf-'));
  try {
    const file = join(dir, 'report.pdf');
    writeFileSync(file, pdf);
    const out = spawnSync(PDFTOTEXT, ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (out.status !== 0) throw new Error(`pdftotext failed: ${out.stderr || out.error?.message}`);
    return { text: out.stdout, pages: out.stdout.split('\f').length - 1 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Text with every kind of white space removed (lines wrap differently on paper than in a string). */
export const squash = (text: string): string => text.replace(/[\s\u00ad]+/g, '');

export type SheetRow = (string | number | null)[];

/** Every sheet of a workbook as rows of plain values (formulas would show as objects: none may exist). */
export async function readWorkbook(body: Buffer): Promise<Map<string, SheetRow[]>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as unknown as ArrayBuffer);
  const sheets = new Map<string, SheetRow[]>();
  book.eachSheet((sheet) => {
    const rows: SheetRow[] = [];
    const columns = sheet.columnCount; // a getter that walks every row: read it once
    sheet.eachRow({ includeEmpty: true }, (row) => {
      const values: SheetRow = [];
      for (let c = 1; c <= columns; c++) {
        const v = row.getCell(c).value;
        if (v !== null && v !== undefined && typeof v === 'object') throw new Error(`sheet ${sheet.name} row ${row.number} column ${c} holds ${JSON.stringify(v)}, not a plain value`);
        values.push((v as string | number | null | undefined) ?? null);
      }
      rows.push(values);
    });
    sheets.set(sheet.name, rows);
  });
  return sheets;
}

/** Rows of a sheet as objects keyed by its header row. */
export function records(rows: SheetRow[]): Record<string, string | number | null>[] {
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head!.map((h, i) => [String(h), r[i] ?? null])));
}

/** The entries of a ZIP archive, by name. */
export function unzip(body: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(body, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('not a zip'));
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('unreadable entry'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
          stream.on('error', reject);
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** The XML parts of an XLSX (a ZIP) that hold cells, to look for formulas as Excel would see them. */
export async function worksheetXml(body: Buffer): Promise<string> {
  const parts = await unzip(body);
  return [...parts.entries()].filter(([name]) => name.startsWith('xl/worksheets/')).map(([, xml]) => xml.toString('utf8')).join('\n');
}

/**
 * A CSV file as Excel opens it: the byte order mark says UTF-8 (without it Excel reads the bytes in the
 * system's ANSI code page, and Kazakh letters become mojibake); then the records.
 */
export function openCsvAsExcel(body: Buffer, delimiter = ','): { bom: boolean; rows: string[][] } {
  const bom = body.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]));
  const text = new TextDecoder(bom ? 'utf-8' : 'windows-1251', { fatal: bom }).decode(bom ? body.subarray(3) : body);
  return { bom, rows: parse(text, { delimiter, relax_column_count: true }) as string[][] };
}

/**
 * Downloads a file. A report made by a job answers 202 with the job when it takes more than 20 s (a busy
 * machine): then the job is polled at its Location, as a client would, and its file fetched.
 */
export async function download(url: string, cookie: string): Promise<{ status: number; type: string; disposition: string; body: Buffer }> {
  let res = await fetch(url, { headers: { cookie } });
  if (res.status === 202) {
    const jobUrl = new URL(res.headers.get('location')!, url).toString();
    const deadline = Date.now() + 300_000;
    let job = (await res.json()) as { state: string; file?: { url: string } };
    while ((job.state === 'queued' || job.state === 'running') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      job = (await (await fetch(jobUrl, { headers: { cookie } })).json()) as typeof job;
    }
    res = await fetch(new URL(`${new URL(jobUrl).pathname}/file`, url).toString(), { headers: { cookie } });
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', disposition: res.headers.get('content-disposition') ?? '', body: Buffer.from(await res.arrayBuffer()) };
}
