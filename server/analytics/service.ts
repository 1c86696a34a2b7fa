// The analytics service: every figure other features and the realtime publisher get comes from here,
// through the one gate. One per process, built with the app's services; it listens to the aggregate
// writer (the write path) to advance released figures and mark caches stale, and tells its listeners
// when counts or figures changed — it never pushes anything itself.
import type { Logger } from 'pino';
import type { Actor } from '../accounts/actor.js';
import { SYSTEM_ACTOR } from '../accounts/actor.js';
import type { Config } from '../config.js';
import { findCampaign, getCampaign, listCampaigns, requireManager } from '../campaigns/service.js';
import { findPublishedCampaign } from '../campaigns/publishing.js';
import { effectiveStatus, type CampaignDoc } from '../campaigns/model.js';
import { getPublishedDefinition } from '../instruments/service.js';
import { AppError, conflict } from '../lib/errors.js';
import { liveCount } from './aggregates/live-count.js';
import { recomputeCampaign, recomputeDirtyCampaigns, type RecomputeReport } from './aggregates/recompute.js';
import { readTotals } from './aggregates/store.js';
import type { AggregateWriter } from './aggregates/writer.js';
import { FiguresCache } from './figures.js';
import { publicSummary } from './published.js';
import { advanceRelease } from './releases.js';
import { CommentsCache, computeRespondentLevel } from './comments.js';
import { projectResults, type CampaignResults } from './results.js';
import { scalesAndComments, type ScalesAndComments } from './scales-comments.js';
import { comparable, joinTrends, type Trends } from './trends.js';
import { orgView } from '../campaigns/org-view.js';

export type ChangeListener = (campaign: string, what: 'count' | 'figures') => void;

export interface ResultOptions {
  unit?: string;
}

/**
 * One state of a campaign for one viewer, projected for as many groups as an export asks for: every view
 * comes from the same gated figures (read once, not once per group), so the groups of one report or file
 * always agree with each other and with the dashboard of that state.
 */
export interface CampaignSnapshot {
  campaign: CampaignDoc;
  /** The viewer's results for one group (default: their own), as `results()` gives them. */
  results(unit?: string): CampaignResults;
  /** Scales and comments of the group `results` selected, as `scalesAndComments()` gives them. */
  scalesAndComments(results: CampaignResults): ScalesAndComments;
  /** Only the scales of that group (no comments read, no word counts): for the groups below the chosen one. */
  scales(results: CampaignResults): ScalesAndComments['scales'];
}

