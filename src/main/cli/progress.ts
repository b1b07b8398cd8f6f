// A one-line progress display on stderr, redrawn in place: files and bytes done, rate and
// time left. Drawn only when stderr is a terminal; logs and pipes get nothing.
import type { CliIo } from './io';

export interface ProgressState {
  label: string;
  done: number;
  total: number;
  filesDone?: number;
  filesTotal?: number;
  /** In place of rate and time left (e.g. every byte sent, the answer awaited). */
  note?: string;
}

export interface ProgressLine {
  update(state: ProgressState): void;
  /** Erases the line (before printing results or errors). */
  clear(): void;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The text of one progress line (no terminal codes): exported for tests. */
export function progressText(state: ProgressState, elapsedSeconds: number): string {
  const parts = [state.label.padEnd(8)];
  if (state.filesTotal) parts.push(`${state.filesDone ?? 0}/${state.filesTotal} files`);
  if (state.total > 0) {
    const pct = Math.min(100, Math.floor((state.done / state.total) * 100));
    parts.push(`${formatBytes(state.done)} / ${formatBytes(state.total)} (${pct}%)`);
    if (state.note) return [...parts, state.note].join('  ');
    const rate = elapsedSeconds > 0.2 ? state.done / elapsedSeconds : 0;
    if (rate > 0) {
      parts.push(`${formatBytes(rate)}/s`);
      parts.push(`${formatDuration((state.total - state.done) / rate)} left`);
    }
  }
  return parts.join('  ');
}

const NO_PROGRESS: ProgressLine = { update: () => undefined, clear: () => undefined };

/** A progress line on io.stderr when it is a terminal; a no-op otherwise. */
export function progressLine(io: CliIo, now: () => number = Date.now): ProgressLine {
  if (!io.stderrIsTTY) return NO_PROGRESS;
  const width = Math.max(20, (io.columns || 80) - 1);
  let label = '';
  let start = now();
  let shown = false;
  return {
    update(state) {
      if (state.label !== label) {
        label = state.label;
        start = now();
      }
      const text = progressText(state, (now() - start) / 1000).slice(0, width);
      io.stderr(`\r\u001b[K${text}`);
      shown = true;
    },
    clear() {
      if (shown) io.stderr('\r\u001b[K');
      shown = false;
    },
  };
}
