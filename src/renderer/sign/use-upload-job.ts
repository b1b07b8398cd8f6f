// One upload of a signed bundle at a time ('cloud.upload', a job in main running the same
// use-case as `aos-bundle upload`), or putting it in the outbox ('outbox.add'). It follows
// the job's events: bytes sent with main's rate and time left while uploading, then each
// state the outbox entry reaches (uploaded, processing with the cloud's words, done | failed).
// A protected TLS key ends the first try with 'wrong-password': the panel asks, and the
// next start carries the password once; main keeps the opened key for the session.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError, Input, OutboxEntryView, OutboxStateView, UploadResult } from '../../shared/contract';
import { useApi } from '../api/context';
import { errorOf } from '../api/errors';
import { runJob } from '../api/jobs';

export interface UploadStep {
  state: OutboxStateView;
  message?: string;
}

export type UploadJobState =
  | { kind: 'idle' }
  | { kind: 'starting' }
  | {
      kind: 'running';
      jobId: string;
      /** The entry's state as last reported ('queued' until the first event). */
      state: OutboxStateView;
      sent: number;
      total: number;
      rate: number | null;
      secondsLeft: number | null;
      /** The states reached so far, in order, each with its message. */
      steps: UploadStep[];
      cancelling: boolean;
    }
  | { kind: 'ended'; result: UploadResult }
  | { kind: 'queued'; entry: OutboxEntryView }
  /** The TLS key is protected: a password is needed (error.message says so, or that it was wrong). */
  | { kind: 'password'; error: AppError }
  | { kind: 'failed'; error: AppError };

export type UploadInput = Omit<Input<'cloud.upload'>, 'password'>;

export interface UploadJob {
  state: UploadJobState;
  upload(input: UploadInput, password?: string): Promise<void>;
  queue(input: UploadInput): Promise<void>;
  cancel(): Promise<void>;
  reset(): void;
}

function withStep(steps: UploadStep[], step: UploadStep): UploadStep[] {
  const last = steps.at(-1);
  if (last?.state === step.state) return [...steps.slice(0, -1), { state: step.state, message: step.message ?? last.message }];
  return [...steps, step];
}

export function useUploadJob(): UploadJob {
  const client = useApi();
  const { call } = client;
  const [state, setState] = useState<UploadJobState>({ kind: 'idle' });
  const jobId = useRef<string | null>(null);
  const busy = useRef(false);
  const unmounted = useRef<AbortController | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    unmounted.current = controller;
    return () => controller.abort();
  }, []);

  const upload = useCallback(
    async (input: UploadInput, password?: string) => {
      if (busy.current) return;
      busy.current = true;
      setState({ kind: 'starting' });
      const signal = unmounted.current?.signal;
      try {
        const result = await runJob(client, 'cloud.upload', { ...input, ...(password ? { password } : {}) }, {
          signal,
          onStarted: (id) => {
            jobId.current = id;
            setState({ kind: 'running', jobId: id, state: 'queued', sent: 0, total: 0, rate: null, secondsLeft: null, steps: [], cancelling: false });
          },
          onProgress: (p) =>
            setState((s) => {
              if (s.kind !== 'running' || s.jobId !== p.jobId) return s;
              const phase = p.phase as OutboxStateView;
              if (phase === 'uploading') {
                return {
                  ...s,
                  state: phase,
                  sent: p.done,
                  total: p.total || s.total,
                  rate: p.rate ?? s.rate,
                  secondsLeft: p.secondsLeft ?? null,
                  steps: withStep(s.steps, { state: phase, ...(p.message ? { message: p.message } : {}) }),
                };
              }
              return { ...s, state: phase, steps: withStep(s.steps, { state: phase, ...(p.message ? { message: p.message } : {}) }) };
            }),
        });
        setState({ kind: 'ended', result });
      } catch (err) {
        if (signal?.aborted) return;
        const error = errorOf(err);
        setState(error.code === 'wrong-password' ? { kind: 'password', error } : { kind: 'failed', error });
      } finally {
        jobId.current = null;
        busy.current = false;
      }
    },
    [client],
  );

  const queue = useCallback(
    async (input: UploadInput) => {
      if (busy.current) return;
      busy.current = true;
      setState({ kind: 'starting' });
      try {
        const entry = await call('outbox.add', input);
        setState({ kind: 'queued', entry });
      } catch (err) {
        setState({ kind: 'failed', error: errorOf(err) });
      } finally {
        busy.current = false;
      }
    },
    [call],
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

  return { state, upload, queue, cancel, reset };
}
