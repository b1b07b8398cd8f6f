import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { tarStream } from '../../../src/main/core/bundle/archive';
import { hasLongMatches, looksIncompressible, planBlock, sampledEntropy, SEGMENT_SIZE } from '../../../src/main/core/bundle/incompressible';
import { BlockGzip, crc32Js, deflateBlock, storedBlocks } from '../../../src/main/core/bundle/parallel-gzip';
import { noise } from '../../support/noise';


const text = Buffer.from(
  Array.from({ length: 40_000 }, (_, i) => `2024-06-11T10:${String(i % 60).padStart(2, '0')}:00Z [INFO] service unit ${i % 97} started id=${(i * 7919) % 100_003}\n`).join(''),
);

async function gzipAll(data: Buffer, opts: { level: number; blockSize?: number; concurrency?: number; storeIncompressible?: boolean }, chunk = 70_000): Promise<Buffer> {
  const out: Buffer[] = [];
  const gz = new BlockGzip(opts, (chunks) => {
    for (const c of chunks) out.push(Buffer.from(c)); // copy: views are recycled after the sink returns
  });
  for (let i = 0; i < data.length; i += chunk) await gz.write(data.subarray(i, i + chunk));
  await gz.end();
  return Buffer.concat(out);
}

describe('incompressible-range detection', () => {
  it('measures random bytes near 8 bits per byte and text far below', () => {
    expect(sampledEntropy(noise(SEGMENT_SIZE), 0, SEGMENT_SIZE)).toBeGreaterThan(7.95);
    expect(sampledEntropy(text, 0, SEGMENT_SIZE)).toBeLessThan(6);
  });

  it('stores random and already-compressed data, compresses text, machine-like data and repeats', () => {
    expect(looksIncompressible(noise(SEGMENT_SIZE), 0, SEGMENT_SIZE)).toBe(true);
    const gz = zlib.gzipSync(Buffer.from(noise(200_000, 2).toString('base64')));
    expect(gz.length).toBeGreaterThan(SEGMENT_SIZE);
    expect(looksIncompressible(gz, 0, SEGMENT_SIZE)).toBe(true);
    expect(looksIncompressible(text, 0, SEGMENT_SIZE)).toBe(false);
    // A column of 64-bit counters: a stride of 8 would see only noise, a stride of 7 does not.
    const counters = Buffer.alloc(SEGMENT_SIZE);
    for (let i = 0; i < SEGMENT_SIZE / 8; i++) counters.writeBigUInt64LE(BigInt(i * 7919 + 0x1234567), i * 8);
    expect(looksIncompressible(counters, 0, SEGMENT_SIZE)).toBe(false);
    // Random bytes repeated within deflate's window: high entropy, yet deflate gains a lot.
    const pattern = noise(3000, 7);
    const repeated = Buffer.concat(Array.from({ length: 30 }, () => pattern)).subarray(0, SEGMENT_SIZE);
    expect(sampledEntropy(repeated, 0, SEGMENT_SIZE)).toBeGreaterThan(7.8);
    expect(hasLongMatches(repeated, 0, SEGMENT_SIZE)).toBe(true);
    expect(looksIncompressible(repeated, 0, SEGMENT_SIZE)).toBe(false);
  });

  it('sees a repeat of the previous block through the window', () => {
    const prev = noise(32 * 1024, 3);
    const block = Buffer.concat([prev.subarray(0, 20_000), noise(SEGMENT_SIZE - 20_000, 4)]);
    expect(hasLongMatches(block, 0, SEGMENT_SIZE)).toBe(false);
    expect(hasLongMatches(block, 0, SEGMENT_SIZE, prev)).toBe(true);
  });

  it('does not let tar headers (runs of zeros) between random files count as repeats', () => {
    // Random files of 30-60 KB as they sit in a tar: a 512-byte header (zeros here), then the
    // content, then zero padding to 512 bytes.
    const tarOf = (sizes: number[]) =>
      Buffer.concat(sizes.flatMap((n, i) => [Buffer.alloc(512), noise(n, 10 + i), Buffer.alloc((512 - (n % 512)) % 512)]));
    const files = tarOf(Array.from({ length: 12 }, (_, i) => 30_000 + i * 2_777));
    const block = files.subarray(0, SEGMENT_SIZE * 4);
    expect(planBlock(block)).toEqual([{ start: 0, end: SEGMENT_SIZE * 4, store: true }]);
    // Many tiny random files: headers and padding are a real share of the bytes, compress them.
    const tiny = tarOf(Array.from({ length: 200 }, (_, i) => 1_000 + i)).subarray(0, SEGMENT_SIZE);
    expect(looksIncompressible(tiny, 0, SEGMENT_SIZE)).toBe(false);
  });

  it('plans a block from its content only: segments aligned, same kinds merged, same answer every time', () => {
    const block = Buffer.concat([text.subarray(0, 2 * SEGMENT_SIZE), noise(3 * SEGMENT_SIZE), text.subarray(0, SEGMENT_SIZE + 100)]);
    const plan = planBlock(block);
    expect(plan).toEqual([
      { start: 0, end: 2 * SEGMENT_SIZE, store: false },
      { start: 2 * SEGMENT_SIZE, end: 5 * SEGMENT_SIZE, store: true },
      { start: 5 * SEGMENT_SIZE, end: block.length, store: false },
    ]);
    expect(planBlock(Buffer.from(block))).toEqual(plan);
    expect(planBlock(Buffer.alloc(0))).toEqual([{ start: 0, end: 0, store: false }]);
  });
});

