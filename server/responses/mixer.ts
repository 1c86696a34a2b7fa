// The mixing schedule (one per app; bootstrap starts it on the embedded store only). A campaign whose
// responses are not all rewritten in random order is mixed (mix.ts) once RESPONSE_MIX_SECONDS have passed
// since the first of them was stored — or 20 × its last mix's working time, whichever is longer — and the
// schedule rests 19 × a mix's working time before the next one, so mixing works at most 1/20 of the time
// whatever the campaigns' sizes (and while a mix runs it rests as long as it works: mix.ts). At start-up it
// finishes what a crash interrupted: drops every generation the pointer does not name and every temporary
// bucket, and schedules the campaigns still marked unmixed.
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { database, dbState, parseGenerationName, pointers, writerState } from './generations.js';
import { BUCKET_NAME, dropCollection, mixCampaign, MixStopped, type MixReport } from './mix.js';

/** Mixing may work at most 1/DUTY of the time: the next period is ≥ DUTY × a mix's working time. */
const DUTY = 20;

export interface MixerOptions {
  config: Pick<Config, 'responseMixSeconds'>;
  logger?: Logger;
}

export class ResponseMixer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopping = false;
  /** The database this mixer marks for (kept: stop() may run after the disconnect). */
  private marking: { marksUnmixed: boolean } | undefined;
  private restUntil = 0;
  private readonly lastMs = new Map<string, number>();
  private readonly periodMs: number;
  /** Mixes done by this app (tests and logs). */
  readonly reports: MixReport[] = [];

  constructor(private readonly options: MixerOptions) {
    this.periodMs = options.config.responseMixSeconds * 1000;
  }

  /**
   * Recovers and starts the schedule when the store is the embedded one and mixing is on; returns whether
   * it did. Call before the server accepts requests.
   */
  async start(embedded: boolean): Promise<boolean> {
    if (!embedded || this.periodMs === 0) return false;
    this.stopping = false;
    await this.recover();
    this.marking = dbState();
    this.marking.marksUnmixed = true;
    this.timer = setInterval(() => this.tick(), Math.min(1000, Math.max(100, this.periodMs / 4)));
    this.timer.unref();
    return true;
  }

  /** Stops the schedule; a mix in progress is called off at its next batch (start-up drops what it left). */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
    if (this.marking) this.marking.marksUnmixed = false;
    this.marking = undefined;
  }

  /** Drops what interrupted mixes left and schedules the campaigns that wait for a mix. */
  async recover(): Promise<void> {
    const db = database();
    const local = dbState(db).campaigns;
    const stored = new Map((await pointers(db).find({}).toArray()).map((p) => [p._id, p]));
    const due = new Set<string>();
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      const bucket = BUCKET_NAME.exec(name);
      const parsed = parseGenerationName(name);
      const campaign = bucket?.[1] ?? parsed?.campaign;
      if (!campaign) continue;
      const mine = local.get(campaign);
      if (mine?.mixing) continue; // another app of this process is mixing it right now
      const current = mine?.gen ?? stored.get(campaign)?.gen ?? 0;
      if (bucket || parsed!.gen !== current) {
        await dropCollection(db, name);
        this.options.logger?.info({ collection: name }, 'dropped what an interrupted response mix left');
        continue;
      }
      // Marked unmixed, or stored by a version that did not mix (no pointer yet, and not empty).
      const pointer = stored.get(campaign);
      if (pointer?.unmixed || (!pointer && (await db.collection(name).findOne({})))) due.add(campaign);
    }
    for (const campaign of due) (await writerState(campaign)).unmixedSince ??= 0;
  }

  /** The campaign waiting longest whose period has passed. */
  private nextDue(now: number): string | undefined {
    let best: string | undefined;
    let since = Number.POSITIVE_INFINITY;
    for (const [campaign, s] of dbState().campaigns) {
      if (s.unmixedSince === null || s.mixing) continue;
      const period = Math.max(this.periodMs, DUTY * (this.lastMs.get(campaign) ?? 0));
      if (now - s.unmixedSince >= period && s.unmixedSince < since) [best, since] = [campaign, s.unmixedSince];
    }
    return best;
  }

  private tick(): void {
    if (this.running || this.stopping || Date.now() < this.restUntil) return;
    const campaign = this.nextDue(Date.now());
    if (!campaign) return;
    this.running = this.mix(campaign).finally(() => (this.running = undefined));
  }

  /** Mixes one campaign now (the schedule calls this; so may a test). */
  async mix(campaign: string): Promise<MixReport | undefined> {
    let busyMs = 0;
    try {
      const report = await mixCampaign(campaign, { stopping: () => this.stopping });
      busyMs = report.busyMs;
      this.lastMs.set(campaign, report.busyMs);
      this.reports.push(report);
      this.options.logger?.info(report, 'responses rewritten in random order');
      return report;
    } catch (err) {
      if (!(err instanceof MixStopped)) this.options.logger?.warn({ err, campaign }, 'response mix failed; it is retried after the next period');
      this.restUntil = Date.now() + this.periodMs;
      return undefined;
    } finally {
      this.restUntil = Math.max(this.restUntil, Date.now() + (DUTY - 1) * busyMs);
    }
  }
}
