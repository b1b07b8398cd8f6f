import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createLayerPackHandlers } from '../../../src/main/api/layer-pack-handlers';
import { JobRegistry, type JobOutcome } from '../../../src/main/api/jobs';
import { dispatch, createApiHandlers } from '../../../src/main/api/handlers';
import { packLayer } from '../../../src/main/core/layers/pack';
import { tempDirPerTest } from '../../support/temp-dir';
import { makeRootfsPair } from '../layers/pack-fixture';

const tmp = tempDirPerTest('layer-handlers-');

/** Handlers whose jobs' outcomes can be awaited by id. */
function layerHandlers() {
  const outcomes = new Map<string, (o: JobOutcome) => void>();
  const finished = new Map<string, JobOutcome>();
  const jobs = new JobRegistry({
    progress: () => undefined,
    done: (id, o) => {
      finished.set(id, o);
      outcomes.get(id)?.(o);
    },
  });
  const handlers = createLayerPackHandlers(jobs, (p) => path.resolve(tmp.path, p));
  const outcome = (jobId: string) => new Promise<JobOutcome>((resolve) => (finished.has(jobId) ? resolve(finished.get(jobId)!) : outcomes.set(jobId, resolve)));
  return { handlers, jobs, outcome };
}

describe('layers.plan', () => {
  it('lists what the CLI dry run lists, and writes nothing', async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    const { handlers, outcome } = layerHandlers();
    const out = path.join(tmp.path, 'out');
    const { jobId } = await handlers['layers.plan']({ rootfs: child, parents: [parent], version: '1.2.0', architecture: 'amd64', outDir: out });
    const o = await outcome(jobId);
    const same = await packLayer({ rootfs: child, parents: [parent], version: '1.2.0', architecture: 'amd64', outDir: out, dryRun: true });
    expect(o.ok).toBe(true);
    const plan = (o as { value: { file: string; added: { paths: { path: string }[]; count: number }; deleted: { paths: { path: string; by?: string }[] } } }).value;
    expect(plan.file).toBe(path.join(out, 'linux-amd64-1.2.0.tar.gz'));
    expect(plan.added.paths.map((c) => c.path)).toEqual(same.plan.added.map((c) => c.path));
    expect(plan.added.count).toBe(same.plan.added.length);
    expect(plan.deleted.paths).toContainEqual(expect.objectContaining({ path: '/etc/gone.conf', by: 'whiteout' }));
    expect(plan.deleted.paths).toContainEqual(expect.objectContaining({ by: 'opaque' }));
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a version that is not strict SemVer, as the CLI does', async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    const { handlers, outcome } = layerHandlers();
    const { jobId } = await handlers['layers.plan']({ rootfs: child, parents: [parent], version: 'v1.2', architecture: 'amd64', outDir: path.join(tmp.path, 'out') });
    expect(await outcome(jobId)).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('strict SemVer') } });
  });
});

describe('layers.pack', () => {
  it('writes the same bytes as the CLI use-case and answers digest, size and diff_id', async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    const { handlers, outcome } = layerHandlers();
    const out = path.join(tmp.path, 'app');
    const { jobId } = await handlers['layers.pack']({ rootfs: child, parents: [parent], version: '1.2.0', architecture: 'amd64', outDir: out });
    const o = await outcome(jobId);
    expect(o.ok).toBe(true);
    const value = (o as { value: { file: string; digest: string; size: number; diffId: string; architecture: string; descriptorFile: string } }).value;
    expect(value.architecture).toBe('amd64');
    const cli = await packLayer({ rootfs: child, parents: [parent], version: '1.2.0', architecture: 'amd64', outDir: path.join(tmp.path, 'cli') });
    expect(readFileSync(value.file)).toEqual(readFileSync(cli.file));
    expect(value.digest).toBe(cli.packed!.descriptor.digest);
    expect(value.diffId).toBe(cli.packed!.diffId);
    expect(value.size).toBe(readFileSync(value.file).length);
    expect(JSON.parse(readFileSync(value.descriptorFile, 'utf8')).digest).toBe(value.digest);
  });

  it("writes the OS features given into the image's descriptor, as the CLI option --os-feature does", async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    const { handlers, outcome } = layerHandlers();
    const out = path.join(tmp.path, 'features');
    const { jobId } = await handlers['layers.pack']({ rootfs: child, parents: [parent], version: '1.2.0', architecture: 'amd64', outDir: out, osFeatures: ['python3-requests', 'libssl3'] });
    const o = await outcome(jobId);
    expect(o.ok).toBe(true);
    const descriptor = JSON.parse(readFileSync(path.join(out, 'linux-amd64-1.2.0.layer.json'), 'utf8'));
    expect(descriptor.platform['os.features']).toEqual(['python3-requests', 'libssl3']);
  });

  it("never writes over this image or its descriptor already in the output folder", async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    const { handlers } = layerHandlers();
    const out = path.join(tmp.path, 'out');
    mkdirSync(out);
    for (const name of ['linux-amd64-1.2.0.tar.gz', 'linux-amd64-1.2.0.layer.json']) {
      writeFileSync(path.join(out, name), 'mine');
      await expect(handlers['layers.pack']({ rootfs: child, parents: [parent], version: '1.2.0', architecture: 'amd64', outDir: out })).rejects.toMatchObject({ error: { code: 'exists' } });
      expect(readFileSync(path.join(out, name), 'utf8')).toBe('mine');
    }
  });

  it('packs a second architecture into the folder of the first, as the CLI does: each image keeps its descriptor', async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    const { handlers, outcome } = layerHandlers();
    const out = path.join(tmp.path, 'out');
    // A folder-wide layer.json of the user's (or of an older pack) is no obstacle and stays as it is.
    mkdirSync(out);
    writeFileSync(path.join(out, 'layer.json'), 'mine');
    const digests: Record<string, string> = {};
    for (const architecture of ['amd64', 'arm64']) {
      const o = await outcome((await handlers['layers.pack']({ rootfs: child, parents: [parent], version: '1.2.0', architecture, outDir: out })).jobId);
      expect(o.ok).toBe(true);
      const value = (o as { value: { descriptorFile: string; digest: string } }).value;
      expect(value.descriptorFile).toBe(path.join(out, `linux-${architecture}-1.2.0.layer.json`));
      digests[architecture] = value.digest;
    }
    for (const architecture of ['amd64', 'arm64']) {
      const d = JSON.parse(readFileSync(path.join(out, `linux-${architecture}-1.2.0.layer.json`), 'utf8'));
      expect(d).toMatchObject({ digest: digests[architecture], platform: { architecture } });
    }
    expect(readFileSync(path.join(out, 'layer.json'), 'utf8')).toBe('mine');
  });

  it('leaves no file when cancelled', async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    const { handlers, jobs, outcome } = layerHandlers();
    const out = path.join(tmp.path, 'out');
    const { jobId } = await handlers['layers.pack']({ rootfs: child, parents: [parent], version: '1.2.0', architecture: 'amd64', outDir: out });
    jobs.cancel(jobId);
    expect(await outcome(jobId)).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});

describe('the layer channels through dispatch', () => {
  it('are part of the API and validate their input', async () => {
    const api = createApiHandlers({ mode: 'browser', settingsDir: tmp.path, homeDir: tmp.path, cwd: tmp.path });
    const r = await dispatch(api, 'layers.pack', { rootfs: 'a', parents: 'b', version: '1.0.0', architecture: 'amd64', outDir: 'o' });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('parents') } });
  });
});
