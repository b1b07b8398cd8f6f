// src.rename / src.delete / src.newFile through `dispatch`: strict inputs, the fresh
// listing back, the trash only where there is one, and nothing outside src/ touched.
import { lstat, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createApiHandlers, dispatch, type ApiContext } from '../../../src/main/api/handlers';
import { makeServiceTree, SERVICE_CONFIG } from '../oci/helpers';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest();
let tree: { root: string; src: string };
let outside: string;
beforeEach(async () => {
  tree = makeServiceTree();
  outside = join(tmp.path, 'outside');
  await mkdir(outside);
  await writeFile(join(outside, 'precious'), 'keep');
  await symlink(outside, join(tree.src, 'lnk'));
});
afterEach(async () => {
  await rm(tree.root, { recursive: true, force: true });
});

const handlers = (extra: Partial<ApiContext> = {}) =>
  createApiHandlers({ mode: 'browser', settingsDir: join(tmp.path, 'settings'), homeDir: tmp.path, cwd: tmp.path, ...extra });
const exists = (p: string) => lstat(p).then(() => true, () => false);
const paths = (value: unknown) => (value as { listing: { entries: { path: string }[] } }).listing.entries.map((e) => e.path);

describe('src.rename', () => {
  it('moves a file into a folder and answers with the new path and listing', async () => {
    const result = await dispatch(handlers(), 'src.rename', { root: tree.root, from: 'etc/app.cfg', to: 'usr/app.cfg' });
    expect(result).toMatchObject({ ok: true, value: { path: 'usr/app.cfg' } });
    if (!result.ok) return;
    expect(paths(result.value)).toContain('usr/app.cfg');
    expect(paths(result.value)).not.toContain('etc/app.cfg');
    expect(await readFile(join(tree.src, 'usr', 'app.cfg'), 'utf8')).toBe('key = value\n');
  });

  it('refuses to overwrite, and to write through a link out of src/', async () => {
    expect(await dispatch(handlers(), 'src.rename', { root: tree.root, from: 'etc/app.cfg', to: 'usr/bin/run.sh' })).toMatchObject({ ok: false, error: { code: 'exists' } });
    expect(await dispatch(handlers(), 'src.rename', { root: tree.root, from: 'etc/app.cfg', to: 'lnk/app.cfg' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await readdir(outside)).toEqual(['precious']);
  });

  it('refuses extra keys and empty names before any handler runs', async () => {
    expect(await dispatch(handlers(), 'src.rename', { root: tree.root, from: 'etc/app.cfg', to: 'x', force: true })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await dispatch(handlers(), 'src.rename', { root: tree.root, from: 'etc/app.cfg', to: '' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await exists(join(tree.src, 'etc', 'app.cfg'))).toBe(true);
  });

  it('refuses when build.source_folder lies outside the service folder', async () => {
    await writeFile(join(tree.root, 'meta', 'config.yaml'), SERVICE_CONFIG.replace('build:\n', `build:\n    source_folder: ${outside}\n`));
    expect(await dispatch(handlers(), 'src.rename', { root: tree.root, from: 'precious', to: 'gone' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await dispatch(handlers(), 'src.delete', { root: tree.root, path: 'precious', mode: 'permanent' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await readdir(outside)).toEqual(['precious']);
  });
});

describe('src.delete', () => {
  it('moves to the trash the context gives (the desktop app) and says so', async () => {
    const trashed: string[] = [];
    const h = handlers({ mode: 'electron', trash: async (p) => void trashed.push(p) });
    const result = await dispatch(h, 'src.delete', { root: tree.root, path: 'opt/app', mode: 'trash' });
    expect(result).toMatchObject({ ok: true, value: { trashed: true } });
    expect(trashed).toEqual([join(tree.src, 'opt', 'app')]);
  });

  it("refuses 'trash' where there is none (browser mode), deleting nothing", async () => {
    const result = await dispatch(handlers(), 'src.delete', { root: tree.root, path: 'etc/app.cfg', mode: 'trash' });
    expect(result).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    expect(await exists(join(tree.src, 'etc', 'app.cfg'))).toBe(true);
  });

  it("deletes permanently with 'permanent', a link as a link", async () => {
    const result = await dispatch(handlers(), 'src.delete', { root: tree.root, path: 'lnk', mode: 'permanent' });
    expect(result).toMatchObject({ ok: true, value: { trashed: false } });
    if (result.ok) expect(paths(result.value)).not.toContain('lnk');
    expect(await exists(join(tree.src, 'lnk'))).toBe(false);
    expect(await readdir(outside)).toEqual(['precious']);
  });

  it('refuses a path through a link out of src/, and a missing mode', async () => {
    expect(await dispatch(handlers(), 'src.delete', { root: tree.root, path: 'lnk/precious', mode: 'permanent' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await dispatch(handlers(), 'src.delete', { root: tree.root, path: 'etc/app.cfg' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await readdir(outside)).toEqual(['precious']);
    expect(await exists(join(tree.src, 'etc', 'app.cfg'))).toBe(true);
  });
});

describe('src.newFile', () => {
  it('creates an empty file and lists it', async () => {
    const result = await dispatch(handlers(), 'src.newFile', { root: tree.root, path: 'etc/new.conf' });
    expect(result).toMatchObject({ ok: true, value: { path: 'etc/new.conf' } });
    if (result.ok) expect(paths(result.value)).toContain('etc/new.conf');
    expect(await readFile(join(tree.src, 'etc', 'new.conf'), 'utf8')).toBe('');
  });

  it('refuses an existing name and a path through a link out of src/', async () => {
    expect(await dispatch(handlers(), 'src.newFile', { root: tree.root, path: 'etc/app.cfg' })).toMatchObject({ ok: false, error: { code: 'exists' } });
    expect(await dispatch(handlers(), 'src.newFile', { root: tree.root, path: 'lnk/new' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await readdir(outside)).toEqual(['precious']);
  });
});
