// The evidence pack of a programme for one academic year (ZIP): the annex of an accreditation
// self-evaluation report (ESG 1.7 information management, 1.9 monitoring and review; the IQAA procedure).
// For every campaign of that year whose audience includes the programme and that the viewer may see: the
// questionnaire as PDF, the council report at the programme (for a course evaluation, at each of its
// disciplines) as PDF, and its figures as XLSX; the survey plan with the response rates as XLSX; the
// council's action register for the programme with its follow-up (when council records are kept); a README
// that lists it all. Every figure comes from analytics for this viewer, as in every export; a group the
// viewer may not see is listed in the plan as such, not printed.
import yazl from 'yazl';
import type { Actor } from '../accounts/actor.js';
import type { Analytics } from '../analytics/service.js';
import { campaignUnits } from '../analytics/units.js';
import { effectiveStatus, type CampaignDoc } from '../campaigns/model.js';
import { orgView } from '../campaigns/org-view.js';
import { listCampaigns } from '../campaigns/service.js';
import { getPublishedDefinition } from '../instruments/service.js';
import { printPages } from '../instruments/preview.js';
import type { Lang } from '../lib/i18n/index.js';
import { translate } from '../lib/i18n/index.js';
import { org } from '../org/service.js';
import { unitKey } from '../responses/segment.js';
import { hiddenTexts } from '../analytics/view-model.js';
import { loadExcelJS } from '../lib/heavy-modules.js';
import { figuresWorkbook } from './aggregates.js';
import { cellValue } from './cells.js';
import { collectCampaign } from './collect.js';
import type { CouncilActionView, CouncilRecords } from './council-records.js';
import { AppError } from '../lib/errors.js';
import { formatDateTime, formatDay, localDay } from '../lib/dates.js';
import type { JobContext, JobFile } from './jobs.js';
import { councilChapter, printReport, type Render } from './report-pdf.js';
import type { Printer } from './pdf.js';

export interface EvidenceInput {
  actor: Actor;
  programme: string;
  year: string;
  lang: Lang;
}

/** The pack's parts for one campaign: the units its report is made at (a course evaluation: each discipline the programme takes). */
async function reportUnits(c: CampaignDoc, programme: string): Promise<string[]> {
  const org = await orgView();
  const units = campaignUnits(c, org);
  const own = units.find((u) => u.key === unitKey('programme', programme));
  if (own) return [own.key];
  const taken = new Set(org.disciplines.filter((d) => d.programmes.includes(programme)).map((d) => unitKey('discipline', d.id)));
  return units.filter((u) => u.level === 'discipline' && taken.has(u.key)).map((u) => u.key);
}

/** A group outside the viewer's scope is a 404 from analytics: the pack lists it as not shown instead. */
const outOfScope = (err: unknown) => err instanceof AppError && err.status === 404;

const slug = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'x';

