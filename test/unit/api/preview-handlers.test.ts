import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { tarStream } from '../../../src/main/core/bundle/archive';
import { createPreviewHandlers } from '../../../src/main/api/preview-handlers';
import { JobRegistry } from '../../../src/main/api/jobs';
import { buildRootfsLayer } from '../../../src/main/core/oci';
import { eventually } from '../../support/eventually';
import { makeServiceTree, SERVICE_CONFIG } from '../oci/helpers';

describe('preview.rootfs', () => {
  // The tree holds a symlink, so the layer's digest depends on build.symlinks.
  const tree = makeServiceTree(SERVICE_CONFIG.replace('symlinks: copy', 'symlinks: delete'));
  afterAll(() => rmSync(tree.root, { recursive: true, force: true }));

  it('builds the layer with the config\'s symlink policy, as the CLI and the export do', async () => {
    let done!: (outcome: unknown) => void;
    const outcome = new Promise((resolve) => (done = resolve));
    const jobs = new JobRegistry({ progress: () => undefined, done: (_id, o) => done(o) });
    const handlers = createPreviewHandlers(jobs, (p) => p);

    await handlers['preview.rootfs']({ root: tree.root });
    const result = (await outcome) as { ok: boolean; value: { digest: string } };

    const deleted = await buildRootfsLayer(tree.src, { symlinks: 'delete' });
    const copied = await buildRootfsLayer(tree.src, { symlinks: 'copy' });
    expect(deleted.digest).not.toBe(copied.digest);
    expect(result.ok).toBe(true);
    expect(result.value.digest).toBe(deleted.digest);
  });
});

describe('preview.build after preview.rootfs', () => {
  const tree = makeServiceTree();
  afterAll(() => rmSync(tree.root, { recursive: true, force: true }));

  it('warns about whiteouts under src/ as the CLI and the export do', async () => {
    writeFileSync(path.join(tree.src, 'etc', '.wh.motd'), '');
    let done!: (outcome: unknown) => void;
    const outcome = new Promise((resolve) => (done = resolve));
    const handlers = createPreviewHandlers(new JobRegistry({ progress: () => undefined, done: (_id, o) => done(o) }), (p) => p);
    await handlers['preview.rootfs']({ root: tree.root });
    expect(await outcome).toMatchObject({ ok: true });
    const preview = await handlers['preview.build']({ root: tree.root, text: SERVICE_CONFIG });
    expect(preview.warnings.filter((w) => w.code === 'whiteout-in-rootfs')).toEqual([expect.objectContaining({ file: 'etc/.wh.motd' })]);
  });
});

describe('preview caches', () => {
  const trees = [makeServiceTree(), makeServiceTree()];
  afterAll(() => trees.forEach((t) => rmSync(t.root, { recursive: true, force: true })));

  it('keep the rootfs layers of a bounded number of services, the most recently computed', async () => {
    const jobs = new JobRegistry({ progress: () => undefined, done: () => undefined });
    const handlers = createPreviewHandlers(jobs, (p) => p, undefined, { services: 1 });
    const rootfsOf = async (root: string) => {
      const { jobId } = await handlers['preview.rootfs']({ root });
      await eventually(() => expect(jobs.status(jobId).state).toBe('done'));
    };
    const built = async (root: string) => (await handlers['preview.build']({ root, text: SERVICE_CONFIG })).rootfs;
    await rootfsOf(trees[0].root);
    expect(await built(trees[0].root)).not.toBeNull();
    await rootfsOf(trees[1].root);
    expect(await built(trees[1].root)).not.toBeNull();
    expect(await built(trees[0].root)).toBeNull();
  });
});

describe('layers.scan then preview.build', () => {
  const lib = mkdtempSync(path.join(os.tmpdir(), 'layer-lib-api-'));
  afterAll(() => rmSync(lib, { recursive: true, force: true }));

  async function layerFile(rel: string, content: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of tarStream([{ kind: 'directory', name: './' }, { kind: 'bytes', name: './lib/x.txt', data: Buffer.from(content) }])) chunks.push(Buffer.from(c));
    const gz = gzipSync(Buffer.concat(chunks));
    mkdirSync(path.dirname(path.join(lib, rel)), { recursive: true });
    writeFileSync(path.join(lib, rel), gz);
    return gz;
  }

  it('resolves a required layer to the highest version in range once the folder is scanned', async () => {
    await layerFile('aos-pylibs-layer/linux-amd64-1.0.0.tar.gz', 'one');
    const picked = await layerFile('aos-pylibs-layer/linux-amd64-1.4.0.tar.gz', 'one-four');
    await layerFile('aos-pylibs-layer/linux-amd64-2.0.0.tar.gz', 'two'); // outside the range (max excluded)
    await layerFile('aos-pylibs-layer/linux-arm64-1.9.0.tar.gz', 'arm'); // another architecture
    writeFileSync(path.join(lib, 'aos-pylibs-layer', 'linux-amd64-1.5.0.tar.gz'), 'not gzip');

    const finished = new Map<string, (o: unknown) => void>();
    const outcomes = new Map<string, Promise<unknown>>();
    const jobs = new JobRegistry({ progress: () => undefined, done: (id, o) => finished.get(id)?.(o) });
    const handlers = createPreviewHandlers(jobs, (p) => p);
    const config = `${SERVICE_CONFIG}    layers:\n        - uid: aos-pylibs-layer\n          minVersion: 1.0.0\n          maxVersion: 2.0.0\n`;
    const root = '/nowhere/service';
    type Layers = { layers: { unresolved: boolean; uid: string; version?: string; digest?: string }[] };

    // Before any scan: unresolved, and preview.build does not scan on its own.
    const before = (await handlers['preview.build']({ root, text: config, layerLibrary: lib })) as unknown as Layers & { layerLibrary: { scanned: boolean } };
    expect(before.layers).toEqual([expect.objectContaining({ uid: 'aos-pylibs-layer', unresolved: true })]);
    expect(before.layerLibrary.scanned).toBe(false);

    const { jobId } = await handlers['layers.scan']({ dir: lib });
    outcomes.set(jobId, new Promise((resolve) => finished.set(jobId, resolve)));
    const outcome = (await outcomes.get(jobId)) as { ok: boolean; value: { dir: string; layers: number; versions: number; problems: { file: string }[] } };
    expect(outcome.ok).toBe(true);
    expect(outcome.value).toMatchObject({ dir: lib, layers: 1, versions: 4 });
    expect(outcome.value.problems.map((p) => path.basename(p.file))).toEqual(['linux-amd64-1.5.0.tar.gz']);

    const after = (await handlers['preview.build']({ root, text: config, layerLibrary: lib })) as unknown as Layers;
    expect(after.layers).toEqual([
      expect.objectContaining({ uid: 'aos-pylibs-layer', unresolved: false, version: '1.4.0', digest: `sha256:${createHash('sha256').update(picked).digest('hex')}` }),
    ]);
    // Without the library named, the same config stays unresolved.
    const without = (await handlers['preview.build']({ root, text: config })) as unknown as Layers;
    expect(without.layers[0].unresolved).toBe(true);
  });
});
