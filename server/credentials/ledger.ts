// The public ledger of a campaign with blind credentials: how many people may answer (eligible: its tokens),
// how many credentials were issued, how many were spent (its stored responses: each is stored under the
// credential it spent), how many responses the results count, and the key anyone can check a credential
// with. The four must agree: issued ≤ eligible, spent ≤ issued, and the results count every stored response.
// Counting reads the campaign's own collections (tokens_<c>, credential_issues_<c>, responses_<c>), never a
// request's hot path: figures are cached for a minute and computed once at a time.
import { countEligible } from '../campaigns/tokens.js';
import type { ResponseCounts } from '../campaigns/progress.js';
import { effectiveStatus, type CampaignDoc } from '../campaigns/model.js';
import { countStoredResponses } from '../responses/store.js';
import { countIssued } from '../campaigns/issuances.js';
import { findKey, type CampaignKey } from './keys.js';
import { ALGORITHM } from './rsa.js';

export interface Ledger {
  campaign: string;
  state: ReturnType<typeof effectiveStatus>;
  eligible: number;
  issued: number;
  spent: number;
  /** Responses as the results count them (the aggregates). */
  responses: number;
  agree: boolean;
  algorithm: typeof ALGORITHM;
  key?: Pick<CampaignKey, 'bits' | 'pem' | 'spki' | 'fingerprint' | 'createdOn' | 'destroyedOn'>;
  /** When these figures were counted (they are kept for a minute). */
  countedAt: Date;
}

const TTL_MS = 60_000;

export class Ledgers {
  private readonly cache = new Map<string, { at: number; ledger: Promise<Ledger> }>();

  constructor(private readonly counts: ResponseCounts) {}

  /** The campaign's ledger, at most a minute old. */
  of(campaign: CampaignDoc): Promise<Ledger> {
    const hit = this.cache.get(campaign._id);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.ledger;
    const ledger = this.count(campaign);
    this.cache.set(campaign._id, { at: Date.now(), ledger });
    ledger.catch(() => this.cache.delete(campaign._id));
    if (this.cache.size > 1_000) this.cache.delete(this.cache.keys().next().value!);
    return ledger;
  }

  private async count(campaign: CampaignDoc): Promise<Ledger> {
    let ledger = await this.countOnce(campaign);
    // A batch being written right now may be in one count and not yet in another: count again once.
    if (!ledger.agree) {
      await new Promise((r) => setTimeout(r, 1_000));
      ledger = await this.countOnce(campaign);
    }
    return ledger;
  }

  private async countOnce(campaign: CampaignDoc): Promise<Ledger> {
    const key = await findKey(campaign._id, { fresh: true });
    const eligible = await countEligible(campaign._id);
    const issued = await countIssued(campaign._id);
    const spent = await countStoredResponses(campaign._id);
    const responses = (await this.counts([campaign._id])).get(campaign._id) ?? 0;
    return {
      campaign: campaign._id,
      state: effectiveStatus(campaign),
      eligible,
      issued,
      spent,
      responses,
      agree: issued <= eligible && spent <= issued && responses === spent,
      algorithm: ALGORITHM,
      ...(key ? { key: { bits: key.bits, pem: key.pem, spki: key.spki, fingerprint: key.fingerprint, createdOn: key.createdOn, ...(key.destroyedOn ? { destroyedOn: key.destroyedOn } : {}) } } : {}),
      countedAt: new Date(),
    };
  }
}
