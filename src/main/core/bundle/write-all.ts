// Writing lists of buffers (a block gzip writer's output) to a file: one writev per list.
import type { FileHandle } from 'node:fs/promises';

/** Largest number of buffers handed to one writev (below every platform's IOV_MAX). */
const IOV_BATCH = 512;

/** Writes every buffer, in order, resuming after short writes. */
export async function writeAll(fh: FileHandle, chunks: readonly Buffer[]): Promise<void> {
  const batch = chunks.filter((c) => c.length);
  while (batch.length) {
    let { bytesWritten } = await fh.writev(batch.slice(0, IOV_BATCH));
    while (batch.length && bytesWritten >= batch[0].length) bytesWritten -= batch.shift()!.length;
    if (bytesWritten && batch.length) batch[0] = batch[0].subarray(bytesWritten);
  }
}
