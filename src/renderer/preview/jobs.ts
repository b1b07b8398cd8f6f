// Runs a main-side job (a channel answering { jobId }) to its 'job.done'. Events can arrive
// before the call answers with the job id, so they are buffered from before the call.
import type { AppError, EventPayload } from '../../shared/contract';
import type { ApiClient } from '../api/context';
import { ApiError } from '../api/errors';

export type JobProgress = EventPayload<'job.progress'>;

export interface RunningJob<T> {
  result: Promise<T>;
  /** Stops listening and asks main to cancel; the result then never settles. */
  cancel(): void;
}

export function runJob<T>(client: Pick<ApiClient, 'on' | 'call'>, start: () => Promise<{ jobId: string }>, onProgress?: (p: JobProgress) => void): RunningJob<T> {
  let jobId: string | null = null;
  let cancelled = false;
  const early: EventPayload<'job.done'>[] = [];
  let settle: ((done: EventPayload<'job.done'>) => void) | null = null;

  const offDone = client.on('job.done', (done) => {
    if (cancelled) return;
    if (jobId === null) early.push(done);
    else if (done.jobId === jobId) settle?.(done);
  });
  const offProgress = client.on('job.progress', (p) => {
    if (!cancelled && p.jobId === jobId) onProgress?.(p);
  });
  const stop = () => {
    offDone();
    offProgress();
  };

  const result = new Promise<T>((resolve, reject) => {
    settle = (done) => {
      stop();
      if (done.ok) resolve(done.value as T);
      else reject(new ApiError((done.error as AppError | undefined) ?? { code: 'internal', message: 'The job failed.' }));
    };
    start().then(
      (started) => {
        if (cancelled) return;
        jobId = started.jobId;
        const done = early.find((e) => e.jobId === jobId);
        if (done) settle?.(done);
      },
      (err: unknown) => {
        stop();
        if (!cancelled) reject(err);
      },
    );
  });

  return {
    result,
    cancel() {
      if (cancelled) return;
      cancelled = true;
      stop();
      if (jobId) client.call('job.cancel', { jobId }).catch(() => undefined);
    },
  };
}
