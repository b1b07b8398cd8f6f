import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { buildRootfsLayer, LAYER_GZIP_OS_BYTE } from '../../../src/main/core/oci';
import { makeServiceTree } from './helpers';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function listTar(tar: Buffer): { path: string; type: string; mode: number; uid: number; gid: number; mtime: number; size: number }[] {
  const out: { path: string; type: string; mode: number; uid: number; gid: number; mtime: number; size: number }[] = [];
  const parser = new Parser({
    onReadEntry: (e: ReadEntry) => {
      out.push({ path: e.path, type: e.type, mode: e.mode ?? -1, uid: e.uid ?? -1, gid: e.gid ?? -1, mtime: (e.mtime?.getTime() ?? -1) / 1000, size: e.size ?? 0 });
      e.resume();
    },
  });
  parser.end(tar);
  return out;
}

describe('buildRootfsLayer', () => {
  const tree = makeServiceTree();
  afterAll(() => rmSync(tree.root, { recursive: true, force: true }));

  it('writes a tar+gzip whose digest, size and diff_id re-verify', async () => {
    const out = path.join(tree.root, 'layer.tar.gz');
    const layer = await buildRootfsLayer(tree.src, { outFile: out });
    const blob = readFileSync(out);
    expect(layer.size).toBe(blob.length);
    expect(layer.digest).toBe(sha(blob));
    const tar = gunzipSync(blob);
    expect(layer.diffId).toBe(sha(tar));
    expect(layer.tarSize).toBe(tar.length);
    expect(layer.files).toBe(4); // regular files; the symlink is not counted
    // gzip header: no name flag, mtime 0, OS byte pinned
    expect(blob[3] & 0x08).toBe(0);
    expect(blob.readUInt32LE(4)).toBe(0);
    expect(blob[9]).toBe(LAYER_GZIP_OS_BYTE);
  });

  it('holds paths as in the container (no service/ prefix), sorted, owner 0:0, mtime 0, normalised modes', async () => {
    const out = path.join(tree.root, 'layer2.tar.gz');
    await buildRootfsLayer(tree.src, { outFile: out });
    const entries = listTar(gunzipSync(readFileSync(out)));
    expect(entries.map((e) => e.path)).toEqual([
      './',
      './etc/',
      './etc/app.cfg',
      './opt/',
      './opt/app/',
      './opt/app/data/',
      './opt/app/data/big.bin',
      './opt/app/donn\u00e9es.txt',
      './opt/app/run',
      './usr/',
      './usr/bin/',
      './usr/bin/run.sh',
    ]);
    expect(entries.every((e) => e.uid === 0 && e.gid === 0 && e.mtime === 0)).toBe(true);
    const mode = (p: string) => entries.find((e) => e.path === p)!.mode & 0o7777;
    expect(mode('./usr/bin/run.sh')).toBe(0o755);
    expect(mode('./etc/app.cfg')).toBe(0o644);
    expect(mode('./etc/')).toBe(0o755);
    expect(entries.find((e) => e.path === './opt/app/run')!.type).toBe('SymbolicLink');
  });

  it('is reproducible: same bytes whatever the mtimes on disk', async () => {
    const a = await buildRootfsLayer(tree.src);
    utimesSync(path.join(tree.src, 'etc', 'app.cfg'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const b = await buildRootfsLayer(tree.src);
    expect(b).toEqual(a);
    writeFileSync(path.join(tree.src, 'etc', 'app.cfg'), 'key = other\n');
    const c = await buildRootfsLayer(tree.src);
    expect(c.digest).not.toBe(a.digest);
    expect(c.diffId).not.toBe(a.diffId);
  });

  it('reports progress and the whiteouts it finds', async () => {
    writeFileSync(path.join(tree.src, 'etc', '.wh.hosts'), '');
    const seen: number[] = [];
    const layer = await buildRootfsLayer(tree.src, { onProgress: (p) => seen.push(p.files) });
    expect(seen.at(-1)).toBe(layer.files);
    expect(layer.whiteouts).toEqual(['etc/.wh.hosts']);
    rmSync(path.join(tree.src, 'etc', '.wh.hosts'));
  });

  it('can be cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(buildRootfsLayer(tree.src, { signal: ac.signal })).rejects.toThrow();
  });

  it('compresses text, stores random bytes, and the digests still re-verify (several gzip blocks)', async () => {
    const dir = path.join(tree.root, 'mixed');
    mkdirSync(path.join(dir, 'data'), { recursive: true });
    const random = randomBytes(2_500_000);
    const text = Buffer.from('2024-06-11T10:00:00Z [INFO] service unit started\n'.repeat(60_000));
    writeFileSync(path.join(dir, 'data', 'blob.bin'), random);
    writeFileSync(path.join(dir, 'data', 'log.txt'), text);
    const out = path.join(tree.root, 'mixed.tar.gz');
    const layer = await buildRootfsLayer(dir, { outFile: out });
    const blob = readFileSync(out);
    expect(layer.digest).toBe(sha(blob));
    const tar = gunzipSync(blob);
    expect(layer.diffId).toBe(sha(tar));
    // Random bytes cost at most their stored-block headers; the text shrinks to a few percent.
    expect(layer.size).toBeLessThan(random.length * 1.001 + text.length * 0.05);
    expect(layer.size).toBeGreaterThan(random.length);
    expect((await buildRootfsLayer(dir)).digest).toBe(layer.digest);
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies the symlink policy', async () => {
    const out = path.join(tree.root, 'layer3.tar.gz');
    await buildRootfsLayer(tree.src, { outFile: out, symlinks: 'delete' });
    expect(listTar(gunzipSync(readFileSync(out))).map((e) => e.path)).not.toContain('./opt/app/run');
    await expect(buildRootfsLayer(tree.src, { symlinks: 'raise' })).rejects.toThrow(/Symlink/);
  });
});
