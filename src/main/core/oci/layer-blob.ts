// A layer blob from a tar stream, in one streaming pass: the uncompressed tar is hashed
// (diff_id, on a worker thread: the bytes are copied to it and this thread goes on feeding the
// compression) on its way into the block gzip writer (level 6 in fixed 1 MiB blocks on all
// cores, incompressible ranges stored: the bytes depend on the content only, never on core
// count or timing), whose output is hashed (digest), counted and optionally written to a file.
// The service rootfs layer (rootfs-layer.ts) and a packed layer (layers/pack) share it.
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { appError } from '../../../shared/errors';
import { HashThread } from '../bundle/hash-thread';
import { BlockGzip, GZIP_OS_BYTE } from '../bundle/parallel-gzip';
import { writeAll } from '../bundle/write-all';

/** gzip's default level, as the platform's layer build (`gzip -n`) uses. */
export const LAYER_GZIP_LEVEL = 6;
/**
 * gzip header OS byte, pinned to 255 ("unknown") like the signed bundle does (zlib would write
 * the build platform there, 3 on Unix, 10 on Windows, and the digest must not vary).
 */
export const LAYER_GZIP_OS_BYTE = GZIP_OS_BYTE;

export interface LayerBlob {
  /** sha256 of the .tar.gz. */
  digest: string;
  size: number;
  /** sha256 of the uncompressed tar. */
  diffId: string;
  tarSize: number;
}

export interface LayerBlobOptions {
  /** Where the compressed bytes go; only hashed when absent. */
  out?: FileHandle;
  signal?: AbortSignal;
}

/**
 * Compresses and hashes `tar`. Each chunk is hashed and copied into a gzip block before the
 * next is asked for, so a tar stream that reuses its buffer is fine.
 */
export async function writeLayerBlob(tar: AsyncIterable<Buffer>, opts: LayerBlobOptions = {}): Promise<LayerBlob> {
  const uncompressed = new HashThread(['sha256']);
  const compressed = createHash('sha256');
  let tarSize = 0;
  let size = 0;
  const out = opts.out;
  const gz = new BlockGzip({ level: LAYER_GZIP_LEVEL }, async (chunks) => {
    // The write runs on the thread pool while the digest is computed here.
    const written = out ? writeAll(out, chunks) : undefined;
    for (const c of chunks) {
      compressed.update(c);
      size += c.length;
    }
    await written;
  });
  try {
    for await (const chunk of tar) {
      if (opts.signal?.aborted) throw appError('cancelled', 'Cancelled.');
      const room = uncompressed.update(chunk);
      tarSize += chunk.length;
      await gz.write(chunk);
      if (room) await room;
    }
    if (opts.signal?.aborted) throw appError('cancelled', 'Cancelled.');
    await gz.end();
    const [diffId] = await uncompressed.digest();
    return { digest: `sha256:${compressed.digest('hex')}`, size, diffId: `sha256:${diffId}`, tarSize };
  } finally {
    await uncompressed.close();
  }
}
