// The renderer's one job helper (src/renderer/api/jobs.ts), against the typed fake API.
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/renderer/api/context';
import { createFakeApi, type FakeHandlers } from '../../src/renderer/api/fake';
import { runJob, type JobProgress } from '../../src/renderer/api/jobs';
import type { JobStatus, LayerLibraryScanView } from '../../src/shared/contract';
import { deferred } from './preview-support';

const SCAN: LayerLibraryScanView = { dir: '/srv/layers', layers: 2, versions: 3, problems: [] };

function setup(handlers: FakeHandlers = {}) {
  const api = createFakeApi({ 'layers.scan': () => ({ jobId: 'job-1' }), 'job.cancel': () => ({ cancelled: true }), ...handlers });
  return { api, client: createClient(api) };
}

describe('runJob', () => {
  it('keeps a job.done that arrives before the job id, and ignores other jobs', async () => {
    const answer = deferred<{ jobId: string }>();
    const { api, client } = setup({ 'layers.scan': () => answer.promise });
    const progress: JobProgress[] = [];
    const result = runJob(client, 'layers.scan', { dir: '/srv/layers' }, { onProgress: (p) => progress.push(p) });
    await Promise.resolve();
    api.emit('job.progress', { jobId: 'job-0', phase: 'layers', done: 9, total: 10 });
    api.emit('job.progress', { jobId: 'job-1', phase: 'layers', done: 5, total: 10 });
    api.emit('job.done', { jobId: 'job-0', ok: true, value: { ...SCAN, dir: '/other' } });
    api.emit('job.done', { jobId: 'job-1', ok: true, value: SCAN });
    answer.resolve({ jobId: 'job-1' });
    const scan: LayerLibraryScanView = await result;
    expect(scan).toEqual(SCAN);
    expect(progress).toEqual([{ jobId: 'job-1', phase: 'layers', done: 5, total: 10 }]);
  });

  it("asks job.status when no event comes, so a missed 'job.done' does not leave it hanging", async () => {
    const statuses: JobStatus[] = [
      { state: 'running', progress: { phase: 'layers', done: 7, total: 10 } },
      { state: 'done', result: SCAN },
    ];
    const { api, client } = setup({ 'job.status': () => statuses.shift() ?? { state: 'unknown' } });
    const progress: JobProgress[] = [];
    const scan = await runJob(client, 'layers.scan', { dir: '/srv/layers' }, { pollMs: 10, onProgress: (p) => progress.push(p) });
    expect(scan).toEqual(SCAN);
    expect(api.callsTo('job.status')).toEqual([{ jobId: 'job-1' }, { jobId: 'job-1' }]);
    expect(progress).toEqual([{ jobId: 'job-1', phase: 'layers', done: 7, total: 10 }]);
  });

  it('reports failures, cancellations and forgotten jobs that job.status tells of', async () => {
    const failed = setup({ 'job.status': () => ({ state: 'failed', error: { code: 'io', message: 'disk full' } }) });
    await expect(runJob(failed.client, 'layers.scan', { dir: '/l' }, { pollMs: 10 })).rejects.toMatchObject({ code: 'io', message: 'disk full' });
    const cancelled = setup({ 'job.status': () => ({ state: 'cancelled' }) });
    await expect(runJob(cancelled.client, 'layers.scan', { dir: '/l' }, { pollMs: 10 })).rejects.toMatchObject({ code: 'cancelled' });
    const unknown = setup({ 'job.status': () => ({ state: 'unknown' }) });
    await expect(runJob(unknown.client, 'layers.scan', { dir: '/l' }, { pollMs: 10 })).rejects.toMatchObject({ code: 'not-found' });
  });

  it("checks the value against the channel's result schema", async () => {
    const { api, client } = setup();
    const result = runJob(client, 'layers.scan', { dir: '/srv/layers' });
    await Promise.resolve();
    api.emit('job.done', { jobId: 'job-1', ok: true, value: { dir: '/srv/layers', layers: 'two' } });
    await expect(result).rejects.toMatchObject({ code: 'internal', message: expect.stringMatching(/layers\.scan job result did not match the contract/) });
  });

  it('on abort, stops following the job, rejects at once and asks main to cancel it', async () => {
    const { api, client } = setup();
    const stop = new AbortController();
    let jobId = '';
    const result = runJob(client, 'layers.scan', { dir: '/srv/layers' }, { signal: stop.signal, onStarted: (id) => (jobId = id) });
    await expect.poll(() => jobId).toBe('job-1');
    stop.abort();
    await expect(result).rejects.toMatchObject({ code: 'cancelled' });
    expect(api.callsTo('job.cancel')).toEqual([{ jobId: 'job-1' }]);
  });

  it('fails with the starting call', async () => {
    const { client } = setup({ 'layers.scan': () => { throw { error: { code: 'not-found', message: 'No such folder' } }; } });
    await expect(runJob(client, 'layers.scan', { dir: '/nowhere' })).rejects.toMatchObject({ code: 'not-found' });
  });
});
