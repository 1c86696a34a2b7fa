// Risks a faculty page lists: programmes below a target the council set, and academic-integrity reports.
// Integrity questions are sensitive: they are gated to the faculty level (never shown per programme), so a
// report is a risk of the faculty, with the share and n the gate lets through.
import type { Actor } from '../accounts/actor.js';
import type { Analytics } from '../analytics/service.js';
import { formatPercent } from '../analytics/stats/index.js';
import { translate, type Lang } from '../lib/i18n/index.js';
import { loadOrgSnapshot } from '../org/snapshot.js';
import { facultyIndicators, integritySignal } from './indicators.js';

export interface Risk {
  kind: 'below_target' | 'integrity';
  unit: string;
  text: string;
  href: string;
}

export async function facultyRisks(actor: Actor, analytics: Analytics, faculty: string, academicYear: string, lang: Lang): Promise<Risk[]> {
  const [org, programmes, integrity] = await Promise.all([loadOrgSnapshot(), facultyIndicators(actor, analytics, faculty, academicYear, analytics.k), integritySignal(actor, analytics, faculty, academicYear)]);
  const risks: Risk[] = [];
  for (const p of programmes) {
    const name = org.programme.get(p.programme)?.name[lang] ?? p.programme;
    for (const i of p.indicators.filter((x) => x.belowTarget)) {
      risks.push({
        kind: 'below_target',
        unit: name,
        text: translate(lang, 'councils.risks.belowTarget', { indicator: translate(lang, `councils.indicator.${i.key}.name`), value: formatPercent(i.value, lang), target: formatPercent(i.target ?? null, lang), n: i.n ?? 0 }),
        href: `/councils/${faculty}/indicators?year=${academicYear}#p-${p.programme}`,
      });
    }
  }
  if (integrity && ((integrity.bribery ?? 0) > 0 || (integrity.pressure ?? 0) > 0)) {
    risks.push({
      kind: 'integrity',
      unit: org.faculty.get(faculty)?.name[lang] ?? faculty,
      text: translate(lang, 'councils.risks.integrity', { bribery: formatPercent(integrity.bribery, lang), pressure: formatPercent(integrity.pressure, lang), n: integrity.n ?? 0 }),
      href: `/results/${integrity.campaign}?unit=faculty~${faculty}`,
    });
  }
  return risks;
}
