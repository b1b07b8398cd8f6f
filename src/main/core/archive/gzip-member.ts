// Decompresses exactly one gzip member, streamed, and refuses anything else: a file that is
// not gzip (a plain tar where gzip is due), a malformed header, corrupt data, a CRC or
// length that does not match, and any byte after the member's trailer. gzip, GNU tar and
// Python's tarfile read a second member as more of the same archive, a reader that stops
// after the first does not: what follows the first member is where they would disagree.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw, crc32 } from 'node:zlib';
import { ArchiveError } from './archive-error';

export interface GunzipOptions {
  /** Decompressed bytes allowed; more is refused as no real bundle has it. */
  maxBytes: number;
  signal?: AbortSignal;
  /** What is decompressed, for the limit's message ('it' by default). */
  what?: string;
  /**
   * The source writes into a chunk's buffer again once the next chunk is asked for (upload's
   * shared buffers): nothing of a chunk is then kept past that (the dictionary window and the
   * input zlib holds are copies). The sink must then be done with its pieces when it settles.
   */
  chunksReused?: boolean;
}

export interface GunzipResult {
  /** Size of the gzip file. */
  compressedBytes: number;
  /** Size of what it holds. */
  bytes: number;
}

const INFLATE_CHUNK = 1 << 20;
/** How far back a deflate back-reference can reach. */
const WINDOW = 32 << 10;
/** A stored block's header byte (BFINAL, BTYPE) with LEN and NLEN. */
const STORED_HEADER = 5;
const TRUNCATED_DATA = 'the gzip data ends early: the file is truncated';
const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
/** Longest file name or comment a header may carry before it is refused. */
const MAX_HEADER_BYTES = 64 << 10;

/**
 * Length of the gzip header at the start of `b`, or undefined while `b` is too short to
 * tell. Throws for anything that is not a gzip header gzip itself would accept.
 */
export function gzipHeaderLength(b: Buffer): number | undefined {
  if (b.length >= 1 && b[0] !== 0x1f) throw notGzip(b);
  if (b.length >= 2 && b[1] !== 0x8b) throw notGzip(b);
  if (b.length < 10) return undefined;
  if (b[2] !== 8) throw new ArchiveError('gzip', `unknown gzip compression method ${b[2]}`);
  const flags = b[3];
  if (flags & 0xe0) throw new ArchiveError('gzip', 'reserved gzip header flags are set');
  // An extra field is refused: Python's tarfile, streaming an archive (mode 'r|gz'), skips it
  // as decompressed data instead of header bytes and fails where gzip and 'r:gz' read on.
  // No writer of bundles or layers sets it.
  if (flags & FEXTRA) throw new ArchiveError('gzip', 'the gzip header has an extra field (FEXTRA), which Python\'s tarfile misreads when it streams the archive');
  let pos = 10;
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    const end = b.indexOf(0, pos);
    if (end === -1) {
      if (b.length - pos > MAX_HEADER_BYTES) throw new ArchiveError('gzip', 'the gzip header\'s file name or comment is too long');
      return undefined;
    }
    pos = end + 1;
  }
  if (flags & FHCRC) {
    if (b.length < pos + 2) return undefined;
    if ((crc32(b.subarray(0, pos)) & 0xffff) !== b.readUInt16LE(pos)) throw new ArchiveError('gzip', 'the gzip header CRC does not match');
    pos += 2;
  }
  return pos;
}

function notGzip(b: Buffer): ArchiveError {
  const plainTar = b.length >= 262 && b.toString('latin1', 257, 262) === 'ustar';
  return new ArchiveError('not-gzip', plainTar ? 'a plain (uncompressed) tar where gzip is due' : 'not a gzip file');
}

/**
 * Streams `source` through one gzip member, handing each decompressed chunk to `sink`.
 *
 * Stored deflate blocks (the outer archive of a signed bundle is nothing else) are read
 * here and handed on as subarrays of the source's chunks, with no copy and no zlib call;
 * from the first compressed block on, zlib inflates the rest. So `source` must yield a
 * buffer it never writes to again (createReadStream and a PassThrough of fresh buffers
 * do), and `sink` must not write into the chunks it is given.
 */
