// The deployment-bundle channels through dispatch, against real folders: Open's kind
// detection, the wizard's create (images copied in, nothing overwritten, nothing left on
// failure), open/validate/save with the conflict check, What goes in, and the sign job.
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createApiHandlers, dispatch } from '../../../src/main/api/handlers';
import type { EventPayload } from '../../../src/shared/contract';
import { makeTestPki } from '../credentials/pki-fixtures';
import { BATCH_CONFIG, makeBatchBundle } from '../bundle/batch-fixture';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest();

function api() {
  const done: EventPayload<'job.done'>[] = [];
  const handlers = createApiHandlers({
    mode: 'browser',
    settingsDir: join(tmp.path, 'settings'),
    homeDir: join(tmp.path, 'home'),
    cwd: tmp.path,
    emit: (event, payload) => event === 'job.done' && done.push(payload as EventPayload<'job.done'>),
  });
  const call = async (channel: string, input: unknown) => dispatch(handlers, channel, input);
  return { call, done };
}

const LAYER_CONFIG = `# made by the wizard
schemaVersion: 2
publish:
  tlsKey: aos-user-oem.p12
items:
  - identity:
      type: layer
      codename: pylibs
    version: 1.0.0
    images:
      - mediaType: application/vnd.oci.image.layer.v1.tar+gzip
        archInfo:
          architecture: amd64
        osInfo:
          os: linux
        path: pylibs/linux-amd64-1.0.0.tar.gz
`;

