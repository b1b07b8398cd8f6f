import { JobRegistry, type JobEvents } from '../../../src/main/api/jobs';

function recorder() {
  const log: unknown[] = [];
  const events: JobEvents = {
    progress: (jobId, p) => log.push(['progress', jobId, p]),
    done: (jobId, outcome) => log.push(['done', jobId, outcome]),
  };
  return { log, events };
}

const SCAN = { dir: '/layers', layers: 1, versions: 2, problems: [] };

/** A job that runs until it is cancelled. */
const untilCancelled = (signal: AbortSignal) => new Promise<never>((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('stopped'))));

describe('jobs', () => {
  it('reports throttled progress and one done event with the result', async () => {
    const { log, events } = recorder();
    let clock = 0;
    const jobs = new JobRegistry(events, () => clock);
    const { jobId, finished } = jobs.start('layers.scan', async (_signal, report) => {
      clock = 1000; report({ phase: 'pack', done: 1, total: 10 });
      clock = 1010; report({ phase: 'pack', done: 2, total: 10 }); // dropped: too soon
      clock = 1200; report({ phase: 'pack', done: 5, total: 10 });
      clock = 1201; report({ phase: 'pack', done: 10, total: 10 }); // the last one always goes out
      return SCAN;
    });
    expect(jobs.size).toBe(1);
    await finished;
    expect(log).toEqual([
      ['progress', jobId, { phase: 'pack', done: 1, total: 10 }],
      ['progress', jobId, { phase: 'pack', done: 5, total: 10 }],
      ['progress', jobId, { phase: 'pack', done: 10, total: 10 }],
      ['done', jobId, { ok: true, value: SCAN }],
    ]);
    expect(jobs.size).toBe(0);
  });

  it('cancels through the AbortSignal and reports cancelled', async () => {
    const { log, events } = recorder();
    const jobs = new JobRegistry(events);
    const { jobId, finished } = jobs.start(
      'bundle.sign',
      (signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')))),
    );
    expect(jobs.cancel(jobId)).toBe(true);
    await finished;
    expect(log).toEqual([['done', jobId, { ok: false, error: { code: 'cancelled', message: 'Cancelled.' } }]]);
    expect(jobs.cancel(jobId)).toBe(false);
  });

  it('turns failures into error values', async () => {
    const { log, events } = recorder();
    const jobs = new JobRegistry(events);
    const { jobId, finished } = jobs.start('bundle.sign', async () => { throw new Error('disk full'); });
    await finished;
    expect(log).toEqual([['done', jobId, { ok: false, error: { code: 'internal', message: 'disk full' } }]]);
  });

  it("checks the value against the channel's result schema before 'job.done'", async () => {
    const { log, events } = recorder();
    const jobs = new JobRegistry(events);
    // A sign job that answers with something that is not a SignResult.
    const { jobId, finished } = jobs.start('bundle.sign', async () => ({ path: '/out/service.tar.gz', size: 'big' }));
    await finished;
    expect(log).toHaveLength(1);
    const [kind, id, outcome] = log[0] as [string, string, { ok: boolean; error?: { code: string; message: string } }];
    expect([kind, id, outcome.ok]).toEqual(['done', jobId, false]);
    expect(outcome.error?.code).toBe('internal');
    expect(outcome.error?.message).toMatch(/bundle\.sign job result did not match the contract/);
    expect(jobs.status(jobId)).toMatchObject({ state: 'failed', error: { code: 'internal' } });
  });

  it('passes on the parsed value (unknown keys of strict results dropped)', async () => {
    const { log, events } = recorder();
    const jobs = new JobRegistry(events);
    const { jobId, finished } = jobs.start('layers.scan', async () => ({ ...SCAN, catalogue: { huge: [] } }));
    await finished;
    expect(log).toEqual([['done', jobId, { ok: true, value: SCAN }]]);
  });

  it("answers 'job.status' for running, done, failed, cancelled and unknown jobs", async () => {
    const { events } = recorder();
    const jobs = new JobRegistry(events);
    let finish!: () => void;
    const gate = new Promise<void>((r) => (finish = r));
    const done = jobs.start('layers.scan', async (_signal, report) => {
      report({ phase: 'layers', done: 3, total: 10 });
      await gate;
      return SCAN;
    });
    expect(jobs.status(done.jobId)).toEqual({ state: 'running', channel: 'layers.scan', progress: { phase: 'layers', done: 3, total: 10 } });
    finish();
    await done.finished;
    expect(jobs.status(done.jobId)).toEqual({ state: 'done', channel: 'layers.scan', result: SCAN });

    const failed = jobs.start('bundle.sign', async () => { throw new Error('disk full'); });
    await failed.finished;
    expect(jobs.status(failed.jobId)).toEqual({ state: 'failed', channel: 'bundle.sign', error: { code: 'internal', message: 'disk full' } });

    const cancelled = jobs.start('bundle.sign', untilCancelled);
    jobs.cancel(cancelled.jobId);
    await cancelled.finished;
    expect(jobs.status(cancelled.jobId)).toEqual({ state: 'cancelled', channel: 'bundle.sign', error: { code: 'cancelled', message: 'Cancelled.' } });

    expect(jobs.status('no-such-job')).toEqual({ state: 'unknown' });
  });

  it('remembers finished jobs for a bounded count and time', async () => {
    const { events } = recorder();
    let clock = 0;
    const jobs = new JobRegistry(events, { now: () => clock, keepFinished: 3, keepFinishedMs: 60_000 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const job = jobs.start('layers.scan', async () => SCAN);
      await job.finished;
      ids.push(job.jobId);
    }
    // Only the newest three are still known.
    expect(ids.map((id) => jobs.status(id).state)).toEqual(['unknown', 'unknown', 'done', 'done', 'done']);
    expect(jobs.finishedSize).toBe(3);
    clock = 30_000;
    const late = jobs.start('layers.scan', async () => SCAN);
    await late.finished;
    // A minute after the first ones finished, they are forgotten; the late one is kept.
    clock = 60_001;
    expect(ids.map((id) => jobs.status(id).state)).toEqual(['unknown', 'unknown', 'unknown', 'unknown', 'unknown']);
    expect(jobs.status(late.jobId).state).toBe('done');
    expect(jobs.finishedSize).toBe(1);
  });

  it('cancels every running job at once', async () => {
    const { log, events } = recorder();
    const jobs = new JobRegistry(events);
    const a = jobs.start('bundle.sign', untilCancelled);
    const b = jobs.start('layers.scan', untilCancelled);
    expect(jobs.cancelAll()).toBe(2);
    await Promise.all([a.finished, b.finished]);
    expect(log).toEqual([
      ['done', a.jobId, { ok: false, error: { code: 'cancelled', message: 'Cancelled.' } }],
      ['done', b.jobId, { ok: false, error: { code: 'cancelled', message: 'Cancelled.' } }],
    ]);
    expect(jobs.size).toBe(0);
    expect(jobs.cancelAll()).toBe(0);
  });
});
