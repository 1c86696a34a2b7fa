// Flood and guessing protection for the respondent side, in memory (each process limits on its own), keyed
// by hashes only (lib/client-key.ts: no address or cookie is kept).
//
// Submissions, per minute, through open links and tokens alike:
//  - a browser (it carries the cookie every page gives it): RESPONSES_PER_MINUTE_PER_BROWSER each, and all
//    browsers behind one address together RESPONSES_PER_MINUTE_PER_ADDRESS — a lecture hall or a campus
//    behind one NAT address is hundreds of browsers, each with its own cookie;
//  - a client without a cookie (a script, an API client): RESPONSES_PER_MINUTE_PER_CLIENT per address;
//  - every submission of a campaign: RESPONSES_PER_MINUTE_PER_LINK.
// A script that fetches a fresh cookie for every answer is limited like a lecture hall: that is the price of
// not refusing one.
//
// Token guessing, per 10 minutes: a token that is not found counts against its client (the cookie, or the
// address without one: TOKEN_MISSES_PER_CLIENT), against its address (ten times that, for a hall of students
// mistyping their slips) and, when it came through a campaign's link, against that campaign
// (TOKEN_MISSES_PER_CAMPAIGN). Past a limit, token look-ups of that client, address or campaign answer 429
// until the window ends — found or not, or a guesser would learn from the difference.
import type { Config } from '../config.js';
import type { ClientKey } from '../lib/client-key.js';
import { AppError } from '../lib/errors.js';
import { WindowLimiter } from '../lib/rate-limit.js';

const MINUTE = 60_000;
export const TOKEN_WINDOW_MS = 10 * MINUTE;
/** An address may hold this many times a client's token misses (many browsers behind it). */
export const ADDRESS_MISS_FACTOR = 10;

type GuardConfig = Pick<
  Config,
  'responsesPerMinutePerClient' | 'responsesPerMinutePerLink' | 'responsesPerMinutePerAddress' | 'responsesPerMinutePerBrowser' | 'tokenMissesPerClient' | 'tokenMissesPerCampaign'
>;

const tooMany = (wait: number) => new AppError(429, 'rate_limited', 'Too many answers are arriving at once. Please wait a moment and press "Submit" again — your answers are kept.', undefined, wait);
const tooManyGuesses = (wait: number) => new AppError(429, 'rate_limited', 'Too many personal links that do not exist were tried from here. Check the address on your slip and try again later.', undefined, wait);

export class RespondentGuard {
  private readonly perLink: WindowLimiter;
  private readonly perBrowser: WindowLimiter;
  private readonly perBrowserAddress: WindowLimiter;
  private readonly perBareAddress: WindowLimiter;
  private readonly missesPerClient: WindowLimiter;
  private readonly missesPerAddress: WindowLimiter;
  private readonly missesPerCampaign: WindowLimiter;

  constructor(config: GuardConfig) {
    this.perLink = new WindowLimiter(config.responsesPerMinutePerLink, MINUTE);
    this.perBrowser = new WindowLimiter(config.responsesPerMinutePerBrowser, MINUTE);
    this.perBrowserAddress = new WindowLimiter(config.responsesPerMinutePerAddress, MINUTE);
    this.perBareAddress = new WindowLimiter(config.responsesPerMinutePerClient, MINUTE);
    this.missesPerClient = new WindowLimiter(config.tokenMissesPerClient, TOKEN_WINDOW_MS);
    this.missesPerAddress = new WindowLimiter(config.tokenMissesPerClient * ADDRESS_MISS_FACTOR, TOKEN_WINDOW_MS);
    this.missesPerCampaign = new WindowLimiter(config.tokenMissesPerCampaign, TOKEN_WINDOW_MS);
  }

  /** Counts a submission to a campaign; throws 429 (with the seconds to wait) over any limit. */
  submission(campaignId: string, client: ClientKey): void {
    const wait = client.browser
      ? Math.max(this.perLink.hit(campaignId), this.perBrowser.hit(client.browser), this.perBrowserAddress.hit(client.address))
      : Math.max(this.perLink.hit(campaignId), this.perBareAddress.hit(client.address));
    if (wait > 0) throw tooMany(wait);
  }

  /**
   * Looks a token up under the guessing limits: `find` runs only while the client, its address and the
   * campaign of `link` have misses left, and an unknown token (404 invalid_link) is counted against them.
   */
  async tokenLookup<T>(client: ClientKey, link: string | undefined, find: () => Promise<T>): Promise<T> {
    const own = ownKey(client);
    const now = Date.now();
    const wait = Math.max(this.missesPerClient.waiting(own, now), this.missesPerAddress.waiting(client.address, now), link === undefined ? 0 : this.missesPerCampaign.waiting(link, now));
    if (wait > 0) throw tooManyGuesses(wait);
    try {
      return await find();
    } catch (err) {
      if (err instanceof AppError && err.status === 404) {
        this.missesPerClient.hit(own);
        this.missesPerAddress.hit(client.address);
        if (link !== undefined) this.missesPerCampaign.hit(link);
      }
      throw err;
    }
  }
}

/** A client's own bucket: its browser cookie, or its address when it sent none. */
const ownKey = (client: ClientKey) => (client.browser ? `b${client.browser}` : `a${client.address}`);
