// The outer archive written in one pass, with the inner archive compressed straight into it.
//
// The outer archive is gzip level 0 (stored deflate blocks), so its bytes are the tar stream's
// own bytes cut into pieces with a 5-byte header each, at places that depend only on their
// position: BlockGzip frames the stream in 1 MiB blocks, each cut into stored pieces of 65 535
// bytes (the last one 16). Where every inner byte lands in the file is therefore known before
// it is produced, and the inner archive can be written at its final place as it is compressed.
// Only two things are not known until the inner archive ends: the size in its tar header
// (which comes before it) and which stored piece is the last. Both are fixed by writing in
// place at the end: the prefix (gzip header, ./, ./config.yaml, the inner header) and the
// last piece's header. The CRC-32 of the tar stream is joined from the prefix's and the
// rest's (crc32Combine). The bytes are exactly those of the two-pass writer (BlockGzip at
// level 0 over the same tar stream), which stays for other outer levels and, as a fallback,
// for inner archives too large for a ustar size field.
//
// What this saves: the inner archive is written once instead of being written to a temp file,
// read back and written again, and no digest of the whole outer archive has to wait for the
// inner one: only its SHA-256 is read back (by the hash worker, HashThread.hashFile).
import type { FileHandle } from 'node:fs/promises';
import { crc32, crc32Combine } from './crc32';
import { GZIP_BLOCK_SIZE, STORED_MAX, gzipHeader } from './parallel-gzip';
import { BLOCK, USTAR_MAX_SIZE, entryHeader, paddingFor, trailer } from './tar';
import { writeAll } from './write-all';

/**
 * Stored deflate framing of a byte stream, exactly as BlockGzip level 0 writes it: a piece
 * header (BFINAL 0, LEN, NLEN) before every piece, pieces of STORED_MAX bytes restarting at
 * every block of GZIP_BLOCK_SIZE. The last piece's header is known only at the end (`end`).
 */
export class StoredFraming {
  /** Position in the uncompressed stream. */
  streamAt = 0;
  /** Position in the file (the gzip header comes first). */
  fileAt: number;
  private pieceLeft = 0;
  private lastHeader = { fileAt: -1, streamAt: 0 };

  constructor(fileAt: number) {
    this.fileAt = fileAt;
  }

  /** `data` framed: piece headers and views of `data`, appended to `out`. */
  frame(data: Buffer, out: Buffer[]): void {
    let off = 0;
    while (off < data.length) {
      if (this.pieceLeft === 0) {
        const len = Math.min(STORED_MAX, GZIP_BLOCK_SIZE - (this.streamAt % GZIP_BLOCK_SIZE));
        out.push(pieceHeader(len, false));
        this.lastHeader = { fileAt: this.fileAt, streamAt: this.streamAt };
        this.fileAt += 5;
        this.pieceLeft = len;
      }
      const n = Math.min(this.pieceLeft, data.length - off);
      out.push(n === data.length ? data : data.subarray(off, off + n));
      off += n;
      this.streamAt += n;
      this.fileAt += n;
      this.pieceLeft -= n;
    }
  }

  /**
   * How the stream ends, as BlockGzip.end() ends it: a stream that stops at a block boundary
   * (or is empty) gets an empty final piece appended; otherwise the last piece written becomes
   * the final one, with its real length (`patch`, to be written over its header).
   */
  end(): { append: Buffer[]; patch?: { fileAt: number; header: Buffer } } {
    if (this.streamAt % GZIP_BLOCK_SIZE === 0) {
      const empty = pieceHeader(0, true);
      this.fileAt += empty.length;
      return { append: [empty] };
    }
    return { append: [], patch: { fileAt: this.lastHeader.fileAt, header: pieceHeader(this.streamAt - this.lastHeader.streamAt, true) } };
  }
}

function pieceHeader(len: number, final: boolean): Buffer {
  const h = Buffer.allocUnsafe(5);
  h[0] = final ? 1 : 0; // BFINAL, BTYPE 00 (stored)
  h.writeUInt16LE(len, 1);
  h.writeUInt16LE(~len & 0xffff, 3);
  return h;
}

export interface InPlaceOuterOptions {
  /** The outer temp file, new and empty, opened for writing. */
  fh: FileHandle;
  configBytes: Buffer;
  /** The inner member's archive name, e.g. './service.tar.gz'. */
  innerName: string;
  mtime: number;
}

