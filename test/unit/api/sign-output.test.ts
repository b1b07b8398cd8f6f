// Through the API, bundle.sign writes only inside the service folder, unless the file was
// chosen in a native save dialog (issue 7 §3). The grant that proves it is made in main.
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createApiHandlers, dispatch, type NativeDialogs } from '../../../src/main/api/handlers';
import { WriteGrants } from '../../../src/main/core/fs/write-grants';
import type { EventName, EventPayload } from '../../../src/shared/contract';
import { makeTestPki, type TestIdentity } from '../credentials/pki-fixtures';
import { configText, makeService } from '../bundle/service-fixture';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest();
let pki: { ca: TestIdentity; user: TestIdentity };
let root: string;
let elsewhere: string;
beforeAll(() => {
  pki = makeTestPki();
});
beforeEach(async () => {
  root = await makeService(join(tmp.path, 'service'), pki.user, [pki.ca]);
  elsewhere = join(tmp.path, 'elsewhere');
  await mkdir(elsewhere);
});

/** Handlers as the app builds them; `chosen` is what the (fake) native save dialog answers. */
function app(options: { chosen?: string | null; mode?: 'electron' | 'browser' } = {}) {
  const done = new Map<string, EventPayload<'job.done'>>();
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    if (event === 'job.done') done.set((payload as EventPayload<'job.done'>).jobId, payload as EventPayload<'job.done'>);
  };
  const dialogs: NativeDialogs | undefined =
    options.mode === 'browser'
      ? undefined
      : {
          openFolder: async () => ({ path: null }),
          openFiles: async () => ({ paths: [] }),
          saveFile: async () => ({ path: options.chosen ?? null }),
          showInFolder: async () => undefined,
        };
  const handlers = createApiHandlers({ mode: options.mode ?? 'electron', dialogs, emit, settingsDir: join(tmp.path, 'settings'), homeDir: tmp.path, cwd: tmp.path });
  const sign = async (input: Record<string, unknown>) => {
    const started = await dispatch(handlers, 'bundle.sign', { root, ...input });
    if (!started.ok) return started;
    const { jobId } = started.value as { jobId: string };
    await vi.waitFor(() => expect(done.has(jobId)).toBe(true), { timeout: 20_000 });
    const outcome = done.get(jobId)!;
    return outcome.ok ? { ok: true as const, value: outcome.value as { path: string } } : { ok: false as const, error: outcome.error! };
  };
  return { handlers, sign };
}

async function expectRefused(result: Awaited<ReturnType<ReturnType<typeof app>['sign']>>, pattern: RegExp) {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.code).toBe('forbidden');
  expect(result.error.message).toMatch(pattern);
  expect(await readdir(elsewhere)).toEqual([]);
  expect(await readdir(tmp.path)).toEqual(expect.not.arrayContaining(['b.tar.gz', 'pkg']));
}

