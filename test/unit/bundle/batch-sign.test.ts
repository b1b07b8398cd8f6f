// Signing a schemaVersion 2 deployment bundle into batch.tar.gz (spec deployment-bundle.md §3),
// checked with independent tools: GNU tar, `openssl dgst -sha3-512`, node:crypto for RS256.
import { createHash, createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { listBatchContents, signDeploymentBundle, type SignProgress } from '../../../src/main/core/bundle';
import { makeTestPki, tempDir } from '../credentials/pki-fixtures';
import { failureOf } from '../../support/failure';
import { BATCH_CONFIG, LAYER_AMD64, LAYER_ARM64, makeBatchBundle } from './batch-fixture';
import { gnuTar } from './service-fixture';

let dir: string;
let pki: ReturnType<typeof makeTestPki>;
let n = 0;
const fresh = async () => makeBatchBundle(path.join(dir, `bundle-${++n}`), pki.user, [pki.user, pki.ca]);

beforeAll(async () => {
  dir = await tempDir('bs-batch-');
  pki = makeTestPki();
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const PACKED = [
  'config.yaml',
  'aos-pylibs-layer',
  'aos-pylibs-layer/linux-amd64-1.0.0.tar.gz',
  'aos-pylibs-layer/linux-arm64-1.0.0.tar.gz',
  'hello',
  'hello/x86',
  'hello/x86/bin',
  'hello/x86/bin/hello',
  'hello/x86/etc',
  'hello/x86/etc/hello.cfg',
  'hello/x86/etc/run',
];

async function extract(bundle: string): Promise<{ outer: string; inner: string }> {
  const outer = await fs.mkdtemp(path.join(dir, 'x-'));
  gnuTar(['-xzf', bundle, '-C', outer]);
  const inner = path.join(outer, 'inner');
  await fs.mkdir(inner);
  gnuTar(['-xzf', path.join(outer, 'batch.tar.gz'), '-C', inner]);
  return { outer, inner };
}

describe('listBatchContents', () => {
  it('lists config.yaml and only what it references, in archive order, and what stays out with why', async () => {
    const root = await fresh();
    const c = await listBatchContents(root);
    expect(c.problems).toEqual([]);
    expect(c.entries.map((e) => e.path)).toEqual(PACKED);
    expect(c.entries.find((e) => e.path === 'aos-pylibs-layer/linux-amd64-1.0.0.tar.gz')).toMatchObject({ kind: 'file', size: LAYER_AMD64.length, executable: true, reference: 'items[0].images[0].path' });
    expect(c.entries.find((e) => e.path === 'aos-pylibs-layer/linux-arm64-1.0.0.tar.gz')).toMatchObject({ size: LAYER_ARM64.length, executable: false });
    expect(c.entries.find((e) => e.path === 'aos-pylibs-layer')).toMatchObject({ kind: 'folder', reference: 'parent folder' });
    expect(c.entries.find((e) => e.path === 'hello/x86/etc/run')).toMatchObject({ kind: 'symlink', target: '../bin/hello', reference: 'items[1].images[0].sourceFolder' });
    expect(c.files).toBe(5);
    expect(c.totalBytes).toBe(Buffer.byteLength(BATCH_CONFIG) + LAYER_AMD64.length + LAYER_ARM64.length + Buffer.byteLength('#!/bin/sh\necho hello\n') + Buffer.byteLength('greeting=hi\n'));
    expect(c.excluded).toEqual([
      { path: 'aos-pylibs-layer/README.txt', kind: 'file', size: 15, reason: 'unreferenced' },
      { path: 'aos-user-oem.p12', kind: 'file', size: expect.any(Number), reason: 'credentials' },
      { path: 'backup-key.pem', kind: 'file', size: 28, reason: 'credentials' },
      { path: 'hello/arm', kind: 'folder', reason: 'unreferenced' },
      { path: 'notes.txt', kind: 'file', size: 12, reason: 'unreferenced' },
      { path: 'old', kind: 'folder', reason: 'unreferenced' },
    ]);
    expect(c.output).toBe(path.join(root, 'batch.tar.gz'));
  });

  it('reports references that are missing, climb out, are absolute or of the wrong kind, with their line', async () => {
    const root = await fresh();
    await fs.symlink('/etc', path.join(root, 'outside'));
    const config = BATCH_CONFIG.replace('path: aos-pylibs-layer/linux-arm64-1.0.0.tar.gz', 'path: ../elsewhere.tar.gz')
      .replace('path: aos-pylibs-layer/linux-amd64-1.0.0.tar.gz', 'path: missing.tar.gz')
      .replace('sourceFolder: x86', 'sourceFolder: x86/bin/hello');
    await fs.writeFile(path.join(root, 'config.yaml'), `${config}  - identity: {type: layer, codename: x}\n    version: 1.0.0\n    images:\n      - path: /etc/passwd\n      - path: outside/passwd\n      - sourceFolder: notes.txt\n`);
    const c = await listBatchContents(root);
    expect(c.problems.map((p) => [p.reference, p.location.line, p.message])).toEqual([
      ['items[0].images[0].path', 16, 'items[0].images[0].path "missing.tar.gz" does not exist.'],
      ['items[0].images[1].path', 20, expect.stringContaining('climbs out with ".."')],
      ['items[1].images[0].sourceFolder', 28, expect.stringContaining('is not a folder')],
      ['items[2].images[0].path', 32, expect.stringContaining('is an absolute path')],
      ['items[2].images[1].path', 33, expect.stringContaining('leads outside the bundle folder through a symlink')],
      ['items[2].images[2].sourceFolder', 34, expect.stringContaining('is not a folder')],
    ]);
    expect(c.entries.map((e) => e.path)).toEqual(['config.yaml']);
  });

  it('reports a reference with a NUL character as a problem at its line, never an internal failure', async () => {
    const root = await fresh();
    await fs.writeFile(path.join(root, 'config.yaml'), BATCH_CONFIG.replace('path: aos-pylibs-layer/linux-amd64-1.0.0.tar.gz', 'path: "aos\\0x.tar.gz"'));
    const c = await listBatchContents(root);
    expect(c.problems.map((p) => [p.reference, p.location.line, p.message])).toEqual([['items[0].images[0].path', 16, expect.stringContaining('contains a NUL character')]]);
  });

  it('never packs the credentials file, even when a referenced folder holds it', async () => {
    const root = await fresh();
    await fs.rename(path.join(root, 'aos-user-oem.p12'), path.join(root, 'hello/x86/aos-user-oem.p12'));
    await fs.writeFile(path.join(root, 'config.yaml'), BATCH_CONFIG.replace('tlsKey: aos-user-oem.p12', 'tlsKey: hello/x86/aos-user-oem.p12'));
    const c = await listBatchContents(root);
    expect(c.problems.map((p) => p.message)).toEqual([expect.stringContaining("x86\": aos-user-oem.p12 is the signing credentials file")]);
    const err = await failureOf(signDeploymentBundle({ dir: root, homeDir: dir }));
    expect(err.error.code).toBe('invalid-config');
    expect(err.error.location?.line).toBe(28);
    await expect(fs.access(path.join(root, 'batch.tar.gz'))).rejects.toThrow();
  });
});

describe('signDeploymentBundle', () => {
  it('writes batch.tar.gz exactly as spec §3, checked with GNU tar, openssl and node:crypto', async () => {
    const root = await fresh();
    const phases = new Set<SignProgress['phase']>();
    const r = await signDeploymentBundle({ dir: root, homeDir: dir, onProgress: (p) => phases.add(p.phase), progressIntervalMs: 0 });
    expect(r.path).toBe(path.join(root, 'batch.tar.gz'));
    expect([...phases]).toEqual(['scan', 'archive', 'sign', 'package', 'done']);
    expect(r.files).toBe(4);

    // Outer: ./, config.yaml byte-identical, batch.tar.gz, package.sign.
    expect(gnuTar(['-tzf', r.path]).split('\n').filter(Boolean)).toEqual(['./', './config.yaml', './batch.tar.gz', './package.sign']);
    const { outer, inner } = await extract(r.path);
    expect(readFileSync(path.join(outer, 'config.yaml'))).toEqual(readFileSync(path.join(root, 'config.yaml')));

    // Inner: config.yaml + only what it references, modes kept (0755 executables and folders, 0644 others, 0777 links), owner 0/0, mtime 0.
    const listing = gnuTar(['--numeric-owner', '--utc', '-tvzf', path.join(outer, 'batch.tar.gz')]).split('\n').filter(Boolean);
    const rows = listing.map((l) => {
      const f = l.split(/\s+/);
      return `${f[0]} ${f[1]} ${f[3]} ${f[4]} ${f.slice(5).join(' ')}`;
    });
    expect(rows).toEqual([
      'drwxr-xr-x 0/0 1970-01-01 00:00 ./',
      '-rw-r--r-- 0/0 1970-01-01 00:00 ./config.yaml',
      'drwxr-xr-x 0/0 1970-01-01 00:00 ./aos-pylibs-layer/',
      '-rwxr-xr-x 0/0 1970-01-01 00:00 ./aos-pylibs-layer/linux-amd64-1.0.0.tar.gz',
      '-rw-r--r-- 0/0 1970-01-01 00:00 ./aos-pylibs-layer/linux-arm64-1.0.0.tar.gz',
      'drwxr-xr-x 0/0 1970-01-01 00:00 ./hello/',
      'drwxr-xr-x 0/0 1970-01-01 00:00 ./hello/x86/',
      'drwxr-xr-x 0/0 1970-01-01 00:00 ./hello/x86/bin/',
      '-rwxr-xr-x 0/0 1970-01-01 00:00 ./hello/x86/bin/hello',
      'drwxr-xr-x 0/0 1970-01-01 00:00 ./hello/x86/etc/',
      '-rw-r--r-- 0/0 1970-01-01 00:00 ./hello/x86/etc/hello.cfg',
      'lrwxrwxrwx 0/0 1970-01-01 00:00 ./hello/x86/etc/run -> ../bin/hello',
    ]);
    expect(listing.join('\n')).not.toMatch(/p12|notes|README|old|arm\/|pem/);
    expect(readFileSync(path.join(inner, 'config.yaml'))).toEqual(readFileSync(path.join(root, 'config.yaml')));
    expect(readFileSync(path.join(inner, 'aos-pylibs-layer/linux-amd64-1.0.0.tar.gz'))).toEqual(LAYER_AMD64);

    // package.sign: RS256 over the SHA3-512 digests (openssl's) and sizes of batch.tar.gz and config.yaml.
    const jwt = readFileSync(path.join(outer, 'package.sign'), 'latin1');
    expect(jwt).not.toMatch(/\s/);
    const [h, p, s] = jwt.split('.');
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual({ alg: 'RS256', kid: r.kid, typ: 'JWT' });
    const opensslSha3 = (f: string) => execFileSync('openssl', ['dgst', '-sha3-512', '-r', f]).toString().split(' ')[0];
    const innerFile = path.join(outer, 'batch.tar.gz');
    expect(JSON.parse(Buffer.from(p, 'base64url').toString())).toEqual({
      data: [
        { name: 'batch.tar.gz', hash: opensslSha3(innerFile), size: (await fs.stat(innerFile)).size },
        { name: 'config.yaml', hash: opensslSha3(path.join(root, 'config.yaml')), size: Buffer.byteLength(BATCH_CONFIG) },
      ],
    });
    expect(cryptoVerify('sha256', Buffer.from(`${h}.${p}`), createPublicKey(pki.user.certPem), Buffer.from(s, 'base64url'))).toBe(true);
    expect(r.inner).toEqual({ name: 'batch.tar.gz', size: (await fs.stat(innerFile)).size, sha3_512: opensslSha3(innerFile) });
    expect(r.sha256).toBe(createHash('sha256').update(readFileSync(r.path)).digest('hex'));
  });

  it('is reproducible, and a later sign never packs the previous batch.tar.gz', async () => {
    const root = await fresh();
    const first = await signDeploymentBundle({ dir: root, homeDir: dir });
    const bytes = readFileSync(first.path);
    const again = await signDeploymentBundle({ dir: root, homeDir: dir });
    expect(again.sha256).toBe(first.sha256);
    expect(readFileSync(again.path)).toEqual(bytes);
    expect(again.contents.excluded).toContainEqual({ path: 'batch.tar.gz', kind: 'file', size: bytes.length, reason: 'previous-output' });
    expect(again.contents.entries.map((e) => e.path)).toEqual(PACKED);
    // Elsewhere with -o: same bytes; the default output still stays out.
    const out = path.join(dir, `elsewhere-${n}.tar.gz`);
    const third = await signDeploymentBundle({ dir: root, homeDir: dir, outFile: out });
    expect(readFileSync(third.path)).toEqual(bytes);
  });

  it('lists in the sign result exactly what listBatchContents lists', async () => {
    const root = await fresh();
    const listed = await listBatchContents(root);
    const signed = await signDeploymentBundle({ dir: root, homeDir: dir });
    expect(signed.contents.entries).toEqual(listed.entries);
    const tarNames = gnuTar(['-tzf', path.join((await extract(signed.path)).outer, 'batch.tar.gz')])
      .split('\n')
      .filter((l) => l && l !== './')
      .map((l) => l.replace(/^\.\//, '').replace(/\/$/, ''));
    expect(tarNames).toEqual(listed.entries.map((e) => e.path));
  });

  it('cancelled, leaves no file behind', async () => {
    const root = await fresh();
    const ac = new AbortController();
    const err = await failureOf(
      signDeploymentBundle({
        dir: root,
        homeDir: dir,
        signal: ac.signal,
        progressIntervalMs: 0,
        onProgress: (p) => {
          if (p.phase === 'archive') ac.abort();
        },
      }),
    );
    expect(err.error.code).toBe('cancelled');
    expect((await fs.readdir(root)).filter((f) => f.includes('batch'))).toEqual([]);
  });

  it('a failure half-way (a referenced file changed) leaves no file behind', async () => {
    const root = await fresh();
    const err = await failureOf(
      signDeploymentBundle({
        dir: root,
        homeDir: dir,
        progressIntervalMs: 0,
        onProgress: (p) => {
          if (p.phase === 'archive' && p.filesDone === 0) void fs.truncate(path.join(root, 'hello/x86/etc/hello.cfg'), 1).catch(() => undefined);
        },
      }),
    );
    expect(err.error.code).toBe('bundle');
    expect(err.error.message).toContain('changed while it was being archived');
    expect((await fs.readdir(root)).filter((f) => f.includes('batch'))).toEqual([]);
  });

  it('finds publish.tlsKey in ~/.aos/security when it is not in the bundle folder', async () => {
    const root = await fresh();
    const home = path.join(dir, `home-${n}`);
    await fs.mkdir(path.join(home, '.aos', 'security'), { recursive: true });
    await fs.rename(path.join(root, 'aos-user-oem.p12'), path.join(home, '.aos', 'security', 'aos-user-oem.p12'));
    const r = await signDeploymentBundle({ dir: root, homeDir: home });
    expect(r.kid).toBeTruthy();
    const missing = await failureOf(signDeploymentBundle({ dir: root, homeDir: dir }));
    // Refused with validate's diagnostic, before any credential is opened.
    expect(missing.error.code).toBe('invalid-config');
    expect(missing.error.message).toMatch(/publish\.tlsKey: aos-user-oem\.p12 not found/);
    expect(missing.error.location?.line).toBe(6);
  });
});
