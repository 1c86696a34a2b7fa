// View models for the campaign pages: dates as people write them, state badges, response rates.
// Everything a template shows is computed here, in the page's language, so the templates stay plain.
import { formatDay, formatDayRange } from '../lib/dates.js';
import type { Lang } from '../lib/i18n/index.js';
import { pick } from './choices.js';
import type { PlanCampaign } from './plan.js';
import type { Progress } from './progress.js';

/** "2025-10-01" → "01.10.2025" (kk, ru) or "1 Oct 2025" (en): lib/dates.ts writes every date. */
export function dayLabel(day: string, lang: Lang): string {
  return formatDay(day, lang);
}

/** The university's first and last day of a campaign's window, in the page's language. */
export function windowLabel(opensAt: Date | string, closesAt: Date | string, lang: Lang): string {
  return formatDayRange(new Date(opensAt), new Date(closesAt), lang);
}

export interface ProgressView {
  n: number;
  target: number;
  percent: string;
  /** 0…1 for <meter>. */
  meter: number;
  over: boolean;
}

export function progressView(p: Progress): ProgressView {
  const rate = p.rate ?? 0;
  return { n: p.n, target: p.target, percent: p.rate === null ? '—' : `${Math.round(rate * 100)}%`, meter: Math.min(1, rate), over: rate > 1 };
}

export interface CampaignCard {
  id: string;
  href: string;
  title: string;
  state: string;
  window: string;
  audienceKind: string;
  instrument: string;
  responses: ProgressView;
}

export function campaignCard(c: PlanCampaign, lang: Lang): CampaignCard {
  return {
    id: c.id,
    href: `/campaigns/${c.id}`,
    title: pick(c.title, lang),
    state: c.state,
    window: windowLabel(c.opensAt, c.closesAt, lang),
    audienceKind: c.audienceKind,
    instrument: `${c.instrument.id} v${c.instrument.version}`,
    responses: progressView(c.responses),
  };
}
