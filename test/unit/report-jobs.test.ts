// Report jobs (server/reports/jobs.ts): one at a time in the background, progress readable, each job
// readable only by the account that started it, a few waiting per account, failures kept as their error,
// and the finished files kept in memory within a bound.
import { expect } from 'chai';
import { pino } from 'pino';
import { AppError } from '../../server/lib/errors.js';
import { MAX_PENDING_PER_OWNER, ReportJobs, type JobFile } from '../../server/reports/jobs.js';

const file = (name: string): JobFile => ({ name, type: 'application/pdf', body: Buffer.from('%PDF-1.4 test') });

/** A promise with its resolve function, to hold a job where the test wants it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

function expectAppError(fn: () => unknown, status: number, code?: string): void {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(AppError);
    expect((err as AppError).status).to.equal(status);
    if (code) expect((err as AppError).code).to.equal(code);
    return;
  }
  expect.fail(`expected an AppError ${status}`);
}

describe('report jobs', () => {
  const logger = pino({ level: 'silent' });

  it('runs jobs one at a time, shows their progress and keeps the file for its owner', async () => {
    const jobs = new ReportJobs(logger);
    const first = gate();
    let running = 0;
    let most = 0;
    const work = (name: string, wait?: Promise<void>) => async (ctx: { progress(step: string, done: number, total: number): void }) => {
      running++;
      most = Math.max(most, running);
      ctx.progress('printing', 1, 3);
      await wait;
      running--;
      return file(name);
    };
    const a = jobs.submit('alice', 'report', 'queued', work('a.pdf', first.opened));
    const b = jobs.submit('alice', 'report', 'queued', work('b.pdf'));
    expect(a.state).to.equal('queued');
    await new Promise((resolve) => setImmediate(resolve));
    expect(jobs.get('alice', a.id)).to.deep.include({ state: 'running', progress: { step: 'printing', done: 1, total: 3 } });
    expect(jobs.get('alice', b.id).state).to.equal('queued');
    expectAppError(() => jobs.file('alice', a.id), 409, 'not_ready');
    first.open();
    const result = await jobs.result('alice', b.id);
    expect(result.name).to.equal('b.pdf');
    expect(most).to.equal(1);
    const done = jobs.get('alice', a.id);
    expect(done.state).to.equal('done');
    expect(done.progress.done).to.equal(done.progress.total);
    expect(done.file).to.deep.equal({ name: 'a.pdf', type: 'application/pdf', size: 13, url: `/api/report-jobs/${a.id}/file` });
    expect(jobs.file('alice', a.id).name).to.equal('a.pdf');
  });

  it("answers 404 for another account's job, as for one that does not exist", async () => {
    const jobs = new ReportJobs(logger);
    const job = jobs.submit('alice', 'evidence', 'queued', () => Promise.resolve(file('pack.zip')));
    await jobs.result('alice', job.id);
    expectAppError(() => jobs.get('bob', job.id), 404);
    expectAppError(() => jobs.file('bob', job.id), 404);
    expectAppError(() => jobs.get('alice', 'jaaaaaaaaaaaaaaaaaaaa'), 404);
  });

  it(`refuses a job beyond ${MAX_PENDING_PER_OWNER} unfinished ones of one account (429), not another account's`, async () => {
    const jobs = new ReportJobs(logger);
    const hold = gate();
    const pending = Array.from({ length: MAX_PENDING_PER_OWNER }, () => jobs.submit('alice', 'report', 'queued', async () => (await hold.opened, file('x.pdf'))));
    expectAppError(() => jobs.submit('alice', 'report', 'queued', () => Promise.resolve(file('y.pdf'))), 429, 'too_many_jobs');
    const other = jobs.submit('bob', 'report', 'queued', () => Promise.resolve(file('z.pdf')));
    hold.open();
    await jobs.result('bob', other.id);
    for (const job of pending) expect(jobs.get('alice', job.id).state).to.equal('done');
    jobs.submit('alice', 'report', 'queued', () => Promise.resolve(file('y.pdf')));
    await jobs.settle();
  });

  it('keeps an expected failure as it is and turns anything else into a 500 without its details', async () => {
    const jobs = new ReportJobs(logger);
    const refused = jobs.submit('alice', 'report', 'queued', () => Promise.reject(new AppError(503, 'pdf_unavailable', 'no Chromium')));
    const broken = jobs.submit('alice', 'report', 'queued', () => Promise.reject(new Error('secret internals /etc/passwd')));
    await jobs.settle();
    expect(jobs.get('alice', refused.id)).to.deep.include({ state: 'failed', error: { code: 'pdf_unavailable', message: 'no Chromium' } });
    expectAppError(() => jobs.file('alice', refused.id), 503, 'pdf_unavailable');
    const view = jobs.get('alice', broken.id);
    expect(view.state).to.equal('failed');
    expect(view.error?.code).to.equal('report_failed');
    expect(JSON.stringify(view)).not.to.include('passwd');
    try {
      await jobs.result('alice', broken.id);
      expect.fail('the failed job has no file');
    } catch (err) {
      expect((err as AppError).status).to.equal(500);
    }
  });

  it('hands over the file when it is ready in time, and nothing (the caller answers 202) when it is not', async () => {
    const jobs = new ReportJobs(logger);
    const hold = gate();
    const slow = jobs.submit('alice', 'report', 'queued', async () => (await hold.opened, file('slow.pdf')));
    expect(await jobs.resultWithin('alice', slow.id, 20)).to.equal(undefined);
    hold.open();
    expect((await jobs.resultWithin('alice', slow.id, 5_000))?.name).to.equal('slow.pdf');
    const refused = await jobs.resultWithin('bob', slow.id, 10).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).to.be.instanceOf(AppError);
    expect((refused as AppError).status).to.equal(404);
  });

  it('keeps finished files within its byte bound: the oldest are dropped first, never the one just made', async () => {
    const jobs = new ReportJobs(logger, 25);
    const sized = (n: number): JobFile => ({ name: `${n}.csv`, type: 'text/csv', body: Buffer.alloc(n) });
    const a = jobs.submit('alice', 'responses', 'queued', () => Promise.resolve(sized(10)));
    const b = jobs.submit('alice', 'responses', 'queued', () => Promise.resolve(sized(10)));
    await jobs.settle();
    expect(jobs.keptBytes).to.equal(20);
    // A third file of 10 bytes would make 30: the oldest goes, as a job past its time does (404).
    const c = jobs.submit('alice', 'responses', 'queued', () => Promise.resolve(sized(10)));
    await jobs.settle();
    expectAppError(() => jobs.get('alice', a.id), 404);
    expect(jobs.file('alice', b.id).body.length).to.equal(10);
    expect(jobs.file('alice', c.id).body.length).to.equal(10);
    expect(jobs.keptBytes).to.equal(20);
    // A file larger than the bound on its own is still handed over; everything older makes room for it.
    const big = jobs.submit('bob', 'responses', 'queued', () => Promise.resolve(sized(40)));
    await jobs.settle();
    expect(jobs.file('bob', big.id).body.length).to.equal(40);
    expectAppError(() => jobs.get('alice', b.id), 404);
    expectAppError(() => jobs.get('alice', c.id), 404);
    expect(jobs.keptBytes).to.equal(40);
  });
});
