// The council's records as reports show them: decisions and actions tied to a campaign's results (the
// council report's last chapter), a programme's action register with follow-up (the evidence pack), and a
// meeting's minutes (printed to PDF). The councils feature supplies them (services.ts wires it in), read
// with the viewer's own scope; reports never read council documents themselves. Without it, reports say
// that no council records are kept.
import type { Actor } from '../accounts/actor.js';
import type { Lang } from '../lib/i18n/index.js';

export interface CouncilDecisionView {
  meeting: string;
  faculty: string;
  item: string;
  snapshot?: { campaignTitle: string; unitName: string; label: string; takenOn: string; interim: boolean; rows: { name: string; value: string; detail: string; n?: number; hidden?: string }[] };
  kind: string;
  unit: string;
  rationale: string;
  stakeholderComments: string;
  votes: string;
}

export interface FollowUpLine {
  label: string;
  state: string;
  text?: string;
  interim?: boolean;
  verdictText?: string;
  measure?: string;
  before?: { year: string; value: string; ci: string; n: number };
  after?: { year: string; value: string; ci: string; n: number };
  difference?: { value: string; ci: string; unit: string };
  p?: string;
}

export interface CouncilActionView {
  id: string;
  title: string;
  kind: string;
  owner: string;
  dueOn: string;
  statusText: string;
  overdue: boolean;
  public: boolean;
  faculty: string;
  programme: string;
  decidedAt: string;
  description: string;
  doneOn: string;
  esg: string;
  evidenceList: string[];
  followUps: FollowUpLine[];
}

export interface CouncilRecords {
  forReport(actor: Actor, input: { campaign: string; units: readonly string[]; lang: Lang }): Promise<{ decisions: CouncilDecisionView[]; actions: CouncilActionView[] }>;
  register(actor: Actor, input: { programme: string; year: string; campaigns: readonly string[]; lang: Lang }): Promise<CouncilActionView[]>;
  minutes(actor: Actor, meetingId: string): Promise<{ view: string; lang: Lang; title: string; locals: Record<string, unknown> }>;
}