describe('stored deflate blocks and CRC-32', () => {
  it('writes valid stored blocks of any length, without copying the data', () => {
    for (const n of [0, 1, 65_535, 65_536, 200_000]) {
      const data = noise(n, n + 1);
      const blocks = storedBlocks(data, 0, n, true);
      expect(zlib.inflateRawSync(Buffer.concat(blocks)).equals(data)).toBe(true);
      for (const b of blocks.filter((x) => x.length > 5)) expect(b.buffer).toBe(data.buffer);
    }
  });

  it('the JS CRC-32 fallback agrees with zlib', () => {
    const data = Buffer.concat([text.subarray(0, 5000), noise(7000)]);
    expect(crc32Js(data)).toBe(zlib.crc32(data));
    expect(crc32Js(data.subarray(3000), crc32Js(data.subarray(0, 3000)))).toBe(zlib.crc32(data));
    expect(crc32Js(Buffer.alloc(0), 1234)).toBe(1234);
  });

  it('a mixed block deflates to what it was, the final piece ending the stream', async () => {
    const block = Buffer.concat([text.subarray(0, 100_000), noise(150_000), text.subarray(0, 30_000)]);
    const out = await deflateBlock(block, 6, undefined, true);
    expect(zlib.inflateRawSync(Buffer.concat(out)).equals(block)).toBe(true);
  });
});

