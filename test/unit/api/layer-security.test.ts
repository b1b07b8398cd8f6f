// What a token holder cannot do through the layer channels (README, "What a token holder can
// do"): delete a folder of the user's files through the catalog's removal, or overwrite a file
// with an SBOM.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiHandlers, dispatch } from '../../../src/main/api/handlers';
import { tempDirPerTest } from '../../support/temp-dir';
import { makeRootfsPair } from '../layers/pack-fixture';

const tmp = tempDirPerTest('layer-security-');

function setup() {
  const done = new Map<string, { ok: boolean; value?: unknown; error?: unknown }>();
  const waiters = new Map<string, (v: { ok: boolean; value?: unknown; error?: unknown }) => void>();
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
    if (!started.ok) return started;
    const { jobId } = started.value as { jobId: string };
    return (done.get(jobId) ?? new Promise((resolve) => waiters.set(jobId, resolve))) as Promise<{ ok: boolean; value?: unknown; error?: unknown }>;
  };
  return { handlers, job };
}

describe('layer channels keep to what a token holder may do', () => {
  it("removing a layer's last version never deletes the user's other files in that folder", async () => {
    const { handlers, job } = setup();
    // A folder of the user's own files, with a packed layer image dropped into it.
    const docs = join(tmp.path, 'home', 'Documents');
    mkdirSync(join(docs, 'taxes'), { recursive: true });
    writeFileSync(join(docs, 'thesis.odt'), 'years of work');
    writeFileSync(join(docs, 'taxes', '2025.pdf'), 'receipts');
    const { parent, child } = makeRootfsPair(tmp.path);
    expect(await job('layers.pack', { rootfs: child, parents: [parent], version: '1.0.0', architecture: 'amd64', outDir: docs })).toMatchObject({ ok: true });

    const ref = { library: join(tmp.path, 'home'), uid: 'Documents', version: '1.0.0', architecture: 'amd64' };
    const plan = await dispatch(handlers, 'layers.removePlan', ref);
    expect(plan.ok).toBe(true);
    const files = (plan as { value: { files: string[] } }).value.files;
    expect(files.sort()).toEqual([join(docs, 'linux-amd64-1.0.0.layer.json'), join(docs, 'linux-amd64-1.0.0.tar.gz')]);
    expect((plan as { value: { message: string } }).value.message).toMatch(/2 other entries in its folder stay, and so does the folder/);
    const removed = await dispatch(handlers, 'layers.remove', { ...ref, confirmedFiles: files });
    expect(removed).toMatchObject({ ok: true });
    expect(existsSync(join(docs, 'linux-amd64-1.0.0.tar.gz'))).toBe(false);
    expect(readFileSync(join(docs, 'thesis.odt'), 'utf8')).toBe('years of work');
    expect(readFileSync(join(docs, 'taxes', '2025.pdf'), 'utf8')).toBe('receipts');
    expect(removed).toMatchObject({ value: { removedLayer: false } });
  });

  it('an SBOM never overwrites an existing file', async () => {
    const { job } = setup();
    const { parent, child } = makeRootfsPair(tmp.path);
    const packed = (await job('layers.pack', { rootfs: child, parents: [parent], version: '1.0.0', architecture: 'amd64', outDir: join(tmp.path, 'out') })) as { ok: boolean; value: { file: string } };
    expect(packed.ok).toBe(true);
    const bashrc = join(tmp.path, '.bashrc');
    writeFileSync(bashrc, 'export PATH=$HOME/bin:$PATH\n');
    const r = await job('layers.sbom', { path: packed.value.file, format: 'cyclonedx', outFile: bashrc });
    expect(r).toMatchObject({ ok: false, error: { code: 'exists' } });
    expect(readFileSync(bashrc, 'utf8')).toBe('export PATH=$HOME/bin:$PATH\n');
  });
});

describe('resolveNewOrGrantedOutput', () => {
  it('replaces a file only with the grant for that very path', async () => {
    const { resolveNewOrGrantedOutput } = await import('../../../src/main/core/fs/output-target');
    const { WriteGrants } = await import('../../../src/main/core/fs/write-grants');
    const grants = new WriteGrants();
    const chosen = join(tmp.path, 'chosen.json');
    const other = join(tmp.path, 'other.json');
    writeFileSync(chosen, 'old');
    writeFileSync(other, 'old');
    const grant = grants.grant(chosen);
    expect(await resolveNewOrGrantedOutput(chosen, grant, grants)).toBe(chosen);
    await expect(resolveNewOrGrantedOutput(other, grant, grants)).rejects.toMatchObject({ error: { code: 'forbidden' } });
    await expect(resolveNewOrGrantedOutput(chosen, 'made-up', grants)).rejects.toMatchObject({ error: { code: 'forbidden' } });
    await expect(resolveNewOrGrantedOutput(other, undefined, grants)).rejects.toMatchObject({ error: { code: 'exists' } });
    expect(await resolveNewOrGrantedOutput(join(tmp.path, 'new.json'), undefined, grants)).toBe(join(tmp.path, 'new.json'));
  });
});
