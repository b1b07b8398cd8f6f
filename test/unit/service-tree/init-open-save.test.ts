import { mkdir, readFile, readdir, stat, symlink, writeFile, utimes } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { initServiceTree } from '../../../src/main/core/service-tree/init';
import { openServiceTree } from '../../../src/main/core/service-tree/open';
import { saveServiceConfig } from '../../../src/main/core/service-tree/save';
import { listSourceFolder } from '../../../src/main/core/service-tree/src-listing';
import { AppFailure } from '../../../src/shared/errors';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest();

describe('init', () => {
  it('creates meta/config.yaml from the commented template and src/, and reports what it made', async () => {
    const root = join(tmp.path, 'hello');
    const result = await initServiceTree({ dir: root, cmd: 'python3 /hello.py', homeDir: tmp.path });
    expect(result.root).toBe(root);
    expect(result.created).toEqual(['./', 'meta/', 'src/', 'meta/config.yaml']);
    const text = await readFile(join(root, 'meta', 'config.yaml'), 'utf8');
    expect(text).toMatch(/^#/m);
    expect(text).toContain('version: "1.0.0"');
    expect(text).toContain('python3 /hello.py');
    expect((await stat(join(root, 'src'))).isDirectory()).toBe(true);
  });

  it('never overwrites an existing config and names the file', async () => {
    const root = join(tmp.path, 'svc');
    await mkdir(join(root, 'meta'), { recursive: true });
    await writeFile(join(root, 'meta', 'config.yaml'), '# mine\n');
    const err = await initServiceTree({ dir: root }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppFailure);
    expect((err as AppFailure).error.code).toBe('exists');
    expect((err as AppFailure).error.location?.file).toBe(join(root, 'meta', 'config.yaml'));
    expect((err as AppFailure).error.message).not.toMatch(/\binit\b/);
    expect(await readFile(join(root, 'meta', 'config.yaml'), 'utf8')).toBe('# mine\n');
  });

  it('reports only what it made in an existing folder', async () => {
    await mkdir(join(tmp.path, 'src'));
    const result = await initServiceTree({ dir: tmp.path });
    expect(result.created).toEqual(['meta/', 'meta/config.yaml']);
  });

  it('names a certificate in ~/.aos/security by file name, elsewhere by absolute path', async () => {
    await mkdir(join(tmp.path, 'home', '.aos', 'security'), { recursive: true });
    const inHome = join(tmp.path, 'home', '.aos', 'security', 'aos-user-sp.p12');
    await initServiceTree({ dir: join(tmp.path, 'a'), pkcs12Path: inHome, homeDir: join(tmp.path, 'home') });
    expect(await readFile(join(tmp.path, 'a', 'meta', 'config.yaml'), 'utf8')).toMatch(/sign_pkcs12: "?aos-user-sp\.p12"?/);
    const elsewhere = join(tmp.path, 'keys', 'me.p12');
    await initServiceTree({ dir: join(tmp.path, 'b'), pkcs12Path: elsewhere, homeDir: join(tmp.path, 'home') });
    expect(await readFile(join(tmp.path, 'b', 'meta', 'config.yaml'), 'utf8')).toContain(elsewhere);
  });
});

describe('open', () => {
  it('refuses a folder without meta/config.yaml as not a service', async () => {
    const err = await openServiceTree(tmp.path, tmp.path).catch((e: unknown) => e);
    expect((err as AppFailure).error.code).toBe('not-a-service');
    // The app shows this message too: it names what to do, not a CLI command.
    expect((err as AppFailure).error.message).toMatch(/Open the folder that holds meta\/config\.yaml, or create a new service\.$/);
    expect((err as AppFailure).error.message).not.toMatch(/\binit\b/);
  });

  it('returns the config text, diagnostics with positions and the src listing', async () => {
    const root = join(tmp.path, 'svc');
    await initServiceTree({ dir: root, homeDir: tmp.path });
    await writeFile(join(root, 'src', 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
    const snap = await openServiceTree(root, tmp.path);
    expect(snap.configText).toContain('build:');
    expect(snap.src.entries.map((e) => e.path)).toEqual(['run.sh']);
    expect(snap.src.entries[0].mode).toBe(0o755);
    // The template names aos-user-sp.p12, which is in neither place: a warning naming both.
    const cred = snap.diagnostics.find((d) => d.code === 'credential-not-found');
    expect(cred?.severity).toBe('warning');
    expect(cred?.message).toContain(join(root, 'meta', 'aos-user-sp.p12'));
    expect(cred?.message).toContain(join(tmp.path, '.aos', 'security', 'aos-user-sp.p12'));
    expect(cred?.line).toBeGreaterThan(1);
    expect(snap.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('finds credentials in ~/.aos/security', async () => {
    const root = join(tmp.path, 'svc');
    await initServiceTree({ dir: root, homeDir: tmp.path });
    await mkdir(join(tmp.path, '.aos', 'security'), { recursive: true });
    await writeFile(join(tmp.path, '.aos', 'security', 'aos-user-sp.p12'), 'x');
    const snap = await openServiceTree(root, tmp.path);
    expect(snap.diagnostics.filter((d) => d.code === 'credential-not-found')).toEqual([]);
  });
});

describe('src listing', () => {
  it('lists paths, sizes, modes and symlinks, flags special files and escaping links', async () => {
    const src = join(tmp.path, 'src');
    await mkdir(join(src, 'usr', 'bin'), { recursive: true });
    await mkdir(join(src, 'empty'));
    await writeFile(join(src, 'usr', 'bin', 'app'), 'abc', { mode: 0o755 });
    await symlink('app', join(src, 'usr', 'bin', 'alias'));
    await symlink('../../../outside', join(src, 'usr', 'bin', 'escape'));
    await symlink('/usr/lib/libc.so', join(src, 'abs-link'));
    execFileSync('mkfifo', [join(src, 'pipe')]);
    const listing = await listSourceFolder(src);
    expect(listing.entries.map((e) => [e.path, e.kind])).toEqual([
      ['abs-link', 'symlink'],
      ['empty', 'directory'],
      ['pipe', 'fifo'],
      ['usr', 'directory'],
      ['usr/bin', 'directory'],
      ['usr/bin/alias', 'symlink'],
      ['usr/bin/app', 'file'],
      ['usr/bin/escape', 'symlink'],
    ]);
    const byPath = new Map(listing.entries.map((e) => [e.path, e]));
    expect(byPath.get('usr/bin/app')).toMatchObject({ size: 3, mode: 0o755 });
    expect(byPath.get('usr/bin/alias')).toMatchObject({ target: 'app', escapes: false });
    expect(byPath.get('usr/bin/escape')).toMatchObject({ escapes: true });
    expect(byPath.get('abs-link')).toMatchObject({ escapes: false });
    expect(listing.special).toEqual(['pipe']);
    expect(listing.total).toBe(8);
    expect(listing.totalBytes).toBe(3);
  });

  it('caps entries for the UI but keeps counting', async () => {
    const src = join(tmp.path, 'src');
    await mkdir(src);
    for (let i = 0; i < 30; i++) await writeFile(join(src, `f${String(i).padStart(2, '0')}`), '');
    const listing = await listSourceFolder(src, { limit: 10 });
    expect(listing.entries).toHaveLength(10);
    expect(listing.total).toBe(30);
    expect(listing.truncated).toBe(true);
  });
});

describe('save', () => {
  it('writes atomically (no temp file left) and keeps the file mode', async () => {
    const root = join(tmp.path, 'svc');
    await initServiceTree({ dir: root });
    const snap = await openServiceTree(root, tmp.path);
    const saved = await saveServiceConfig(root, `${snap.configText}# end\n`, { expectedMtimeMs: snap.configMtimeMs });
    expect(await readFile(saved.configPath, 'utf8')).toBe(`${snap.configText}# end\n`);
    expect(await readdir(join(root, 'meta'))).toEqual(['config.yaml']);
  });

  it('refuses to clobber a file changed on disk, unless forced', async () => {
    const root = join(tmp.path, 'svc');
    await initServiceTree({ dir: root });
    const snap = await openServiceTree(root, tmp.path);
    await writeFile(join(root, 'meta', 'config.yaml'), '# changed elsewhere\n');
    await utimes(join(root, 'meta', 'config.yaml'), new Date(), new Date(Date.now() + 5000));
    const err = await saveServiceConfig(root, snap.configText, { expectedMtimeMs: snap.configMtimeMs }).catch((e: unknown) => e);
    expect((err as AppFailure).error.code).toBe('conflict');
    expect(await readFile(join(root, 'meta', 'config.yaml'), 'utf8')).toBe('# changed elsewhere\n');
    await saveServiceConfig(root, snap.configText, { expectedMtimeMs: snap.configMtimeMs, force: true });
    expect(await readFile(join(root, 'meta', 'config.yaml'), 'utf8')).toBe(snap.configText);
  });
});
