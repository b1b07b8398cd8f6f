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
}

export interface GunzipResult {
  /** Size of the gzip file. */
  compressedBytes: number;
  /** Size of what it holds. */
  bytes: number;
}

const INFLATE_CHUNK = 1 << 20;
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
  let pos = 10;
  if (flags & FEXTRA) {
    if (b.length < pos + 2) return undefined;
    pos += 2 + b.readUInt16LE(pos);
    if (b.length < pos) return undefined;
  }
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

/** Streams `source` through one gzip member, handing each decompressed chunk to `sink`. */
export async function gunzipOneMember(
  source: AsyncIterable<Buffer>,
  sink: (chunk: Buffer) => void | Promise<void>,
  opts: GunzipOptions,
): Promise<GunzipResult> {
  let compressedBytes = 0;
  let deflateFed = 0;
  // The last bytes fed to inflate: the trailer, once inflate has found the stream's end.
  let tail: Buffer = Buffer.alloc(0);
  let bytes = 0;
  let crc = 0;

  async function* body(): AsyncGenerator<Buffer> {
    let head: Buffer | undefined = Buffer.alloc(0);
    for await (const raw of source) {
      compressedBytes += raw.length;
      let chunk = raw;
      if (head) {
        head = Buffer.concat([head, chunk]);
        const n = gzipHeaderLength(head);
        if (n === undefined) continue;
        chunk = head.subarray(n);
        head = undefined;
      }
      deflateFed += chunk.length;
      tail = chunk.length >= 8 ? chunk.subarray(chunk.length - 8) : Buffer.concat([tail, chunk]).subarray(-8);
      yield chunk;
    }
    if (head) {
      if (head.length === 0) throw new ArchiveError('not-gzip', 'the file is empty');
      if (head.length >= 2) throw new ArchiveError('truncated', 'the file ends inside its gzip header');
      throw notGzip(head);
    }
  }

  // Output in 1 MiB pieces, not zlib's default 16 KiB: each piece costs a callback, a CRC
  // call and a sink call, which at 16 KiB cost three times the inflating itself.
  const inflate = createInflateRaw({ chunkSize: INFLATE_CHUNK });
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (bytes > opts.maxBytes) {
        cb(new ArchiveError('limit', `${opts.what ?? 'it'} unpacks to more than ${formatBytes(opts.maxBytes)} (more than any real bundle, or more than one pass of gzip can expand this file: a decompression bomb)`));
        return;
      }
      crc = crc32(chunk, crc);
      let r: void | Promise<void>;
      try {
        r = sink(chunk);
      } catch (e) {
        cb(e as Error);
        return;
      }
      if (r) r.then(() => cb(), cb);
      else cb();
    },
  });
  try {
    await pipeline(Readable.from(body()), inflate, out, { signal: opts.signal });
  } catch (e) {
    if (e instanceof ArchiveError || (e as Error).name === 'AbortError') throw e;
    if (e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('Z_')) {
      if (e.code === 'Z_BUF_ERROR') throw new ArchiveError('truncated', 'the gzip data ends early: the file is truncated');
      throw new ArchiveError('gzip', `the gzip data is corrupt (${e.message})`);
    }
    throw e;
  }
  const left = deflateFed - inflate.bytesWritten;
  if (left < 8) throw new ArchiveError('truncated', 'the gzip trailer is missing: the file is truncated');
  if (left > 8) {
    throw new ArchiveError('gzip-trailing-data', `${left - 8} bytes follow the gzip member (a second member or other data, which other tools would read as part of the archive)`);
  }
  if (tail.readUInt32LE(0) !== crc >>> 0) throw new ArchiveError('gzip', 'the gzip CRC-32 does not match the data');
  if (tail.readUInt32LE(4) !== bytes % 2 ** 32) throw new ArchiveError('gzip', 'the gzip length field does not match the data');
  return { compressedBytes, bytes };
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
