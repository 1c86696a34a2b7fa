// Prints our own report pages to PDF with headless Chromium (playwright-core driving the system's
// chromium, no browser download): the page draws its charts with the dashboard's Chart.js code, so the
// PDF shows the figures exactly as the dashboard draws them. Chromium never touches the network: the page
// is loaded from an address that does not exist, and every request is answered here from the page's HTML,
// public/ and chart.js, or refused. One browser per process, started on first use, closed when idle.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Logger } from 'pino';
import type { Browser } from 'playwright-core';
import { AppError } from '../lib/errors.js';
import { loadChromium } from '../lib/heavy-modules.js';
import { projectRoot, publicDir } from '../lib/paths.js';

/** The page's origin inside Chromium (".invalid" never resolves: nothing can leave the machine). */
const ORIGIN = 'http://report.pikir.invalid';
const IDLE_CLOSE_MS = 60_000;
const READY_TIMEOUT_MS = 60_000;
/** The printable width of A4 with 15 mm margins, in CSS pixels: the page is laid out at the width it prints at. */
export const PRINT_WIDTH_PX = 680;

const TYPES: Record<string, string> = { '.css': 'text/css', '.js': 'text/javascript', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };
const CHART_JS = join(projectRoot, 'node_modules/chart.js/dist/chart.umd.min.js');

export const pdfUnavailable = (path: string) =>
  new AppError(503, 'pdf_unavailable', `PDF reports need Chromium on the server (${path} was not found): install Debian's chromium and fonts-noto-core, or set CHROMIUM_PATH. Meanwhile, open the printable report and print it from the browser ("Save as PDF").`, undefined, 60);

export interface PrintOptions {
  /** The footer line beside the page numbers (plain text; escaped here). */
  footer: string;
  /** "Page PAGE of PAGES" in the report's language: the two words are replaced by Chromium's counters. */
  pageOf: string;
}

export class Printer {
  private browser: Promise<Browser> | undefined;
  private idle: NodeJS.Timeout | undefined;
  private active = 0;

  constructor(private readonly deps: { executablePath: string; logger: Logger }) {}

  /** Can this process print at all? (The report pages still print from the browser when it cannot.) */
  get available(): boolean {
    return existsSync(this.deps.executablePath);
  }

  private launch(): Promise<Browser> {
    if (!this.available) throw pdfUnavailable(this.deps.executablePath);
    this.browser ??= loadChromium()
      .then((chromium) => chromium.launch({ executablePath: this.deps.executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-extensions'] }))
      .then((browser) => {
        browser.on('disconnected', () => (this.browser = undefined));
        return browser;
      })
      .catch((err: unknown) => {
        this.browser = undefined;
        this.deps.logger.error({ err }, 'Chromium could not be started for PDF reports');
        throw pdfUnavailable(this.deps.executablePath);
      });
    return this.browser;
  }

  /** Prints one page of HTML (which must set html[data-ready] once drawn) to an A4 PDF. */
  async print(html: string, options: PrintOptions): Promise<Buffer> {
    clearTimeout(this.idle);
    this.active++;
    try {
      const browser = await this.launch();
      const context = await browser.newContext({ viewport: { width: PRINT_WIDTH_PX, height: 1000 }, deviceScaleFactor: 2, serviceWorkers: 'block' });
      try {
        await context.route('**/*', async (route) => {
          const url = new URL(route.request().url());
          if (url.origin !== ORIGIN) return route.abort('blockedbyclient');
          if (url.pathname === '/report') return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html, headers: { 'content-security-policy': "default-src 'self'; img-src 'self' data:; object-src 'none'" } });
          const file = staticFile(url.pathname);
          if (!file) return route.fulfill({ status: 404, body: '' });
          return route.fulfill({ status: 200, contentType: TYPES[extname(file)] ?? 'application/octet-stream', body: await readFile(file) });
        });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (err) => errors.push(err.message));
        await page.goto(`${ORIGIN}/report`, { waitUntil: 'load' });
        await page.waitForSelector('html[data-ready]', { state: 'attached', timeout: READY_TIMEOUT_MS }).catch(() => {
          throw new Error(`the report page did not finish drawing${errors.length ? `: ${errors.join('; ')}` : ''}`);
        });
        return await page.pdf({
          format: 'A4',
          printBackground: true,
          preferCSSPageSize: true,
          outline: true,
          tagged: true,
          displayHeaderFooter: true,
          headerTemplate: '<span></span>',
          footerTemplate: footerTemplate(options),
          margin: { top: '15mm', right: '15mm', bottom: '18mm', left: '15mm' },
        });
      } finally {
        await context.close().catch(() => undefined);
      }
    } finally {
      this.active--;
      if (!this.active) {
        this.idle = setTimeout(() => void this.close(), IDLE_CLOSE_MS);
        this.idle.unref();
      }
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.idle);
    const browser = this.browser;
    this.browser = undefined;
    if (browser) await (await browser.catch(() => undefined))?.close().catch(() => undefined);
  }
}

/** A file the report page may load: public/ under /static/, and Chart.js under /vendor/ (as the app serves them). */
function staticFile(pathname: string): string | undefined {
  if (pathname === '/vendor/chart.umd.min.js') return CHART_JS;
  if (!pathname.startsWith('/static/')) return undefined;
  const file = normalize(join(publicDir, decodeURIComponent(pathname.slice('/static/'.length))));
  if (!file.startsWith(publicDir + sep)) return undefined;
  return existsSync(file) ? file : undefined;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Chromium's footer: its own page counters inside our words ("Бет 3 / 12"), in a font with Kazakh letters. */
function footerTemplate(options: PrintOptions): string {
  const pages = escapeHtml(options.pageOf).replace('PAGES', '<span class="totalPages"></span>').replace('PAGE', '<span class="pageNumber"></span>');
  return `<div style="font-family: 'Noto Sans', 'DejaVu Sans', sans-serif; font-size: 8px; color: #555; width: 100%; padding: 0 15mm; display: flex; justify-content: space-between;"><span>${escapeHtml(options.footer)}</span><span>${pages}</span></div>`;
}
