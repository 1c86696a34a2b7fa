// The council report as a PDF: the report page rendered by the app's own view engine and printed by
// Chromium (pdf.ts). The page is the one a person opens at /results/:id/report, without its toolbar.
import { getPublishedDefinition } from '../instruments/service.js';
import type { Lang } from '../lib/i18n/index.js';
import { translate } from '../lib/i18n/index.js';
import type { Actor } from '../accounts/actor.js';
import type { Collected } from './collect.js';
import type { CouncilRecords } from './council-records.js';
import type { Printer } from './pdf.js';
import { reportModel, type CouncilChapter } from './report-model.js';

/** Renders a view to HTML outside a request (the app's view engine: app.render). */
export type Render = (view: string, locals: Record<string, unknown>) => Promise<string>;

/** The decisions and actions tied to the report's group and the groups below it, as the viewer may read them. */
export async function councilChapter(councils: CouncilRecords | undefined, actor: Actor, collected: Collected, lang: Lang): Promise<CouncilChapter | undefined> {
  if (!councils) return undefined;
  const { results } = collected;
  const byKey = new Map(results.units.map((u) => [u.key, u]));
  const under = (key: string) => {
    for (let u = byKey.get(key); u; u = u.parent ? byKey.get(u.parent) : undefined) if (u.key === results.selected) return true;
    return false;
  };
  return councils.forReport(actor, { campaign: results.campaign.id, units: collected.units.filter((u) => under(u.key)).map((u) => u.key), lang });
}

/** The locals of the report page, for the browser and for the printer alike. */
export async function reportLocals(collected: Collected, lang: Lang, options: { pdf: boolean; council?: CouncilChapter }) {
  const { campaign } = collected.results;
  const definition = await getPublishedDefinition(campaign.instrument.id, campaign.instrument.version);
  return { layout: 'report', report: true, charts: true, pdf: options.pdf, campaignId: campaign.id, ...reportModel(collected, definition, lang, new Date(), options.council) };
}

export async function printReport(deps: { printer: Printer; render: Render }, collected: Collected, lang: Lang, council?: CouncilChapter): Promise<Buffer> {
  const locals = await reportLocals(collected, lang, { pdf: true, council });
  const html = await deps.render('reports/report', { ...locals, lang });
  return deps.printer.print(html, { footer: locals.title, pageOf: translate(lang, 'reports.pageOf', { page: 'PAGE', pages: 'PAGES' }) });
}