describe('BlockGzip', () => {
  const mixed = Buffer.concat([text, noise(700_000, 5), text.subarray(0, 300_000), noise(90_000, 6), Buffer.concat(Array.from({ length: 100 }, () => noise(3000, 9)))]);

  it('is standard gzip (zlib and GNU gzip read it back) at every level', async () => {
    for (const level of [0, 1, 6, 9]) {
      const gz = await gzipAll(mixed, { level, blockSize: 256 * 1024 });
      expect(zlib.gunzipSync(gz).equals(mixed)).toBe(true);
      execFileSync('gzip', ['-t'], { input: gz });
      expect([...gz.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
    }
  });

  it('gives the same bytes whatever the concurrency and the input chunking', async () => {
    const a = await gzipAll(mixed, { level: 6, blockSize: 128 * 1024, concurrency: 1 }, 4096);
    const b = await gzipAll(mixed, { level: 6, blockSize: 128 * 1024, concurrency: 8 }, 300_001);
    const c = await gzipAll(mixed, { level: 6, blockSize: 128 * 1024, concurrency: 3 }, 128 * 1024);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(true);
  });

  it('stores random data (no expansion beyond the block headers) and still compresses text and repeats', async () => {
    const random = noise(1 << 20, 11);
    const stored = await gzipAll(random, { level: 6, blockSize: 256 * 1024 });
    expect(stored.length).toBeLessThan(random.length + 200);
    const repeats = Buffer.concat(Array.from({ length: 400 }, () => noise(3000, 12)));
    expect((await gzipAll(repeats, { level: 6 })).length).toBeLessThan(repeats.length / 20);
    const plain = await gzipAll(mixed, { level: 6, storeIncompressible: false });
    const smart = await gzipAll(mixed, { level: 6 });
    expect(smart.length).toBeLessThan(plain.length * 1.01);
  });

  it('holds the producer back: never more than `concurrency` blocks wait for a slow sink', async () => {
    let release: () => void = () => undefined;
    let sinkCalls = 0;
    const gz = new BlockGzip({ level: 1, blockSize: 16 * 1024, concurrency: 2 }, () => {
      sinkCalls++;
      return new Promise<void>((r) => (release = r));
    });
    const block = text.subarray(0, 16 * 1024);
    let written = 0;
    const writer = (async () => {
      for (let i = 0; i < 10; i++) {
        await gz.write(block);
        written++;
        expect(gz.inFlight).toBeLessThanOrEqual(2);
      }
    })();
    await vi.waitFor(() => expect(sinkCalls).toBe(1), { timeout: 5000 });
    await new Promise((r) => setTimeout(r, 50));
    // The sink holds the first delivery: blocks 1-2 are in flight, block 3 waits for room.
    expect(sinkCalls).toBe(1);
    expect(written).toBe(2);
    for (let i = 0; i < 20 && written < 10; i++) {
      release();
      await new Promise((r) => setTimeout(r, 20));
    }
    await writer;
    expect(written).toBe(10);
    const ending = gz.end();
    for (let i = 0; i < 10; i++) {
      release();
      await new Promise((r) => setTimeout(r, 10));
    }
    await ending;
  });

  it('recycles its buffers: a long stream goes through a handful of blocks', async () => {
    const seen = new Set<ArrayBufferLike>();
    const gz = new BlockGzip({ level: 0, blockSize: 64 * 1024, concurrency: 2 }, (chunks) => {
      for (const c of chunks) if (c.length > 1024) seen.add(c.buffer);
    });
    const piece = noise(10_000, 13);
    for (let i = 0; i < 300; i++) await gz.write(piece); // 3 MB through 64 KiB blocks
    await gz.end();
    expect(seen.size).toBeLessThanOrEqual(4);
  });

  it('has zlib write into recycled output buffers (no allocation per block)', async () => {
    const seen = new Set<ArrayBufferLike>();
    const out: Buffer[] = [];
    const gz = new BlockGzip({ level: 6, blockSize: 64 * 1024, concurrency: 2 }, (chunks) => {
      for (const c of chunks) {
        if (c.length > 1024) seen.add(c.buffer);
        out.push(Buffer.from(c));
      }
    });
    const input = Buffer.concat([text, text, text]); // ~10 MB of text: ~150 blocks
    for (let i = 0; i < input.length; i += 100_000) await gz.write(input.subarray(i, i + 100_000));
    await gz.end();
    expect(input.length / (64 * 1024)).toBeGreaterThan(100);
    expect(seen.size).toBeLessThanOrEqual(6);
    expect(zlib.gunzipSync(Buffer.concat(out)).equals(input)).toBe(true);
  });

  it('passes zlib errors and write-after-end to the caller', async () => {
    expect(() => new BlockGzip({ level: 12 }, () => undefined)).toThrow(/level/);
    const gz = new BlockGzip({ level: 6 }, () => undefined);
    await gz.end();
    await expect(gz.write(Buffer.from('x'))).rejects.toThrow(/after end/);
  });
});

describe('tarStream buffers', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bs-tarbuf-'));
    mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
    writeFileSync(path.join(dir, 'a', 'small.txt'), 'hello\n');
    writeFileSync(path.join(dir, 'a', 'b', 'big.bin'), randomBytes(3_000_000));
    writeFileSync(path.join(dir, 'empty'), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const collect = async (opts: { chunkSize?: number; reuseBuffer?: boolean }) => {
    const chunks: Buffer[] = [];
    for await (const c of tarStream([{ kind: 'tree', name: './', root: dir, symlinks: 'copy' }], opts)) chunks.push(Buffer.from(c));
    return chunks;
  };

  it('yields full chunks of the requested size (the last one shorter), the same bytes with or without reuse', async () => {
    const plain = await collect({});
    const reused = await collect({ chunkSize: 64 * 1024, reuseBuffer: true });
    expect(Buffer.concat(reused).equals(Buffer.concat(plain))).toBe(true);
    expect(reused.slice(0, -1).every((c) => c.length === 64 * 1024)).toBe(true);
    expect(plain.slice(0, -1).every((c) => c.length === 1 << 20)).toBe(true);
    expect(Buffer.concat(plain).length % 10_240).toBe(0);
  });

  it('with reuse, every chunk is the same buffer (no allocation per chunk)', async () => {
    const buffers = new Set<ArrayBufferLike>();
    for await (const c of tarStream([{ kind: 'tree', name: './', root: dir, symlinks: 'copy' }], { chunkSize: 64 * 1024, reuseBuffer: true })) buffers.add(c.buffer);
    expect(buffers.size).toBe(1);
  });
});
