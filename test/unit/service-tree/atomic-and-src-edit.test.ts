import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../src/main/core/fs/atomic-write';
import { addFiles, copyIntoSource, makeSourceFolder, resolveInside } from '../../../src/main/core/service-tree/src-edit';
import { AppFailure } from '../../../src/shared/errors';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest();

describe('writeFileAtomic', () => {
  it('replaces the content in one step and leaves no temp file', async () => {
    const target = join(tmp.path, 'out.txt');
    await writeFile(target, 'old', { mode: 0o600 });
    await writeFileAtomic(target, 'new');
    expect(await readFile(target, 'utf8')).toBe('new');
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    expect(await readdir(tmp.path)).toEqual(['out.txt']);
  });

  it('leaves the old file untouched when the write fails', async () => {
    const target = join(tmp.path, 'missing-dir', 'out.txt');
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow();
    expect(await readdir(tmp.path)).toEqual([]);
  });
});

describe('adding to src/', () => {
  it('refuses paths that leave the source folder', () => {
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'C:\\x', 'a\\..\\..\\x', 'a\0b']) {
      expect(() => resolveInside(tmp.path, bad), bad).toThrow(AppFailure);
    }
    expect(resolveInside(tmp.path, 'a/b/../c')).toBe(join(tmp.path, 'a', 'c'));
  });

  it('writes dropped files with folders and the executable bit, and never overwrites', async () => {
    const added = await addFiles(tmp.path, 'usr/bin', [
      { path: 'tool', content: Buffer.from('#!/bin/sh\n'), executable: true },
      { path: 'lib/data.txt', content: Buffer.from('hi') },
    ]);
    expect(added).toEqual(['usr/bin/tool', 'usr/bin/lib/data.txt']);
    expect((await stat(join(tmp.path, 'usr/bin/tool'))).mode & 0o111).not.toBe(0);
    const err = await addFiles(tmp.path, '', [{ path: 'usr/bin/tool', content: Buffer.from('x') }]).catch((e: unknown) => e);
    expect((err as AppFailure).error.code).toBe('exists');
    expect(await readFile(join(tmp.path, 'usr/bin/tool'), 'utf8')).toBe('#!/bin/sh\n');
  });

  it('copies folders in from elsewhere and makes new folders', async () => {
    const src = join(tmp.path, 'src');
    await mkdir(src);
    const outside = join(tmp.path, 'pkg');
    await mkdir(join(outside, 'sub'), { recursive: true });
    await writeFile(join(outside, 'sub', 'f'), 'data');
    expect(await copyIntoSource(src, 'opt', [outside])).toEqual(['opt/pkg']);
    expect(await readFile(join(src, 'opt', 'pkg', 'sub', 'f'), 'utf8')).toBe('data');
    await makeSourceFolder(src, 'etc/app');
    expect((await stat(join(src, 'etc', 'app'))).isDirectory()).toBe(true);
    await expect(makeSourceFolder(src, 'etc/app')).rejects.toThrow(/already exists/);
  });
});
