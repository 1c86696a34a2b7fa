// The demo: on first start with an empty database, a university with two faculties, the library
// instruments, open and closed campaigns over two academic years, and a few thousand synthetic
// responses with realistic differences between programmes — so a newcomer sees full dashboards at once.
import type { Logger } from 'pino';
import { SYSTEM_ACTOR } from '../accounts/actor.js';
import { Campaign, type CampaignDoc } from '../campaigns/model.js';
import { createCampaign } from '../campaigns/service.js';
import { targetFrom } from '../campaigns/target.js';
import { setSummaryPublished } from '../campaigns/publishing.js';
import { academicYearOf } from '../campaigns/dates.js';
import { localDay } from '../lib/dates.js';
import { getPublishedDefinition } from '../instruments/service.js';
import { org } from '../org/service.js';
import type { SignIn } from '../lib/sign-in-table.js';
import { createDemoAccounts } from './accounts.js';
import type { AggregateWriter } from '../analytics/aggregates/writer.js';
import type { Analytics } from '../analytics/service.js';
import { seedDemoCouncil } from './council.js';
import type { SubmissionService } from '../respond/submission.js';
import type { Segment } from '../responses/segment.js';
import { seededRandom, syntheticAnswers, type Random } from './synthetic.js';
import { DEMO_FACULTIES, ENTRY_YEARS } from './university.js';

interface DemoProgramme {
  id: string;
  faculty: string;
  climate: number;
  cohorts: { id: string; size: number }[];
}

const DAY_MS = 86_400_000;

/** Creates the demo university on an empty database; returns the demo staff's sign-ins (none if it already existed). */
export async function seedDemo(deps: { logger: Logger; submissions: SubmissionService; writer: AggregateWriter; analytics: Analytics }): Promise<SignIn[]> {
  const { logger } = deps;
  if ((await Campaign.estimatedDocumentCount()) > 0 || (await org.faculties.list(SYSTEM_ACTOR, { includeArchived: true })).length > 0) return [];
  const started = Date.now();
  const a = SYSTEM_ACTOR;
  const programmes: DemoProgramme[] = [];
  const programmeByCode = new Map<string, string>();
  const faculties: string[] = [];
  const disciplines: string[] = [];
  for (const f of DEMO_FACULTIES) {
    const faculty = await org.faculties.create(a, { code: f.code, name: f.name });
    faculties.push(faculty.id);
    for (const d of f.departments) {
      const department = await org.departments.create(a, { faculty: faculty.id, code: d.code, name: d.name });
      const ids: string[] = [];
      for (const p of d.programmes) {
        const programme = await org.programmes.create(a, { code: p.code, name: p.name, level: p.level, faculty: faculty.id, department: department.id });
        ids.push(programme.id);
        programmeByCode.set(p.code, programme.id);
        const cohorts = [];
        for (let i = 0; i < p.size.length; i++) {
          const entryYear = ENTRY_YEARS[i]!;
          const size = p.size[i]! * 2;
          const cohort = await org.cohorts.create(a, { programme: programme.id, entryYear, size, label: String(entryYear) });
          cohorts.push({ id: cohort.id, size });
        }
        programmes.push({ id: programme.id, faculty: faculty.id, climate: p.climate, cohorts });
      }
      for (const s of d.disciplines) disciplines.push((await org.disciplines.create(a, { code: s.code, name: s.name, department: department.id, programmes: ids })).id);
    }
  }

  const now = Date.now();
  const random = seededRandom(2026);
  const population = programmes.reduce((s, p) => s + p.cohorts.reduce((t, c) => t + c.size, 0), 0);
  const plan: { instrument: string; title: [string, string, string]; opens: number; closes: number; audience: CampaignDoc['audience']; target: number; rate: number; shift: number; publish?: boolean }[] = [
    { instrument: 'student-satisfaction', title: ['Студенттердің қанағаттануы', 'Удовлетворённость студентов', 'Student satisfaction'], opens: -400, closes: -370, audience: { kind: 'university', ids: [] }, target: population, rate: 0.55, shift: -0.2, publish: true },
    { instrument: 'student-satisfaction', title: ['Студенттердің қанағаттануы', 'Удовлетворённость студентов', 'Student satisfaction'], opens: -10, closes: 20, audience: { kind: 'university', ids: [] }, target: population, rate: 0.42, shift: 0 },
    { instrument: 'integrity', title: ['Академиялық адалдық', 'Академическая честность', 'Academic integrity'], opens: -300, closes: -280, audience: { kind: 'university', ids: [] }, target: population, rate: 0.48, shift: 0 },
    { instrument: 'discipline-evaluation', title: ['Пәнді бағалау: алгоритмдер', 'Оценка дисциплины: алгоритмы', 'Course evaluation: Algorithms'], opens: -60, closes: -40, audience: { kind: 'discipline', ids: [disciplines[0]!] }, target: 180, rate: 0.6, shift: 0.1 },
    { instrument: 'employer-satisfaction', title: ['Жұмыс берушілердің қанағаттануы', 'Удовлетворённость работодателей', 'Employer satisfaction'], opens: -200, closes: -150, audience: { kind: 'contacts', ids: [] }, target: 220, rate: 0.5, shift: 0.2 },
    { instrument: 'alumni', title: ['Түлектер сауалнамасы', 'Опрос выпускников', 'Alumni survey'], opens: -180, closes: -120, audience: { kind: 'university', ids: [] }, target: 1200, rate: 0.4, shift: 0 },
    // Internship supervisors assess the interns they had (by invitation, one assessment per intern).
    { instrument: 'internship-supervisor', title: ['Практика жетекшілерінің бағалауы', 'Оценка руководителей практики', 'Internship supervisors’ assessment'], opens: -110, closes: -80, audience: { kind: 'contacts', ids: [] }, target: 160, rate: 0.6, shift: 0.1 },
    // Teaching staff on quality culture and teaching conditions (ESG 1.5), by faculty.
    { instrument: 'staff-quality-culture', title: ['Сапа мәдениеті: оқытушылар сауалнамасы', 'Культура качества: опрос преподавателей', 'Quality culture: staff survey'], opens: -90, closes: -60, audience: { kind: 'university', ids: [] }, target: STAFF_PER_FACULTY * faculties.length, rate: 0.62, shift: -0.1 },
  ];

  let total = 0;
  const toPublish: string[] = [];
  // The demo's answers are generated (storeAccepted), so its campaigns take tokens: a campaign with blind
  // credentials stores a response only with a credential each (README "Anonymity against the operator").
  for (const c of plan) {
    const opensAt = new Date(now + c.opens * DAY_MS);
    const year = academicYearOf(opensAt).replace('-', '–');
    const definition = await getPublishedDefinition(c.instrument, 1);
    // Students of the structure are counted by enrolment; the others state how many were asked.
    const target = targetFrom(c.audience.kind, definition.audience) === 'explicit' ? { targetSize: c.target } : {};
    const campaign = await createCampaign(a, { title: { kk: `${c.title[0]} ${year}`, ru: `${c.title[1]} ${year}`, en: `${c.title[2]} ${year}` }, instrument: { id: c.instrument, version: 1 }, audience: c.audience, academicYear: academicYearOf(opensAt), opensAt, closesAt: new Date(now + c.closes * DAY_MS), ...target, openLinkEnabled: true, openLinkCap: 0, blindCredentials: false }, 'open');
    const responses = syntheticPopulation(c, programmes, disciplines, random).map(({ segment, climate }) => {
      const answers = syntheticAnswers(definition, random, climate + c.shift);
      // A response keeps no language; this draw once chose one and stays, so the demo's figures stay as they were.
      random();
      return { answers, segment, day: localDay(new Date(now + (c.opens + random() * Math.max(1, Math.min(c.closes, 0) - c.opens)) * DAY_MS)) };
    });
    for (let i = 0; i < responses.length; i += 500) total += await deps.submissions.storeAccepted(campaign, definition, responses.slice(i, i + 500));
    if (c.publish) toPublish.push(campaign._id);
  }
  // The flush also releases the open campaign's figures (released figures advance on the write path).
  await deps.writer.flush();
  // Last year's closed satisfaction survey has a public summary (/published), as a quality department would.
  for (const id of toPublish) await setSummaryPublished(a, id, true);

  const { signIns, council } = await createDemoAccounts(a, { itFaculty: faculties[0]!, csProgramme: programmeByCode.get('6B06101')!, pedFaculty: faculties[1]! });
  await seedDemoCouncil(deps.analytics, faculties[0]!, council);
  logger.info({ responses: total, campaigns: plan.length, ms: Date.now() - started }, 'demo data created');
  return signIns;
}

