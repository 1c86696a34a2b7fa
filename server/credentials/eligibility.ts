// Which tokens may get a credential of a campaign: the hashes in its own token list (`tokens_<campaign>`,
// written with the tokens and never changed). Issuance asks this for every credential, and on the embedded
// store each command costs more than the rest of an issuance together (measured: one read by _id per
// issuance took the issuance from 1.9 ms to about 5 ms of CPU across server and database), so each process
// reads a campaign's list once, in the background and in small batches (other commands go between them),
// and answers from memory afterwards.
//
// A hash it does not hold is looked up by _id: tokens printed after the list was read, or by another
// process, are found that way and remembered; unknown tokens cost that read each, under the guessing limits
// of respond/guard.ts. The list holds hashes only (what the database holds too), about 80 bytes a token.
import { campaignTokens, tokenHash } from '../campaigns/tokens.js';

const LOAD_BATCH = 500;
/** A campaign's list is let go when no credential has been asked for in this long (it closed, most likely). */
const IDLE_MS = 60 * 60_000;

interface Directory {
  hashes: Set<string>;
  usedAt: number;
}

export class EligibleTokens {
  private readonly campaigns = new Map<string, Directory>();

  constructor(private readonly onLoadError: (err: unknown) => void = () => {}) {}

  /**
   * Does this token belong to the campaign? (Whether it was used is decided by issuance's unique insert.)
   * `remember`: keep the campaign's list in memory — for campaigns that issue credentials; others are only
   * asked so that they can refuse a credential with the right reason, a read by _id.
   */
  async includes(campaign: string, token: string, remember: boolean): Promise<boolean> {
    const hash = tokenHash(token);
    const directory = remember ? this.directoryOf(campaign) : undefined;
    if (directory?.hashes.has(hash)) return true;
    const found = Boolean(await campaignTokens(campaign).findOne({ _id: hash }, { projection: { _id: 1 } }));
    if (found) directory?.hashes.add(hash);
    return found;
  }

  private directoryOf(campaign: string): Directory {
    const now = Date.now();
    let directory = this.campaigns.get(campaign);
    if (!directory) {
      for (const [id, d] of this.campaigns) if (now - d.usedAt > IDLE_MS) this.campaigns.delete(id);
      directory = { hashes: new Set(), usedAt: now };
      this.campaigns.set(campaign, directory);
      void this.load(campaign, directory);
    }
    directory.usedAt = now;
    return directory;
  }

  private async load(campaign: string, directory: Directory): Promise<void> {
    try {
      for await (const doc of campaignTokens(campaign).find({}, { projection: { _id: 1 }, batchSize: LOAD_BATCH })) directory.hashes.add(doc._id);
    } catch (err) {
      // Lookups by _id still answer; the list is read again once it has been let go.
      this.onLoadError(err);
    }
  }
}
