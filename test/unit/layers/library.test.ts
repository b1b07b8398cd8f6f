import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { tarStream } from '../../../src/main/core/bundle/archive';
import { clearLayerLibraryCache, filterCatalogue, layerLibraryCacheSize, parseLayerFileName, scanLayerLibrary } from '../../../src/main/core/layers/library';

async function layerTar(files: Record<string, string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const parts = [{ kind: 'directory' as const, name: './' }, ...Object.entries(files).map(([name, data]) => ({ kind: 'bytes' as const, name: `./${name}`, data: Buffer.from(data) }))];
  for await (const c of tarStream(parts)) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

describe('parseLayerFileName', () => {
  it('accepts <os>-<arch>-<version>.tar.gz with OCI arch names and strict SemVer', () => {
    expect(parseLayerFileName('linux-amd64-1.0.0.tar.gz')).toEqual({ os: 'linux', architecture: 'amd64', version: '1.0.0' });
    expect(parseLayerFileName('linux-arm-2.0.0-rc.1.tar.gz')).toEqual({ os: 'linux', architecture: 'arm', version: '2.0.0-rc.1' });
    expect(parseLayerFileName('linux-arm64-1.2.3+build.5.tar.gz')?.version).toBe('1.2.3+build.5');
  });
  it('rejects other names', () => {
    for (const n of ['linux-x86-1.0.0.tar.gz', 'linux-amd64-1.0.tar.gz', 'linux-amd64-v1.0.0.tar.gz', 'linux-amd64-01.0.0.tar.gz', 'amd64-1.0.0.tar.gz', 'linux-amd64-1.0.0.tgz', 'Linux-amd64-1.0.0.tar.gz']) {
      expect(parseLayerFileName(n), n).toBeUndefined();
    }
  });
});

describe('scanLayerLibrary', () => {
  const lib = mkdtempSync(path.join(os.tmpdir(), 'layer-lib-'));
  const put = (rel: string, data: Buffer) => {
    mkdirSync(path.dirname(path.join(lib, rel)), { recursive: true });
    writeFileSync(path.join(lib, rel), data);
    return path.join(lib, rel);
  };
  let v1: Buffer;
  let v1Tar: Buffer;

  beforeAll(async () => {
    v1Tar = await layerTar({ 'usr/lib/python3/a.py': 'print(1)\n' });
    v1 = gzipSync(v1Tar);
    put('aos-pylibs-layer/linux-amd64-1.0.0.tar.gz', v1);
    put('aos-pylibs-layer/linux-amd64-1.5.0.tar.gz', gzipSync(await layerTar({ 'usr/lib/python3/a.py': 'print(15)\n' })));
    put('aos-pylibs-layer/linux-arm64-1.5.0.tar.gz', gzipSync(await layerTar({ 'usr/lib/python3/a.py': 'print(arm)\n' })));
    put('aos-pylibs-layer/linux-amd64-banana.tar.gz', v1);
    put('aos-pylibs-layer/README.md', Buffer.from('not a layer'));
    put('broken/linux-amd64-1.0.0.tar.gz', Buffer.from('this is not gzip at all'));
    put('notatar/linux-amd64-1.0.0.tar.gz', gzipSync(Buffer.from('gzip of plain text, not a tar archive\n'.repeat(30))));
    put('truncated/linux-amd64-1.0.0.tar.gz', gzipSync(v1Tar.subarray(0, 700)));
    put('config.yaml', Buffer.from('schemaVersion: 2\n'));
  });
  afterAll(() => rmSync(lib, { recursive: true, force: true }));
  beforeEach(() => clearLayerLibraryCache());

  it('finds every version with digest, size and diff_id computed independently', async () => {
    const { catalogue, problems } = await scanLayerLibrary(lib);
    const versions = catalogue['aos-pylibs-layer'];
    expect(versions.map((v) => `${v.architecture} ${v.version}`).sort()).toEqual(['amd64 1.0.0', 'amd64 1.5.0', 'arm64 1.5.0']);
    const one = versions.find((v) => v.version === '1.0.0')!;
    expect(one.digest).toBe(sha(v1));
    expect(one.size).toBe(v1.length);
    expect(one.diffId).toBe(sha(gunzipSync(v1)));
    expect(one.tarSize).toBe(v1Tar.length);
    expect(one.os).toBe('linux');
    // Bad files are problems, never throws, and never in the catalogue.
    expect(Object.keys(catalogue)).toEqual(['aos-pylibs-layer']);
    const byFile = Object.fromEntries(problems.map((p) => [path.relative(lib, p.file), p.message]));
    expect(Object.keys(byFile).sort()).toEqual([
      'aos-pylibs-layer/linux-amd64-banana.tar.gz',
      'broken/linux-amd64-1.0.0.tar.gz',
      'notatar/linux-amd64-1.0.0.tar.gz',
      'truncated/linux-amd64-1.0.0.tar.gz',
    ]);
    expect(byFile['broken/linux-amd64-1.0.0.tar.gz']).toMatch(/gzip/);
    expect(byFile['notatar/linux-amd64-1.0.0.tar.gz']).toMatch(/not a tar/);
    expect(byFile['truncated/linux-amd64-1.0.0.tar.gz']).toMatch(/truncated/);
  });

  it('keeps only the service architecture when given (build.arch names mapped)', async () => {
    const amd = await scanLayerLibrary(lib, { architecture: 'x86' });
    expect(amd.catalogue['aos-pylibs-layer'].map((v) => v.version).sort()).toEqual(['1.0.0', '1.5.0']);
    const arm = await scanLayerLibrary(lib, { architecture: 'aarch64' });
    expect(arm.catalogue['aos-pylibs-layer'].map((v) => `${v.architecture} ${v.version}`)).toEqual(['arm64 1.5.0']);
    const all = await scanLayerLibrary(lib);
    expect(filterCatalogue(all.catalogue, 'aarch64')).toEqual(arm.catalogue);
  });

  it('reports progress and reuses cached digests until a file changes', async () => {
    const file = path.join(lib, 'aos-pylibs-layer/linux-amd64-1.0.0.tar.gz');
    const fixed = new Date('2026-01-01T00:00:00Z');
    utimesSync(file, fixed, fixed);
    const seen: number[] = [];
    const first = await scanLayerLibrary(lib, { onProgress: (p) => seen.push(p.filesDone) });
    expect(seen.at(-1)).toBe(6);
    // Overwrite a file's content without changing size or mtime: the cache still answers.
    const original = readFileSync(file);
    const tampered = Buffer.from(original);
    tampered[tampered.length - 1] ^= 0xff;
    writeFileSync(file, tampered);
    utimesSync(file, fixed, fixed);
    const cached = await scanLayerLibrary(lib);
    expect(cached.catalogue['aos-pylibs-layer']).toEqual(first.catalogue['aos-pylibs-layer']);
    // A new mtime invalidates it (and the damaged gzip trailer becomes a problem).
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const rescanned = await scanLayerLibrary(lib);
    expect(rescanned.problems.map((p) => p.file)).toContain(file);
    writeFileSync(file, original);
  });

  it('keeps the digests of a bounded number of files, the most recently scanned', async () => {
    clearLayerLibraryCache(2);
    const file = path.join(lib, 'aos-pylibs-layer/linux-amd64-1.0.0.tar.gz');
    const fixed = new Date('2026-01-01T00:00:00Z');
    utimesSync(file, fixed, fixed);
    const first = await scanLayerLibrary(lib);
    expect(first.catalogue['aos-pylibs-layer']).toHaveLength(3);
    expect(layerLibraryCacheSize()).toBe(2);
    // The file scanned first fell out of the cache: a change that keeps its size and mtime
    // is now seen (a cached digest would hide it, as the test above shows).
    const original = readFileSync(file);
    const tampered = Buffer.from(original);
    tampered[tampered.length - 1] ^= 0xff;
    writeFileSync(file, tampered);
    utimesSync(file, fixed, fixed);
    try {
      const rescanned = await scanLayerLibrary(lib);
      expect(rescanned.problems.map((p) => p.file)).toContain(file);
      expect(layerLibraryCacheSize()).toBe(2);
    } finally {
      writeFileSync(file, original);
    }
  });

  it('stops when cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(scanLayerLibrary(lib, { signal: ac.signal })).rejects.toMatchObject({ error: { code: 'cancelled' } });
  });

  it('fails clearly on a missing folder', async () => {
    await expect(scanLayerLibrary(path.join(lib, 'nope'))).rejects.toMatchObject({ error: { code: 'not-found' } });
  });

  it('reads a layer made as the platform makes it (tar --numeric-owner | gzip -n)', async () => {
    const diff = mkdtempSync(path.join(os.tmpdir(), 'layer-diff-'));
    mkdirSync(path.join(diff, 'usr', 'lib'), { recursive: true });
    writeFileSync(path.join(diff, 'usr', 'lib', 'libx.so.1.2.3'), Buffer.alloc(20_000, 3));
    writeFileSync(path.join(diff, 'usr', 'lib', '.wh.old'), '');
    const gnu = spawnSync('sh', ['-c', `tar --numeric-owner -cf - -C "${diff}" . | gzip -n`], { maxBuffer: 1 << 24 });
    rmSync(diff, { recursive: true, force: true });
    expect(gnu.status).toBe(0);
    const file = put('gnu-layer/linux-arm-3.0.0.tar.gz', gnu.stdout);
    try {
      const { catalogue } = await scanLayerLibrary(lib, { architecture: 'arm' });
      expect(catalogue['gnu-layer']).toEqual([
        expect.objectContaining({ version: '3.0.0', digest: sha(gnu.stdout), size: gnu.stdout.length, diffId: sha(gunzipSync(gnu.stdout)) }),
      ]);
    } finally {
      rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});
