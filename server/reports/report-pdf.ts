// The council report as a PDF: the report page rendered by the app's own view engine and printed by
// Chromium (pdf.ts). The page is the one a person opens at /results/:id/report, without its toolbar.
import { getPublishedDefinition } from '../instruments/service.js';
import type { Lang } from '../lib/i18n/index.js';
import { translate } from '../lib/i18n/index.js';
import type { Collected } from './collect.js';
import type { Printer } from './pdf.js';
import { reportModel } from './report-model.js';

/** Renders a view to HTML outside a request (the app's view engine: app.render). */
export type Render = (view: string, locals: Record<string, unknown>) => Promise<string>;

/** The locals of the report page, for the browser and for the printer alike. */
export async function reportLocals(collected: Collected, lang: Lang, options: { pdf: boolean }) {
  const { campaign } = collected.results;
  const definition = await getPublishedDefinition(campaign.instrument.id, campaign.instrument.version);
  return { layout: 'report', report: true, charts: true, pdf: options.pdf, campaignId: campaign.id, ...reportModel(collected, definition, lang, new Date()) };
}

export async function printReport(deps: { printer: Printer; render: Render }, collected: Collected, lang: Lang): Promise<Buffer> {
  const locals = await reportLocals(collected, lang, { pdf: true });
  const html = await deps.render('reports/report', { ...locals, lang });
  return deps.printer.print(html, { footer: locals.title, pageOf: translate(lang, 'reports.pageOf', { page: 'PAGE', pages: 'PAGES' }) });
}
