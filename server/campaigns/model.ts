// Campaigns: one pinned instrument version, an audience, a window, an owner and a target population.
import mongoose, { Schema } from 'mongoose';
import type { LocalizedText } from '../instruments/schema.js';

export const AUDIENCE_KINDS = ['university', 'faculty', 'programme', 'cohort', 'discipline', 'contacts'] as const;
export type AudienceKind = (typeof AUDIENCE_KINDS)[number];
export const CAMPAIGN_STATUSES = ['draft', 'open', 'closed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export interface CampaignDoc {
  _id: string;
  title: LocalizedText;
  instrument: { id: string; version: number };
  audience: { kind: AudienceKind; ids: string[] };
  /** Faculties the audience belongs to (derived): what scopes a council member's access. Empty = university-wide. */
  faculties: string[];
  /** Programmes the audience belongs to (derived), for programme leaders. */
  programmes: string[];
  academicYear: string;
  opensAt: Date;
  closesAt: Date;
  status: CampaignStatus;
  ownerId: string;
  targetSize: number;
  /** Public slug of the open anonymous link /s/<linkId>. */
  linkId: string;
  openLinkEnabled: boolean;
  /** At most this many responses through the open link (flood protection); 0 = no cap beyond 3 × target. */
  openLinkCap: number;
  createdAt: Date;
  /** When its summary was made public (after closing), at the published threshold; null = not public. */
  publishedAt?: Date | null;
  /** What dashboards show while it is open (live-results.ts); absent on campaigns older than the setting. */
  liveResults?: 'counts' | 'figures';
  /**
   * Responses need a blind-signed credential (RFC 9474) instead of a token at submission (blind.ts; the
   * credentials feature). Absent on campaigns older than the option: off. Fixed once the campaign opens.
   */
  blindCredentials?: boolean;
}

const localized = { kk: String, ru: String, en: String };

const schema = new Schema<CampaignDoc>(
  {
    _id: { type: String, required: true },
    title: { type: localized, required: true, _id: false },
    instrument: { type: { id: String, version: Number }, required: true, _id: false },
    audience: { type: { kind: { type: String, enum: AUDIENCE_KINDS }, ids: [String] }, required: true, _id: false },
    faculties: { type: [String], default: [] },
    programmes: { type: [String], default: [] },
    academicYear: { type: String, required: true },
    opensAt: { type: Date, required: true },
    closesAt: { type: Date, required: true },
    status: { type: String, enum: CAMPAIGN_STATUSES, required: true },
    ownerId: { type: String, required: true },
    targetSize: { type: Number, required: true },
    linkId: { type: String, required: true, unique: true },
    openLinkEnabled: { type: Boolean, default: true },
    openLinkCap: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
    publishedAt: { type: Date, default: null },
    liveResults: { type: String, enum: ['counts', 'figures'] },
    blindCredentials: { type: Boolean },
  },
  { versionKey: false },
);

export const Campaign = mongoose.model<CampaignDoc>('Campaign', schema, 'campaigns');

/** Public link slugs map to campaign ids by _id, so the respondent path never scans. */
const linkSchema = new Schema<{ _id: string; campaign: string }>({ _id: String, campaign: { type: String, required: true } }, { versionKey: false });
export const CampaignLink = mongoose.model('CampaignLink', linkSchema, 'campaign_links');

/** The effective state at `now`: a campaign is open only inside its window and while not closed by hand. */
export function effectiveStatus(c: Pick<CampaignDoc, 'status' | 'opensAt' | 'closesAt'>, now = new Date()): 'draft' | 'scheduled' | 'open' | 'closed' {
  if (c.status === 'draft') return 'draft';
  if (c.status === 'closed' || now >= c.closesAt) return 'closed';
  if (now < c.opensAt) return 'scheduled';
  return 'open';
}
