// gunzipOneMember reads stored deflate blocks itself (the signer's outer archive is nothing
// else) and hands the rest of the stream, from the first compressed block on, to zlib with
// the output so far as its dictionary. Whatever the stream and however it is cut into
// chunks, it must give zlib's bytes, and for a broken stream the problem the zlib-only
// reader gave: the reference here is zlib's raw inflate plus the member rules (trailer
// length, CRC-32, ISIZE, nothing after the trailer), which the tests in
// strict-reader.test.ts pin for the zlib path.
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { signServiceBundle } from '../../../src/main/core/bundle';
import { BlockGzip, GZIP_BLOCK_SIZE } from '../../../src/main/core/bundle/parallel-gzip';
import { ArchiveError, type ArchiveProblem } from '../../../src/main/core/archive/archive-error';
import { gunzipOneMember } from '../../../src/main/core/archive/gzip-member';
import { makeTestPki, tempDir } from '../credentials/pki-fixtures';
import { makeService } from '../bundle/service-fixture';
import { noise } from '../../support/noise';
import { prng } from '../../support/prng';

type Outcome = { bytes: Buffer } | { problem: ArchiveProblem };

/** Chunk sizes to cut a stream by: a fixed size, or seeded random sizes up to a bound. */
type Chunking = number | { random: number; seed: number };
const label = (c: Chunking) => (typeof c === 'number' ? `${c}-byte chunks` : `random chunks up to ${c.random} bytes`);

/** Each chunk a fresh copy, as createReadStream gives them; `seen` collects them. */
async function* cut(b: Buffer, chunking: Chunking, seen?: Buffer[]): AsyncGenerator<Buffer> {
  const next = typeof chunking === 'number' ? () => chunking : ((r) => () => 1 + Math.floor(r() * chunking.random))(prng(chunking.seed));
  for (let i = 0; i < b.length; ) {
    const c = Buffer.from(b.subarray(i, i + next()));
    seen?.push(c);
    i += c.length;
    yield c;
  }
}

async function ours(b: Buffer, chunking: Chunking, maxBytes = 1 << 30): Promise<Outcome & { pieces?: Buffer[]; source?: Buffer[] }> {
  const pieces: Buffer[] = [];
  const source: Buffer[] = [];
  try {
    const r = await gunzipOneMember(cut(b, chunking, source), (c) => void pieces.push(c), { maxBytes });
    const bytes = Buffer.concat(pieces);
    expect(r).toEqual({ compressedBytes: b.length, bytes: bytes.length });
    return { bytes, pieces, source };
  } catch (e) {
    if (e instanceof ArchiveError) return { problem: e.problem };
    throw e;
  }
}

/** What zlib makes of the member after its 10-byte header, with the member rules on top. */
function reference(b: Buffer): Outcome {
  if (b.length < 2) return { problem: 'not-gzip' };
  if (b.length <= 10) return { problem: 'truncated' };
  let r: { buffer: Buffer; engine: zlib.InflateRaw };
  try {
    r = zlib.inflateRawSync(b.subarray(10), { info: true }) as unknown as typeof r;
  } catch (e) {
    return { problem: (e as NodeJS.ErrnoException).code === 'Z_BUF_ERROR' ? 'truncated' : 'gzip' };
  }
  const after = b.length - 10 - r.engine.bytesWritten;
  if (after < 8) return { problem: 'truncated' };
  if (after > 8) return { problem: 'gzip-trailing-data' };
  const t = b.subarray(b.length - 8);
  if (t.readUInt32LE(0) !== zlib.crc32(r.buffer) >>> 0 || t.readUInt32LE(4) !== r.buffer.length % 2 ** 32) return { problem: 'gzip' };
  return { bytes: r.buffer };
}

async function expectLikeZlib(b: Buffer, chunkings: Chunking[]): Promise<void> {
  const want = reference(b);
  for (const c of chunkings) {
    const got = await ours(b, c);
    if ('problem' in want) expect({ chunking: label(c), problem: 'problem' in got ? got.problem : 'none' }).toEqual({ chunking: label(c), problem: want.problem });
    else {
      expect('bytes' in got, label(c)).toBe(true);
      if ('bytes' in got) expect(got.bytes.equals(want.bytes), label(c)).toBe(true);
    }
  }
}

