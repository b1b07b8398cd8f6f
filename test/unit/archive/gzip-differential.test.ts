// Differential check of gunzipOneMember against GNU gzip (`gzip -dc`), the reader GNU tar
// runs: for seeded random gzip streams made of stored blocks (any LEN, padding bits set in
// their header byte, BFINAL anywhere, broken NLEN, BTYPE 11), compressed blocks after them
// whose back-references reach into the stored data or before the stream's start, broken
// trailers, truncation and trailing bytes, every stream our reader accepts must be one gzip
// accepts with no warning, with the same bytes out. Refusing what gzip accepts is allowed
// (a stricter reader), accepting what it refuses or reads otherwise is not.
import { spawnSync } from 'node:child_process';
import zlib from 'node:zlib';
import { ArchiveError } from '../../../src/main/core/archive/archive-error';
import { gunzipOneMember } from '../../../src/main/core/archive/gzip-member';
import { prng } from '../../support/prng';

const HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);

function trailer(data: Buffer): Buffer {
  const t = Buffer.alloc(8);
  t.writeUInt32LE(zlib.crc32(data) >>> 0, 0);
  t.writeUInt32LE(data.length % 2 ** 32, 4);
  return t;
}

function storedBlock(payload: Buffer, final: boolean, padding: number): Buffer {
  const h = Buffer.alloc(5);
  h[0] = (final ? 1 : 0) | ((padding & 0x1f) << 3);
  h.writeUInt16LE(payload.length, 1);
  h.writeUInt16LE(payload.length ^ 0xffff, 3);
  return Buffer.concat([h, payload]);
}

/** A random gzip stream and what it decompresses to (when it is whole and right). */
function randomStream(r: () => number): Buffer {
  const rint = (n: number) => Math.floor(r() * n);
  const out: Buffer[] = [];
  const parts: Buffer[] = [HEADER];
  const blocks = 1 + rint(5);
  let ended = false;
  for (let i = 0; i < blocks && !ended; i++) {
    const last = i === blocks - 1;
    const kind = r();
    if (kind < 0.6) {
      const lenPick = r();
      const len = lenPick < 0.15 ? 0 : lenPick < 0.25 ? 65_535 : rint(lenPick < 0.6 ? 300 : 40_000);
      const payload = Buffer.alloc(len);
      for (let j = 0; j < len; j++) payload[j] = r() < 0.5 ? 0x61 + rint(4) : rint(256);
      const block = storedBlock(payload, last && r() < 0.9, r() < 0.5 ? rint(32) : 0);
      if (r() < 0.03) block[3] ^= 1 << rint(8); // NLEN broken
      if (r() < 0.03) block[0] |= 6; // BTYPE 11
      parts.push(block);
      out.push(payload);
      if (block[0] & 1) ended = true;
    } else {
      // A compressed part (one or more blocks, the last final or not) whose matches may reach
      // into what came before, or before the stream's start (a dictionary longer than it).
      const before = Buffer.concat(out);
      const fake = r() < 0.2;
      const dictionary = fake ? Buffer.concat([Buffer.alloc(rint(40_000), 0x61 + rint(3)), before]).subarray(-32768) : before.subarray(-32768);
      const len = rint(50_000);
      const data = Buffer.alloc(len);
      for (let j = 0; j < len; j++) data[j] = r() < 0.7 && dictionary.length ? dictionary[rint(dictionary.length)] : 0x61 + rint(3);
      const finish = last || r() < 0.3;
      const opts: zlib.ZlibOptions = { level: 1 + rint(9), strategy: r() < 0.3 ? zlib.constants.Z_FIXED : zlib.constants.Z_DEFAULT_STRATEGY, ...(dictionary.length ? { dictionary } : {}) };
      let raw: Buffer;
      if (finish) raw = zlib.deflateRawSync(data, opts);
      else {
        // A sync flush ends on a byte: a stored block may follow.
        raw = zlib.deflateRawSync(data, { ...opts, finishFlush: zlib.constants.Z_SYNC_FLUSH });
      }
      parts.push(raw);
      out.push(data);
      if (finish) ended = true;
    }
  }
  if (!ended) parts.push(storedBlock(Buffer.alloc(0), true, 0));
  const data = Buffer.concat(out);
  const t = trailer(data);
  const bad = r();
  if (bad < 0.05) t[rint(8)] ^= 1 << rint(8);
  parts.push(t);
  const gz = Buffer.concat(parts);
  const tail = r();
  if (tail < 0.05) return gz.subarray(0, rint(gz.length));
  if (tail < 0.08) return Buffer.concat([gz, Buffer.alloc(1 + rint(20))]);
  if (tail < 0.1) return Buffer.concat([gz, zlib.gzipSync(Buffer.from('x'))]);
  return gz;
}

