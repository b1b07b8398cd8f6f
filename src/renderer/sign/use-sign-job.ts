// One signing job at a time: start it, follow its 'job.progress' events, cancel it, and
// end with the SignResult or the error. The job is followed by runJob (src/renderer/api/jobs),
// which holds events that come before 'bundle.sign' answers and asks 'job.status' when
// events stop coming. Closing the service (unmounting) cancels a job still running.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Input, SignResult } from '../../shared/contract';
import type { AppError } from '../../shared/errors';
import { useApi } from '../api/context';
import { errorOf } from '../api/errors';
import { runJob } from '../api/jobs';
import { RateMeter, secondsLeft, type JobProgress } from './progress-model';

export type SignJobState =
  | { kind: 'idle' }
  | { kind: 'starting' }
  | {
      kind: 'running';
      jobId: string;
      progress: JobProgress | null;
      rate: number | null;
      secondsLeft: number | null;
      startedAt: number;
      cancelling: boolean;
    }
  | { kind: 'done'; result: SignResult; elapsedMs: number }
  | { kind: 'failed'; error: AppError }
  | { kind: 'cancelled' };

/** The two signing channels take the same input and end with the same SignResult. */
export type SignChannel = 'bundle.sign' | 'deployment.sign';

export interface SignJob {
  state: SignJobState;
  start(input: Input<'bundle.sign'>): Promise<void>;
  cancel(): Promise<void>;
  /** Forget the last outcome (back to idle); no effect while running. */
  reset(): void;
}

/** `channel`: 'bundle.sign' for a service (service.tar.gz), 'deployment.sign' for a deployment bundle (batch.tar.gz). */
export function useSignJob(now: () => number = Date.now, channel: SignChannel = 'bundle.sign'): SignJob {
  const client = useApi();
  const { call } = client;
  const [state, setState] = useState<SignJobState>({ kind: 'idle' });
  const jobId = useRef<string | null>(null);
  /** True from start() until the job has ended. */
  const busy = useRef(false);
  /** Aborted on unmount: nobody is left to follow the job. */
  const unmounted = useRef<AbortController | null>(null);
  const meter = useRef(new RateMeter());
  const startedAt = useRef(0);
  const nowRef = useRef(now);
  nowRef.current = now;

  useEffect(() => {
    const controller = new AbortController();
    unmounted.current = controller;
    return () => controller.abort();
  }, []);

  const start = useCallback(
    async (input: Input<'bundle.sign'>) => {
      if (busy.current) return;
      busy.current = true;
      meter.current = new RateMeter();
      startedAt.current = nowRef.current();
      setState({ kind: 'starting' });
      const signal = unmounted.current?.signal;
      try {
        const result = await runJob(client, channel, input, {
          signal,
          onStarted: (id) => {
            jobId.current = id;
            setState({ kind: 'running', jobId: id, progress: null, rate: null, secondsLeft: null, startedAt: startedAt.current, cancelling: false });
          },
          onProgress: (p) => {
            const t = nowRef.current();
            meter.current.add(p, t);
            const rate = meter.current.rate();
            setState((s) => (s.kind === 'running' && s.jobId === p.jobId ? { ...s, progress: p, rate, secondsLeft: secondsLeft(p, rate) } : s));
          },
        });
        setState({ kind: 'done', result, elapsedMs: nowRef.current() - startedAt.current });
      } catch (err) {
        if (signal?.aborted) return;
        const error = errorOf(err);
        setState(error.code === 'cancelled' ? { kind: 'cancelled' } : { kind: 'failed', error });
      } finally {
        jobId.current = null;
        busy.current = false;
      }
    },
    [client, channel],
  );

  const cancel = useCallback(async () => {
    const id = jobId.current;
    if (!id) return;
    setState((s) => (s.kind === 'running' ? { ...s, cancelling: true } : s));
    try {
      await call('job.cancel', { jobId: id });
    } catch {
      // The job ends on its own; runJob still learns how.
    }
  }, [call]);

  const reset = useCallback(() => {
    setState((s) => (s.kind === 'running' || s.kind === 'starting' ? s : { kind: 'idle' }));
  }, []);

  return { state, start, cancel, reset };
}