/** The outer archive's ./, ./config.yaml and inner member header (with the inner size, once known). */
function outerPrefix(o: Pick<InPlaceOuterOptions, 'configBytes' | 'innerName' | 'mtime'>, innerSize: number): Buffer {
  return Buffer.concat([
    entryHeader({ path: './', type: 'directory', size: 0, mode: 0o755, mtime: o.mtime }),
    entryHeader({ path: './config.yaml', type: 'file', size: o.configBytes.length, mode: 0o644, mtime: o.mtime }),
    o.configBytes,
    Buffer.alloc(paddingFor(o.configBytes.length)),
    entryHeader({ path: o.innerName, type: 'file', size: innerSize, mode: 0o644, mtime: o.mtime }),
  ]);
}

/**
 * Writes the outer archive around an inner archive produced meanwhile: `start()` writes the
 * prefix with a provisional inner header, `innerSink` (a GzipSink of the inner BlockGzip)
 * writes the inner bytes at their final place, `finish()` writes package.sign, the tar end,
 * the gzip trailer and the real prefix. Each innerSink call returns once its bytes are
 * written (backpressure to the compressor).
 */
export class InPlaceOuter {
  private readonly framing = new StoredFraming(gzipHeader().length);
  /** CRC-32 of the tar stream after the prefix. */
  private crcRest = 0;
  private readonly prefixLength: number;
  innerSize = 0;

  private constructor(private readonly o: InPlaceOuterOptions) {
    this.prefixLength = outerPrefix(o, 0).length;
  }

  /**
   * Whether an inner archive of at most `maxInnerSize` bytes fits the one-pass layout: its
   * tar header must stay one ustar block (no pax `size` record, which would move every byte
   * after it).
   */
  static fits(maxInnerSize: number, innerName: string): boolean {
    return maxInnerSize <= USTAR_MAX_SIZE && entryHeader({ path: innerName, type: 'file', size: 0, mode: 0o644, mtime: 0 }).length === BLOCK;
  }

  static async start(o: InPlaceOuterOptions): Promise<InPlaceOuter> {
    const w = new InPlaceOuter(o);
    const out: Buffer[] = [gzipHeader()];
    w.framing.frame(outerPrefix(o, 0), out);
    await writeAll(o.fh, out, 0);
    return w;
  }

  /** The inner archive's next bytes, written at their place in the outer archive. */
  readonly innerSink = async (chunks: Buffer[]): Promise<void> => {
    const at = this.framing.fileAt;
    const out: Buffer[] = [];
    for (const c of chunks) {
      this.crcRest = crc32(c, this.crcRest);
      this.innerSize += c.length;
      this.framing.frame(c, out);
    }
    await writeAll(this.o.fh, out, at);
  };

  /** Writes the rest once the inner archive is complete; resolves the outer archive's size. */
  async finish(packageSign: Buffer): Promise<number> {
    const { fh, mtime } = this.o;
    if (this.innerSize > USTAR_MAX_SIZE) throw new Error(`inner archive of ${this.innerSize} bytes written in place: its size needs a pax header`);
    const written = this.prefixLength + this.innerSize + paddingFor(this.innerSize) + BLOCK + packageSign.length + paddingFor(packageSign.length);
    const suffix = Buffer.concat([
      Buffer.alloc(paddingFor(this.innerSize)),
      entryHeader({ path: './package.sign', type: 'file', size: packageSign.length, mode: 0o644, mtime }),
      packageSign,
      Buffer.alloc(paddingFor(packageSign.length)),
      trailer(written),
    ]);
    const suffixAt = this.framing.fileAt;
    const out: Buffer[] = [];
    this.crcRest = crc32(suffix, this.crcRest);
    this.framing.frame(suffix, out);
    const { append, patch } = this.framing.end();
    out.push(...append);

    const prefix = outerPrefix(this.o, this.innerSize);
    if (prefix.length !== this.prefixLength) throw new Error('the outer prefix changed length');
    const restLength = this.framing.streamAt - prefix.length;
    const crc = crc32Combine(crc32(prefix), this.crcRest, restLength);
    const gzTrailer = Buffer.alloc(8);
    gzTrailer.writeUInt32LE(crc >>> 0, 0);
    gzTrailer.writeUInt32LE(this.framing.streamAt % 2 ** 32, 4);
    out.push(gzTrailer);
    await writeAll(fh, out, suffixAt);

    // The prefix again, with the inner size: same positions, so the same framing.
    const head: Buffer[] = [gzipHeader()];
    new StoredFraming(head[0].length).frame(prefix, head);
    await writeAll(fh, head, 0);
    // After the prefix: in a bundle smaller than one stored piece, the last header is in it.
    if (patch) await writeAll(fh, [patch.header], patch.fileAt);
    return this.framing.fileAt + gzTrailer.length;
  }
}
