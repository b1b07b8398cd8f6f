// pigz-style gzip: the input is cut into fixed-size blocks at fixed byte offsets, each block
// is raw-deflated independently (with the previous 32 KiB as dictionary, so the ratio stays
// close to a single stream) on libuv's thread pool, and the results are joined in order.
// Non-final pieces end with a sync flush (byte-aligned, no BFINAL), the last one with
// Z_FINISH. Ranges that look incompressible (random or already-compressed bytes, see
// incompressible.ts) are written as stored deflate blocks straight from the input, without
// zlib. The output depends only on the input, the level and the block size, never on timing,
// input chunking or core count: it is as reproducible as a single-stream gzip.
//
// Memory is bounded: at most `concurrency` + 1 blocks are compressing or waiting to be
// written, plus the one being filled; `write()` waits (backpressure to the producer) while
// that many are in flight, and blocks are recycled once written.
//
// Header: 1f 8b 08, no flags, mtime 0, XFL 0, OS byte GZIP_OS_BYTE. Trailer: CRC-32, size.
import { Transform, type TransformCallback } from 'node:stream';
import os from 'node:os';
import zlib from 'node:zlib';
import { crc32 } from './crc32';
import { planBlock, SEGMENT_SIZE, WINDOW_SIZE } from './incompressible';

export { crc32Js } from './crc32';

export const GZIP_OS_BYTE = 255;
export const GZIP_BLOCK_SIZE = 1 << 20;
/** Largest payload of one stored deflate block. */
export const STORED_MAX = 0xffff;
/** zlib output buffer size: one 1 MiB block of text fits in one or two, so one round trip. */
const ZLIB_CHUNK = 256 * 1024;

export function gzipHeader(): Buffer {
  return Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, GZIP_OS_BYTE]);
}

/**
 * data[start, end) as stored deflate blocks (headers + views of `data`, no copy). The stream
 * before must be byte-aligned, which it is after a sync flush or another stored block.
 */
export function storedBlocks(data: Buffer, start: number, end: number, final: boolean): Buffer[] {
  const count = Math.max(1, Math.ceil((end - start) / STORED_MAX));
  const headers = Buffer.allocUnsafe(5 * count);
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const from = start + i * STORED_MAX;
    const len = Math.min(STORED_MAX, end - from);
    const h = headers.subarray(5 * i, 5 * i + 5);
    h[0] = final && i === count - 1 ? 1 : 0; // BFINAL, BTYPE 00 (stored), padding to the byte
    h.writeUInt16LE(len, 1);
    h.writeUInt16LE(~len & 0xffff, 3);
    out.push(h);
    if (len) out.push(data.subarray(from, from + len));
  }
  return out;
}

/** What deflateRun needs of Node's zlib stream internals to let zlib write into our buffer. */
interface ZlibOutput {
  _outBuffer?: unknown;
  _outOffset?: unknown;
  _chunkSize?: unknown;
}

/**
 * Raw-deflates `data` on the thread pool. With `out`, zlib writes its output straight into
 * that (recycled) buffer instead of allocating its own: Node's zlib stream keeps its output
 * buffer in `_outBuffer` / `_chunkSize` (unchanged since Node 0.x); when those are not there,
 * the stream simply allocates as usual.
 */
function deflateRun(data: Buffer, level: number, dictionary: Buffer | undefined, final: boolean, out?: Buffer): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const opts: zlib.ZlibOptions = {
      level,
      finishFlush: final ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH,
      chunkSize: out ? zlib.constants.Z_MIN_CHUNK : ZLIB_CHUNK,
    };
    if (dictionary && dictionary.length) opts.dictionary = dictionary;
    let z = zlib.createDeflateRaw(opts);
    if (out) {
      const zi = z as unknown as ZlibOutput;
      if (Buffer.isBuffer(zi._outBuffer) && zi._outOffset === 0 && zi._chunkSize === zlib.constants.Z_MIN_CHUNK) {
        zi._outBuffer = out;
        zi._chunkSize = out.length;
      } else {
        z.destroy();
        z = zlib.createDeflateRaw({ ...opts, chunkSize: ZLIB_CHUNK });
      }
    }
    const chunks: Buffer[] = [];
    z.on('data', (c: Buffer) => chunks.push(c));
    z.once('error', reject);
    z.once('end', () => resolve(chunks));
    z.end(data);
  });
}

