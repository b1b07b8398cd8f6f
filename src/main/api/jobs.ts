// Long work (packing, hashing, signing, uploading) runs as a job: started by one call that
// returns an id at once, reporting progress as events, cancelled by id through its
// AbortSignal, and ending with one 'job.done' event that carries the result or the error.
// The result is checked against the starting channel's result schema first, like every
// other output. A job's state can also be asked for by id ('job.status'): finished jobs are
// remembered for a bounded time and count, so a client that missed 'job.done' still learns
// how its job ended.
import { randomUUID } from 'node:crypto';
import { parseJobResult, type JobChannel, type JobProgressView, type JobStatus } from '../../shared/contract';
import { toAppError, type AppError } from '../../shared/errors';

/** A 'job.progress' event without its job id (the registry adds it). */
export type JobProgress = JobProgressView;

export type JobOutcome = { ok: true; value: unknown } | { ok: false; error: AppError };

export interface JobEvents {
  progress(jobId: string, progress: JobProgress): void;
  done(jobId: string, outcome: JobOutcome): void;
}

export type JobWork<T> = (signal: AbortSignal, report: (progress: JobProgress) => void) => Promise<T>;

export interface JobRegistryOptions {
  now?: () => number;
  /** How many finished jobs 'job.status' still knows (the newest). */
  keepFinished?: number;
  /** How long a finished job stays known, in ms. */
  keepFinishedMs?: number;
}

/** Progress events are throttled: a UI needs a few per second, not one per file. */
const PROGRESS_INTERVAL_MS = 100;
export const KEEP_FINISHED = 50;
export const KEEP_FINISHED_MS = 10 * 60_000;

interface RunningJob {
  channel: JobChannel;
  controller: AbortController;
  progress?: JobProgress;
}

interface FinishedJob {
  channel: JobChannel;
  finishedAt: number;
  status: JobStatus;
}

export class JobRegistry {
  private readonly running = new Map<string, RunningJob>();
  /** Insertion order is finishing order: the oldest come first. */
  private readonly finished = new Map<string, FinishedJob>();
  private readonly now: () => number;
  private readonly keepFinished: number;
  private readonly keepFinishedMs: number;

  constructor(private readonly events: JobEvents, options: JobRegistryOptions | (() => number) = {}) {
    const opts = typeof options === 'function' ? { now: options } : options;
    this.now = opts.now ?? Date.now;
    this.keepFinished = opts.keepFinished ?? KEEP_FINISHED;
    this.keepFinishedMs = opts.keepFinishedMs ?? KEEP_FINISHED_MS;
  }

  /**
   * Starts `work` as a job of `channel`. Its value must pass the channel's result schema
   * (checked here at run time, as dispatch checks outputs: core types are interfaces, which
   * TypeScript will not match against the schemas' loose objects): one that does not ends
   * the job with an 'internal' error instead of reaching the renderer.
   */
  start(channel: JobChannel, work: JobWork<unknown>): { jobId: string; finished: Promise<void> } {
    const jobId = randomUUID();
    const controller = new AbortController();
    const job: RunningJob = { channel, controller };
    this.running.set(jobId, job);
    let last = 0;
    const report = (progress: JobProgress) => {
      job.progress = progress;
      const t = this.now();
      if (t - last < PROGRESS_INTERVAL_MS && progress.done < progress.total) return;
      last = t;
      this.events.progress(jobId, progress);
    };
    let running: Promise<unknown>;
    try {
      running = work(controller.signal, report);
    } catch (err) {
      running = Promise.reject(err);
    }
    const finished = running
      .then(
        (value): JobOutcome => {
          const checked = parseJobResult(channel, value);
          return checked.ok ? { ok: true, value: checked.value } : { ok: false, error: checked.error };
        },
        (err: unknown): JobOutcome => ({
          ok: false,
          error: controller.signal.aborted ? { code: 'cancelled', message: 'Cancelled.' } : toAppError(err),
        }),
      )
      .then((outcome) => {
        this.running.delete(jobId);
        this.remember(jobId, channel, outcome);
        this.events.done(jobId, outcome);
      });
    return { jobId, finished };
  }

  /** Returns false when no such job is running (already finished, or never started). */
  cancel(jobId: string): boolean {
    const job = this.running.get(jobId);
    if (!job) return false;
    job.controller.abort();
    return true;
  }

  /** Cancels every running job (the window closed, the server stops); returns how many. */
  cancelAll(): number {
    const jobs = [...this.running.values()];
    for (const job of jobs) job.controller.abort();
    return jobs.length;
  }

  /** What 'job.status' answers. */
  status(jobId: string): JobStatus {
    const job = this.running.get(jobId);
    if (job) return { state: 'running', channel: job.channel, ...(job.progress ? { progress: job.progress } : {}) };
    this.prune();
    return this.finished.get(jobId)?.status ?? { state: 'unknown' };
  }

  /** Running jobs. */
  get size(): number {
    return this.running.size;
  }

  /** Finished jobs still remembered (bounded by count and age). */
  get finishedSize(): number {
    this.prune();
    return this.finished.size;
  }

  private remember(jobId: string, channel: JobChannel, outcome: JobOutcome): void {
    const status: JobStatus = outcome.ok
      ? { state: 'done', channel, result: outcome.value }
      : { state: outcome.error.code === 'cancelled' ? 'cancelled' : 'failed', channel, error: outcome.error };
    this.finished.set(jobId, { channel, finishedAt: this.now(), status });
    this.prune();
  }

  private prune(): void {
    const oldest = this.now() - this.keepFinishedMs;
    for (const [id, job] of this.finished) {
      if (this.finished.size <= this.keepFinished && job.finishedAt >= oldest) break;
      this.finished.delete(id);
    }
  }
}
