// THE write path for answers and THE submission use case. Everything that stores a response, redeems a
// token or counts an answer passes here: anonymity (what a response may hold) and idempotency (unique
// _ids, a deleted unused-token record) are enforced in this one place. The respondent pages and the JSON
// API both call accept(); demo data and imports call storeAccepted(). A campaign with blind credentials
// takes a credential instead of a token: verified here (credentials/spend.ts), and the response is stored
// under it, so its _id is the spent mark.
//
// What is stored is the campaign, the segment, the day and the answers — not the language answered in.
// A personal invitation records its contact's language, so with the contacts and the secret that tells
// who answered, a stored language names whoever answered alone in theirs; and a language kept only on
// responses from other routes would mark those that came through invitations. So no response keeps one.
//
// Concurrent submissions to one campaign are gathered into one insertMany (group commit: while one
// batch is being written the next one fills), shuffled so storage order within a batch says nothing;
// across batches, storage order says nothing once the campaign's next mix has rewritten it in random
// order (responses/mix.ts, embedded store). A respondent sees "thank you" only after their batch is
// acknowledged by the database.
import type { Config } from '../config.js';
import { localDay } from '../lib/dates.js';
import { shuffle } from '../lib/shuffle.js';
import { randomBase32 } from '../lib/ids.js';
import { AppError, unavailable } from '../lib/errors.js';
import { effectiveStatus, type CampaignDoc } from '../campaigns/model.js';
import { resolveSegment } from '../campaigns/audience.js';
import { redeemToken, releaseToken } from '../campaigns/tokens.js';
import type { Definition } from '../instruments/schema.js';
import { knownAnswerKeys } from '../instruments/items.js';
import { type Segment } from '../responses/segment.js';
import { type StoredAnswers } from '../responses/answers.js';
import { insertResponses, responseExists, responseIdFor, type ResponseDoc } from '../responses/store.js';
// The one place respond hands something to analytics: the increments of what it stored.
import { unitIncrements, type UnitIncrements } from '../analytics/aggregates/increments.js';
import type { AggregateWriter } from '../analytics/aggregates/writer.js';
import { pruneHidden, readAllAnswers, type AnswerError } from './answers.js';
import type { Entry } from './entry.js';
import type { ClientKey } from '../lib/client-key.js';
import { RespondentGuard } from './guard.js';
import { usesBlindCredentials } from '../campaigns/blind.js';
import { credentialsOff } from '../credentials/issue.js';
import { credentialSpent, credentialSubmissionId, type Credential } from '../credentials/spend.js';

export interface SubmissionInput {
  /** The segment the respondent chose (what the campaign or the token fixes is applied on top). */
  segment: Segment;
  /** Raw answers keyed by answer id; checked here against the campaign's pinned definition. */
  answers: Record<string, unknown>;
  /** Random id chosen when the form was first shown (or by an API client); makes retries idempotent. */
  submissionId: string;
  /** Keyed hashes of the client's address and browser cookie (never stored), for the flood guard. */
  client: ClientKey;
  /** A blind-signed credential: required by campaigns that use them (and then it is the submission id). */
  credential?: Credential;
}

/** Stored now, stored before (a retry), or answers to correct (shown next to their fields). */
export type Acceptance = { status: 'stored' | 'duplicate' } | { status: 'invalid'; errors: AnswerError[] };

type WriteOutcome = 'stored' | 'duplicate';
const MAX_BATCH = 500;

interface Pending {
  doc: ResponseDoc;
  increments: UnitIncrements;
  resolve: (outcome: WriteOutcome) => void;
  reject: (err: unknown) => void;
}

export const alreadyAnswered = () => new AppError(409, 'already_answered', 'A response has already been given with this token or personal link.');
export const credentialRequired = () =>
  new AppError(403, 'credential_required', 'This survey keeps answers apart from the people who give them with blind credentials: open it from your personal link or slip in a browser with JavaScript, which gets your credential first. A token is never sent with the answers here.');
const tokenWithCredentials = () =>
  new AppError(409, 'credential_required', 'This survey takes a blind credential, not a token, with the answers: exchange the token for a credential first (POST /api/respond/{link}/credential), then submit with the credential.');

/** One per process (built with the app's services): the write queues and the flood guard live here. */
export class SubmissionService {
  private queues = new Map<string, Pending[]>();
  private writing = new Set<string>();
  /** Flood and token-guessing limits (the respondent pages and the API look tokens up through it too). */
  readonly guard: RespondentGuard;

  constructor(private readonly deps: { config: Config; writer: AggregateWriter }) {
    this.guard = new RespondentGuard(deps.config);
  }

