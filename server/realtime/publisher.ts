// Pushes to dashboards after responses are stored. It never computes figures itself: analytics tells it
// what changed (the live count, or the released figures), and it asks analytics for each room's results
// (one shared computation per state, projected to the room's scope) and sends them to the rooms whose
// users may see them. Pushes are coalesced to at most one per campaign every PUSH_INTERVAL_MS.
// A count push carries everything a page shows about responses (count, target, responses per day) from
// one read, so the count, the rate against the target and the timeline are always drawn from one state.
import type { Server } from 'socket.io';
import type { Logger } from 'pino';
import type { Actor } from '../accounts/actor.js';
import { findCampaign, getCampaign } from '../campaigns/service.js';
import { targetsOf } from '../campaigns/target.js';
import type { Analytics } from '../analytics/service.js';
import { campaignRoom, parseResultsRoom } from './rooms.js';

export const PUSH_INTERVAL_MS = 150;
/** Full results (large: every item's figures) go out at most this often per campaign; counts go every push. */
export const RESULTS_INTERVAL_MS = 1_000;

export class Publisher {
  /** A representative actor per results room (all members share one scope signature). */
  private roomActors = new Map<string, Actor>();
  private timers = new Map<string, NodeJS.Timeout>();
  private lastPush = new Map<string, number>();
  private lastResults = new Map<string, number>();
  /** Campaigns whose released figures changed since their last results push. */
  private figuresChanged = new Set<string>();
  /** Per campaign: each push carries the next number, so a client that sees a gap asks for a snapshot. */
  private versions = new Map<string, number>();
  private unsubscribe: () => void;

  constructor(
    private readonly io: Server,
    private readonly analytics: Analytics,
    private readonly logger: Logger,
  ) {
    this.unsubscribe = analytics.onChange((campaign, what) => {
      if (what === 'figures') this.figuresChanged.add(campaign);
      this.schedule(campaign);
    });
  }

  remember(room: string, actor: Actor): void {
    this.roomActors.set(room, actor);
  }

  async snapshot(actor: Actor, campaignId: string, unit: string) {
    // The actor's scope is checked here, in the service, for every snapshot (not only on subscribe).
    const campaign = await getCampaign(actor, campaignId);
    // The version is taken before the figures are read: what they show is at least as new as that version's
    // push, so a client that keeps the newest version never goes back to an older count.
    const version = this.versions.get(campaignId) ?? 0;
    const results = await this.analytics.resultsFor(actor, campaign, { unit });
    return { version, results };
  }

  private schedule(campaign: string): void {
    // Nobody is watching this campaign here: nothing to push (pages read fresh figures when opened).
    if (!this.io.sockets.adapter.rooms.get(campaignRoom(campaign))?.size) return;
    if (this.timers.has(campaign)) return;
    const wait = Math.max(0, (this.lastPush.get(campaign) ?? 0) + PUSH_INTERVAL_MS - Date.now());
    this.timers.set(
      campaign,
      setTimeout(() => {
        this.timers.delete(campaign);
        this.lastPush.set(campaign, Date.now());
        this.push(campaign).catch((err: unknown) => this.logger.error({ err, campaign }, 'push failed'));
      }, wait),
    );
  }

  private async push(campaignId: string): Promise<void> {
    const version = (this.versions.get(campaignId) ?? 0) + 1;
    this.versions.set(campaignId, version);
    const [{ n, days }, campaign] = await Promise.all([this.analytics.liveCount(campaignId), findCampaign(campaignId)]);
    if (!campaign) return;
    // The one notion of the target (campaigns/target.ts): its groups' enrolment, or the stated target. The same
    // campaign-wide responses every viewer's snapshot carries (results.responses): nothing per group.
    const { total: target } = await targetsOf(campaign);
    this.io.to(campaignRoom(campaignId)).emit('count', { campaign: campaignId, version, n, target, daily: days, at: Date.now() });
    if (!this.figuresChanged.has(campaignId)) return;
    if (Date.now() - (this.lastResults.get(campaignId) ?? 0) < RESULTS_INTERVAL_MS) {
      // Come back for the results once the interval has passed, even if no new response arrives.
      setTimeout(() => this.schedule(campaignId), RESULTS_INTERVAL_MS).unref();
      return;
    }
    this.figuresChanged.delete(campaignId);
    this.lastResults.set(campaignId, Date.now());
    for (const room of this.io.sockets.adapter.rooms.keys()) {
      const parsed = parseResultsRoom(room);
      const actor = this.roomActors.get(room);
      if (!parsed || parsed.campaign !== campaignId || !actor) continue;
      const results = await this.analytics.resultsFor(actor, campaign, { unit: parsed.unit });
      this.io.to(room).emit('results', { version, results });
    }
    for (const room of this.roomActors.keys()) if (!this.io.sockets.adapter.rooms.has(room)) this.roomActors.delete(room);
  }

  stop(): void {
    this.unsubscribe();
    for (const t of this.timers.values()) clearTimeout(t);
  }
}
