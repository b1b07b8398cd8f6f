// Rename, move, delete and new file in src/ (issue 8): real temp folders; nothing is
// overwritten, nothing leaves src/ through a symlink, a folder never moves into itself.
import { lstat, mkdir, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deleteInSrc, newFileInSrc, renameInSrc } from '../../../src/main/core/service-tree/src-manage';
import { AppFailure } from '../../../src/shared/errors';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest();
let src: string;
let elsewhere: string;

beforeEach(async () => {
  src = join(tmp.path, 'service', 'src');
  elsewhere = join(tmp.path, 'elsewhere');
  await mkdir(join(src, 'etc', 'app'), { recursive: true });
  await mkdir(join(src, 'usr', 'bin'), { recursive: true });
  await mkdir(elsewhere);
  await writeFile(join(elsewhere, 'precious'), 'keep');
  await writeFile(join(src, 'etc', 'app', 'conf'), 'conf');
  await writeFile(join(src, 'usr', 'bin', 'tool'), 'tool');
  await symlink(elsewhere, join(src, 'lnk')); // a link out of src/
  await symlink('../../elsewhere', join(src, 'rel')); // a relative one
  await symlink('etc', join(src, 'inside')); // a link that stays inside
});

async function refusal(work: Promise<unknown>): Promise<AppFailure['error']> {
  try {
    await work;
  } catch (err) {
    if (err instanceof AppFailure) return err.error;
    throw err;
  }
  throw new Error('expected a refusal');
}

const exists = (p: string) => lstat(p).then(() => true, () => false);

describe('renameInSrc', () => {
  it('renames a file in place', async () => {
    expect(await renameInSrc(src, 'etc/app/conf', 'etc/app/conf.yaml')).toBe('etc/app/conf.yaml');
    expect(await readFile(join(src, 'etc', 'app', 'conf.yaml'), 'utf8')).toBe('conf');
    expect(await exists(join(src, 'etc', 'app', 'conf'))).toBe(false);
  });

  it('moves a folder into another folder, with its contents', async () => {
    await renameInSrc(src, 'etc/app', 'usr/app');
    expect(await readFile(join(src, 'usr', 'app', 'conf'), 'utf8')).toBe('conf');
    expect(await readdir(join(src, 'etc'))).toEqual([]);
  });

  it('renames a symlink itself, not what it points to', async () => {
    await renameInSrc(src, 'lnk', 'lnk2');
    expect(await readlink(join(src, 'lnk2'))).toBe(elsewhere);
    expect(await readdir(elsewhere)).toEqual(['precious']);
  });

  it('refuses to overwrite a file or a folder', async () => {
    await writeFile(join(src, 'usr', 'bin', 'other'), 'other');
    expect(await refusal(renameInSrc(src, 'usr/bin/tool', 'usr/bin/other'))).toMatchObject({ code: 'exists' });
    expect(await refusal(renameInSrc(src, 'usr/bin', 'etc'))).toMatchObject({ code: 'exists' });
    expect(await readFile(join(src, 'usr', 'bin', 'other'), 'utf8')).toBe('other');
  });

  it('refuses to move a folder into itself or below itself', async () => {
    expect(await refusal(renameInSrc(src, 'etc', 'etc/app/etc'))).toMatchObject({ code: 'invalid-input', message: expect.stringContaining('into itself') });
    // Through a link inside src/ that leads back to the folder.
    expect(await refusal(renameInSrc(src, 'etc', 'inside/moved'))).toMatchObject({ code: 'invalid-input' });
    expect(await exists(join(src, 'etc', 'app', 'conf'))).toBe(true);
  });

  it.each(['lnk/stolen', 'rel/stolen', 'lnk', '../stolen', '/tmp/stolen'])('refuses a destination %s that leaves src/', async (to) => {
    const error = await refusal(renameInSrc(src, 'usr/bin/tool', to));
    expect(['invalid-input', 'exists']).toContain(error.code);
    expect(await readdir(elsewhere)).toEqual(['precious']);
    expect(await exists(join(src, 'usr', 'bin', 'tool'))).toBe(true);
  });

  it.each(['lnk/precious', 'rel/precious', '../../elsewhere/precious'])('refuses a source %s outside src/', async (from) => {
    const error = await refusal(renameInSrc(src, from, 'taken'));
    expect(error.code).toBe('invalid-input');
    expect(await readdir(elsewhere)).toEqual(['precious']);
  });

  it('refuses src/ itself and a missing source or destination folder', async () => {
    expect((await refusal(renameInSrc(src, '', 'x'))).code).toBe('invalid-input');
    expect((await refusal(renameInSrc(src, 'usr/bin/tool', ''))).code).toBe('invalid-input');
    expect((await refusal(renameInSrc(src, 'nope', 'x'))).code).toBe('not-found');
    expect((await refusal(renameInSrc(src, 'usr/bin/tool', 'no/such/tool'))).code).toBe('not-found');
  });
});

describe('deleteInSrc', () => {
  it('deletes a folder permanently without a trash', async () => {
    expect(await deleteInSrc(src, 'etc')).toEqual({ trashed: false });
    expect(await exists(join(src, 'etc'))).toBe(false);
  });

  it('hands the real path to the trash and leaves the deleting to it', async () => {
    const trashed: string[] = [];
    expect(await deleteInSrc(src, 'inside/app/conf', { trash: async (p) => void trashed.push(p) })).toEqual({ trashed: true });
    expect(trashed).toEqual([join(src, 'etc', 'app', 'conf')]);
    expect(await exists(join(src, 'etc', 'app', 'conf'))).toBe(true);
  });

  it('deletes a link out of src/ as a link, never what it points to', async () => {
    await deleteInSrc(src, 'lnk');
    expect(await exists(join(src, 'lnk'))).toBe(false);
    expect(await readdir(elsewhere)).toEqual(['precious']);
  });

  it.each(['lnk/precious', 'rel/precious', '../../elsewhere/precious', ''])('refuses %s (outside src/ or src/ itself), to the trash too', async (path) => {
    const trashed: string[] = [];
    expect((await refusal(deleteInSrc(src, path))).code).toBe('invalid-input');
    expect((await refusal(deleteInSrc(src, path, { trash: async (p) => void trashed.push(p) }))).code).toBe('invalid-input');
    expect(trashed).toEqual([]);
    expect(await readdir(elsewhere)).toEqual(['precious']);
  });

  it('says not-found for a missing entry', async () => {
    expect((await refusal(deleteInSrc(src, 'etc/nope'))).code).toBe('not-found');
  });
});

describe('newFileInSrc', () => {
  it('creates an empty file, making its folders', async () => {
    expect(await newFileInSrc(src, 'etc/new/file.conf')).toBe('etc/new/file.conf');
    expect(await readFile(join(src, 'etc', 'new', 'file.conf'), 'utf8')).toBe('');
  });

  it('refuses an existing name', async () => {
    expect((await refusal(newFileInSrc(src, 'etc/app/conf'))).code).toBe('exists');
    expect(await readFile(join(src, 'etc', 'app', 'conf'), 'utf8')).toBe('conf');
  });

  it.each(['lnk/new', 'rel/new', 'lnk', '../new'])('refuses %s, leaving src/ through a link or by spelling', async (path) => {
    expect(['invalid-input', 'exists']).toContain((await refusal(newFileInSrc(src, path))).code);
    expect(await readdir(elsewhere)).toEqual(['precious']);
    expect(await readdir(join(src, '..'))).toEqual(['src']);
  });
});
