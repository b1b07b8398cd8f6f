// Hidden temp files beside an output (`.service.tar.gz.<pid>.<random>.tmp`), renamed onto it
// once complete. The writer's pid is in the name so that a later run can tell a dead
// process's leftovers (removed) from a live one's (kept), and every temp file in use is
// registered so that a CLI killed by SIGTERM or SIGHUP can remove them synchronously before
// it dies (cli/signal.ts). No signal handling here: the core only keeps the list.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * A temp path next to `target`: hidden, carrying this process's pid, unlikely to collide.
 * `part` tells several temp files of one output apart (e.g. 'inner').
 */
export function tempPathFor(target: string, part?: string): string {
  return join(dirname(target), `.${basename(target)}.${part ? `${part}.` : ''}${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The pid in the name of one of `target`'s temp files (this format or the older `inner-<pid>-<hex>`), else undefined. */
export function tempFileOwner(target: string, name: string): number | undefined {
  const m = new RegExp(`^\\.${escapeRegExp(basename(target))}\\.(?:[a-z]+[.-])?(\\d+)[.-][0-9a-f]{12}\\.tmp$`).exec(name);
  return m ? Number(m[1]) : undefined;
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else; only ESRCH means it is gone.
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes the temp files of `target` left by processes that no longer exist (killed by
 * SIGKILL, a power cut). Files of live processes, this one included, are kept. Returns the
 * paths removed; a folder that cannot be listed is left alone (the write will report it).
 */
export async function removeStaleTemps(target: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dirname(target));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = tempFileOwner(target, name);
    if (pid === undefined || pid === process.pid || processAlive(pid)) continue;
    const p = join(dirname(target), name);
    try {
      await rm(p, { force: true });
      removed.push(p);
    } catch {
      // Not ours to insist on (permissions): it stays, harmless beside the output.
    }
  }
  return removed;
}

const live = new Set<string>();

/** Registers a temp file (or staging folder) this process is writing; `untrack` once it is renamed or removed. */
export function trackTemp(p: string): void {
  live.add(p);
}

export function untrackTemp(p: string): void {
  live.delete(p);
}

/** The temp files in use now (tests, diagnostics). */
export function liveTemps(): string[] {
  return [...live];
}

/**
 * Removes every registered temp file at once, synchronously: for a signal handler, which
 * may not wait for promises before the process ends.
 */
export function removeLiveTempsSync(): void {
  for (const p of live) {
    try {
      rmSync(p, { force: true, recursive: true });
    } catch {
      // Nothing more can be done while the process is going down.
    }
  }
  live.clear();
}
