// Runs a main-side job to its end: the one way the renderer follows a job. It subscribes to
// 'job.progress' and 'job.done' before the starting call, holds events that arrive before
// the call answers with the job id (a fast job can end first), and, when no event has come
// for a while, asks 'job.status', so a missed event never leaves the promise hanging. The
// value is checked against the channel's result schema, so it arrives typed, not cast.
import { parseJobResult, type AppError, type EventPayload, type Input, type JobChannel, type JobDone, type JobResult } from '../../shared/contract';
import type { ApiClient } from './context';
import { ApiError } from './errors';

export type JobProgress = EventPayload<'job.progress'>;

export interface RunJobOptions {
  onProgress?: (progress: JobProgress) => void;
  /** Called once main has answered with the job's id (e.g. to cancel it with 'job.cancel'). */
  onStarted?: (jobId: string) => void;
  /**
   * Aborting stops following the job and asks main to cancel it; the promise rejects at once
   * with an ApiError 'cancelled'. (To cancel and still learn how the job ended, call
   * 'job.cancel' with the id from onStarted instead: the outcome then settles the promise.)
   */
  signal?: AbortSignal;
  /** After this long without an event, 'job.status' is asked (and again after as long). */
  pollMs?: number;
}

/** Quiet time before the first status query: events normally come several times a second. */
export const JOB_POLL_MS = 2000;

type JobEvent = { kind: 'progress'; payload: JobProgress } | { kind: 'done'; payload: EventPayload<'job.done'> };

const cancelledError = (): ApiError => new ApiError({ code: 'cancelled', message: 'Cancelled.' });

export function runJob<C extends JobChannel>(
  client: Pick<ApiClient, 'call' | 'on'>,
  channel: C,
  input: Input<C>,
  options: RunJobOptions = {},
): Promise<JobResult<C>> {
  const { onProgress, onStarted, signal } = options;
  const pollMs = options.pollMs ?? JOB_POLL_MS;
  if (signal?.aborted) return Promise.reject(cancelledError());

  return new Promise<JobResult<C>>((resolve, reject) => {
    let jobId: string | null = null;
    let settled = false;
    /** Events seen before the job id is known (any job's: filtered once it is). */
    const early: JobEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;

    const finish = (then: () => void) => {
      if (settled) return;
      settled = true;
      offDone();
      offProgress();
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      then();
    };
    /** 'job.done' (or what 'job.status' told) as this channel's typed outcome. */
    const outcome = (id: string, ok: boolean, value: unknown, error: AppError | undefined): JobDone<C> => {
      if (!ok) return { jobId: id, ok: false, error: error ?? { code: 'internal', message: 'The job failed.' } };
      const checked = parseJobResult(channel, value);
      return checked.ok ? { jobId: id, ok: true, value: checked.value } : { jobId: id, ok: false, error: checked.error };
    };
    const settle = (done: JobDone<C>) => {
      if (done.ok) finish(() => resolve(done.value));
      else finish(() => reject(new ApiError(done.error)));
    };

    const armPoll = () => {
      clearTimeout(timer);
      if (!settled) timer = setTimeout(() => void poll(), pollMs);
    };
    const poll = async () => {
      const id = jobId;
      if (settled || id === null) return;
      let status;
      try {
        status = await client.call('job.status', { jobId: id });
      } catch (err) {
        // Browser mode's server is gone: its jobs went with it, so waiting would never end.
        if (err instanceof ApiError && err.error.code === 'disconnected') {
          finish(() => reject(err));
          return;
        }
        // Main unreachable for a moment: keep waiting, ask again later.
        armPoll();
        return;
      }
      if (settled) return;
      if (status.state === 'running') {
        if (status.progress) onProgress?.({ jobId: id, ...status.progress });
        armPoll();
      } else if (status.state === 'done') settle(outcome(id, true, status.result, undefined));
      else if (status.state === 'unknown') settle(outcome(id, false, undefined, { code: 'not-found', message: 'The job is no longer known (the app may have restarted); run it again.' }));
      else settle(outcome(id, false, undefined, status.error ?? (status.state === 'cancelled' ? { code: 'cancelled', message: 'Cancelled.' } : undefined)));
    };

    const apply = (event: JobEvent) => {
      if (event.kind === 'progress') {
        onProgress?.(event.payload);
        armPoll();
      } else {
        const { jobId: id, ok, value, error } = event.payload;
        settle(outcome(id, ok, value, error));
      }
    };
    const route = (event: JobEvent) => {
      if (settled) return;
      if (jobId === null) early.push(event);
      else if (event.payload.jobId === jobId) apply(event);
    };
    const offDone = client.on('job.done', (payload) => route({ kind: 'done', payload }));
    const offProgress = client.on('job.progress', (payload) => route({ kind: 'progress', payload }));

    function onAbort() {
      const id = jobId;
      finish(() => reject(cancelledError()));
      if (id !== null) client.call('job.cancel', { jobId: id }).catch(() => undefined);
    }
    signal?.addEventListener('abort', onAbort, { once: true });

    client.call(channel, input).then(
      (started) => {
        if (settled) {
          // Aborted before the id was known: cancel it now.
          client.call('job.cancel', { jobId: started.jobId }).catch(() => undefined);
          return;
        }
        jobId = started.jobId;
        onStarted?.(started.jobId);
        for (const event of early.splice(0)) if (!settled && event.payload.jobId === started.jobId) apply(event);
        armPoll();
      },
      (err: unknown) => finish(() => reject(err)),
    );
  });
}
