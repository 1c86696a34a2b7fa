// View models for the campaign pages: dates as people write them, state badges, response rates.
// Everything a template shows is computed here, in the page's language, so the templates stay plain.
import type { Lang } from '../lib/i18n/index.js';
import { pick } from './choices.js';
import { localDay } from './dates.js';
import type { PlanCampaign } from './plan.js';
import type { Progress } from './progress.js';

/** "2025-10-01" → "01.10.2025", as dates are written in Kazakhstan. */
export function dayLabel(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}.${m}.${y}`;
}

export function windowLabel(opensAt: Date | string, closesAt: Date | string): string {
  return `${dayLabel(localDay(new Date(opensAt)))} – ${dayLabel(localDay(new Date(closesAt)))}`;
}

export interface ProgressView {
  n: number;
  target: number;
  percent: string;
  /** 0…1 for <meter>. */
  meter: number;
  over: boolean;
  /** The target is the enrolment of the audience's cohorts (else the campaign states it). */
  fromEnrolment: boolean;
}

export function progressView(p: Progress): ProgressView {
  const rate = p.rate ?? 0;
  return { n: p.n, target: p.target, percent: p.rate === null ? '—' : `${Math.round(rate * 100)}%`, meter: Math.min(1, rate), over: rate > 1, fromEnrolment: p.targetFrom === 'enrolment' };
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
    window: windowLabel(c.opensAt, c.closesAt),
    audienceKind: c.audienceKind,
    instrument: `${c.instrument.id} v${c.instrument.version}`,
    responses: progressView(c.responses),
  };
}
