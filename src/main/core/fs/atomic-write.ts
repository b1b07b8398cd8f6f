// Outputs are never half-written: data goes to a temporary file beside the target (same
// filesystem, so the rename is atomic), is flushed, and only then renamed over the target.
// Temp files are registered while they exist, so a CLI ended by a signal removes them.
import { copyFile, open, rename, rm, stat } from 'node:fs/promises';
import { tempPathFor, trackTemp, untrackTemp } from './temp-files';

export { tempPathFor };

export interface AtomicWriteOptions {
  /** Permission bits for a new file; an existing file keeps its own mode. */
  mode?: number;
}

export async function writeFileAtomic(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const temp = tempPathFor(target);
  let mode = options.mode ?? 0o644;
  try {
    mode = (await stat(target)).mode & 0o7777;
  } catch {
    // new file: keep the requested mode
  }
  const handle = await open(temp, 'wx', mode);
  trackTemp(temp);
  try {
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    await rename(temp, target);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw err;
  } finally {
    untrackTemp(temp);
  }
}

/** Copies `source` to `target` the same way: a reader sees the old file or the whole new one. */
export async function copyFileAtomic(source: string, target: string): Promise<void> {
  const temp = tempPathFor(target);
  trackTemp(temp);
  try {
    await copyFile(source, temp);
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  } finally {
    untrackTemp(temp);
  }
}
