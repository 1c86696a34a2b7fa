// Report jobs: PDFs and evidence packs take seconds (Chromium prints, several reports per pack), and the
// response-level data of a large campaign reads every response first (a minute at 100,000), so they run
// one at a time in the background with their progress readable, and never hold the event loop. A job
// belongs to the account that asked for it; its file is kept in memory for a while to be downloaded, then
// dropped: after KEEP_MS, or sooner, oldest first, when the files kept would exceed MAX_KEPT_BYTES.
// Jobs live in the process that runs them (behind a load balancer, sticky sessions bring the polls back
// to it); a restart loses unfinished jobs, and the page simply asks again.
import type { Logger } from 'pino';
import { AppError, notFound } from '../lib/errors.js';
import { randomBase32 } from '../lib/ids.js';

export type JobKind = 'report' | 'evidence' | 'minutes' | 'responses';
export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface JobFile {
  name: string;
  type: string;
  body: Buffer;
}

export interface JobView {
  id: string;
  kind: JobKind;
  state: JobState;
  /** Steps done of the steps known so far, and what it is doing now (in the language it was asked in). */
  progress: { done: number; total: number; step: string };
  error?: { code: string; message: string };
  file?: { name: string; type: string; size: number; url: string };
  createdAt: string;
}

export interface JobContext {
  progress(step: string, done: number, total: number): void;
}

interface Job {
  id: string;
  owner: string;
  kind: JobKind;
  state: JobState;
  progress: JobView['progress'];
  failure?: AppError;
  file?: JobFile;
  createdAt: Date;
  finished?: Promise<void>;
}

/** Unfinished jobs one account may have at once (each pack prints several PDFs). */
export const MAX_PENDING_PER_OWNER = 3;
const KEEP_MS = 15 * 60_000;
const MAX_KEPT = 100;
/**
 * Bytes of finished files kept at most (a response-level file of 100,000 responses is about 13 MB, CSV or XLSX):
 * beyond it the oldest finished jobs are dropped, and their pages say so as for an expired one.
 */
export const MAX_KEPT_BYTES = 256 * 1024 * 1024;

export class ReportJobs {
  private jobs = new Map<string, Job>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly logger: Logger,
    private readonly maxKeptBytes = MAX_KEPT_BYTES,
  ) {}

  /** Queues work; answers at once with the job (429 when the account already has enough waiting). */
  submit(owner: string, kind: JobKind, step: string, work: (ctx: JobContext) => Promise<JobFile>): JobView {
    this.sweep();
    const pending = [...this.jobs.values()].filter((j) => j.owner === owner && (j.state === 'queued' || j.state === 'running')).length;
    if (pending >= MAX_PENDING_PER_OWNER) throw new AppError(429, 'too_many_jobs', `You already have ${pending} reports being prepared; wait until one is ready.`, undefined, 10);
    const job: Job = { id: `j${randomBase32(20)}`, owner, kind, state: 'queued', progress: { done: 0, total: 1, step }, createdAt: new Date() };
    this.jobs.set(job.id, job);
    const ctx: JobContext = { progress: (s, done, total) => (job.progress = { step: s, done, total: Math.max(total, done, 1) }) };
    // One at a time: Chromium and the figures share two cores with the submission path.
    job.finished = this.queue = this.queue.then(async () => {
      job.state = 'running';
      try {
        job.file = await work(ctx);
        job.progress = { ...job.progress, done: job.progress.total };
        job.state = 'done';
        this.sweep();
      } catch (err) {
        job.state = 'failed';
        job.failure = err instanceof AppError ? err : new AppError(500, 'report_failed', 'The report could not be made; try again, and tell the administrator if it fails again.');
        if (!(err instanceof AppError) || err.status >= 500) this.logger.error({ err, job: job.id, kind }, 'report job failed');
      }
    });
    return this.view(job);
  }

  /** A job of this account (404 for anyone else's: job ids are not shared). */
  get(owner: string, id: string): JobView {
    return this.view(this.find(owner, id));
  }

  /** Every job of this account still kept, oldest first. */
  list(owner: string): JobView[] {
    this.sweep();
    return [...this.jobs.values()].filter((j) => j.owner === owner).map((j) => this.view(j));
  }

  /** The finished file (409 while it is being made, the job's own error when it failed). */
  file(owner: string, id: string): JobFile {
    const job = this.find(owner, id);
    if (job.failure) throw job.failure;
    if (!job.file) throw new AppError(409, 'not_ready', 'The report is still being prepared.', undefined, 2);
    return job.file;
  }

  /** Waits for a job and returns its file (the one-request download links use this). */
  async result(owner: string, id: string): Promise<JobFile> {
    await this.find(owner, id).finished;
    return this.file(owner, id);
  }

  /**
   * Waits at most `ms` for a job: its file when it is done by then, otherwise undefined (the caller answers
   * 202 with the job, so no request hangs behind a long queue).
   */
  async resultWithin(owner: string, id: string, ms: number): Promise<JobFile | undefined> {
    const job = this.find(owner, id);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
    const outcome = await Promise.race([job.finished!.then(() => 'done' as const), timeout]);
    clearTimeout(timer);
    return outcome === 'done' ? this.file(owner, id) : undefined;
  }

  private find(owner: string, id: string): Job {
    this.sweep();
    const job = this.jobs.get(id);
    if (!job || job.owner !== owner) throw notFound('There is no such report job (they are kept for 15 minutes).');
    return job;
  }

  private view(job: Job): JobView {
    return {
      id: job.id,
      kind: job.kind,
      state: job.state,
      progress: job.progress,
      ...(job.failure ? { error: { code: job.failure.code, message: job.failure.message } } : {}),
      ...(job.file ? { file: { name: job.file.name, type: job.file.type, size: job.file.body.length, url: `/api/report-jobs/${job.id}/file` } } : {}),
      createdAt: job.createdAt.toISOString(),
    };
  }

  /**
   * Drops finished jobs past KEEP_MS, then the oldest beyond MAX_KEPT jobs or MAX_KEPT_BYTES of files —
   * never the last one finished (jobs run in the order they were asked for, so it is the newest).
   */
  private sweep(): void {
    const now = Date.now();
    for (const [id, job] of this.jobs) if ((job.state === 'done' || job.state === 'failed') && now - job.createdAt.getTime() > KEEP_MS) this.jobs.delete(id);
    const finished = [...this.jobs.values()].filter((j) => j.state === 'done' || j.state === 'failed');
    for (const job of finished.slice(0, Math.max(0, this.jobs.size - MAX_KEPT))) this.jobs.delete(job.id);
    let bytes = this.keptBytes;
    for (const job of finished.slice(0, -1)) {
      if (bytes <= this.maxKeptBytes) break;
      if (!this.jobs.has(job.id) || !job.file) continue;
      bytes -= job.file.body.length;
      this.jobs.delete(job.id);
    }
  }

  /** Bytes of the finished files held now. */
  get keptBytes(): number {
    let bytes = 0;
    for (const job of this.jobs.values()) bytes += job.file?.body.length ?? 0;
    return bytes;
  }

  /** Waits for the jobs in hand (shutdown). */
  async settle(): Promise<void> {
    await this.queue;
  }
}
