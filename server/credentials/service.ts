// Blind-signed response credentials (RFC 9474), the app's stateful part of them (built in services.ts):
// the group-committed issuance claims, the campaigns' token lists
// (eligibility.ts) and the ledgers' cache. Keys (keys.ts), issuance (issue.ts), spending (spend.ts, called
// by the submission service) and the ledger (ledger.ts) are the use cases.
import { usesBlindCredentials } from '../campaigns/blind.js';
import { findCampaignByLink } from '../campaigns/service.js';
import { AppError } from '../lib/errors.js';
import { normaliseToken, TOKEN_PATTERN } from '../lib/ids.js';
import { EligibleTokens } from './eligibility.js';
import type { Config } from '../config.js';
import type { CampaignDoc } from '../campaigns/model.js';
import type { ResponseCounts } from '../campaigns/progress.js';
import { UniqueInserts } from '../lib/group-commit.js';
import { ensureKey, type CampaignKey } from './keys.js';
import { issueCredential, type Issued } from './issue.js';
import { Ledgers, type Ledger } from './ledger.js';
import { BlindSigner } from './signer.js';

export class CredentialService {
  private readonly inserts = new UniqueInserts();
  private readonly ledgers: Ledgers;
  private readonly eligible = new EligibleTokens();
  private readonly signer = new BlindSigner();

  constructor(private readonly deps: { config: Pick<Config, 'jwtSecret'>; counts: ResponseCounts }) {
    this.ledgers = new Ledgers(deps.counts);
  }

  /**
   * The campaign of a survey link and a token of it, for exchanging the token for a credential: no
   * definition, no used-or-not (issuance decides that itself). 404 like any unknown token.
   */
  async campaignOfToken(link: string, rawToken: string): Promise<{ campaign: CampaignDoc; token: string }> {
    const token = normaliseToken(rawToken);
    const unknown = () => new AppError(404, 'invalid_link', 'This personal link or slip code is not valid. Check that it was copied or typed whole.');
    if (!TOKEN_PATTERN.test(token)) throw unknown();
    const campaign = await findCampaignByLink(link);
    if (!campaign || !(await this.eligible.includes(campaign._id, token, usesBlindCredentials(campaign)))) throw unknown();
    return { campaign, token };
  }

  /** One blind signature per token (issue.ts). */
  issue(campaign: CampaignDoc, token: string, blindedMessage: string): Promise<Issued> {
    return issueCredential({ secret: this.deps.config.jwtSecret, inserts: this.inserts, signer: this.signer }, campaign, token, blindedMessage);
  }

  /** The campaign's published key, created if it has none yet and may have one. */
  key(campaign: CampaignDoc): Promise<CampaignKey | undefined> {
    return ensureKey(this.deps.config.jwtSecret, campaign);
  }

  ledger(campaign: CampaignDoc): Promise<Ledger> {
    return this.ledgers.of(campaign);
  }

  /** Stops the signing thread (shutdown). */
  close(): Promise<void> {
    return this.signer.close();
  }
}
