// Long work (packing, hashing, signing, uploading) runs as a job: started by one call that
// returns an id at once, reporting progress as events, cancelled by id through its
// AbortSignal, and ending with one 'job.done' event that carries the result or the error.
import { randomUUID } from 'node:crypto';
import type { EventPayload } from '../../shared/contract';
import { toAppError, type AppError } from '../../shared/errors';

/** A 'job.progress' event without its job id (the registry adds it). */
export type JobProgress = Omit<EventPayload<'job.progress'>, 'jobId'>;

export interface JobEvents {
  progress(jobId: string, progress: JobProgress): void;
  done(jobId: string, outcome: { ok: true; value: unknown } | { ok: false; error: AppError }): void;
}

export type JobWork<T> = (signal: AbortSignal, report: (progress: JobProgress) => void) => Promise<T>;

/** Progress events are throttled: a UI needs a few per second, not one per file. */
const PROGRESS_INTERVAL_MS = 100;

export class JobRegistry {
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly events: JobEvents, private readonly now: () => number = Date.now) {}

  start<T>(work: JobWork<T>): { jobId: string; finished: Promise<void> } {
    const jobId = randomUUID();
    const controller = new AbortController();
    this.running.set(jobId, controller);
    let last = 0;
    const report = (progress: JobProgress) => {
      const t = this.now();
      if (t - last < PROGRESS_INTERVAL_MS && progress.done < progress.total) return;
      last = t;
      this.events.progress(jobId, progress);
    };
    const finished = work(controller.signal, report).then(
      (value) => this.events.done(jobId, { ok: true, value }),
      (err: unknown) => this.events.done(jobId, { ok: false, error: controller.signal.aborted ? { code: 'cancelled', message: 'Cancelled.' } : toAppError(err) }),
    ).finally(() => this.running.delete(jobId));
    return { jobId, finished };
  }

  /** Returns false when no such job is running (already finished, or never started). */
  cancel(jobId: string): boolean {
    const controller = this.running.get(jobId);
    if (!controller) return false;
    controller.abort();
    return true;
  }

  get size(): number {
    return this.running.size;
  }
}
