import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createApiHandlers, dispatch } from '../../../src/main/api/handlers';
import { tarStream } from '../../../src/main/core/bundle/archive';
import { RecentServices } from '../../../src/main/core/settings/recent-services';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest();

async function layerImage(files: Record<string, string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const parts = [{ kind: 'directory' as const, name: './' }, ...Object.entries(files).map(([name, data]) => ({ kind: 'bytes' as const, name: `./${name}`, data: Buffer.from(data) }))];
  for await (const c of tarStream(parts)) chunks.push(Buffer.from(c));
  return gzipSync(Buffer.concat(chunks));
}

function put(rel: string, data: string | Buffer): string {
  const p = join(tmp.path, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, data);
  return p;
}

const PKG = JSON.stringify({ name: 'left-pad', version: '1.3.0', license: 'WTFPL' });

describe('layers.* channels (through dispatch, outputs and job results checked by the contract)', () => {
  function setup() {
    const done = new Map<string, { ok: boolean; value?: unknown; error?: unknown }>();
    const waiters = new Map<string, (v: unknown) => void>();
    const handlers = createApiHandlers({
      mode: 'browser',
      settingsDir: join(tmp.path, 'settings'),
      homeDir: tmp.path,
      cwd: tmp.path,
      emit: (event, payload) => {
        if (event !== 'job.done') return;
        const p = payload as { jobId: string; ok: boolean; value?: unknown; error?: unknown };
        done.set(p.jobId, p);
        waiters.get(p.jobId)?.(p);
      },
    });
    const job = async (channel: string, input: unknown) => {
      const started = await dispatch(handlers, channel, input);
      if (!started.ok) throw new Error(JSON.stringify(started.error));
      const { jobId } = started.value as { jobId: string };
      return done.get(jobId) ?? new Promise((resolve) => waiters.set(jobId, resolve));
    };
    return { handlers, job };
  }

  it('catalog, inspect, dependants, refused removal, sbom export and add', async () => {
    const { handlers, job } = setup();
    const img = await layerImage({ 'usr/lib/node_modules/left-pad/package.json': PKG });
    put('lib/pylibs/linux-amd64-1.0.0.tar.gz', img);
    put('lib/pylibs/linux-amd64-1.1.0.tar.gz', img);
    const svc = join(tmp.path, 'svc');
    put('svc/meta/config.yaml', 'build:\n  arch: x86\nconfiguration:\n  layers:\n    - uid: pylibs\n      minVersion: 1.0.0\n      maxVersion: 2.0.0\n');
    await new RecentServices(join(tmp.path, 'settings')).remember(svc);

    const cat = (await job('layers.catalog', { library: 'lib' })) as { ok: boolean; value: { layers: { uid: string; dependants: number; versions: { version: string; dependants: number }[] }[]; consumers: unknown } };
    expect(cat.ok).toBe(true);
    expect(cat.value.consumers).toEqual({ services: 1, bundles: 0 });
    expect(cat.value.layers[0].versions.map((v) => [v.version, v.dependants])).toEqual([['1.1.0', 1], ['1.0.0', 0]]);

    const inspected = (await job('layers.inspect', { path: 'lib/pylibs/linux-amd64-1.1.0.tar.gz' })) as { ok: boolean; value: { libraries: unknown[]; entries: { path: string }[] } };
    expect(inspected.ok).toBe(true);
    expect(inspected.value.libraries).toEqual([expect.objectContaining({ name: 'left-pad', version: '1.3.0', source: 'usr/lib/node_modules/left-pad/package.json' })]);
    expect(inspected.value.entries.map((e) => e.path)).toContain('usr/lib/node_modules/left-pad/package.json');

    const ref = { library: 'lib', uid: 'pylibs', version: '1.1.0', architecture: 'amd64' };
    expect(await dispatch(handlers, 'layers.dependants', ref)).toMatchObject({ ok: true, value: { dependants: [{ kind: 'service', name: 'svc', from: 'recent' }] } });
    const plan = await dispatch(handlers, 'layers.removePlan', ref);
    expect(plan).toMatchObject({ ok: true, value: { allowed: false, files: [], dependants: [{ name: 'svc' }] } });
    const file = join(tmp.path, 'lib/pylibs/linux-amd64-1.1.0.tar.gz');
    expect(await dispatch(handlers, 'layers.remove', { ...ref, confirmedFiles: [file] })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(existsSync(file)).toBe(true);

    const free = await dispatch(handlers, 'layers.removePlan', { ...ref, version: '1.0.0' });
    expect(free).toMatchObject({ ok: true, value: { allowed: true } });
    const files = (free as { value: { files: string[] } }).value.files;
    expect(await dispatch(handlers, 'layers.remove', { ...ref, version: '1.0.0', confirmedFiles: files })).toMatchObject({ ok: true, value: { removedLayer: false } });

    mkdirSync(join(tmp.path, 'out'));
    const sbom = (await job('layers.sbom', { path: file, format: 'cyclonedx', outFile: 'out/sbom.json' })) as { ok: boolean; value: { path: string; components: number } };
    expect(sbom).toMatchObject({ ok: true, value: { format: 'cyclonedx', components: 1 } });
    expect(JSON.parse(readFileSync(sbom.value.path, 'utf8')).bomFormat).toBe('CycloneDX');

    expect(await dispatch(handlers, 'layers.add', { library: 'lib', uid: 'other', file })).toMatchObject({ ok: true, value: { file: join(tmp.path, 'lib/other/linux-amd64-1.1.0.tar.gz') } });
  });
});
