// Symlinks inside src/ never carry a write out of it (issue 7 §3): src.addFiles, src.copyIn
// and src.mkdir resolve every destination by real path and refuse links as destinations.
import { lstat, mkdir, readdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createNewFileContained, resolveContained } from '../../../src/main/core/fs/contained-path';
import { addFiles, copyIntoSource, makeSourceFolder } from '../../../src/main/core/service-tree/src-edit';
import { AppFailure } from '../../../src/shared/errors';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest();
let src: string;
let elsewhere: string;
let outsideFile: string;
let pkg: string;

beforeEach(async () => {
  src = join(tmp.path, 'service', 'src');
  elsewhere = join(tmp.path, 'elsewhere');
  outsideFile = join(tmp.path, 'outside.txt');
  pkg = join(tmp.path, 'pkg');
  await mkdir(join(src, 'a'), { recursive: true });
  await mkdir(join(src, 'inner', 'deep'), { recursive: true });
  await mkdir(elsewhere);
  await mkdir(pkg);
  await writeFile(join(pkg, 'f'), 'pkg data');
  await writeFile(outsideFile, 'precious');
  await symlink(elsewhere, join(src, 'lnk')); // absolute link out
  await symlink('../../elsewhere', join(src, 'rel')); // relative link out
  await symlink(join(tmp.path, 'missing', 'dir'), join(src, 'dang')); // dangling
  await symlink(outsideFile, join(src, 'passwd')); // link to a file outside
  await symlink('l2', join(src, 'l1')); // chain: l1 -> l2 -> l3 -> outside
  await symlink('l3', join(src, 'l2'));
  await symlink(elsewhere, join(src, 'l3'));
  await symlink('inner', join(src, 'ok')); // chain staying inside: ok -> inner, ok2 -> ok/deep
  await symlink('ok/deep', join(src, 'ok2'));
  await symlink('loop', join(src, 'loop')); // a loop
  await symlink('..', join(src, 'up')); // to the service root, outside src/
});

async function refusal(work: Promise<unknown>): Promise<AppFailure> {
  const err = await work.then(() => null, (e: unknown) => e);
  expect(err, 'expected a refusal').toBeInstanceOf(AppFailure);
  return err as AppFailure;
}

async function nothingLeaked(): Promise<void> {
  expect(await readdir(elsewhere)).toEqual([]);
  expect(await readFile(outsideFile, 'utf8')).toBe('precious');
  expect(await readdir(tmp.path)).toEqual(expect.not.arrayContaining(['missing']));
  expect((await readdir(join(tmp.path, 'service'))).sort()).toEqual(['src']);
}

/** Destinations (a dir argument and a file path under it) that must all be refused. */
const HOSTILE: Array<[dir: string, path: string]> = [
  ['lnk', 'x'],
  ['', 'lnk/x'],
  ['', 'lnk/sub/deeper/x'],
  ['a/../lnk', 'x'],
  ['', 'a/../lnk/x'],
  ['rel', 'x'],
  ['', 'rel/x'],
  ['dang', 'x'],
  ['', 'dang/x'],
  ['', 'dang'],
  ['', 'passwd'],
  ['a', '../passwd'],
  ['l1', 'x'],
  ['', 'l2/x'],
  ['', 'l1/sub/x'],
  ['', 'loop/x'],
  ['', 'loop'],
  ['up', 'x'],
  ['', 'up/src2/x'],
  ['ok/../lnk', 'x'],
];

describe('src.addFiles through symlinks', () => {
  it.each(HOSTILE)('refuses dir %j, path %j', async (dir, path) => {
    const err = await refusal(addFiles(src, dir, [{ path, content: Buffer.from('pwned') }]));
    expect(err.error.code).toBe('invalid-input');
    expect(err.error.message).toMatch(/symbolic link|leaves the source folder/);
    await nothingLeaked();
  });

  it('refuses the whole call before writing anything when one file goes out', async () => {
    await refusal(addFiles(src, '', [{ path: 'a/fine.txt', content: Buffer.from('1') }, { path: 'lnk/x', content: Buffer.from('2') }]));
    expect(await readdir(join(src, 'a'))).toEqual([]);
    await nothingLeaked();
  });

  it('still writes through links that stay inside src/, to their real place', async () => {
    expect(await addFiles(src, 'ok', [{ path: 'f.txt', content: Buffer.from('in') }])).toEqual(['ok/f.txt']);
    expect(await addFiles(src, '', [{ path: 'ok2/g.txt', content: Buffer.from('deep') }])).toEqual(['ok2/g.txt']);
    expect(await readFile(join(src, 'inner', 'f.txt'), 'utf8')).toBe('in');
    expect(await readFile(join(src, 'inner', 'deep', 'g.txt'), 'utf8')).toBe('deep');
    expect((await lstat(join(src, 'ok'))).isSymbolicLink()).toBe(true);
  });
});

