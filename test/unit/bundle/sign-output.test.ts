// sign and its output: what it may replace, errors that name the real cause, and the temp
// files of signers that died. Device nodes need root (mknod, mount), as CI runs the tests; without it
// these tests fail saying so rather than skipping.
import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { signServiceBundle, verifyBundle } from '../../../src/main/core/bundle';
import { processAlive } from '../../../src/main/core/fs/temp-files';
import { makeTestPki, tempDir } from '../credentials/pki-fixtures';
import { makeService } from './service-fixture';
import { failureOf } from '../../support/failure';

let dir: string;
let pki: ReturnType<typeof makeTestPki>;
let n = 0;

beforeAll(async () => {
  dir = await tempDir('bs-sign-out-');
  pki = makeTestPki();
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const service = () => makeService(path.join(dir, `svc-${++n}`), pki.user, [pki.ca]);

function requireRoot(what: string): void {
  if (process.getuid?.() !== 0) throw new Error(`${what} needs root (mknod/mount); run the tests as root, as CI does.`);
}

/** Where nothing but `keep` may be: no bundle, no temp file. */
async function onlyThere(folder: string, keep: string[]): Promise<void> {
  expect((await fs.readdir(folder)).sort()).toEqual([...keep].sort());
}

describe('sign -o', () => {
  it('refuses a FIFO and leaves it a FIFO', async () => {
    const root = await service();
    const out = path.join(dir, `fifo-${n}`);
    execFileSync('mkfifo', [out]);
    const e = await failureOf(signServiceBundle({ root, outFile: out }));
    expect(e.error).toEqual({ code: 'invalid-input', message: `The output ${out} is a FIFO (named pipe), not a regular file: it would be replaced by a regular file; give the path of a regular file.`, location: { file: out } });
    expect((await fs.lstat(out)).isFIFO()).toBe(true);
    await onlyThere(dir, (await fs.readdir(dir)).filter((f) => !f.startsWith('.')));
  });

  it('refuses a character device such as /dev/null (run as root, rename would replace it)', async () => {
    requireRoot('making a device node');
    const root = await service();
    const folder = path.join(dir, `dev-${n}`);
    await fs.mkdir(folder);
    const out = path.join(folder, 'null');
    execFileSync('mknod', ['-m', '666', out, 'c', '1', '3']);
    const before = await fs.lstat(out);
    const e = await failureOf(signServiceBundle({ root, outFile: out }));
    expect(e.error.code).toBe('invalid-input');
    expect(e.message).toContain(`${out} is a character device, not a regular file`);
    const after = await fs.lstat(out);
    expect(after.isCharacterDevice()).toBe(true);
    expect(after.rdev).toBe(before.rdev);
    await onlyThere(folder, ['null']);
    // The real /dev/null, by its real name.
    expect((await failureOf(signServiceBundle({ root, outFile: '/dev/null' }))).message).toContain('/dev/null is a character device');
    expect((await fs.lstat('/dev/null')).isCharacterDevice()).toBe(true);
  });

  it('refuses a folder, a symlink and a socket, and says when a part of the path is a file', async () => {
    const root = await service();
    const folder = path.join(dir, `out-${n}`);
    await fs.mkdir(folder);
    const e1 = await failureOf(signServiceBundle({ root, outFile: folder }));
    expect(e1.message).toBe(`The output ${folder} is a folder, not a regular file: give a file name inside it, e.g. ${folder}/service.tar.gz.`);
    await fs.writeFile(path.join(folder, 'real.tar.gz'), 'old');
    await fs.symlink('real.tar.gz', path.join(folder, 'link.tar.gz'));
    const e2 = await failureOf(signServiceBundle({ root, outFile: path.join(folder, 'link.tar.gz') }));
    expect(e2.message).toContain('is a symbolic link, not a regular file');
    expect(await fs.readFile(path.join(folder, 'real.tar.gz'), 'utf8')).toBe('old');
    const sock = path.join(folder, 'sock');
    const server = net.createServer().listen(sock);
    await new Promise((r) => server.once('listening', r));
    try {
      expect((await failureOf(signServiceBundle({ root, outFile: sock }))).message).toContain('is a socket, not a regular file');
    } finally {
      await new Promise((r) => server.close(r));
    }
    const under = path.join(folder, 'real.tar.gz', 'service.tar.gz');
    const e3 = await failureOf(signServiceBundle({ root, outFile: under }));
    expect(e3.error.code).toBe('io');
    expect(e3.message).toBe(`Cannot write ${under}: a part of the path is not a folder (ENOTDIR).`);
    expect(e3.message).not.toMatch(/not found/i);
    await onlyThere(folder, ['real.tar.gz', 'link.tar.gz']);
  });

  it('replaces an existing regular file', async () => {
    const root = await service();
    const out = path.join(dir, `plain-${n}.tar.gz`);
    await fs.writeFile(out, 'old');
    const res = await signServiceBundle({ root, outFile: out });
    expect((await verifyBundle(res.path)).ok).toBe(true);
  });

  it('on a read-only file system says so, not "not found", and names the output', async () => {
    requireRoot('mounting a read-only file system');
    const root = await service();
    const mnt = path.join(dir, `ro-${n}`);
    await fs.mkdir(mnt);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', mnt], { encoding: 'utf8' });
    if (mounted.status !== 0) throw new Error(`this test needs to mount a read-only tmpfs (root with CAP_SYS_ADMIN): ${mounted.stderr}`);
    try {
      for (const out of [path.join(mnt, 'service.tar.gz'), path.join(mnt, 'sub', 'service.tar.gz')]) {
        const e = await failureOf(signServiceBundle({ root, outFile: out }));
        expect(e.error.code, out).toBe('io');
        expect(e.message, out).toMatch(/the file system is read-only \(EROFS\)\.$/);
        expect(e.message, out).toContain(path.dirname(out) === mnt ? out : path.join(mnt, 'sub'));
        expect(e.message, out).not.toMatch(/not found|\.tmp/i);
      }
    } finally {
      execFileSync('umount', [mnt]);
    }
  });
});

describe('stale temp files', () => {
  it('the next sign of the same output removes those of dead signers and keeps those of live ones', async () => {
    const root = await service();
    const folder = path.join(dir, `stale-${n}`);
    await fs.mkdir(folder);
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    if (processAlive(dead)) throw new Error(`pid ${dead} was reused already; run the test again`);
    const live = process.ppid;
    const names = {
      dead: `.service.tar.gz.${dead}.0123456789ab.tmp`,
      deadInner: `.service.tar.gz.inner.${dead}.0123456789ab.tmp`,
      deadOldFormat: `.service.tar.gz.inner-${dead}-0123456789ab.tmp`,
      live: `.service.tar.gz.${live}.0123456789ab.tmp`,
      otherOutput: `.other.tar.gz.${dead}.0123456789ab.tmp`,
      notATemp: `.service.tar.gz.${dead}.notatemp`,
    };
    for (const name of Object.values(names)) await fs.writeFile(path.join(folder, name), 'partial');
    await signServiceBundle({ root, outFile: path.join(folder, 'service.tar.gz') });
    await onlyThere(folder, ['service.tar.gz', names.live, names.otherOutput, names.notATemp]);
  });
});
