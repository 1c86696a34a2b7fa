// The ESG evidence map — the page a self-evaluation report for accreditation is written from: for each
// standard of ESG 2015 Part 1 (1.1–1.10), the instruments and questions that give evidence for it (their
// tags), the latest figures of those questions for a faculty and its programmes (gated, in the viewer's
// scope), and the council decisions and actions tied to it.
import type { Actor } from '../accounts/actor.js';
import type { Analytics } from '../analytics/service.js';
import { analysableItems } from '../analytics/item-figures.js';
import { effectiveStatus } from '../campaigns/model.js';
import { listCampaigns } from '../campaigns/service.js';
import { ESG_STANDARDS, type LocalizedText } from '../instruments/schema.js';
import { getPublishedDefinition, listInstruments } from '../instruments/service.js';
import { listActions } from './actions-service.js';
import { canReadFaculty } from './access.js';
import { Meeting, type MeetingDoc } from './model.js';

export interface EvidenceQuestion {
  instrument: string;
  instrumentTitle: LocalizedText;
  item: string;
  text: LocalizedText;
  /** The latest closed campaign of the instrument the viewer may see, with % agree per group (null: hidden or not an agreement question). */
  campaign?: { id: string; academicYear: string; cells: { unit: string; name: LocalizedText; agree: number | null; n: number | null; reason?: string }[] };
}

export interface EvidenceStandard {
  standard: (typeof ESG_STANDARDS)[number];
  questions: EvidenceQuestion[];
  decisions: { meeting: string; date: string; faculty: string; item: string; title: string; kind: string }[];
  actions: { id: string; title: string; status: string; dueOn: string; faculty: string }[];
}

/** The map for one faculty's view (its programmes as columns), or the university's when no faculty is chosen. */
export async function evidenceMap(actor: Actor, analytics: Analytics, faculty?: string): Promise<EvidenceStandard[]> {
  const instruments = (await listInstruments(actor)).filter((i) => i.publishedVersion !== null);
  const campaigns = await listCampaigns(actor);
  const unit = faculty ? `faculty~${faculty}` : undefined;
  const questions: (EvidenceQuestion & { esg: string[] })[] = [];
  for (const instrument of instruments) {
    const def = await getPublishedDefinition(instrument.id, instrument.publishedVersion!);
    const tagged = analysableItems(def).filter((i) => i.esg?.length);
    if (!tagged.length) continue;
    const latest = campaigns.filter((c) => c.instrument.id === instrument.id && effectiveStatus(c) === 'closed').sort((a, b) => b.closesAt.getTime() - a.closesAt.getTime())[0];
    const results = latest ? await analytics.resultsFor(actor, latest, { unit }).catch(() => null) : null;
    for (const item of tagged) {
      const found = results?.items.find((i) => i.id === item.id);
      const cells = results && found
        ? results.shown.map((key) => {
            const f = found.figures[key];
            const name = results.units.find((u) => u.key === key)!.name;
            if (!f || f.kind === 'suppressed') return { unit: key, name, agree: null, n: null, reason: f?.kind === 'suppressed' ? f.reason : 'small' };
            return { unit: key, name, agree: f.kind === 'scale' && f.agree ? f.agree.p : null, n: f.n };
          })
        : undefined;
      questions.push({ instrument: instrument.id, instrumentTitle: instrument.title, item: item.id, text: item.text, esg: item.esg ?? [], ...(results && cells ? { campaign: { id: results.campaign.id, academicYear: results.campaign.academicYear, cells } } : {}) });
    }
  }
  const actions = await listActions(actor, faculty ? { faculty } : {});
  // Meetings are few; read those the viewer may open, for the decisions tied to a standard through their snapshot.
  const meetings = ((await Meeting.find(faculty ? { faculty } : {}).lean()) as MeetingDoc[]).filter((m) => canReadFaculty(actor, m.faculty));
  return ESG_STANDARDS.map((standard) => ({
    standard,
    questions: questions.filter((q) => q.esg.includes(standard)).map(({ esg: _esg, ...q }) => q),
    decisions: meetings.flatMap((m) => m.agenda.filter((a) => a.decision && a.snapshot?.esg.includes(standard)).map((a) => ({ meeting: m._id, date: m.date, faculty: m.faculty, item: a.id, title: a.title, kind: a.decision!.kind }))),
    actions: actions.filter((a) => a.esg.includes(standard)).map((a) => ({ id: a._id, title: a.title, status: a.status, dueOn: a.dueOn, faculty: a.faculty })),
  }));
}