describe('bundle.sign output through the API', () => {
  it('refuses an output outside the service folder, however it is spelt', async () => {
    const { sign } = app();
    await symlink(elsewhere, join(root, 'out-link'));
    await symlink(join(elsewhere, 'x.tar.gz'), join(root, 'link.tar.gz'));
    await symlink(join(elsewhere, 'gone', 'x'), join(root, 'dangling'));
    const hostile = [
      join(elsewhere, 'b.tar.gz'),
      join(root, '..', 'b.tar.gz'),
      'b.tar.gz', // relative to the app's folder (tmp.path), not the service's
      `${root}-evil/b.tar.gz`,
      join(root, 'out-link', 'b.tar.gz'),
      join(root, 'out-link', 'deep', 'b.tar.gz'),
      join(root, 'link.tar.gz'),
      join(root, 'dangling', 'b.tar.gz'),
      '/etc/b.tar.gz',
    ];
    for (const outFile of hostile) {
      const result = await sign({ outFile });
      await expectRefused(result, /only inside the service folder/);
    }
    expect(await readdir(elsewhere)).toEqual([]);
  });

  it('refuses an output inside meta/, where the config and the keys live', async () => {
    const { sign } = app();
    const p12 = await readFile(join(root, 'meta', 'aos-user-sp.p12'));
    for (const outFile of [join(root, 'meta', 'aos-user-sp.p12'), join(root, 'meta', 'config.yaml'), join(root, 'meta', 'sub', 'b.tar.gz'), join(root, 'x', '..', 'meta', 'b.tar.gz')]) {
      await expectRefused(await sign({ outFile }), /inside meta\//);
    }
    await writeFile(join(root, 'meta', 'config.yaml'), configText().replace('build:\n', 'build:\n    package_folder: meta\n'));
    await expectRefused(await sign({}), /inside meta\//);
    expect(await readFile(join(root, 'meta', 'aos-user-sp.p12'))).toEqual(p12);
    expect((await readdir(join(root, 'meta'))).sort()).toEqual(['aos-user-sp.p12', 'config.yaml']);
  });

  it('refuses a default output that build.package_folder puts outside, pointing at that key', async () => {
    const { sign } = app();
    for (const folder of ['../pkg', elsewhere, 'out-link/sub']) {
      await writeFile(join(root, 'meta', 'config.yaml'), configText().replace('build:\n', `build:\n    package_folder: ${folder}\n`));
      if (folder.startsWith('out-link')) await symlink(elsewhere, join(root, 'out-link')).catch(() => undefined);
      const result = await sign({});
      await expectRefused(result, /only inside the service folder/);
      if (!result.ok) expect(result.error.location).toMatchObject({ file: join(root, 'meta', 'config.yaml'), path: 'build.package_folder' });
    }
  });

  it('signs inside the service folder, by default and to a named file', async () => {
    const { sign } = app({ mode: 'browser' });
    expect(await sign({})).toMatchObject({ ok: true, value: { path: join(root, 'service.tar.gz') } });
    expect(await sign({ outFile: join(root, 'dist', 'b.tar.gz') })).toMatchObject({ ok: true, value: { path: join(root, 'dist', 'b.tar.gz') } });
  });

  it('signs outside the service folder to a file chosen in the native save dialog, with its grant', async () => {
    const chosen = join(elsewhere, 'chosen.tar.gz');
    const { handlers, sign } = app({ chosen });
    const picked = await dispatch(handlers, 'dialog.saveFile', { title: 'Save the bundle', extensions: ['tar.gz'] });
    expect(picked.ok).toBe(true);
    const { path, grant } = (picked as { value: { path: string; grant: string } }).value;
    expect(path).toBe(chosen);
    expect(grant).toMatch(/^[\w-]{20,}$/);
    expect(await sign({ outFile: chosen, outGrant: grant })).toMatchObject({ ok: true, value: { path: chosen } });
    expect((await readFile(chosen)).length).toBeGreaterThan(0);
    // Rebuilding to the same chosen file needs no new dialog.
    expect(await sign({ outFile: chosen, outGrant: grant })).toMatchObject({ ok: true });
    expect(await readdir(elsewhere)).toEqual(['chosen.tar.gz']);
  });

  it('refuses a made-up grant, a grant for another file, and grants from another app instance', async () => {
    const chosen = join(elsewhere, 'chosen.tar.gz');
    const { handlers, sign } = app({ chosen });
    const { grant } = ((await dispatch(handlers, 'dialog.saveFile', {})) as { value: { grant: string } }).value;
    await expectRefused(await sign({ outFile: join(elsewhere, 'b.tar.gz'), outGrant: 'AAAAAAAAAAAAAAAAAAAAAA' }), /no longer valid/);
    await expectRefused(await sign({ outFile: join(elsewhere, 'b.tar.gz'), outGrant: grant }), /not the file chosen in the save dialog/);
    await expectRefused(await sign({ outFile: join(root, 'inside.tar.gz'), outGrant: grant }), /not the file chosen/);
    const other = app({ chosen });
    await expectRefused(await other.sign({ outFile: chosen, outGrant: grant }), /no longer valid/);
  });

  it('gives no grant when the dialog is cancelled, and no save dialog in browser mode', async () => {
    expect(await dispatch(app({ chosen: null }).handlers, 'dialog.saveFile', {})).toEqual({ ok: true, value: { path: null, grant: null } });
    expect(await dispatch(app({ mode: 'browser' }).handlers, 'dialog.saveFile', {})).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });
});

describe('WriteGrants', () => {
  it('binds a grant to its path until it expires, and holds a bounded number', () => {
    let now = 0;
    const grants = new WriteGrants({ ttlMs: 1000, max: 2, now: () => now });
    const a = grants.grant('/x/a.tar.gz');
    expect(grants.pathOf(a)).toBe('/x/a.tar.gz');
    expect(grants.pathOf('a')).toBeNull();
    now = 1000;
    expect(grants.pathOf(a)).toBeNull();
    const b = grants.grant('/x/b');
    const c = grants.grant('/x/c');
    const d = grants.grant('/x/d');
    expect([grants.pathOf(b), grants.pathOf(c), grants.pathOf(d)]).toEqual([null, '/x/c', '/x/d']);
    expect(new Set([a, b, c, d]).size).toBe(4);
  });
});