export async function gunzipOneMember(
  source: AsyncIterable<Buffer>,
  sink: (chunk: Buffer) => void | Promise<void>,
  opts: GunzipOptions,
): Promise<GunzipResult> {
  const signal = opts.signal;
  if (signal?.aborted) throw abortError(signal);
  const input = source[Symbol.asyncIterator]();
  let compressedBytes = 0;
  let inputDone = false;
  async function next(): Promise<Buffer | undefined> {
    if (opts.chunksReused) recent.own();
    const r = await abortable(input.next(), signal);
    if (r.done) {
      inputDone = true;
      return undefined;
    }
    compressedBytes += r.value.length;
    return r.value;
  }

  let bytes = 0;
  let crc = 0;
  const recent = new RecentOutput();
  function emit(chunk: Buffer): void | Promise<void> {
    bytes += chunk.length;
    if (bytes > opts.maxBytes) {
      throw new ArchiveError('limit', `${opts.what ?? 'it'} unpacks to more than ${formatBytes(opts.maxBytes)} (more than any real bundle, or more than one pass of gzip can expand this file: a decompression bomb)`);
    }
    crc = crc32(chunk, crc);
    return sink(chunk);
  }

  try {
    let { buf, at } = await headerEnd();
    // Stored blocks: a header byte (BFINAL, BTYPE 00, padding bits to the byte's end), LEN,
    // NLEN, then LEN bytes as they are. A stored block ends on a byte, so the next header
    // starts on one too: the first compressed block begins at a byte zlib can start from.
    const head = Buffer.alloc(STORED_HEADER);
    let headHave = 0;
    let payload = 0;
    let final = false;
    for (;;) {
      while (at < buf.length) {
        if (payload > 0) {
          const n = Math.min(payload, buf.length - at);
          const piece = buf.subarray(at, at + n);
          at += n;
          payload -= n;
          recent.push(piece);
          const r = emit(piece);
          if (r) await r;
          // A cancel is checked after each piece, not raced against the sink: a race per
          // piece costs more than the rest of its handling, and the sinks settle by themselves.
          if (signal?.aborted) throw abortError(signal);
          continue;
        }
        if (final) break;
        if (headHave === 0 && (buf[at] & 6) !== 0) {
          const left = await inflateRest(buf.subarray(at), next, recent.window(), emit, signal, opts.chunksReused === true);
          return finish(left.bytesAfter, left.tail);
        }
        const n = Math.min(STORED_HEADER - headHave, buf.length - at);
        buf.copy(head, headHave, at, at + n);
        headHave += n;
        at += n;
        if (headHave < STORED_HEADER) continue;
        headHave = 0;
        final = (head[0] & 1) === 1;
        payload = head.readUInt16LE(1);
        if ((payload ^ head.readUInt16LE(3)) !== 0xffff) throw new ArchiveError('gzip', 'the gzip data is corrupt (invalid stored block lengths)');
      }
      if (final && payload === 0) break;
      const more = await next();
      if (!more) throw new ArchiveError('truncated', TRUNCATED_DATA);
      buf = more;
      at = 0;
    }
    // After the last block: the 8-byte trailer, and whatever follows it.
    const tail = Buffer.alloc(8);
    let after = 0;
    for (;;) {
      const n = buf.length - at;
      if (after < 8) buf.copy(tail, after, at, at + Math.min(n, 8 - after));
      after += n;
      const more = await next();
      if (!more) break;
      buf = more;
      at = 0;
    }
    return finish(after, tail.subarray(0, Math.min(after, 8)));
  } finally {
    // Stopped early (a problem, a cancel): the source stops too, as pipeline stops it.
    if (!inputDone) void Promise.resolve(input.return?.()).catch(() => {});
  }

  /** The first chunk that holds data past the gzip header, and where that data starts. */
  async function headerEnd(): Promise<{ buf: Buffer; at: number }> {
    let head: Buffer = Buffer.alloc(0);
    for (;;) {
      const raw = await next();
      if (!raw) {
        if (head.length === 0) throw new ArchiveError('not-gzip', 'the file is empty');
        if (head.length >= 2) throw new ArchiveError('truncated', 'the file ends inside its gzip header');
        throw notGzip(head);
      }
      head = head.length ? Buffer.concat([head, raw]) : raw;
      const n = gzipHeaderLength(head);
      if (n !== undefined) return { buf: head, at: n };
      if (opts.chunksReused && head === raw) head = Buffer.from(raw);
    }
  }

  function finish(after: number, tail: Buffer): GunzipResult {
    if (after < 8) throw new ArchiveError('truncated', 'the gzip trailer is missing: the file is truncated');
    if (after > 8) {
      throw new ArchiveError('gzip-trailing-data', `${after - 8} bytes follow the gzip member (a second member or other data, which other tools would read as part of the archive)`);
    }
    if (tail.readUInt32LE(0) !== crc >>> 0) throw new ArchiveError('gzip', 'the gzip CRC-32 does not match the data');
    if (tail.readUInt32LE(4) !== bytes % 2 ** 32) throw new ArchiveError('gzip', 'the gzip length field does not match the data');
    return { compressedBytes, bytes };
  }
}

