// One signing job at a time: start it, follow its 'job.progress' events, cancel it, and
// end with the SignResult or the error from 'job.done'. Events are listened to for as long
// as the service is open, and those that arrive before 'bundle.sign' answers with the job
// id are held and replayed, so a fast job never loses its end.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventPayload, Input, SignResult } from '../../shared/contract';
import type { AppError } from '../../shared/errors';
import { useApi } from '../api/context';
import { errorOf } from '../api/errors';
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

type JobEvent = { kind: 'progress'; payload: EventPayload<'job.progress'> } | { kind: 'done'; payload: EventPayload<'job.done'> };

export interface SignJob {
  state: SignJobState;
  start(input: Input<'bundle.sign'>): Promise<void>;
  cancel(): Promise<void>;
  /** Forget the last outcome (back to idle); no effect while running. */
  reset(): void;
}

export function useSignJob(now: () => number = Date.now): SignJob {
  const { call, on } = useApi();
  const [state, setState] = useState<SignJobState>({ kind: 'idle' });
  const jobId = useRef<string | null>(null);
  /** Events seen while 'bundle.sign' has not answered yet (any job's: filtered on replay). */
  const early = useRef<JobEvent[] | null>(null);
  const meter = useRef(new RateMeter());
  const startedAt = useRef(0);
  const nowRef = useRef(now);
  nowRef.current = now;

  const apply = useCallback((event: JobEvent) => {
    if (event.kind === 'progress') {
      const p = event.payload;
      const t = nowRef.current();
      meter.current.add(p, t);
      const rate = meter.current.rate();
      setState((s) =>
        s.kind === 'running' && s.jobId === p.jobId ? { ...s, progress: p, rate, secondsLeft: secondsLeft(p, rate) } : s,
      );
      return;
    }
    const d = event.payload;
    jobId.current = null;
    if (d.ok) {
      setState({ kind: 'done', result: d.value as SignResult, elapsedMs: nowRef.current() - startedAt.current });
    } else if (d.error?.code === 'cancelled') {
      setState({ kind: 'cancelled' });
    } else {
      setState({ kind: 'failed', error: (d.error as AppError | undefined) ?? { code: 'internal', message: 'Signing failed.' } });
    }
  }, []);

  useEffect(() => {
    const route = (event: JobEvent) => {
      if (early.current) early.current.push(event);
      else if (jobId.current && event.payload.jobId === jobId.current) apply(event);
    };
    const offProgress = on('job.progress', (payload) => route({ kind: 'progress', payload }));
    const offDone = on('job.done', (payload) => route({ kind: 'done', payload }));
    return () => {
      offProgress();
      offDone();
    };
  }, [on, apply]);

  const start = useCallback(
    async (input: Input<'bundle.sign'>) => {
      if (jobId.current || early.current) return;
      early.current = [];
      meter.current = new RateMeter();
      startedAt.current = nowRef.current();
      setState({ kind: 'starting' });
      try {
        const started = await call('bundle.sign', input);
        const held = early.current ?? [];
        early.current = null;
        jobId.current = started.jobId;
        setState({
          kind: 'running',
          jobId: started.jobId,
          progress: null,
          rate: null,
          secondsLeft: null,
          startedAt: startedAt.current,
          cancelling: false,
        });
        for (const event of held) if (event.payload.jobId === started.jobId) apply(event);
      } catch (err) {
        early.current = null;
        setState({ kind: 'failed', error: errorOf(err) });
      }
    },
    [call, apply],
  );

  const cancel = useCallback(async () => {
    const id = jobId.current;
    if (!id) return;
    setState((s) => (s.kind === 'running' ? { ...s, cancelling: true } : s));
    try {
      await call('job.cancel', { jobId: id });
    } catch {
      // The job ends on its own; its 'job.done' still arrives.
    }
  }, [call]);

  const reset = useCallback(() => {
    setState((s) => (s.kind === 'running' || s.kind === 'starting' ? s : { kind: 'idle' }));
  }, []);

  return { state, start, cancel, reset };
}
