// gunzipOneMember with `chunksReused` (upload's check reads the send's own buffers): the
// source writes each chunk into the same buffer once the next one is asked for, so nothing of
// a chunk may be kept past that: the dictionary window a compressed block after stored ones
// needs, a gzip header cut across chunks, and what zlib holds. The output must still be
// zlib's, for every stream shape and chunking.
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { gunzipOneMember } from '../../../src/main/core/archive/gzip-member';
import { ArchiveError } from '../../../src/main/core/archive/archive-error';
import { storedThenCompressed } from '../../support/gzip-streams';
import { noise } from '../../support/noise';

/** One buffer, written into again for each chunk once the next is asked for. */
async function* reusing(b: Buffer, size: number): AsyncGenerator<Buffer> {
  const buffer = Buffer.alloc(size);
  for (let i = 0; i < b.length; i += size) {
    const n = b.copy(buffer, 0, i, Math.min(i + size, b.length));
    yield buffer.subarray(0, n);
    buffer.fill(0x5a); // what the next read would overwrite first
  }
}

async function gunzipReused(b: Buffer, size: number): Promise<Buffer> {
  const pieces: Buffer[] = [];
  // The sink is done with each piece when it settles: it keeps a copy.
  await gunzipOneMember(reusing(b, size), (c) => void pieces.push(Buffer.from(c)), { maxBytes: 1 << 30, chunksReused: true });
  return Buffer.concat(pieces);
}

describe('gunzipOneMember over a source that reuses its buffer', () => {
  const text = noise(300_000, 7);
  const random = randomBytes(200_000);

  it.each([1, 7, 4096, 65_536, 1 << 20])('stored blocks only (level 0), %i-byte chunks: zlib\'s bytes', async (size) => {
    // Byte-sized chunks over a smaller stream: each costs a generator step.
    const data = size < 16 ? Buffer.concat([text.subarray(0, 70_000), random.subarray(0, 70_000)]) : Buffer.concat([text, random]);
    expect((await gunzipReused(zlib.gzipSync(data, { level: 0 }), size)).equals(data)).toBe(true);
  });

  it.each([3, 1000, 65_536, 1 << 20])('stored blocks, then compressed ones referring back into them, %i-byte chunks: zlib\'s bytes', async (size) => {
    // The compressed part repeats the end of the stored part: its matches reach back into it.
    const stored = Buffer.concat([random.subarray(0, 100_000), text.subarray(0, 40_000)]);
    const compressed = Buffer.concat([text.subarray(0, 40_000), text]);
    const gz = await storedThenCompressed(stored, compressed);
    expect(zlib.gunzipSync(gz).equals(Buffer.concat([stored, compressed]))).toBe(true);
    expect((await gunzipReused(gz, size)).equals(Buffer.concat([stored, compressed]))).toBe(true);
  });

  it.each([1, 5, 1 << 20])('compressed from the first block (level 6), %i-byte chunks: zlib\'s bytes', async (size) => {
    const data = size < 16 ? text.subarray(0, 100_000) : text;
    expect((await gunzipReused(zlib.gzipSync(data, { level: 6 }), size)).equals(data)).toBe(true);
  });

  it('a gzip header with a file name cut across chunks is read whole', async () => {
    const gz = zlib.gzipSync(text.subarray(0, 10_000), { level: 0 });
    // FNAME set, a name inserted after the 10-byte fixed header.
    const named = Buffer.concat([gz.subarray(0, 3), Buffer.from([gz[3] | 8]), gz.subarray(4, 10), Buffer.from('service.tar\0'), gz.subarray(10)]);
    expect((await gunzipReused(named, 4)).equals(text.subarray(0, 10_000))).toBe(true);
  });

  it('a broken CRC-32 is still found (the trailer read from reused chunks)', async () => {
    const gz = zlib.gzipSync(text, { level: 0 });
    gz[gz.length - 8] ^= 1;
    await expect(gunzipReused(gz, 1000)).rejects.toThrow(ArchiveError);
    await expect(gunzipReused(gz, 1000)).rejects.toThrow(/CRC-32/);
  });
});
