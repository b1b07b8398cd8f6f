import { JobRegistry, type JobEvents } from '../../../src/main/api/jobs';

function recorder() {
  const log: unknown[] = [];
  const events: JobEvents = {
    progress: (jobId, p) => log.push(['progress', jobId, p]),
    done: (jobId, outcome) => log.push(['done', jobId, outcome]),
  };
  return { log, events };
}

describe('jobs', () => {
  it('reports throttled progress and one done event with the result', async () => {
    const { log, events } = recorder();
    let clock = 0;
    const jobs = new JobRegistry(events, () => clock);
    const { jobId, finished } = jobs.start(async (_signal, report) => {
      clock = 1000; report({ phase: 'pack', done: 1, total: 10 });
      clock = 1010; report({ phase: 'pack', done: 2, total: 10 }); // dropped: too soon
      clock = 1200; report({ phase: 'pack', done: 5, total: 10 });
      clock = 1201; report({ phase: 'pack', done: 10, total: 10 }); // the last one always goes out
      return 'result';
    });
    expect(jobs.size).toBe(1);
    await finished;
    expect(log).toEqual([
      ['progress', jobId, { phase: 'pack', done: 1, total: 10 }],
      ['progress', jobId, { phase: 'pack', done: 5, total: 10 }],
      ['progress', jobId, { phase: 'pack', done: 10, total: 10 }],
      ['done', jobId, { ok: true, value: 'result' }],
    ]);
    expect(jobs.size).toBe(0);
  });

  it('cancels through the AbortSignal and reports cancelled', async () => {
    const { log, events } = recorder();
    const jobs = new JobRegistry(events);
    const { jobId, finished } = jobs.start(
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
    const { jobId, finished } = jobs.start(async () => { throw new Error('disk full'); });
    await finished;
    expect(log).toEqual([['done', jobId, { ok: false, error: { code: 'internal', message: 'disk full' } }]]);
  });
});
