// One use-case, two callers: the app's 'preview.export' (through dispatch and the handlers, as
// the renderer calls it) and `aos-bundle preview --out` must write byte-identical layouts for
// the same inputs, layer library included.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiHandlers, dispatch } from '../../../src/main/api/handlers';
import type { EventName, EventPayload } from '../../../src/shared/contract';
import { cli } from '../cli/helpers';
import { makeLayerImage, makeServiceTree, readTree, SERVICE_CONFIG } from '../oci/helpers';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest('bs-preview-parity-');

const CONFIG = `${SERVICE_CONFIG}    layers:\n        - uid: aos-pylibs-layer\n          minVersion: 1.0.0\n          maxVersion: 2.0.0\n`;

async function appExport(input: Record<string, unknown>): Promise<EventPayload<'job.done'>> {
  const done = new Map<string, (p: EventPayload<'job.done'>) => void>();
  const early = new Map<string, EventPayload<'job.done'>>();
  const handlers = createApiHandlers({
    mode: 'browser',
    settingsDir: join(tmp.path, 'settings'),
    homeDir: tmp.path,
    cwd: tmp.path,
    emit: <E extends EventName>(event: E, payload: EventPayload<E>) => {
      if (event !== 'job.done') return;
      const p = payload as EventPayload<'job.done'>;
      const waiting = done.get(p.jobId);
      if (waiting) waiting(p);
      else early.set(p.jobId, p);
    },
  });
  const started = await dispatch(handlers, 'preview.export', input);
  expect(started.ok, JSON.stringify(started)).toBe(true);
  const { jobId } = (started as { ok: true; value: { jobId: string } }).value;
  return early.get(jobId) ?? new Promise((resolve) => done.set(jobId, resolve));
}

describe('preview.export (app) and aos-bundle preview --out (CLI) write the same layout', () => {
  it.each(['v9', 'v8'] as const)('%s, with a layer library, node parameters and a whiteout under src/', async (target) => {
    const tree = makeServiceTree(CONFIG);
    onTestFinished(() => rmSync(tree.root, { recursive: true, force: true }));
    const service = tree.root;
    writeFileSync(join(service, 'src', 'etc', '.wh.motd'), '');
    const library = join(tmp.path, 'library');
    await makeLayerImage(library, 'aos-pylibs-layer', 'linux-amd64-1.2.0', [{ dir: 'usr' }, { file: 'usr/lib.py', data: 'one-two\n' }]);
    const picked = await makeLayerImage(library, 'aos-pylibs-layer', 'linux-amd64-1.3.0', [{ dir: 'usr' }, { file: 'usr/lib.py', data: 'one-three\n' }]);

    const fromApp = join(tmp.path, 'app-out');
    const fromCli = join(tmp.path, 'cli-out');
    mkdirSync(fromApp); // the folder browser picks an existing (empty) folder
    const outcome = await appExport({ root: service, target, outDir: fromApp, node: { cpuCount: 2 }, layerLibrary: library });
    expect(outcome.ok, JSON.stringify(outcome.error)).toBe(true);
    const r = await cli(['preview', service, '--target', target, '--out', fromCli, '--node-cpus', '2', '--layer-library', library], tmp.path);
    expect(r.code, r.stderr).toBe(0);

    const app = readTree(fromApp);
    const cliTree = readTree(fromCli);
    expect(Object.keys(app)).toEqual(Object.keys(cliTree));
    for (const [rel, bytes] of Object.entries(app)) expect(bytes.equals(cliTree[rel]), rel).toBe(true);
    // The layer resolved to 1.3.0 in both: v9 carries its blob, v8 names its diff_id.
    if (target === 'v9') expect(app[`blobs/sha256/${picked.digest.slice(7)}`]).toBeDefined();
    else expect(JSON.parse(app['manifest.json'].toString()).layers[1].digest).toBe(picked.diffId);
    const value = outcome.value as { written: string[]; warnings: { code: string }[] };
    expect(value.written).toHaveLength(target === 'v9' ? 7 : 4);
    expect(Object.keys(app)).toHaveLength(target === 'v9' ? 7 : 4);
    // The whiteout under src/ is warned about by both.
    expect(value.warnings.map((w) => w.code)).toContain('whiteout-in-rootfs');
    expect(r.stderr).toMatch(/src\/etc\/\.wh\.motd/);
  });
});