/** Teaching staff of a demo faculty. */
const STAFF_PER_FACULTY = 110;

function syntheticPopulation(c: { audience: CampaignDoc['audience']; rate: number; target: number; instrument: string }, programmes: DemoProgramme[], disciplines: string[], random: Random): { segment: Segment; climate: number }[] {
  const out: { segment: Segment; climate: number }[] = [];
  if (c.audience.kind === 'contacts') {
    for (let i = 0; i < Math.round(c.target * c.rate); i++) {
      const p = programmes[Math.floor(random() * programmes.length)]!;
      out.push({ segment: { faculty: p.faculty, programme: p.id }, climate: p.climate + 0.2 });
    }
    return out;
  }
  if (c.audience.kind === 'discipline') {
    const taking = programmes.filter((p) => p.faculty === programmes[0]!.faculty);
    for (let i = 0; i < Math.round(c.target * c.rate); i++) {
      const p = taking[Math.floor(random() * taking.length)]!;
      out.push({ segment: { faculty: p.faculty, programme: p.id, discipline: disciplines[0]! }, climate: p.climate });
    }
    return out;
  }
  if (c.instrument === 'staff-quality-culture') {
    // Staff answer by faculty: a programme or cohort would name too few people.
    for (const faculty of new Set(programmes.map((p) => p.faculty))) {
      const climate = programmes.filter((p) => p.faculty === faculty).reduce((sum, p, _, all) => sum + p.climate / all.length, 0);
      for (let i = 0; i < Math.round(STAFF_PER_FACULTY * c.rate); i++) out.push({ segment: { faculty }, climate });
    }
    return out;
  }
  for (const p of programmes)
    for (const cohort of p.cohorts) {
      const answered = Math.round(cohort.size * c.rate * (0.7 + random() * 0.6));
      for (let i = 0; i < answered; i++) out.push({ segment: { faculty: p.faculty, programme: p.id, cohort: cohort.id }, climate: p.climate });
    }
  // Alumni answer by programme only.
  if (c.instrument === 'alumni') return out.map((r) => ({ ...r, segment: { faculty: r.segment.faculty, programme: r.segment.programme } }));
  return out;
}