/** The WINDOW_SIZE bytes before data[start] (from `before`, the previous input, when needed). */
function windowBefore(data: Buffer, start: number, before: Buffer | undefined): Buffer | undefined {
  if (start >= WINDOW_SIZE) return data.subarray(start - WINDOW_SIZE, start);
  if (!before?.length) return start ? data.subarray(0, start) : undefined;
  if (!start) return before;
  return Buffer.concat([before, data.subarray(0, start)]).subarray(-WINDOW_SIZE);
}

export interface DeflateBlockOptions {
  /** Store incompressible ranges instead of compressing them (default: yes when level > 0). */
  storeIncompressible?: boolean;
  /**
   * Where zlib writes (recycled by the caller once the output is written): each zlib run gets
   * its own slice, sized by outputBound(). Should hold outputBound(block size, SEGMENTS).
   */
  output?: Buffer;
}

/** Room zlib needs for `length` input bytes cut into at most `runs` runs (deflate's worst case is ~0.03 % over). */
export function outputBound(length: number, runs = 1): number {
  return length + (length >> 4) + 1024 * runs;
}

/**
 * One block's deflate output: its incompressible ranges stored, the rest compressed with zlib
 * on the thread pool (each range with the 32 KiB before it as dictionary).
 */
export function deflateBlock(data: Buffer, level: number, before: Buffer | undefined, final: boolean, opts: DeflateBlockOptions = {}): Promise<Buffer[]> {
  if (level === 0) return Promise.resolve(storedBlocks(data, 0, data.length, final));
  const runs = (opts.storeIncompressible ?? level > 0) ? planBlock(data, before) : [{ start: 0, end: data.length, store: false }];
  let outAt = 0;
  const parts = runs.map((r, i) => {
    const last = final && i === runs.length - 1;
    if (r.store) return storedBlocks(data, r.start, r.end, last);
    let out: Buffer | undefined;
    const room = outputBound(r.end - r.start);
    if (opts.output && outAt + room <= opts.output.length) {
      out = opts.output.subarray(outAt, outAt + room);
      outAt += room;
    }
    return deflateRun(data.subarray(r.start, r.end), level, windowBefore(data, r.start, before), last, out);
  });
  return Promise.all(parts).then((p) => p.flat());
}

/** Fixed-size buffers handed out again once returned (at most `keep` are kept). */
export class BufferPool {
  private readonly free: Buffer[] = [];
  constructor(
    readonly size: number,
    private readonly keep: number,
  ) {}

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafe(this.size);
  }

  release(b: Buffer): void {
    if (b.length === this.size && this.free.length < this.keep) this.free.push(b);
  }

  /** Buffers waiting to be handed out again. */
  get available(): number {
    return this.free.length;
  }
}

/** Receives the gzip stream in order, as lists of buffers; the next ones wait for its promise. */
export type GzipSink = (chunks: Buffer[]) => void | Promise<void>;

export interface ParallelGzipOptions {
  level: number;
  blockSize?: number;
  /** Blocks compressed at once; default the number of cores (at least 2) + 1. */
  concurrency?: number;
  /** Store incompressible ranges instead of compressing them (default: yes when level > 0). */
  storeIncompressible?: boolean;
}

export interface BlockGzipOptions extends ParallelGzipOptions {
  /**
   * Recycle block buffers once the sink's promise resolved (default true). Stored blocks are
   * views of the input block, so a sink that keeps the buffers past its promise needs false.
   */
  reuseBlocks?: boolean;
}

/**
 * One block more than there are cores: while one block waits to be written or hashed (or the
 * tar walk waits for a read), the cores still have a block each to compress.
 */
