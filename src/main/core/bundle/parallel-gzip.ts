// pigz-style gzip: the input is cut into fixed-size blocks at fixed byte offsets, each block
// is raw-deflated independently (with the previous 32 KiB as dictionary, so the ratio stays
// close to a single stream) on libuv's thread pool, and the results are joined in order.
// Non-final blocks end with a sync flush (byte-aligned, no BFINAL), the last one with
// Z_FINISH. The output depends only on the input, the level and the block size, never on
// timing or core count: it is as reproducible as a single-stream gzip.
//
// Header: 1f 8b 08, no flags, mtime 0, XFL 0, OS byte GZIP_OS_BYTE. Trailer: CRC-32, size.
import { Transform, type TransformCallback } from 'node:stream';
import os from 'node:os';
import zlib from 'node:zlib';

export const GZIP_OS_BYTE = 255;
export const GZIP_BLOCK_SIZE = 1 << 20;
const WINDOW = 32 * 1024;

type Crc32 = (data: Buffer, value?: number) => number;
const crc32: Crc32 | undefined = (zlib as unknown as { crc32?: Crc32 }).crc32;

/** Whether the runtime has what the parallel writer needs (zlib.crc32: Node ≥ 20.15 / 22.2). */
export const parallelGzipAvailable = typeof crc32 === 'function';

function deflateBlock(block: Buffer, level: number, dictionary: Buffer | undefined, last: boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const opts: zlib.ZlibOptions = {
      level,
      finishFlush: last ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH,
    };
    if (dictionary && dictionary.length && level > 0) opts.dictionary = dictionary;
    zlib.deflateRaw(block, opts, (err, out) => (err ? reject(err) : resolve(out)));
  });
}

export function gzipHeader(): Buffer {
  return Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, GZIP_OS_BYTE]);
}

export interface ParallelGzipOptions {
  level: number;
  blockSize?: number;
  /** Blocks compressed at once; default the number of cores (at least 2). */
  concurrency?: number;
}

export class ParallelGzip extends Transform {
  private readonly level: number;
  private readonly blockSize: number;
  private readonly maxInFlight: number;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private tail: Buffer | undefined;
  private crc = 0;
  private total = 0;
  private readonly queue: Promise<Buffer>[] = [];

  constructor(opts: ParallelGzipOptions) {
    super();
    if (!crc32) throw new Error('zlib.crc32 is not available in this runtime');
    this.level = opts.level;
    this.blockSize = opts.blockSize ?? GZIP_BLOCK_SIZE;
    const cores = opts.concurrency ?? Math.max(2, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
    this.maxInFlight = Math.max(1, cores);
    this.push(gzipHeader());
  }

  private dispatch(block: Buffer, last: boolean): void {
    const p = deflateBlock(block, this.level, this.tail, last);
    p.catch(() => undefined); // awaited in order below; avoid an unhandled rejection if destroyed first
    this.queue.push(p);
    this.tail = block.length >= WINDOW ? block.subarray(block.length - WINDOW) : Buffer.concat([this.tail ?? Buffer.alloc(0), block]).subarray(-WINDOW);
  }

  private async drainTo(limit: number): Promise<void> {
    while (this.queue.length > limit) this.push(await this.queue.shift()!);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.crc = crc32!(chunk, this.crc);
    this.total += chunk.length;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered >= this.blockSize) {
      let all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
      while (all.length >= this.blockSize) {
        this.dispatch(all.subarray(0, this.blockSize), false);
        all = all.subarray(this.blockSize);
      }
      this.chunks = all.length ? [all] : [];
      this.buffered = all.length;
    }
    if (this.queue.length > this.maxInFlight) this.drainTo(this.maxInFlight).then(() => cb(), cb);
    else cb();
  }

  override _flush(cb: TransformCallback): void {
    const rest = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
    this.chunks = [];
    this.dispatch(rest, true);
    this.drainTo(0).then(() => {
      const trailer = Buffer.alloc(8);
      trailer.writeUInt32LE(this.crc >>> 0, 0);
      trailer.writeUInt32LE(this.total % 2 ** 32, 4);
      this.push(trailer);
      cb();
    }, cb);
  }
}