  /**
   * The submission use case: checks the answers against the pinned definition and the segment against
   * the campaign, limits floods (open links and tokens alike), redeems the token (exactly once) and stores.
   */
  async accept(entry: Entry, input: SubmissionInput): Promise<Acceptance> {
    const blind = usesBlindCredentials(entry.campaign);
    // With blind credentials a token never travels with the answers: it is exchanged for a credential first.
    if (blind && entry.token !== undefined) throw tokenWithCredentials();
    if (!blind && input.credential) throw credentialsOff();
    if (entry.tokenState === 'used') throw alreadyAnswered();
    const segment = resolveSegment(input.segment, entry.choice);
    if (!segment) throw new AppError(400, 'validation_failed', 'The segment does not match this survey: choose a programme (and cohort) of its audience.');
    const known = knownAnswerKeys(entry.definition);
    const unknown = Object.keys(input.answers).filter((key) => !known.has(key));
    if (unknown.length) throw new AppError(400, 'validation_failed', `These answers are not items of this survey: ${unknown.slice(0, 5).join(', ')}.`);
    const { answers, errors } = readAllAnswers(entry.definition, input.answers, (id) => id);
    if (errors.length) return { status: 'invalid', errors };
    let submissionId = input.submissionId;
    if (blind) {
      if (!input.credential) throw credentialRequired();
      // The response is stored under the credential: its _id is the spent mark (credentials/spend.ts).
      submissionId = await credentialSubmissionId(entry.campaign, input.credential);
    }
    this.guard.submission(entry.campaign._id, input.client);
    const status = await this.store(entry.campaign, entry.definition, { answers, segment, submissionId, token: entry.token });
    if (status === 'already_answered') throw alreadyAnswered();
    // A second response with one credential is refused, whatever its answers (a retry included: the first is stored).
    if (blind && status === 'duplicate') throw credentialSpent();
    return { status };
  }

  /**
   * Stores responses that were accepted outside the respondent pages (demo data, imports of paper
   * forms) through the same batched insert and aggregate path. No token, no window check.
   */
  async storeAccepted(campaign: CampaignDoc, definition: Definition, responses: { answers: StoredAnswers; segment: Segment; day: string }[]): Promise<number> {
    // Every response of a campaign with blind credentials spends one: its public counts must agree.
    if (usesBlindCredentials(campaign)) throw new AppError(409, 'credential_required', 'Responses to a survey with blind credentials are stored only with a credential each; imports and generated answers are refused.');
    const outcomes = await Promise.all(
      responses.map((r) => {
        const answers = pruneHidden(definition, r.answers);
        const doc: ResponseDoc = { _id: responseIdFor(randomBase32(26)), campaign: campaign._id, segment: r.segment, day: r.day, answers };
        return this.enqueue(doc, unitIncrements(definition, answers));
      }),
    );
    return outcomes.filter((o) => o === 'stored').length;
  }

  private async store(campaign: CampaignDoc, definition: Definition, s: { answers: StoredAnswers; segment: Segment; submissionId: string; token?: string }): Promise<WriteOutcome | 'already_answered'> {
    const state = effectiveStatus(campaign);
    if (state !== 'open') throw new AppError(409, state === 'closed' ? 'campaign_closed' : 'campaign_not_open', state === 'closed' ? 'This survey has closed.' : 'This survey is not open yet.');
    const answers = pruneHidden(definition, s.answers);
    const doc: ResponseDoc = {
      _id: responseIdFor(s.submissionId),
      campaign: campaign._id,
      segment: s.segment,
      day: localDay(new Date()),
      answers,
    };

    if (s.token && !(await redeemToken(s.token))) {
      // Used already: by this very submission (a double click or a retry) or by someone else.
      for (let i = 0; i < 10; i++) {
        if (await responseExists(campaign._id, s.submissionId)) return 'duplicate';
        await new Promise((r) => setTimeout(r, 30));
      }
      return 'already_answered';
    }

    try {
      return await this.enqueue(doc, unitIncrements(definition, answers));
    } catch (err) {
      if (s.token) await releaseToken(s.token).catch(() => undefined);
      throw err instanceof AppError ? err : unavailable('Your answers could not be saved just now. Please press "Submit" again in a few seconds — nothing was lost.');
    }
  }

  private enqueue(doc: ResponseDoc, increments: UnitIncrements): Promise<WriteOutcome> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(doc.campaign) ?? [];
      queue.push({ doc, increments, resolve, reject });
      this.queues.set(doc.campaign, queue);
      if (!this.writing.has(doc.campaign)) void this.drain(doc.campaign);
    });
  }

  private async drain(campaign: string): Promise<void> {
    this.writing.add(campaign);
    try {
      for (let queue = this.queues.get(campaign); queue && queue.length; queue = this.queues.get(campaign)) {
        const batch = shuffle(queue.splice(0, MAX_BATCH));
        await this.writeBatch(campaign, batch).catch(() => undefined); // each request got its own rejection
      }
    } finally {
      this.writing.delete(campaign);
      this.queues.delete(campaign);
    }
  }

  private async writeBatch(campaign: string, batch: Pending[]): Promise<void> {
    const writer = this.deps.writer;
    await writer.beginWrite(campaign, batch.length).catch((err: unknown) => {
      for (const p of batch) p.reject(err);
      throw err;
    });
    const duplicates = new Set<number>();
    let failure: unknown;
    try {
      await insertResponses(
        campaign,
        batch.map((p) => p.doc),
      );
    } catch (err) {
      const writeErrors = (err as { writeErrors?: { index: number; code: number }[] | { index: number; code: number } }).writeErrors;
      const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
      if (list.length && list.every((e) => e.code === 11000)) for (const e of list) duplicates.add(e.index);
      else failure = err;
    }
    if (failure) {
      // The batch may have been stored before the connection broke (the answer was lost): recount.
      writer.needsRebuild(campaign);
      writer.endWrite(campaign, batch.length, []);
      for (const p of batch) p.reject(failure);
      return;
    }
    const stored = batch.filter((_, i) => !duplicates.has(i));
    writer.endWrite(
      campaign,
      batch.length,
      stored.map((p) => ({ segment: p.doc.segment, day: p.doc.day, increments: p.increments })),
    );
    batch.forEach((p, i) => p.resolve(duplicates.has(i) ? 'duplicate' : 'stored'));
  }
}
