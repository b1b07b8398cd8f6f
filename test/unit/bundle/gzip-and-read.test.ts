import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { ParallelGzip } from '../../../src/main/core/bundle/parallel-gzip';
import { signServiceBundle, verifyBundle } from '../../../src/main/core/bundle';
import { makeTestPki, tempDir } from '../credentials/pki-fixtures';
import { makeService } from './service-fixture';

async function gzipWith(data: Buffer, opts: { level: number; blockSize?: number; concurrency?: number }, chunk = 70_000): Promise<Buffer> {
  const out: Buffer[] = [];
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += chunk) parts.push(data.subarray(i, i + chunk));
  await pipeline(
    Readable.from(parts, { objectMode: false }),
    new ParallelGzip(opts),
    new Writable({
      write(c: Buffer, _e, cb) {
        out.push(c);
        cb();
      },
    }),
  );
  return Buffer.concat(out);
}

describe('ParallelGzip', () => {
  const text = Buffer.from('the quick brown fox jumps over the lazy dog\n'.repeat(12_000));
  const data = Buffer.concat([text, randomBytes(150_000), text.subarray(0, 77_777)]);

  it('produces standard gzip that zlib and GNU gzip read back', async () => {
    for (const level of [0, 1, 6, 9]) {
      const gz = await gzipWith(data, { level, blockSize: 64 * 1024 });
      expect(zlib.gunzipSync(gz).equals(data)).toBe(true);
      execFileSync('gzip', ['-t'], { input: gz });
    }
  });

  it('is deterministic whatever the concurrency and the input chunking', async () => {
    const a = await gzipWith(data, { level: 6, blockSize: 64 * 1024, concurrency: 1 }, 4096);
    const b = await gzipWith(data, { level: 6, blockSize: 64 * 1024, concurrency: 8 }, 200_001);
    expect(a.equals(b)).toBe(true);
    expect([...a.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
  });

  it('keeps the ratio close to a single stream thanks to the 32 KiB dictionary', async () => {
    const gz = await gzipWith(text, { level: 6, blockSize: 64 * 1024 });
    const single = zlib.gzipSync(text, { level: 6 });
    expect(gz.length).toBeLessThan(single.length * 1.5 + 200);
  });

  it('handles empty input and exact multiples of the block size', async () => {
    expect(zlib.gunzipSync(await gzipWith(Buffer.alloc(0), { level: 6 })).length).toBe(0);
    const exact = randomBytes(4 * 16 * 1024);
    expect(zlib.gunzipSync(await gzipWith(exact, { level: 6, blockSize: 16 * 1024 })).equals(exact)).toBe(true);
  });
});

describe('reading foreign and broken bundles', () => {
  let dir: string;
  let bundle: string;
  let pki: ReturnType<typeof makeTestPki>;
  beforeAll(async () => {
    dir = await tempDir('bs-read-');
    pki = makeTestPki();
    const root = await makeService(path.join(dir, 'svc'), pki.user, [pki.ca]);
    bundle = (await signServiceBundle({ root })).path;
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a truncated bundle fails verification instead of hanging', async () => {
    const b = await fs.readFile(bundle);
    for (const cut of [20, Math.floor(b.length / 2), b.length - 4]) {
      const f = path.join(dir, `trunc-${cut}.tar.gz`);
      await fs.writeFile(f, b.subarray(0, cut));
      const r = await verifyBundle(f);
      expect(r.ok).toBe(false);
      expect(r.failures.length).toBeGreaterThan(0);
    }
  });

  it('a file that is not gzip/tar at all fails naming the file', async () => {
    const f = path.join(dir, 'junk.tar.gz');
    await fs.writeFile(f, 'not a bundle at all');
    const r = await verifyBundle(f);
    expect(r.ok).toBe(false);
    expect(r.failures.map((x) => x.member)).toContain('package.sign');
  });

  it('accepts a bundle written the way the platform\'s Python tool writes it (tarfile pax, gzip -9, ./ prefixes)', async () => {
    let python = true;
    try {
      execFileSync('python3', ['--version'], { stdio: 'pipe' });
    } catch {
      python = false;
    }
    if (!python) return;
    const x = path.join(dir, 'py-x');
    await fs.mkdir(x);
    execFileSync('tar', ['-xzf', bundle, '-C', x]);
    const inner = path.join(x, 'inner');
    await fs.mkdir(inner);
    execFileSync('tar', ['-xzf', path.join(x, 'service.tar.gz'), '-C', inner]);
    const out = path.join(dir, 'py.tar.gz');
    const script = `
import tarfile, os, sys
x, out = sys.argv[1], sys.argv[2]
inner = os.path.join(x, 'inner')
with tarfile.open(os.path.join(x, 'service.tar.gz'), 'w:gz', format=tarfile.PAX_FORMAT, compresslevel=9) as t:
    t.add(inner, arcname='.')
with tarfile.open(out, 'w:gz', format=tarfile.PAX_FORMAT, compresslevel=9) as t:
    t.add(os.path.join(x, 'config.yaml'), arcname='./config.yaml')
    t.add(os.path.join(x, 'service.tar.gz'), arcname='./service.tar.gz')
    t.add(os.path.join(x, 'package.sign'), arcname='./package.sign')
`;
    execFileSync('python3', ['-c', script, x, out]);
    const r = await verifyBundle(out);
    // The inner archive was rebuilt, so its digest differs from package.sign: exactly that must fail, nothing else.
    expect(r.failures.map((f) => f.id)).toContain('hash.service.tar.gz');
    for (const f of r.failures) expect(['hash.service.tar.gz', 'size.service.tar.gz']).toContain(f.id);
    expect(r.failures.every((f) => f.member === 'service.tar.gz')).toBe(true);
    expect(r.checks.find((c) => c.id === 'inner.config.yaml')?.ok).toBe(true);
    expect(r.checks.find((c) => c.id === 'hash.config.yaml')?.ok).toBe(true);
  });
});