export class Analytics {
  private readonly figures = new FiguresCache();
  private readonly comments: CommentsCache;
  private listeners: ChangeListener[] = [];
  private lastRelease = new Map<string, number>();
  private releaseTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly deps: { config: Config; logger: Logger; writer: AggregateWriter; computeRespondentLevel?: typeof computeRespondentLevel },
  ) {
    this.comments = new CommentsCache(deps.logger, deps.computeRespondentLevel);
    deps.writer.onStored((campaign) => {
      this.comments.markStale(campaign);
      this.emit(campaign, 'count');
    });
    // After a flush: release what may be released now (awaited by the flush, so the cut is current when it
    // resolves), at most once per RELEASE_INTERVAL_MS per campaign; flushes in between are picked up by a
    // trailing release. Each release reads the campaign's aggregates, so under load this bounds its cost.
    deps.writer.onFlushed(async (campaignId) => {
      const wait = (this.lastRelease.get(campaignId) ?? -Infinity) + deps.config.releaseIntervalMs - Date.now();
      if (wait <= 0) return this.release(campaignId);
      this.emit(campaignId, 'count');
      if (this.releaseTimers.has(campaignId)) return;
      const timer = setTimeout(() => {
        this.releaseTimers.delete(campaignId);
        this.release(campaignId).catch((err: unknown) => deps.logger.error({ err, campaign: campaignId }, 'releasing live figures failed'));
      }, wait);
      timer.unref();
      this.releaseTimers.set(campaignId, timer);
    });
  }

  /** Tree figures computed so far by this process (each serves every viewer of one state). */
  get figureComputations(): number {
    return this.figures.computations;
  }

  get k(): number {
    return this.deps.config.suppressionK;
  }

  private async release(campaignId: string): Promise<void> {
    this.lastRelease.set(campaignId, Date.now());
    const campaign = await findCampaign(campaignId);
    const changed = campaign ? await advanceRelease(campaign, this.deps.config.suppressionK) : 'none';
    this.emit(campaignId, changed === 'none' ? 'count' : 'figures');
  }

  /** Called when a campaign's live count or released figures changed (the realtime publisher listens). */
  onChange(listener: ChangeListener): () => void {
    this.listeners.push(listener);
    return () => (this.listeners = this.listeners.filter((l) => l !== listener));
  }

  private emit(campaign: string, what: 'count' | 'figures'): void {
    for (const listener of this.listeners) listener(campaign, what);
  }

  /** The results one viewer may see (their scope; the group they chose, or their own). */
  async results(actor: Actor, campaignId: string, options: ResultOptions = {}): Promise<CampaignResults> {
    return this.resultsFor(actor, await getCampaign(actor, campaignId), options);
  }

  async resultsFor(actor: Actor, campaign: CampaignDoc, options: ResultOptions & { k?: number } = {}): Promise<CampaignResults> {
    const k = options.k ?? this.k;
    // The live count first: its read gives the counters' stamp the figures' cache check needs.
    const live = await liveCount(this.deps.writer, campaign._id);
    const tree = await this.figures.of(campaign, k, undefined, live.stamp);
    return projectResults(tree, live, actor, campaign, { unit: options.unit, k });
  }

  /** One state of a campaign for this viewer, for many groups at once (reports and exports). */
  async snapshot(actor: Actor, campaignId: string): Promise<CampaignSnapshot> {
    const campaign = await getCampaign(actor, campaignId);
    const k = this.k;
    const live = await liveCount(this.deps.writer, campaign._id);
    const [tree, level] = await Promise.all([this.figures.of(campaign, k, undefined, live.stamp), this.comments.of(campaign)]);
    return {
      campaign,
      results: (unit) => projectResults(tree, live, actor, campaign, { unit, k }),
      scalesAndComments: (results) => scalesAndComments(tree, level, results, k),
      scales: (results) => scalesAndComments(tree, undefined, results, k).scales,
    };
  }

  /** Scale indices, alpha and comments of the group `results` selected (pass results already computed). */
  async scalesAndComments(actor: Actor, campaignId: string, options: ResultOptions = {}, computed?: CampaignResults): Promise<ScalesAndComments> {
    const campaign = await getCampaign(actor, campaignId);
    const results = computed ?? (await this.resultsFor(actor, campaign, options));
    const [tree, level] = await Promise.all([this.figures.of(campaign, this.k), this.comments.of(campaign)]);
    return scalesAndComments(tree, level, results, this.k);
  }

  /** % agree per item over the campaigns of the same instrument the viewer may see, for one group. */
  async trends(actor: Actor, campaignId: string, options: ResultOptions = {}, computed?: CampaignResults): Promise<Trends> {
    const campaign = await getCampaign(actor, campaignId);
    const unit = options.unit ?? computed?.selected ?? 'university';
    const siblings = (await listCampaigns(actor))
      .filter((c) => c.instrument.id === campaign.instrument.id)
      .sort((a, b) => a.academicYear.localeCompare(b.academicYear) || a.opensAt.getTime() - b.opensAt.getTime());
    const { basis, kept, left } = comparable(siblings.find((c) => c._id === campaign._id) ?? campaign, siblings, unit, await orgView());
    const waves = await Promise.all(
      kept.map(async (c) => {
        const results = c._id === campaign._id && computed?.selected === unit ? computed : await this.resultsFor(actor, c, { unit }).catch(absentGroup);
        if (!results) return null;
        return { academicYear: c.academicYear, results, definition: await getPublishedDefinition(c.instrument.id, c.instrument.version) };
      }),
    );
    return joinTrends(waves.filter((w) => w !== null), unit, this.k, { basis, left: left.map((c) => ({ campaign: c._id, title: c.title, academicYear: c.academicYear })) });
  }

  /** The public summary of a published campaign (anyone), at the published threshold. */
  async published(campaignId: string, options: ResultOptions = {}): Promise<CampaignResults> {
    return this.publicResults(await findPublishedCampaign(campaignId), options);
  }

  /**
   * Before publishing: exactly what the public summary would show (the same computation), for the admin who
   * decides — so a summary in which every group is withheld surprises nobody. Closed campaigns only.
   */
  async publicationPreview(actor: Actor, campaignId: string, options: ResultOptions = {}): Promise<CampaignResults> {
    requireManager(actor);
    const campaign = await getCampaign(actor, campaignId);
    if (effectiveStatus(campaign) !== 'closed') throw conflict('Publish the summary once the campaign has closed: while it is open its figures still change.');
    return this.publicResults(campaign, options);
  }

  private async publicResults(campaign: CampaignDoc, options: ResultOptions): Promise<CampaignResults> {
    // Public figures cover every unit of the structure: the scope is the whole university. They are the staff's
    // final view (gated against the live cuts at k) re-gated at PUBLISHED_K: nothing public differs from it.
    const live = await liveCount(this.deps.writer, campaign._id);
    const tree = await this.figures.of(campaign, this.k, this.deps.config.publishedK, live.stamp);
    return publicSummary(projectResults(tree, live, SYSTEM_ACTOR, campaign, { unit: options.unit, k: this.deps.config.publishedK }));
  }

  /** Responses stored so far per campaign (this process's unflushed ones included), by _id reads only. */
  async responseCounts(campaignIds: readonly string[]): Promise<Map<string, number>> {
    const totals = await readTotals(campaignIds);
    return new Map(campaignIds.map((id) => [id, (totals.get(id) ?? 0) + this.deps.writer.unflushedResponses(id)]));
  }

  /** The exact live count and responses per day of one campaign. */
  liveCount(campaignId: string) {
    return liveCount(this.deps.writer, campaignId);
  }

  recompute(campaignId: string): Promise<RecomputeReport> {
    return recomputeCampaign(this.deps.writer, campaignId);
  }

  recomputeDirty(): Promise<RecomputeReport[]> {
    return recomputeDirtyCampaigns(this.deps.writer, this.deps.logger);
  }
}

/** A group that does not exist in an earlier wave (a programme added since) has no point there. */
function absentGroup(err: unknown): null {
  if (err instanceof AppError && err.status === 404) return null;
  throw err;
}