async function* chunks(b: Buffer, r: () => number): AsyncGenerator<Buffer> {
  for (let i = 0; i < b.length; ) {
    const n = 1 + Math.floor(r() * (r() < 0.5 ? 16 : 70_000));
    yield Buffer.from(b.subarray(i, i + n));
    i += n;
  }
}

async function* reused(b: Buffer, r: () => number): AsyncGenerator<Buffer> {
  const buffer = Buffer.alloc(70_000);
  for (let i = 0; i < b.length; ) {
    const n = Math.min(1 + Math.floor(r() * (r() < 0.5 ? 16 : 70_000)), b.length - i);
    b.copy(buffer, 0, i, i + n);
    yield buffer.subarray(0, n);
    buffer.fill(0xa5);
    i += n;
  }
}

async function ours(b: Buffer, r: () => number, reuse: boolean): Promise<Buffer | string> {
  const pieces: Buffer[] = [];
  try {
    await gunzipOneMember(reuse ? reused(b, r) : chunks(b, r), (c) => void pieces.push(Buffer.from(c)), { maxBytes: 1 << 30, chunksReused: reuse });
    return Buffer.concat(pieces);
  } catch (e) {
    if (e instanceof ArchiveError) return `${e.problem}: ${e.message}`;
    throw e;
  }
}

function gnuGzip(b: Buffer): Buffer | string {
  const p = spawnSync('gzip', ['-dc'], { input: b, maxBuffer: 1 << 28 });
  if (p.status !== 0 || p.stderr.length) return `gzip exit ${p.status}: ${p.stderr.toString().trim()}`;
  return p.stdout;
}

describe('gunzipOneMember against gzip -dc (seeded random streams)', () => {
  it.each([1, 2])('accepts only what gzip reads the same, seed %i', async (seed) => {
    const r = prng(seed * 7919);
    const disagreements: string[] = [];
    let accepted = 0;
    for (let i = 0; i < 120; i++) {
      const gz = randomStream(r);
      const reuse = r() < 0.5;
      const mine = await ours(gz, r, reuse);
      const theirs = gnuGzip(gz);
      let node: Buffer | string;
      try {
        node = zlib.gunzipSync(gz);
      } catch (e) {
        node = (e as Error).message;
      }
      if (Buffer.isBuffer(mine)) {
        accepted++;
        if (!Buffer.isBuffer(theirs) || !theirs.equals(mine) || !Buffer.isBuffer(node) || !node.equals(mine)) {
          disagreements.push(`case ${i}: ours ${mine.length} bytes, gzip ${Buffer.isBuffer(theirs) ? `${theirs.length} bytes` : theirs}, node ${Buffer.isBuffer(node) ? node.length : node} (${gz.toString('base64').slice(0, 200)})`);
        }
      } else if (Buffer.isBuffer(theirs) && Buffer.isBuffer(node) && node.equals(theirs) && !/trailing|follow/.test(mine)) {
        // Both tools read it, we refuse: stricter, noted only when it is not a rule of ours.
        disagreements.push(`case ${i}: refused (${mine}) what gzip and zlib read alike`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(accepted).toBeGreaterThan(25);
  }, 120_000);
});