export async function evidencePack(deps: { analytics: Analytics; printer: Printer; render: Render; councils?: CouncilRecords }, input: EvidenceInput, job: JobContext): Promise<JobFile> {
  const { actor, lang, year } = input;
  const t = (key: string, params: Record<string, string | number> = {}) => translate(lang, key, params);
  const programme = await org.programmes.get(actor, input.programme);
  const campaigns = (await listCampaigns(actor, { academicYear: year })).filter((c) => c.programmes.includes(programme.id) && effectiveStatus(c) !== 'draft').sort((a, b) => a.opensAt.getTime() - b.opensAt.getTime());
  const parts = await Promise.all(campaigns.map(async (c) => ({ campaign: c, units: await reportUnits(c, programme.id) })));
  const instruments = [...new Map(campaigns.map((c) => [`${c.instrument.id}@${c.instrument.version}`, c.instrument])).values()];
  const total = instruments.length + parts.reduce((s, p) => s + p.units.length * 2, 0) + (deps.councils ? 3 : 2);
  let done = 0;
  const step = (key: string, params: Record<string, string | number> = {}) => job.progress(t(key, params), done++, total);

  const zip = new yazl.ZipFile();
  const files: string[] = [];
  const add = (name: string, body: Buffer) => {
    zip.addBuffer(body, name, { mtime: new Date() });
    files.push(name);
  };

  for (const i of instruments) {
    const def = await getPublishedDefinition(i.id, i.version);
    step('reports.evidence.step.instrument', { title: def.title[lang] });
    const html = await deps.render('instruments/print', {
      layout: 'report',
      lang,
      title: def.title[lang],
      pdf: true,
      doc: { id: i.id, version: i.version, status: 'published', base: `/instruments/${i.id}/v/${i.version}` },
      def: { title: def.title[lang], description: def.description[lang], minutes: def.estimatedMinutes, audience: def.audience },
      pages: printPages(def, lang),
      languages: [],
      printedOn: formatDay(new Date(), lang),
    });
    add(`1-instruments/${slug(i.id)}-v${i.version}.pdf`, await deps.printer.print(html, { footer: `${def.title[lang]} · ${i.id} v${i.version}`, pageOf: t('reports.pageOf', { page: 'PAGE', pages: 'PAGES' }) }));
  }

  const Excel = await loadExcelJS();
  const plan = new Excel.Workbook();
  plan.creator = 'Pikir';
  const sheet = plan.addWorksheet(t('reports.sheet.plan').slice(0, 31));
  const head = sheet.addRow(PLAN_COLUMNS.map((c) => t(`reports.plan.${c}`)));
  head.font = { bold: true };
  PLAN_COLUMNS.forEach((_, i) => (sheet.getColumn(i + 1).width = i < 2 ? 36 : 14));

  for (const { campaign: c, units } of parts) {
    for (const unit of units) {
      step('reports.evidence.step.report', { title: c.title[lang] });
      const collected = await collectCampaign(deps.analytics, actor, c._id, unit).catch((err: unknown) => {
        if (outOfScope(err)) return undefined;
        throw err;
      });
      const planCells = [c.title[lang], `${c.instrument.id} v${c.instrument.version}`, t(`campaigns.audience.${c.audience.kind}`), localDay(c.opensAt), localDay(c.closesAt), t(`results.status.${effectiveStatus(c)}`)];
      if (!collected) {
        const unitName = campaignUnits(c, await orgView()).find((x) => x.key === unit)?.name[lang] ?? unit;
        sheet.addRow([...planCells, unitName, null, null, null, t('results.reason.scope')].map(cellValue));
        done++;
        continue;
      }
      const name = `${c.academicYear}-${slug(c.instrument.id)}-${c._id}${units.length > 1 ? `-${slug(unit)}` : ''}`;
      add(`2-reports/${name}.pdf`, await printReport(deps, collected, lang, await councilChapter(deps.councils, actor, collected, lang)));
      step('reports.evidence.step.figures', { title: c.title[lang] });
      add(`3-figures/${name}.xlsx`, await figuresWorkbook(collected, { generatedAt: new Date(), lang }));
      const u = collected.results.units.find((x) => x.key === collected.results.selected)!;
      const rateText = u.suppressed ? hiddenTexts(u.reason, collected.results.k, lang).hiddenText : '';
      planCells[1] = `${collected.results.campaign.instrument.title[lang]} v${c.instrument.version}`;
      const row = sheet.addRow([...planCells, u.name[lang], u.n, u.target ?? null, u.rate ?? null, rateText].map(cellValue));
      row.getCell(10).numFmt = '0.0%';
    }
  }
  step('reports.evidence.step.plan');
  add('0-survey-plan-and-response-rates.xlsx', Buffer.from(await plan.xlsx.writeBuffer()));
  if (deps.councils) {
    step('reports.evidence.step.actions');
    const actions = await deps.councils.register(actor, { programme: programme.id, year, campaigns: campaigns.map((c) => c._id), lang });
    add('4-action-register.xlsx', await actionRegisterWorkbook(actions, lang));
  }

  step('reports.evidence.step.zip');
  const readme = [
    t('reports.evidence.readmeTitle', { programme: `${programme.code} ${programme.name[lang]}`, year }),
    t('reports.evidence.readmeGenerated', { at: formatDateTime(new Date(), lang), who: actor.name || actor.email, k: deps.analytics.k }),
    '',
    t('reports.evidence.readmeEsg'),
    '',
    t('reports.evidence.readmeFiles'),
    ...[...files, '0-README.txt'].sort().map((f) => `  ${f}`),
    '',
    campaigns.length ? t('reports.evidence.readmeCampaigns', { n: campaigns.length }) : t('reports.evidence.readmeNone'),
  ].join('\r\n');
  add('0-README.txt', Buffer.from('\uFEFF' + readme + '\r\n', 'utf8'));
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return { name: `pikir-evidence-${slug(programme.code)}-${year}.zip`, type: 'application/zip', body: Buffer.concat(chunks) };
}

const PLAN_COLUMNS = ['campaign', 'instrument', 'audience', 'opens', 'closes', 'status', 'unit', 'responses', 'target', 'rate', 'note'] as const;

const REGISTER_COLUMNS = ['action', 'kind', 'programme', 'decided', 'owner', 'due', 'status', 'done', 'overdue', 'esg', 'evidence', 'figure', 'follow_up', 'before', 'after', 'change', 'p', 'verdict'] as const;

/** The action register as XLSX: one row per action and figure it follows (one row when it follows none). */
export async function actionRegisterWorkbook(actions: readonly CouncilActionView[], lang: Lang): Promise<Buffer> {
  const t = (key: string) => translate(lang, key);
  const Excel = await loadExcelJS();
  const book = new Excel.Workbook();
  book.creator = 'Pikir';
  const sheet = book.addWorksheet(t('reports.sheet.actions').slice(0, 31));
  const head = sheet.addRow(REGISTER_COLUMNS.map((c) => t(`reports.register.${c}`)));
  head.font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  REGISTER_COLUMNS.forEach((c, i) => (sheet.getColumn(i + 1).width = c === 'action' || c === 'figure' || c === 'decided' ? 40 : 14));
  for (const a of actions) {
    const base = [a.title, a.kind, a.programme || a.faculty, a.decidedAt, a.owner, a.dueOn, a.statusText, a.doneOn, a.overdue ? t('reports.yes') : '', a.esg, a.evidenceList.join('; ')];
    const lines = a.followUps.length ? a.followUps : [undefined];
    for (const f of lines) {
      const follow = !f ? ['', '', '', '', '', '', ''] : f.text ? [f.label, f.text, '', '', '', '', ''] : [f.label, `${f.measure ?? ''}${f.interim ? ` (${t('councils.followUp.interim')})` : ''}`, `${f.before!.year}: ${f.before!.value} [${f.before!.ci}], n = ${f.before!.n}`, `${f.after!.year}: ${f.after!.value} [${f.after!.ci}], n = ${f.after!.n}`, `Δ ${f.difference!.value} ${f.difference!.unit} [${f.difference!.ci}]`, f.p ?? '', f.verdictText ?? ''];
      sheet.addRow([...base, ...follow].map(cellValue));
    }
  }
  if (!actions.length) sheet.addRow([cellValue(t('reports.noActions'))]);
  return Buffer.from(await book.xlsx.writeBuffer());
}
