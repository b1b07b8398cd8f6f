// Writing lists of buffers (a block gzip writer's output) to a file: one writev per list.
import type { FileHandle } from 'node:fs/promises';

/** Largest number of buffers handed to one writev (below every platform's IOV_MAX). */
const IOV_BATCH = 512;

/**
 * Writes every buffer, in order, resuming after short writes: at the file's current offset,
 * or from `position` on (pwritev, which leaves the offset alone). Resolves the bytes written.
 */
export async function writeAll(fh: FileHandle, chunks: readonly Buffer[], position?: number): Promise<number> {
  const batch = chunks.filter((c) => c.length);
  let total = 0;
  while (batch.length) {
    let { bytesWritten } = await fh.writev(batch.slice(0, IOV_BATCH), position === undefined ? undefined : position + total);
    total += bytesWritten;
    while (batch.length && bytesWritten >= batch[0].length) bytesWritten -= batch.shift()!.length;
    if (bytesWritten && batch.length) batch[0] = batch[0].subarray(bytesWritten);
  }
  return total;
}