describe('deployment-bundle channels', () => {
  it('says which kind a folder holds, and what is there instead when neither', async () => {
    const { call } = api();
    const { ca, user } = makeTestPki();
    const bundle = await makeBatchBundle(join(tmp.path, 'b'), user, [ca]);
    expect(await call('folder.detect', { dir: bundle })).toMatchObject({ ok: true, value: { kind: 'deployment', root: bundle } });
    await mkdir(join(tmp.path, 's', 'meta'), { recursive: true });
    await writeFile(join(tmp.path, 's', 'meta', 'config.yaml'), 'publish: {}\n');
    expect(await call('folder.detect', { dir: join(tmp.path, 's') })).toMatchObject({ ok: true, value: { kind: 'service' } });
    await mkdir(join(tmp.path, 'empty'));
    const none = await call('folder.detect', { dir: join(tmp.path, 'empty') });
    expect(none).toMatchObject({ ok: true, value: { kind: 'none' } });
    expect((none as { value: { message: string } }).value.message).toMatch(/neither a service tree/);
  });

  it('creates a bundle: copies the images in, writes config.yaml, opens it, and remembers it as a layer bundle', async () => {
    const { call } = api();
    await mkdir(join(tmp.path, 'build'));
    await writeFile(join(tmp.path, 'build', 'linux-amd64-1.0.0.tar.gz'), Buffer.alloc(100, 7));
    const dir = join(tmp.path, 'new', 'pylibs-bundle');
    const created = await call('deployment.create', { dir, text: LAYER_CONFIG, copies: [{ from: join(tmp.path, 'build', 'linux-amd64-1.0.0.tar.gz'), to: 'pylibs/linux-amd64-1.0.0.tar.gz' }] });
    expect(created).toEqual({ ok: true, value: { root: dir, created: ['./', 'pylibs/linux-amd64-1.0.0.tar.gz', 'config.yaml'] } });
    expect(await readFile(join(dir, 'config.yaml'), 'utf8')).toBe(LAYER_CONFIG);
    expect((await readFile(join(dir, 'pylibs', 'linux-amd64-1.0.0.tar.gz'))).equals(Buffer.alloc(100, 7))).toBe(true);
    const opened = await call('deployment.open', { dir });
    expect(opened).toMatchObject({ ok: true, value: { root: dir, configText: LAYER_CONFIG } });
    expect(await call('recent.list', {})).toMatchObject({ ok: true, value: [{ root: dir, kind: 'deployment' }] });
    // Never twice: the config is there now.
    expect(await call('deployment.create', { dir, text: LAYER_CONFIG, copies: [] })).toMatchObject({ ok: false, error: { code: 'exists' } });
  });

  it('leaves nothing behind when a copy fails, and refuses targets outside the bundle', async () => {
    const { call } = api();
    await mkdir(join(tmp.path, 'build'));
    await writeFile(join(tmp.path, 'build', 'a.tar.gz'), 'a');
    const dir = join(tmp.path, 'half');
    const failed = await call('deployment.create', {
      dir,
      text: LAYER_CONFIG,
      copies: [
        { from: join(tmp.path, 'build', 'a.tar.gz'), to: 'pylibs/a.tar.gz' },
        { from: join(tmp.path, 'build', 'missing.tar.gz'), to: 'pylibs/b.tar.gz' },
      ],
    });
    expect(failed).toMatchObject({ ok: false, error: { code: 'not-found' } });
    await expect(stat(dir)).rejects.toThrow();
    expect(await call('deployment.create', { dir, text: LAYER_CONFIG, copies: [{ from: join(tmp.path, 'build', 'a.tar.gz'), to: '../escape.tar.gz' }] })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect((await readdir(tmp.path)).sort()).toEqual(['build']);
  });

  it('validates, saves atomically with the conflict check, and lists what goes in', async () => {
    const { call } = api();
    const { ca, user } = makeTestPki();
    const bundle = await makeBatchBundle(join(tmp.path, 'b'), user, [ca]);
    const bad = BATCH_CONFIG.replace('architecture: amd64}', 'architecture: x86_64}');
    const validated = (await call('deployment.validate', { root: bundle, text: bad })) as { ok: true; value: { diagnostics: { message: string; line: number }[] } };
    const arch = validated.value.diagnostics.find((d) => d.message.includes('x86_64'));
    expect(arch?.message).toMatch(/amd64/);
    expect(arch?.line).toBe(14);

    const opened = (await call('deployment.open', { dir: bundle })) as { ok: true; value: { configMtimeMs: number } };
    const edited = BATCH_CONFIG.replace('author: Jane Doe', 'author: Jane Roe');
    expect(await call('deployment.save', { root: bundle, text: edited, expectedMtimeMs: opened.value.configMtimeMs })).toMatchObject({ ok: true });
    expect(await readFile(join(bundle, 'config.yaml'), 'utf8')).toBe(edited);
    expect(await call('deployment.save', { root: bundle, text: BATCH_CONFIG, expectedMtimeMs: opened.value.configMtimeMs - 10_000 })).toMatchObject({ ok: false, error: { code: 'conflict' } });

    const contents = (await call('deployment.contents', { root: bundle })) as { ok: true; value: { packed: { path: string }[]; notPacked: { path: string; reason?: string }[]; totalBytes: number } };
    const packed = contents.value.packed.map((f) => f.path);
    expect(packed).toContain('config.yaml');
    expect(packed).toContain('aos-pylibs-layer/linux-amd64-1.0.0.tar.gz');
    const out = contents.value.notPacked.map((f) => f.path);
    expect(out).toContain('aos-user-oem.p12');
    expect(out).toContain('notes.txt');
    expect(contents.value.notPacked.find((f) => f.path === 'aos-user-oem.p12')?.reason).toMatch(/never packed/);
  });

  it('describes the certificate publish.tlsKey names and signs batch.tar.gz as a job', async () => {
    const { call, done } = api();
    const { ca, user } = makeTestPki();
    const bundle = await makeBatchBundle(join(tmp.path, 'b'), user, [ca]);
    const creds = await call('credentials.forDeployment', { root: bundle });
    expect(creds).toMatchObject({ ok: true, value: { file: join(bundle, 'aos-user-oem.p12'), summary: { subject: { commonName: 'jane' } } } });
    const started = (await call('deployment.sign', { root: bundle })) as { ok: true; value: { jobId: string } };
    for (let i = 0; i < 600 && !done.some((d) => d.jobId === started.value.jobId); i++) await new Promise((r) => setTimeout(r, 50));
    const finished = done.find((d) => d.jobId === started.value.jobId);
    expect(finished).toMatchObject({ ok: true, value: { path: join(bundle, 'batch.tar.gz') } });
    expect((await stat(join(bundle, 'batch.tar.gz'))).size).toBeGreaterThan(0);
  });

  it('refuses to sign a config with an error, at its line', async () => {
    const { call, done } = api();
    const { ca, user } = makeTestPki();
    const bundle = await makeBatchBundle(join(tmp.path, 'b'), user, [ca], { config: BATCH_CONFIG.replace('architecture: amd64}', 'architecture: x86_64}') });
    const started = (await call('deployment.sign', { root: bundle })) as { ok: true; value: { jobId: string } };
    for (let i = 0; i < 600 && !done.some((d) => d.jobId === started.value.jobId); i++) await new Promise((r) => setTimeout(r, 50));
    expect(done.find((d) => d.jobId === started.value.jobId)).toMatchObject({ ok: false, error: { code: 'invalid-config', location: { line: 14 } } });
    await expect(stat(join(bundle, 'batch.tar.gz'))).rejects.toThrow();
  });

  it('previews the bundle as a job: the descriptors `aos-bundle preview` prints, through the contract', async () => {
    const { call, done } = api();
    const { ca, user } = makeTestPki();
    const bundle = await makeBatchBundle(join(tmp.path, 'b'), user, [ca]);
    const started = (await call('deployment.preview', { root: bundle })) as { ok: true; value: { jobId: string } };
    for (let i = 0; i < 600 && !done.some((d) => d.jobId === started.value.jobId); i++) await new Promise((r) => setTimeout(r, 50));
    const finished = done.find((d) => d.jobId === started.value.jobId) as { ok: true; value: { kind: string; items: { codename: string; images: { kind: string; descriptor: { digest: string; platform: { architecture: string } } }[] }[] } };
    expect(finished.ok).toBe(true);
    expect(finished.value.kind).toBe('deployment-bundle');
    expect(finished.value.items.map((i) => [i.codename, i.images.map((m) => `${m.kind} ${m.descriptor.platform.architecture}`)])).toEqual([
      ['pylibs', ['layer amd64', 'layer arm64']],
      ['hello', ['rootfs amd64']],
    ]);
    expect(finished.value.items[0].images[0].descriptor.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