/**
 * Inflates the deflate stream from `first` (the first byte of a compressed block) on, the
 * output so far as its dictionary: a back-reference may reach into the stored blocks
 * before it. Returns how many bytes follow the stream's end, and the last 8 of them.
 */
async function inflateRest(
  first: Buffer,
  next: () => Promise<Buffer | undefined>,
  dictionary: Buffer | undefined,
  emit: (chunk: Buffer) => void | Promise<void>,
  signal: AbortSignal | undefined,
  copyInput: boolean,
): Promise<{ bytesAfter: number; tail: Buffer }> {
  let fed = 0;
  // The last bytes fed to inflate: the trailer, once inflate has found the stream's end.
  let tail: Buffer = Buffer.alloc(0);
  async function* body(): AsyncGenerator<Buffer> {
    for (let given: Buffer | undefined = first; given; given = await next()) {
      // zlib holds its input past the next pull (the pipeline reads ahead): a copy, where the source reuses its buffers.
      const c = copyInput ? Buffer.from(given) : given;
      fed += c.length;
      tail = c.length >= 8 ? c.subarray(c.length - 8) : Buffer.concat([tail, c]).subarray(-8);
      yield c;
    }
  }
  // Output in 1 MiB pieces, not zlib's default 16 KiB: each piece costs a callback, a CRC
  // call and a sink call, which at 16 KiB cost three times the inflating itself.
  const inflate = createInflateRaw({ chunkSize: INFLATE_CHUNK, ...(dictionary && { dictionary }) });
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      let r: void | Promise<void>;
      try {
        r = emit(chunk);
      } catch (e) {
        cb(e as Error);
        return;
      }
      if (r) r.then(() => cb(), cb);
      else cb();
    },
  });
  try {
    await pipeline(Readable.from(body()), inflate, out, { signal });
  } catch (e) {
    if (e instanceof ArchiveError || (e as Error).name === 'AbortError') throw e;
    if (e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('Z_')) {
      if (e.code === 'Z_BUF_ERROR') throw new ArchiveError('truncated', TRUNCATED_DATA);
      throw new ArchiveError('gzip', `the gzip data is corrupt (${e.message})`);
    }
    throw e;
  }
  return { bytesAfter: fed - inflate.bytesWritten, tail };
}

/** The last WINDOW bytes of output, kept as the slices they came in (no copy until asked). */
class RecentOutput {
  private parts: Buffer[] = [];
  private first = 0;
  private size = 0;
  /** parts below this index are copies of their own (own()). */
  private owned = 0;

  push(b: Buffer): void {
    if (b.length >= WINDOW) {
      this.parts = [b];
      this.first = 0;
      this.owned = 0;
      this.size = b.length;
      return;
    }
    if (b.length === 0) return;
    this.parts.push(b);
    this.size += b.length;
    while (this.size - this.parts[this.first].length >= WINDOW) this.size -= this.parts[this.first++].length;
    if (this.first > 1024 && this.first * 2 > this.parts.length) {
      this.parts = this.parts.slice(this.first);
      this.owned = Math.max(0, this.owned - this.first);
      this.first = 0;
    }
  }

  /**
   * Holds the window in buffers of its own: the slices it had may be written into again. Each
   * slice is copied once (the last WINDOW bytes of it), so this costs what came since the last call.
   */
  own(): void {
    for (let i = Math.max(this.first, this.owned); i < this.parts.length; i++) {
      const p = this.parts[i];
      const keep = p.length > WINDOW ? p.subarray(p.length - WINDOW) : p;
      this.parts[i] = Buffer.from(keep);
      this.size -= p.length - keep.length;
    }
    this.owned = this.parts.length;
  }

  /** A copy of the last WINDOW bytes, or undefined when there is no output yet. */
  window(): Buffer | undefined {
    if (this.size === 0) return undefined;
    return Buffer.concat(this.parts.slice(this.first)).subarray(-WINDOW);
  }
}

/** Waits for `p`, or rejects as pipeline does once `signal` aborts. */
function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e as Error);
      },
    );
  });
}

/** The error stream.pipeline rejects with when its signal aborts. */
function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('The operation was aborted', { cause: signal.reason }), { name: 'AbortError', code: 'ABORT_ERR' });
}

export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}
