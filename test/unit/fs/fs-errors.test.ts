// File-system errors name their real cause and path: a read-only disk is not "not found".
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { inspectBundle, verifyBundle } from '../../../src/main/core/bundle';
import { AppFailure, fsFailure, toAppError } from '../../../src/shared/errors';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest('bs-fs-errors-');

/** A Node-style errno error, as fs calls throw them. */
function errno(code: string, syscall: string, p: string, dest?: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${syscall} '${p}'`), { code, syscall, path: p, ...(dest ? { dest } : {}) });
}

describe('file-system errors', () => {
  const causes: [string, RegExp][] = [
    ['EROFS', /read-only/],
    ['EACCES', /permission denied/],
    ['EPERM', /not permitted/],
    ['ENOSPC', /no space left/],
    ['EDQUOT', /quota/],
    ['EISDIR', /is a folder/],
    ['ENOTDIR', /not a folder/],
    ['ELOOP', /symbolic links/],
    ['ENAMETOOLONG', /too long/],
    ['EMFILE', /too many open files/],
    ['EIO', /input\/output/],
    ['EXDEV', /another file system/],
  ];

  it('toAppError names the cause, the code and the path for each errno, never "Not found"', () => {
    for (const [code, cause] of causes) {
      const e = toAppError(errno(code, 'open', '/mnt/out/service.tar.gz'));
      expect(e.code, code).toBe('io');
      expect(e.message, code).toMatch(cause);
      expect(e.message, code).toContain(`(${code})`);
      expect(e.message, code).toContain('/mnt/out/service.tar.gz');
      expect(e.message, code).not.toMatch(/not found/i);
    }
    expect(toAppError(errno('ENOENT', 'open', '/x'))).toEqual({ code: 'not-found', message: 'Not found: /x' });
    expect(toAppError(errno('EROFS', 'mkdir', '/ro/dir')).message).toBe('Cannot create the folder /ro/dir: the file system is read-only (EROFS).');
  });

  it('fsFailure says what was being done, names the rename destination, and carries the location', () => {
    const e = fsFailure(errno('ENOSPC', 'rename', '/out/.a.tmp', '/out/a'), 'Cannot write');
    expect(e.error).toEqual({ code: 'io', message: 'Cannot write /out/a: no space left on the device (ENOSPC).', location: { file: '/out/a' } });
    expect(fsFailure(errno('ENOENT', 'open', '/p'), 'Cannot read the password file').error.code).toBe('not-found');
    expect(fsFailure(errno('EEXIST', 'open', '/p'), 'Cannot create').error.code).toBe('exists');
    expect(fsFailure(errno('EWHATEVER', 'open', '/p'), 'Cannot open').message).toBe('Cannot open /p: the system refused (EWHATEVER).');
  });

  it('maps real errors from the file system (EISDIR, ENOTDIR)', async () => {
    const file = path.join(tmp.path, 'file');
    await fs.writeFile(file, 'x');
    const notDir = await fs.readFile(path.join(file, 'below')).catch((e: unknown) => e);
    expect(toAppError(notDir).message).toBe(`Cannot open ${path.join(file, 'below')}: a part of the path is not a folder (ENOTDIR).`);
    const isDir = await fs.readFile(tmp.path).catch((e: unknown) => e);
    expect(toAppError(isDir).message).toMatch(/it is a folder, not a file \(EISDIR\)/);
  });
});

describe('verify and inspect', () => {
  it('say why a bundle cannot be read instead of "not found"', async () => {
    const file = path.join(tmp.path, 'file');
    await fs.writeFile(file, 'x');
    const bundle = path.join(file, 'service.tar.gz');
    const e = await verifyBundle(bundle).catch((x: unknown) => x);
    expect((e as AppFailure).error).toEqual({ code: 'io', message: `Cannot read the bundle ${bundle}: a part of the path is not a folder (ENOTDIR).`, location: { file: bundle } });
    expect(((await inspectBundle(bundle).catch((x: unknown) => x)) as AppFailure).message).toContain('(ENOTDIR)');
    expect(((await verifyBundle(path.join(tmp.path, 'none.tar.gz')).catch((x: unknown) => x)) as AppFailure).error.code).toBe('not-found');
  });
});
