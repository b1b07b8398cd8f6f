// sign and what src/ may hold: no device nodes, FIFOs or sockets, no symlink climbing above
// the service root (the verifier refuses such bundles), no file name that is not UTF-8. Device nodes need root (mknod, mount), as CI runs the tests; without it
// these tests fail saying so rather than skipping.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { signServiceBundle, verifyBundle } from '../../../src/main/core/bundle';
import { listSourceFolder } from '../../../src/main/core/service-tree/src-listing';
import { makeTestPki, tempDir } from '../credentials/pki-fixtures';
import { makeService } from './service-fixture';
import { failureOf } from '../../support/failure';

let dir: string;
let pki: ReturnType<typeof makeTestPki>;
let n = 0;

beforeAll(async () => {
  dir = await tempDir('bs-sign-src-');
  pki = makeTestPki();
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const service = (opts: { symlinks?: string } = {}) => makeService(path.join(dir, `svc-${++n}`), pki.user, [pki.ca], opts);

function requireRoot(what: string): void {
  if (process.getuid?.() !== 0) throw new Error(`${what} needs root (mknod); run the tests as root, as CI does.`);
}

/** Where nothing but `keep` may be: no bundle, no temp file. */
async function onlyThere(folder: string, keep: string[]): Promise<void> {
  expect((await fs.readdir(folder)).sort()).toEqual([...keep].sort());
}

describe('sign and src/', () => {
  it('refuses block and character devices, FIFOs and sockets, naming each with its kind, and writes nothing', async () => {
    requireRoot('making device nodes');
    const root = await service();
    const src = path.join(root, 'src');
    execFileSync('mknod', [path.join(src, 'etc/blk'), 'b', '7', '0']);
    execFileSync('mknod', [path.join(src, 'etc/chr'), 'c', '1', '3']);
    execFileSync('mkfifo', [path.join(src, 'etc/pipe')]);
    const server = net.createServer().listen(path.join(src, 'etc/sock'));
    await new Promise((r) => server.once('listening', r));
    try {
      const e = await failureOf(signServiceBundle({ root }));
      expect(e.error.code).toBe('bundle');
      for (const s of ['etc/blk (block-device)', 'etc/chr (char-device)', 'etc/pipe (fifo)', 'etc/sock (socket)']) expect(e.message).toContain(s);
    } finally {
      await new Promise((r) => server.close(r));
    }
    await onlyThere(root, ['meta', 'src']);
  });

  it('refuses symlinks climbing above the service root, relative or absolute, and keeps those inside', async () => {
    const root = await service();
    const src = path.join(root, 'src');
    await fs.symlink('hello.cfg', path.join(src, 'etc/alias.cfg'));
    await fs.symlink('/usr/bin/python3', path.join(src, 'usr/bin/py'));
    await fs.symlink('../usr/bin/services/hello.py', path.join(src, 'etc/hello.py'));
    await fs.symlink('../../../outside', path.join(src, 'etc/escape'));
    await fs.symlink('/../../etc/shadow', path.join(src, 'usr/abs-escape'));
    const e = await failureOf(signServiceBundle({ root }));
    expect(e.error).toMatchObject({ code: 'bundle', location: { file: path.join(root, 'meta/config.yaml'), path: 'build.symlinks' } });
    expect(e.message).toContain('2 symlinks');
    expect(e.message).toContain('etc/escape -> ../../../outside');
    expect(e.message).toContain('usr/abs-escape -> /../../etc/shadow');
    expect(e.message).not.toMatch(/alias\.cfg|usr\/bin\/py|etc\/hello\.py/);
    await onlyThere(root, ['meta', 'src']);
    // The listing keeps flagging them for the UI, by the same rule.
    const listed = Object.fromEntries((await listSourceFolder(src)).entries.filter((x) => x.kind === 'symlink').map((x) => [x.path, x.escapes]));
    expect(listed).toEqual({ 'etc/alias.cfg': false, 'etc/escape': true, 'etc/hello.py': false, 'usr/abs-escape': true, 'usr/bin/py': false });
    // Without them the rest signs and verifies.
    await fs.rm(path.join(src, 'etc/escape'));
    await fs.rm(path.join(src, 'usr/abs-escape'));
    const res = await signServiceBundle({ root });
    expect((await verifyBundle(res.path)).ok).toBe(true);
  });

  it('refuses a chain of symlinks that leads out though each link alone stays inside (verify would refuse the bundle)', async () => {
    const root = await service();
    const src = path.join(root, 'src');
    await fs.mkdir(path.join(src, 'x/y/z'), { recursive: true });
    await fs.symlink('../../..', path.join(src, 'x/y/z/l'));
    await fs.symlink('x/y/z/l/../../../etc', path.join(src, 'esc'));
    const e = await failureOf(signServiceBundle({ root }));
    expect(e.error).toMatchObject({ code: 'bundle', location: { file: path.join(src, 'esc'), path: 'build.symlinks' } });
    expect(e.message).toContain('through other symlinks');
    expect(e.message).toContain('esc -> x/y/z/l/../../../etc');
    await onlyThere(root, ['meta', 'src']);
  });

  it('build.symlinks: delete drops climbing links instead of refusing', async () => {
    const root = await service({ symlinks: 'delete' });
    await fs.symlink('../../../outside', path.join(root, 'src/etc/escape'));
    const res = await signServiceBundle({ root });
    expect(res.warnings).toEqual([]);
  });

  it('reports file names that are not UTF-8 as such, with their bytes, and the listing still opens', async () => {
    const root = await service();
    const src = path.join(root, 'src');
    const bad = Buffer.concat([Buffer.from(`${src}/etc/caf`), Buffer.from([0xe9]), Buffer.from('.txt')]);
    await fs.writeFile(bad, 'latin-1 name');
    await fs.mkdir(Buffer.concat([Buffer.from(`${src}/`), Buffer.from([0xff, 0x66])]));
    const e = await failureOf(signServiceBundle({ root }));
    expect(e.error.code).toBe('bundle');
    // Each folder's own bad names first, then its subfolders': the root's \xff f, then etc/'s.
    expect(e.message).toBe(`File names in ${src} that are not UTF-8 (a bundle stores UTF-8 names; rename them): \\xfff, etc/caf\\xe9.txt`);
    expect(e.message).not.toMatch(/not found|ENOENT/i);
    await onlyThere(root, ['meta', 'src']);
    const listing = await listSourceFolder(src);
    expect(listing.special).toHaveLength(2);
    expect(listing.entries.find((x) => x.path === 'etc/hello.cfg')?.kind).toBe('file');
  });
});

describe('sign and meta/', () => {
  it('names what the required state file really is when it is not a regular file', async () => {
    const root = await makeService(path.join(dir, `svc-${++n}`), pki.user, [pki.ca], { state: true });
    const state = path.join(root, 'meta', 'state.dat');
    await fs.rm(state);
    execFileSync('mkfifo', [state]);
    const e = await failureOf(signServiceBundle({ root }));
    expect(e.error).toMatchObject({ code: 'invalid-config', message: `configuration.state.required is set but ${state} is a FIFO (named pipe), not a regular file.`, location: { path: 'configuration.state.filename' } });
  });
});
