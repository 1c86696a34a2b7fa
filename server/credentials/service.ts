// Blind-signed response credentials (RFC 9474), the app's stateful part of them (built in services.ts):
// the group-committed issuance claims and the ledgers' cache. Keys (keys.ts), issuance (issue.ts), spending
// (spend.ts, called by the submission service) and the ledger (ledger.ts) are the use cases.
import type { Config } from '../config.js';
import type { CampaignDoc } from '../campaigns/model.js';
import type { ResponseCounts } from '../campaigns/progress.js';
import { UniqueInserts } from '../lib/unique-inserts.js';
import { ensureKey, type CampaignKey } from './keys.js';
import { issueCredential, type Issued } from './issue.js';
import { Ledgers, type Ledger } from './ledger.js';

export class CredentialService {
  private readonly inserts = new UniqueInserts();
  private readonly ledgers: Ledgers;

  constructor(private readonly deps: { config: Pick<Config, 'jwtSecret'>; counts: ResponseCounts }) {
    this.ledgers = new Ledgers(deps.counts);
  }

  /** One blind signature per token (issue.ts). */
  issue(campaign: CampaignDoc, token: string, blindedMessage: string): Promise<Issued> {
    return issueCredential({ secret: this.deps.config.jwtSecret, inserts: this.inserts }, campaign, token, blindedMessage);
  }

  /** The campaign's published key, created if it has none yet and may have one. */
  key(campaign: CampaignDoc): Promise<CampaignKey | undefined> {
    return ensureKey(this.deps.config.jwtSecret, campaign);
  }

  ledger(campaign: CampaignDoc): Promise<Ledger> {
    return this.ledgers.of(campaign);
  }
}