describe('src.mkdir and src.copyIn through symlinks', () => {
  it.each(HOSTILE.map(([dir, path]) => (dir ? `${dir}/${path}` : path)))('src.mkdir refuses %j', async (rel) => {
    const err = await refusal(makeSourceFolder(src, rel));
    expect(err.error.code).toBe('invalid-input');
    await nothingLeaked();
  });

  it.each(['lnk', 'lnk/sub', 'a/../lnk', 'rel', 'dang', 'dang/sub', 'l1', 'l2/x', 'loop', 'up', 'up/src2', 'ok/../lnk'])('src.copyIn refuses into %j', async (dir) => {
    const err = await refusal(copyIntoSource(src, dir, [pkg]));
    expect(err.error.code).toBe('invalid-input');
    await nothingLeaked();
  });

  it('src.copyIn refuses a source whose name is a link in the target folder', async () => {
    const named = join(tmp.path, 'passwd');
    await writeFile(named, 'replacement');
    const err = await refusal(copyIntoSource(src, '', [named]));
    expect(err.error.message).toMatch(/symbolic link/);
    await nothingLeaked();
  });

  it('src.copyIn refuses a source that is src/ itself reached through a link from outside', async () => {
    await symlink(src, join(tmp.path, 'src-alias'));
    const err = await refusal(copyIntoSource(src, 'a', [join(tmp.path, 'src-alias')]));
    expect(err.error.message).toMatch(/already inside the source folder/);
  });

  it('still makes folders and copies through links that stay inside', async () => {
    await makeSourceFolder(src, 'ok/newdir');
    expect((await lstat(join(src, 'inner', 'newdir'))).isDirectory()).toBe(true);
    expect(await copyIntoSource(src, 'ok2', [pkg])).toEqual(['ok2/pkg']);
    expect(await readFile(join(src, 'inner', 'deep', 'pkg', 'f'), 'utf8')).toBe('pkg data');
  });
});

describe('resolveContained and the race at the last moment', () => {
  it('refuses a link swapped in as the destination after the check', async () => {
    const contained = await resolveContained(src, 'a/new.txt');
    expect(contained.exists).toBe(false);
    await symlink(outsideFile, join(src, 'a', 'new.txt'));
    await expect(createNewFileContained(contained, 0o644, 'a/new.txt')).rejects.toMatchObject({ code: 'EEXIST' });
    const dangling = await resolveContained(src, 'a/new2.txt');
    await symlink(join(elsewhere, 'created-through-link'), join(src, 'a', 'new2.txt'));
    await expect(createNewFileContained(dangling, 0o644, 'a/new2.txt')).rejects.toMatchObject({ code: 'EEXIST' });
    await nothingLeaked();
  });

  it('refuses a parent folder swapped for a link after the check', async () => {
    const contained = await resolveContained(src, 'a/new.txt');
    await rename(join(src, 'a'), join(src, 'a-moved'));
    await symlink(elsewhere, join(src, 'a'));
    const err = await refusal(createNewFileContained(contained, 0o644, 'a/new.txt'));
    expect(err.error.message).toMatch(/changed into a symbolic link/);
    await nothingLeaked();
  });

  it('names the link and the destination in the error', async () => {
    const err = await refusal(resolveContained(src, 'lnk/x', { baseName: 'the source folder', label: 'lnk/x' }));
    expect(err.error.message).toContain(join(src, 'lnk'));
    expect(err.error.message).toContain('leads outside the source folder');
    expect(err.error.location).toEqual({ file: join(src, 'lnk', 'x') });
  });

  it('follows a base folder that is itself a link (the user chose it)', async () => {
    const alias = join(tmp.path, 'src-link');
    await symlink(src, alias);
    const contained = await resolveContained(alias, 'a/x');
    expect(contained.real).toBe(join(src, 'a', 'x'));
    await expect(resolveContained(alias, 'lnk/x')).rejects.toBeInstanceOf(AppFailure);
  });
});
