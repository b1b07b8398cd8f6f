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
import { notOlder, useOutboxChanges, type OutboxChange, type OutboxProgressView } from '../cloud/use-outbox-changes';

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
  /**
   * In the outbox (Queue): the entry as it is now, followed live through 'outbox.changed' as
   * the app's push takes it (uploading with the bytes sent, uploaded, processing, done | failed).
   * `added`: Queue put it there; else these bytes were an entry already.
   */
  | { kind: 'queued'; entry: OutboxEntryView; added: boolean; progress?: OutboxProgressView }
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

  // The entry after Queue, followed live. Changes that come while outbox.add is still on its
  // way (the automatic push may take the entry at once) are kept and applied to its answer.
  const early = useRef<Map<string, OutboxChange> | null>(null);
  const follow = useCallback((s: UploadJobState, change: OutboxChange): UploadJobState => {
    if (s.kind !== 'queued' || !notOlder(change.entry, s.entry)) return s;
    const progress = change.progress ?? (change.entry.state === 'uploading' && change.entry.history.length === s.entry.history.length ? s.progress : undefined);
    return { kind: 'queued', entry: change.entry, added: s.added, ...(progress ? { progress } : {}) };
  }, []);
  useOutboxChanges((change) => {
    early.current?.set(change.entry.id, change);
    setState((s) => follow(s, change));
  });

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
      early.current = new Map();
      try {
        const entry = await call('outbox.add', input);
        const queued: UploadJobState = { kind: 'queued', entry, added: entry.state === 'queued' };
        const seen = early.current.get(entry.id);
        setState(seen ? follow(queued, seen) : queued);
      } catch (err) {
        setState({ kind: 'failed', error: errorOf(err) });
      } finally {
        early.current = null;
        busy.current = false;
      }
    },
    [call, follow],
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