export function defaultConcurrency(): number {
  return 1 + Math.max(2, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

interface Job {
  block: Buffer;
  /** zlib's output buffer for this block, recycled with it. */
  output: Buffer | undefined;
  out: Promise<Buffer[]>;
}

/**
 * The block gzip writer: `write()` copies input into fixed-size blocks, `end()` finishes the
 * stream; the output goes to the sink in order. Await each call (it applies backpressure).
 */
export class BlockGzip {
  /** CRC-32 and length of the input so far. */
  crc = 0;
  size = 0;
  private readonly level: number;
  private readonly blockSize: number;
  private readonly maxInFlight: number;
  private readonly storeIncompressible: boolean;
  private readonly reuseBlocks: boolean;
  private current: Buffer | undefined;
  private fill = 0;
  /** The last WINDOW_SIZE bytes of input before the current block (a copy). */
  private before: Buffer | undefined;
  private readonly jobs: Job[] = [];
  private readonly blocks: BufferPool;
  private readonly outputs: BufferPool | undefined;
  private headerSent = false;
  private ended = false;

  constructor(
    opts: BlockGzipOptions,
    private readonly sink: GzipSink,
  ) {
    if (!(opts.level >= 0 && opts.level <= 9)) throw new RangeError(`gzip level ${opts.level} is not 0-9`);
    this.level = opts.level;
    this.blockSize = opts.blockSize ?? GZIP_BLOCK_SIZE;
    if (this.blockSize < 1024) throw new RangeError('gzip block size below 1 KiB');
    this.maxInFlight = Math.max(1, opts.concurrency ?? defaultConcurrency());
    this.storeIncompressible = opts.storeIncompressible ?? opts.level > 0;
    this.reuseBlocks = opts.reuseBlocks ?? true;
    // In flight at most: maxInFlight + 1 blocks dispatched, one being filled.
    this.blocks = new BufferPool(this.blockSize, 2);
    this.outputs = this.reuseBlocks && this.level > 0 ? new BufferPool(outputBound(this.blockSize, Math.ceil(this.blockSize / SEGMENT_SIZE)), this.maxInFlight + 2) : undefined;
  }

  /** Blocks dispatched and not yet handed to the sink (for tests: never above concurrency + 1). */
  get inFlight(): number {
    return this.jobs.length;
  }

  /** Copies `data` in; resolves once there is room for more. */
  async write(data: Uint8Array): Promise<void> {
    if (this.ended) throw new Error('write after end');
    let off = 0;
    while (off < data.length) {
      const block = (this.current ??= this.blocks.take());
      const n = Math.min(data.length - off, this.blockSize - this.fill);
      block.set(data.subarray(off, off + n), this.fill);
      this.fill += n;
      off += n;
      if (this.fill === this.blockSize) await this.dispatch(false);
    }
  }

  /** Compresses what is left, hands everything to the sink, then the trailer. */
  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.dispatch(true);
    while (this.jobs.length) await this.deliver();
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(this.crc >>> 0, 0);
    trailer.writeUInt32LE(this.size % 2 ** 32, 4);
    await this.sink([trailer]);
  }

  private async dispatch(final: boolean): Promise<void> {
    const block = this.current ?? Buffer.alloc(0);
    const data = block.subarray(0, this.fill);
    this.current = undefined;
    this.fill = 0;
    this.crc = crc32(data, this.crc);
    this.size += data.length;
    const output = this.outputs?.take();
    const out = deflateBlock(data, this.level, this.before, final, { storeIncompressible: this.storeIncompressible, output });
    out.catch(() => undefined); // awaited in order by deliver(); no unhandled rejection meanwhile
    this.jobs.push({ block, output, out });
    // `before` is replaced, never written to, so the dictionaries handed to zlib above stay valid.
    if (this.level > 0) {
      const tail = data.length >= WINDOW_SIZE ? data.subarray(data.length - WINDOW_SIZE) : Buffer.concat([this.before ?? Buffer.alloc(0), data]).subarray(-WINDOW_SIZE);
      this.before = Buffer.from(tail);
    }
    while (this.jobs.length > this.maxInFlight) await this.deliver();
  }

  private async deliver(): Promise<void> {
    const job = this.jobs.shift()!;
    const chunks = await job.out;
    if (!this.headerSent) {
      chunks.unshift(gzipHeader());
      this.headerSent = true;
    }
    await this.sink(chunks);
    // The sink is done with the views of the block and of the zlib outputs: recycle them.
    if (this.reuseBlocks) {
      this.blocks.release(job.block);
      if (job.output) this.outputs?.release(job.output);
    }
  }
}

/** The block gzip writer as a Transform stream (blocks are not recycled: pushed views stay valid). */
export class ParallelGzip extends Transform {
  private readonly gz: BlockGzip;

  constructor(opts: ParallelGzipOptions) {
    super();
    this.gz = new BlockGzip({ ...opts, reuseBlocks: false }, (chunks) => {
      for (const c of chunks) this.push(c);
    });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.gz.write(chunk).then(() => cb(), cb);
  }

  override _flush(cb: TransformCallback): void {
    this.gz.end().then(() => cb(), cb);
  }
}
