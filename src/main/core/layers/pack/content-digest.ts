// sha256 of a file's content, streamed in 256 KiB reads (memory flat whatever the size), for
// telling a rootfs file from its parent's when everything else about them is the same.
import { createHash } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { appError } from '../../../../shared/errors';

const CHUNK = 256 << 10;

export async function contentDigest(file: string, signal?: AbortSignal, onBytes?: (n: number) => void): Promise<string> {
  const hash = createHash('sha256');
  // Never follows a link swapped in for the file, never blocks on a FIFO.
  const fh = await fs.open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  const buf = Buffer.allocUnsafe(CHUNK);
  try {
    for (;;) {
      if (signal?.aborted) throw appError('cancelled', 'Cancelled.');
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      onBytes?.(bytesRead);
    }
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}