/** A gzip member (10-byte header, no flags) around a raw deflate stream of `data`. */
function member(deflate: Buffer, data: Buffer): Buffer {
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(zlib.crc32(data) >>> 0, 0);
  trailer.writeUInt32LE(data.length % 2 ** 32, 4);
  return Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), deflate, trailer]);
}

/** Stored blocks holding `data` cut at `sizes` (0 is a legal empty block); `final` on the last. */
function stored(data: Buffer, sizes: number[], final = true): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  sizes.forEach((n, i) => {
    const h = Buffer.alloc(5);
    h[0] = final && i === sizes.length - 1 ? 1 : 0;
    h.writeUInt16LE(n, 1);
    h.writeUInt16LE(~n & 0xffff, 3);
    out.push(h, data.subarray(at, at + n));
    at += n;
  });
  expect(at).toBe(data.length);
  return Buffer.concat(out);
}

/** A fixed-Huffman block (RFC 1951 §3.2.6) of literals and (length, distance) matches. */
function fixedBlock(ops: (number | [length: number, distance: number])[], final = true): Buffer {
  const bytes: number[] = [];
  let acc = 0;
  let n = 0;
  const bits = (value: number, count: number) => {
    for (let i = 0; i < count; i++) {
      acc |= ((value >> i) & 1) << n;
      if (++n === 8) {
        bytes.push(acc);
        acc = 0;
        n = 0;
      }
    }
  };
  const code = (value: number, count: number) => {
    for (let i = count - 1; i >= 0; i--) bits((value >> i) & 1, 1);
  };
  const symbol = (s: number) => {
    if (s < 144) code(0x30 + s, 8);
    else if (s < 256) code(0x190 + s - 144, 9);
    else if (s < 280) code(s - 256, 7);
    else code(0xc0 + s - 280, 8);
  };
  bits(final ? 1 : 0, 1);
  bits(1, 2); // BTYPE 01
  for (const op of ops) {
    if (typeof op === 'number') {
      symbol(op);
      continue;
    }
    const [length, distance] = op;
    // Only the codes these tests use: lengths 3-10 and 258; distances 1-4 and 24577-32768.
    if (length === 258) symbol(285);
    else if (length >= 3 && length <= 10) symbol(254 + length);
    else throw new Error(`length ${length} not supported here`);
    if (distance <= 4) code(distance - 1, 5);
    else if (distance >= 24577 && distance <= 32768) {
      code(29, 5);
      bits(distance - 24577, 13);
    } else throw new Error(`distance ${distance} not supported here`);
  }
  symbol(256);
  if (n) bytes.push(acc);
  return Buffer.from(bytes);
}

/** What `fixedBlock(ops)` appends to `before`, worked out by hand. */
function expand(before: Buffer, ops: (number | [number, number])[]): Buffer {
  const out = [...before];
  for (const op of ops) {
    if (typeof op === 'number') out.push(op);
    else for (let i = 0; i < op[0]; i++) out.push(out[out.length - op[1]]);
  }
  return Buffer.from(out);
}

/** Offset, in a raw deflate stream, of its first block that is not stored. */
function firstCompressedBlock(deflate: Buffer): number {
  let at = 0;
  while ((deflate[at] & 6) === 0) {
    if (deflate[at] & 1) throw new Error('only stored blocks');
    at += 5 + deflate.readUInt16LE(at + 1);
  }
  return at;
}

/** zlib's raw deflate of `a` at level 0 (stored blocks), then of `b` at `level` in the same stream. */
async function levelChange(a: Buffer, b: Buffer, from: number, to: number): Promise<Buffer> {
  const d = zlib.createDeflateRaw({ level: from });
  const out: Buffer[] = [];
  d.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise((resolve) => d.on('end', resolve));
  d.write(a);
  await new Promise<void>((resolve) => d.params(to, zlib.constants.Z_DEFAULT_STRATEGY, () => resolve()));
  d.end(b);
  await ended;
  return Buffer.concat(out);
}

