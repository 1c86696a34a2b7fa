// What a faculty's academic quality council keeps (Ministry order No. 595; the monitoring procedure in
// shared/seeds/002): its members, its meetings with agenda items that freeze results and record decisions,
// and the register of corrective and preventive actions. Every document carries the faculty it belongs to,
// which is what scope checks read.
import mongoose, { Schema } from 'mongoose';
import type { Lang } from '../lib/i18n/index.js';
import type { LocalizedText } from '../instruments/schema.js';

/** The groups order No. 595 names; administrators attend without a vote. */
export const MEMBER_GROUPS = ['teacher', 'student_bachelor', 'student_master', 'student_doctoral', 'academic_staff', 'administrator'] as const;
export type MemberGroup = (typeof MEMBER_GROUPS)[number];
export const MEMBER_ROLES = ['chair', 'secretary', 'member'] as const;

export interface CouncilMember {
  id: string;
  name: string;
  /** The member's account, when they have one (they can then edit the council's records). */
  userId?: string;
  group: MemberGroup;
  role: (typeof MEMBER_ROLES)[number];
}

export interface CouncilDoc {
  /** The faculty's id: one council per faculty. */
  _id: string;
  members: CouncilMember[];
  /** Share of the voting members that must attend for a quorum (more than this share). */
  quorum: number;
}

export const DECISION_KINDS = ['update_programme', 'update_discipline', 'no_change', 'investigate'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export interface Decision {
  kind: DecisionKind;
  /** The programme or discipline the update concerns. */
  unit?: string;
  rationale: string;
  /** Which stakeholders' comments were taken into account, and how. */
  stakeholderComments: string;
  votes: { for: number; against: number; abstain: number };
}

/** Results as they stood when the item was put on the agenda, as the council's scope sees them (gated then). */
export interface Snapshot {
  campaign: string;
  campaignTitle: LocalizedText;
  unit: string;
  unitName: LocalizedText;
  /** An item (or matrix row) or a scale; absent: the group's headline figures. */
  item?: string;
  scale?: string;
  label: LocalizedText;
  /** ESG standards the item gives evidence for. */
  esg: string[];
  /** The figures, frozen: never recomputed after later responses. */
  figures: unknown;
  final: boolean;
  takenOn: string;
  k: number;
}

export interface AgendaItem {
  id: string;
  title: string;
  snapshot?: Snapshot;
  decision?: Decision;
}

export interface MeetingDoc {
  _id: string;
  faculty: string;
  /** YYYY-MM-DD */
  date: string;
  title: string;
  /** The language the meeting is held and minuted in. */
  lang: Lang;
  status: 'planned' | 'held';
  /** Ids of the council members present. */
  attendance: string[];
  agenda: AgendaItem[];
  createdAt: Date;
}

export const ACTION_KINDS = ['corrective', 'preventive'] as const;
export const ACTION_STATUSES = ['planned', 'in_progress', 'done', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** A figure an action means to move: an item or a scale of an instrument, in one group, from a baseline campaign. */
export interface ActionTarget {
  campaign: string;
  instrument: string;
  unit: string;
  item?: string;
  scale?: string;
}

export type Evidence = { id: string; kind: 'link'; url: string; label: string } | { id: string; kind: 'file'; fileId: string; name: string; type: string; size: number };

export interface ActionDoc {
  _id: string;
  faculty: string;
  programme?: string;
  meeting?: string;
  agendaItem?: string;
  title: string;
  description: string;
  kind: (typeof ACTION_KINDS)[number];
  /** The account responsible. */
  owner: string;
  /** YYYY-MM-DD */
  dueOn: string;
  status: ActionStatus;
  doneOn?: string;
  evidence: Evidence[];
  targets: ActionTarget[];
  esg: string[];
  /** Shown, in kk/ru/en, as "you said, we did" on the published summary and the next wave's first page. */
  public: boolean;
  publicText?: LocalizedText;
  createdAt: Date;
}

const mixed = Schema.Types.Mixed;

export const Council = mongoose.model<CouncilDoc>('Council', new Schema<CouncilDoc>({ _id: String, members: { type: mixed, default: [] }, quorum: { type: Number, default: 0.5 } }, { versionKey: false, minimize: false }), 'councils');

export const Meeting = mongoose.model<MeetingDoc>(
  'Meeting',
  new Schema<MeetingDoc>(
    { _id: String, faculty: { type: String, required: true }, date: String, title: String, lang: String, status: String, attendance: { type: [String], default: [] }, agenda: { type: mixed, default: [] }, createdAt: Date },
    { versionKey: false, minimize: false },
  ),
  'council_meetings',
);

export const Action = mongoose.model<ActionDoc>(
  'Action',
  new Schema<ActionDoc>(
    {
      _id: String,
      faculty: { type: String, required: true },
      programme: String,
      meeting: String,
      agendaItem: String,
      title: String,
      description: String,
      kind: String,
      owner: String,
      dueOn: String,
      status: String,
      doneOn: String,
      evidence: { type: mixed, default: [] },
      targets: { type: mixed, default: [] },
      esg: { type: [String], default: [] },
      public: Boolean,
      publicText: mixed,
      createdAt: Date,
    },
    { versionKey: false, minimize: false },
  ),
  'council_actions',
);

/** An uploaded evidence file (kept small: a scan of a signed plan, a spreadsheet). */
export interface EvidenceFileDoc {
  _id: string;
  action: string;
  name: string;
  type: string;
  size: number;
  data: Buffer;
}
export const EvidenceFile = mongoose.model<EvidenceFileDoc>('EvidenceFile', new Schema<EvidenceFileDoc>({ _id: String, action: String, name: String, type: String, size: Number, data: Buffer }, { versionKey: false }), 'evidence_files');
