// What a signing job's progress events mean to a person: the phase in words, one bar for
// the whole job, and a rate and time left measured over the last few seconds.
import type { EventPayload } from '../../shared/contract';
import { formatSize } from '../common/format';

/** A 'job.progress' event without its job id. */
export type JobProgress = Omit<EventPayload<'job.progress'>, 'jobId'>;

const PHASES: Record<string, { label: string; from: number; to: number }> = {
  scan: { label: 'Scanning src/', from: 0, to: 0.02 },
  archive: { label: 'Packing and compressing src/', from: 0.02, to: 0.9 },
  sign: { label: 'Signing', from: 0.9, to: 0.92 },
  package: { label: 'Writing the bundle', from: 0.92, to: 1 },
  done: { label: 'Finishing', from: 1, to: 1 },
};

export function phaseLabel(phase: string): string {
  return PHASES[phase]?.label ?? phase;
}

/** 0..100 for the whole job: packing src/ is most of the work. */
export function overallPercent(p: JobProgress | null): number {
  if (!p) return 0;
  const span = PHASES[p.phase] ?? { from: 0, to: 1 };
  const within = p.total > 0 ? Math.min(1, Math.max(0, p.done / p.total)) : 0;
  return Math.round((span.from + (span.to - span.from) * within) * 1000) / 10;
}

interface Sample {
  t: number;
  done: number;
}

/** Bytes per second over a sliding window, per phase; null until it means something. */
export class RateMeter {
  private phase = '';
  private samples: Sample[] = [];

  constructor(private readonly windowMs = 3000, private readonly minSpanMs = 250) {}

  add(p: JobProgress, t: number): void {
    if (p.phase !== this.phase) {
      this.phase = p.phase;
      this.samples = [];
    }
    this.samples.push({ t, done: p.done });
    while (this.samples.length > 2 && t - this.samples[1].t >= this.windowMs) this.samples.shift();
  }

  /** Bytes per second, or null with too little data. */
  rate(): number | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last) return null;
    const span = last.t - first.t;
    if (span < this.minSpanMs || last.done <= first.done) return null;
    return ((last.done - first.done) * 1000) / span;
  }
}

/** Seconds left in the current phase at the given rate, or null. */
export function secondsLeft(p: JobProgress | null, rate: number | null): number | null {
  if (!p || !rate || rate <= 0 || p.total <= 0) return null;
  return Math.max(0, (p.total - p.done) / rate);
}

export function formatRate(bytesPerSecond: number | null): string {
  if (bytesPerSecond === null) return '–';
  const mb = bytesPerSecond / 1e6;
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB/s`;
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 1) return 'under a second';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.ceil(seconds % 60);
  if (m < 60) return `${m} min ${s.toString().padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${(m % 60).toString().padStart(2, '0')} min`;
}

export function formatBytesDone(p: JobProgress): string {
  return `${formatSize(p.done)} of ${formatSize(p.total)}`;
}
