// The one-pass outer archive (outer-in-place.ts) must give exactly the bytes of the two-pass
// writer (a tar of ./, ./config.yaml, the inner archive and ./package.sign through BlockGzip at
// level 0), whatever the sizes: a bundle inside one stored piece, a tar stream ending exactly
// on a 1 MiB block boundary (an empty final piece), and sizes spanning several blocks, with
// the inner bytes arriving in any chunking. And signing through either path gives one bundle.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { signServiceBundle, verifyBundle } from '../../../src/main/core/bundle';
import { tarStream } from '../../../src/main/core/bundle/archive';
import { crc32, crc32Combine } from '../../../src/main/core/bundle/crc32';
import { HashThread } from '../../../src/main/core/bundle/hash-thread';
import { InPlaceOuter } from '../../../src/main/core/bundle/outer-in-place';
import { BlockGzip, GZIP_BLOCK_SIZE } from '../../../src/main/core/bundle/parallel-gzip';
import { BLOCK, paddingFor } from '../../../src/main/core/bundle/tar';
import { makeTestPki, tempDir } from '../credentials/pki-fixtures';
import { makeService } from './service-fixture';
import { noise } from '../../support/noise';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('bs-outer-');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});


let n = 0;
/** The two-pass writer's bytes: tarStream of the four members through BlockGzip level 0. */
async function twoPass(config: Buffer, inner: Buffer, jwt: Buffer): Promise<Buffer> {
  const innerFile = path.join(dir, `inner-${++n}`);
  await fs.writeFile(innerFile, inner);
  const out: Buffer[] = [];
  const gz = new BlockGzip({ level: 0 }, (chunks) => {
    for (const c of chunks) out.push(Buffer.from(c));
  });
  const parts = [
    { kind: 'directory' as const, name: './' },
    { kind: 'bytes' as const, name: './config.yaml', data: config },
    { kind: 'file' as const, name: './service.tar.gz', path: innerFile },
    { kind: 'bytes' as const, name: './package.sign', data: jwt },
  ];
  for await (const chunk of tarStream(parts, { reuseBuffer: true })) await gz.write(chunk);
  await gz.end();
  return Buffer.concat(out);
}

/** The one-pass writer's bytes, the inner archive handed over in chunks of `chunk` bytes. */
async function onePass(config: Buffer, inner: Buffer, jwt: Buffer, chunk: number): Promise<{ bytes: Buffer; size: number; sha256: string }> {
  const file = path.join(dir, `outer-${++n}`);
  const fh = await fs.open(file, 'wx+');
  try {
    const w = await InPlaceOuter.start({ fh, configBytes: config, innerName: './service.tar.gz', mtime: 0 });
    for (let i = 0; i < inner.length; i += chunk) await w.innerSink([inner.subarray(i, Math.min(i + chunk, inner.length))]);
    const size = await w.finish(jwt);
    const hashes = new HashThread([]);
    try {
      return { bytes: readFileSync(file), size, sha256: await hashes.hashFile(file, size, 'sha256') };
    } finally {
      await hashes.close();
    }
  } finally {
    await fh.close();
  }
}

/** Length of the outer tar stream for these member sizes (the trailer pads to 10 KiB). */
function tarLength(config: number, inner: number, jwt: number): number {
  const written = 3 * BLOCK + config + paddingFor(config) + BLOCK + inner + paddingFor(inner) + jwt + paddingFor(jwt);
  const end = written + 2 * BLOCK;
  return end + ((10240 - (end % 10240)) % 10240);
}

describe('the outer archive written in place', () => {
  const jwt = Buffer.from('eyJhbGciOiJSUzI1NiJ9.e30.' + 'x'.repeat(300));
  const config = Buffer.from('publish:\n  service_uid: 1\n  version: 1.0.0\n');

  it('joins CRC-32s as zlib would compute them over the whole', () => {
    const data = noise(300_000, 7);
    for (const cut of [0, 1, 511, 65_535, 150_001, 299_999, 300_000]) {
      expect(crc32Combine(crc32(data.subarray(0, cut)), crc32(data.subarray(cut)), data.length - cut)).toBe(zlib.crc32(data));
    }
  });

  // Inner sizes: inside one stored piece; a tar stream of exactly 5 MiB (a multiple of both
  // the 10 KiB record and the 1 MiB block: an empty final piece follows); just past a block;
  // several blocks with a partial last one.
  const exactly5MiB = 5 * GZIP_BLOCK_SIZE - (4 * BLOCK + config.length + paddingFor(config.length) + jwt.length + paddingFor(jwt.length) + 2 * BLOCK);
  const cases: [string, number][] = [
    ['a bundle smaller than one stored piece', 1000],
    ['a tar stream ending exactly on a block boundary', exactly5MiB],
    ['a stream just past a block', GZIP_BLOCK_SIZE + 3],
    ['several blocks, the last one partial', 3 * GZIP_BLOCK_SIZE + 123_457],
  ];
  it.each(cases)('gives the two-pass bytes for %s', async (_what, size) => {
    const inner = noise(size, size);
    const expected = await twoPass(config, inner, jwt);
    for (const chunk of [size, 65_535, 100_003]) {
      const got = await onePass(config, inner, jwt, chunk);
      expect(got.size).toBe(expected.length);
      expect(got.bytes.equals(expected)).toBe(true);
    }
    // And gunzip reads back the tar stream, CRC and length checked.
    expect(zlib.gunzipSync(expected).length).toBe(tarLength(config.length, size, jwt.length));
  });

  it('ends the 5 MiB case on a block boundary (the case is what it says)', () => {
    expect(tarLength(config.length, exactly5MiB, jwt.length) % GZIP_BLOCK_SIZE).toBe(0);
  });

  it('its SHA-256, read back by the hash worker, is that of what it wrote', async () => {
    const inner = randomBytes(200_000);
    const got = await onePass(config, inner, jwt, 4096);
    expect(got.sha256).toBe(createHash('sha256').update(got.bytes).digest('hex'));
  });
});

describe('signing through the one-pass and the two-pass writer', () => {
  it('gives the same bundle, which verifies', async () => {
    const pki = makeTestPki();
    const root = await makeService(path.join(dir, 'svc'), pki.user, [pki.ca]);
    await fs.writeFile(path.join(root, 'src', 'blob.bin'), noise(3 * GZIP_BLOCK_SIZE, 3));
    const one = await signServiceBundle({ root, outFile: path.join(dir, 'one.tar.gz') });
    // A limit below the inner archive's size: the one-pass writer gives up and the two-pass one signs.
    const two = await signServiceBundle({ root, outFile: path.join(dir, 'two.tar.gz'), onePassLimit: 1000 });
    expect(readFileSync(one.path).equals(readFileSync(two.path))).toBe(true);
    expect(one).toEqual({ ...two, path: one.path });
    expect((await fs.readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const certFile = path.join(dir, 'user.pem');
    await fs.writeFile(certFile, pki.user.certPem);
    const report = await verifyBundle(one.path, { cert: certFile });
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.signatureChecked).toBe(true);
  });
});