async function blockGzip(data: Buffer, level: number): Promise<Buffer> {
  const out: Buffer[] = [];
  const gz = new BlockGzip({ level }, (chunks) => {
    for (const c of chunks) out.push(Buffer.from(c));
  });
  for (let i = 0; i < data.length; i += 300_000) await gz.write(data.subarray(i, i + 300_000));
  await gz.end();
  return Buffer.concat(out);
}

const everyChunking: Chunking[] = [1, 2, 5, 7, 4096, 65_536, 1 << 20, { random: 10, seed: 1 }, { random: 70_000, seed: 2 }];
const bigChunkings: Chunking[] = [65_536, 1 << 20, { random: 200_000, seed: 3 }, { random: 3000, seed: 4 }];

let dir: string;
beforeAll(async () => {
  dir = await tempDir('bs-gzip-member-');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('stored deflate blocks, read without zlib', () => {
  it.each([0, 1, 65_535, 65_536, 200_000])('reads level-0 gzip of %i bytes as gunzipSync does, in every chunking', async (size) => {
    const data = noise(size, size + 1);
    const gz = zlib.gzipSync(data, { level: 0 });
    expect(zlib.gunzipSync(gz).equals(data)).toBe(true);
    await expectLikeZlib(gz, size > 70_000 ? everyChunking.filter((c) => c !== 1 && c !== 2) : everyChunking);
    expect(((await ours(gz, 7)) as { bytes: Buffer }).bytes.equals(data)).toBe(true);
  });

  it('reads several MB of level-0 gzip in large and random chunks', async () => {
    const data = noise(5 * GZIP_BLOCK_SIZE + 12_345, 9);
    const gz = zlib.gzipSync(data, { level: 0 });
    await expectLikeZlib(gz, bigChunkings);
  });

  it('hands the stored data on as pieces of the source chunks, not copies', async () => {
    const data = noise(300_000, 4);
    const got = await ours(zlib.gzipSync(data, { level: 0 }), { random: 100_000, seed: 5 });
    expect('bytes' in got && got.bytes.equals(data)).toBe(true);
    const sources = new Set(got.source!.map((c) => c.buffer));
    expect(got.pieces!.length).toBeGreaterThan(0);
    for (const p of got.pieces!) expect(sources.has(p.buffer as ArrayBuffer)).toBe(true);
  });

  it('reads empty stored blocks (a flush), an empty final block and an empty member', async () => {
    const data = noise(70_000, 6);
    await expectLikeZlib(member(stored(data, [0, 30_000, 0, 0, 40_000, 0]), data), everyChunking);
    await expectLikeZlib(member(stored(Buffer.alloc(0), [0]), Buffer.alloc(0)), everyChunking);
    await expectLikeZlib(member(stored(Buffer.alloc(0), [0, 0, 0]), Buffer.alloc(0)), everyChunking);
    expect(await ours(member(stored(data, [0, 30_000, 0, 0, 40_000, 0]), data), 3)).toMatchObject({ bytes: data });
  });

  it.each([
    ['a small one', 1000],
    ['one ending on a 1 MiB block (an empty final piece)', 2 * GZIP_BLOCK_SIZE],
    ['one just past a block', GZIP_BLOCK_SIZE + 3],
  ])('reads the signer\'s level-0 framing (BlockGzip), %s', async (_what, size) => {
    const data = noise(size, size);
    const gz = await blockGzip(data, 0);
    expect(zlib.gunzipSync(gz).equals(data)).toBe(true);
    expect(firstCompressedBlock.bind(null, gz.subarray(10))).toThrow('only stored blocks');
    await expectLikeZlib(gz, size < 10_000 ? everyChunking : bigChunkings);
  });

  it('reads a signed bundle\'s outer archive as gunzipSync does', async () => {
    const pki = makeTestPki();
    const root = await makeService(path.join(dir, 'svc'), pki.user, [pki.ca]);
    await fs.writeFile(path.join(root, 'src', 'blob.bin'), noise(2 * GZIP_BLOCK_SIZE + 777, 8));
    const signed = await signServiceBundle({ root, outFile: path.join(dir, 'bundle.tar.gz') });
    const bundle = readFileSync(signed.path);
    const want = zlib.gunzipSync(bundle);
    for (const c of bigChunkings) {
      const got = await ours(bundle, c);
      expect('bytes' in got && got.bytes.equals(want), label(c)).toBe(true);
      const sources = new Set(got.source!.map((s) => s.buffer));
      expect(got.pieces!.every((p) => sources.has(p.buffer as ArrayBuffer)), label(c)).toBe(true);
    }
  });
});

describe('stored blocks, then compressed blocks that reach back into them', () => {
  it('reads zlib\'s level 0 then level 6 in one stream (back-references into the stored data)', async () => {
    const a = noise(100_000, 11);
    const b = Buffer.concat([a.subarray(80_000, 95_000), a.subarray(70_000, 71_000)]);
    const deflate = await levelChange(a, b, 0, 6);
    const at = firstCompressedBlock(deflate);
    // The compressed part alone does not inflate to b: it refers to the stored bytes before it.
    expect(() => zlib.inflateRawSync(deflate.subarray(at))).toThrow();
    expect(deflate.length - at).toBeLessThan(b.length / 10);
    const gz = member(deflate, Buffer.concat([a, b]));
    expect(zlib.gunzipSync(gz).equals(Buffer.concat([a, b]))).toBe(true);
    await expectLikeZlib(gz, everyChunking.filter((c) => c !== 1));
  });

  it('reads a fixed-Huffman block whose matches reach the far end of the window, across stored blocks', async () => {
    const data = noise(40_000, 12);
    const ops: (number | [number, number])[] = [0x5a, [258, 32_768], [3, 1], 0xe9, [10, 24_577], [4, 4]];
    const deflate = Buffer.concat([stored(data, [20_000, 0, 15_000, 5_000], false), fixedBlock(ops)]);
    const want = expand(data, ops);
    expect(zlib.inflateRawSync(deflate).equals(want)).toBe(true);
    const gz = member(deflate, want);
    await expectLikeZlib(gz, everyChunking);
    expect(await ours(gz, 1)).toMatchObject({ bytes: want });
  });

  it('reads a window shorter than 32 KiB (little stored data before the compressed block)', async () => {
    const data = Buffer.from('stored bytes then a match ');
    const ops: (number | [number, number])[] = [[10, 4], 0x21, [3, 2]];
    const want = expand(data, ops);
    const gz = member(Buffer.concat([stored(data, [6, 0, data.length - 6], false), fixedBlock(ops)]), want);
    expect(zlib.gunzipSync(gz).equals(want)).toBe(true);
    await expectLikeZlib(gz, everyChunking);
  });

  it('reads BlockGzip level 6 whose incompressible first block is stored and whose next block refers back', async () => {
    const a = noise(GZIP_BLOCK_SIZE, 13);
    const data = Buffer.concat([a, a.subarray(GZIP_BLOCK_SIZE - 20_000), Buffer.from('x'.repeat(500_000))]);
    const gz = await blockGzip(data, 6);
    expect(firstCompressedBlock(gz.subarray(10))).toBeGreaterThan(0);
    expect(zlib.gunzipSync(gz).equals(data)).toBe(true);
    await expectLikeZlib(gz, bigChunkings);
  });

  it('reads a stream that starts compressed and goes on stored (zlib throughout)', async () => {
    const a = Buffer.from('compressible '.repeat(5000));
    const b = noise(70_000, 14);
    const deflate = await levelChange(a, b, 6, 0);
    expect(deflate[0] & 6).not.toBe(0);
    await expectLikeZlib(member(deflate, Buffer.concat([a, b])), everyChunking.filter((c) => c !== 1 && c !== 2));
  });
});

describe('a broken stored stream gives the problem the zlib reader gave', () => {
  const data = noise(700, 21);
  const ops: (number | [number, number])[] = [0x41, [5, 3]];
  const plain = member(stored(data, [300, 0, 400]), data);
  const mixedData = expand(data, ops);
  const mixed = member(Buffer.concat([stored(data, [300, 0, 400], false), fixedBlock(ops)]), mixedData);
  const chunkings: Chunking[] = [1, 3, 64, 4096, { random: 50, seed: 22 }];

  function flipped(b: Buffer, at: number, mask = 0xff): Buffer {
    const c = Buffer.from(b);
    c[at] ^= mask;
    return c;
  }

  it.each([
    ['a bad NLEN in the first stored block', flipped(plain, 10 + 3), 'gzip'],
    ['a bad NLEN in an empty stored block', flipped(plain, 10 + 305 + 4), 'gzip'],
    ['a bad LEN in the last stored block', flipped(plain, 10 + 310 + 1, 1), 'gzip'],
    ['the reserved BTYPE 11 after stored blocks', Buffer.concat([plain.subarray(0, 10 + 310), Buffer.from([0b111, 0, 0, 0]), plain.subarray(-8)]), 'gzip'],
    ['the reserved BTYPE 11 as the first block', Buffer.concat([plain.subarray(0, 10), Buffer.from([0b110, 0, 0, 0, 0]), plain.subarray(-8)]), 'gzip'],
    ['a cut inside a stored block header', plain.subarray(0, 10 + 2), 'truncated'],
    ['a cut inside LEN/NLEN of a later block', plain.subarray(0, 10 + 305 + 3), 'truncated'],
    ['a cut inside a stored payload', plain.subarray(0, 10 + 5 + 150), 'truncated'],
    ['a cut right after a non-final stored block', plain.subarray(0, 10 + 305), 'truncated'],
    ['nothing after the gzip header', plain.subarray(0, 10), 'truncated'],
    ['a cut inside the trailer', plain.subarray(0, plain.length - 3), 'truncated'],
    ['no trailer', plain.subarray(0, plain.length - 8), 'truncated'],
    ['a wrong CRC-32', flipped(plain, plain.length - 6, 1), 'gzip'],
    ['a wrong ISIZE', flipped(plain, plain.length - 4, 1), 'gzip'],
    ['a stored byte changed (CRC-32 no longer matches)', flipped(plain, 10 + 5 + 100, 4), 'gzip'],
    ['one byte after the trailer', Buffer.concat([plain, Buffer.alloc(1)]), 'gzip-trailing-data'],
    ['a second member', Buffer.concat([plain, zlib.gzipSync(Buffer.from('more'), { level: 0 })]), 'gzip-trailing-data'],
    ['a cut inside the compressed block after stored ones', mixed.subarray(0, mixed.length - 10), 'truncated'],
    ['a byte after the trailer of a mixed stream', Buffer.concat([mixed, Buffer.from('x')]), 'gzip-trailing-data'],
    ['a wrong CRC-32 of a mixed stream', flipped(mixed, mixed.length - 8, 1), 'gzip'],
  ] as const)('refuses %s', async (_what, input, problem) => {
    expect(reference(input)).toEqual({ problem });
    for (const c of chunkings) expect({ chunking: label(c), outcome: await ours(input, c) }).toMatchObject({ chunking: label(c), outcome: { problem } });
  });

  it('says what zlib says for the stream cut at every byte', async () => {
    for (const b of [plain, mixed]) {
      for (let n = 0; n < b.length; n++) {
        const want = reference(b.subarray(0, n));
        expect(want).toEqual({ problem: n < 2 ? 'not-gzip' : 'truncated' });
        for (const c of [1, 4096]) expect({ n, got: await ours(b.subarray(0, n), c) }).toMatchObject({ n, got: want });
      }
    }
  }, 60_000);

  it('says what zlib says for every byte of the deflate data and trailer changed', async () => {
    for (const b of [plain, mixed]) {
      for (let at = 10; at < b.length; at++) {
        for (const mask of [0x01, 0x06, 0xff]) {
          const input = flipped(b, at, mask);
          const want = reference(input);
          for (const c of [5, 777]) {
            const got = await ours(input, c);
            if ('problem' in want) expect({ at, mask, c, problem: 'problem' in got ? got.problem : 'none' }).toEqual({ at, mask, c, problem: want.problem });
            else expect({ at, mask, c, same: 'bytes' in got && got.bytes.equals(want.bytes) }).toEqual({ at, mask, c, same: true });
          }
        }
      }
    }
  }, 60_000);

  it('stops stored data at the decompressed-size cap, with the zlib path\'s message', async () => {
    const gz = zlib.gzipSync(noise(3 << 20, 23), { level: 0 });
    const refused = gunzipOneMember(cut(gz, 100_000), () => undefined, { maxBytes: 1 << 20, what: 'outer.tar' });
    await expect(refused).rejects.toThrow(/^outer\.tar unpacks to more than 1 MiB \(more than any real bundle/);
    await expect(gunzipOneMember(cut(gz, 100_000), () => undefined, { maxBytes: 1 << 20 })).rejects.toMatchObject({ problem: 'limit' });
    expect(await ours(gz, { random: 70_000, seed: 24 }, 3 << 20)).toHaveProperty('bytes');
    expect(await ours(gz, { random: 70_000, seed: 24 }, (3 << 20) - 1)).toEqual({ problem: 'limit' });
  });
});

describe('the stored path as a stream', () => {
  const data = noise(400_000, 31);
  const gz = zlib.gzipSync(data, { level: 0 });

  it('waits for an async sink before it reads on (backpressure)', async () => {
    const log: string[] = [];
    let busy = false;
    async function* source(): AsyncGenerator<Buffer> {
      for await (const c of cut(gz, 50_000)) {
        log.push(busy ? 'read while the sink was busy' : 'read');
        yield c;
      }
    }
    const out: Buffer[] = [];
    await gunzipOneMember(source(), async (c) => {
      busy = true;
      await new Promise((resolve) => setImmediate(resolve));
      out.push(c);
      busy = false;
    }, { maxBytes: 1 << 30 });
    expect(Buffer.concat(out).equals(data)).toBe(true);
    expect(log.length).toBeGreaterThan(5);
    expect(log.every((l) => l === 'read')).toBe(true);
  });

  it('refuses and stops reading the source at a corrupt stored block', async () => {
    let closed = false;
    let read = 0;
    async function* source(): AsyncGenerator<Buffer> {
      try {
        for await (const c of cut(Buffer.concat([gz.subarray(0, 10), Buffer.from([0, 1, 0, 1, 0])]), 3)) {
          read++;
          yield c;
        }
        for (;;) {
          read++;
          yield Buffer.alloc(1000);
        }
      } finally {
        closed = true;
      }
    }
    await expect(gunzipOneMember(source(), () => undefined, { maxBytes: 1 << 30 })).rejects.toThrow('the gzip data is corrupt (invalid stored block lengths)');
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(true);
    expect(read).toBe(5);
  });

  it.each([
    ['inside stored data', async () => ({ input: gz, total: data.length }), 0],
    ['inside the compressed data after stored data', async () => {
      const big = Buffer.alloc(8 << 20, 'compressible ');
      return { input: member(await levelChange(data, big, 0, 6), Buffer.concat([data, big])), total: data.length + big.length };
    }, data.length],
  ])('is cancelled by its signal %s, and closes the source', async (_what, make, stopAfter) => {
    const { input, total } = await make();
    let closed = false;
    async function* source(): AsyncGenerator<Buffer> {
      try {
        yield* cut(input, 30_000);
      } finally {
        closed = true;
      }
    }
    const stop = new AbortController();
    let bytes = 0;
    let pieces = 0;
    const run = gunzipOneMember(source(), (c) => {
      bytes += c.length;
      if (bytes > stopAfter && ++pieces === 2) stop.abort();
    }, { maxBytes: 1 << 30, signal: stop.signal });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(stop.signal.aborted).toBe(true);
    expect(bytes).toBeGreaterThan(stopAfter);
    expect(bytes).toBeLessThan(total);
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(true);
  });

  it('refuses to start once its signal has aborted', async () => {
    const stop = new AbortController();
    stop.abort();
    await expect(gunzipOneMember(cut(gz, 1000), () => undefined, { maxBytes: 1 << 30, signal: stop.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
