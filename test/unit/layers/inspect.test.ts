// inspectLayer against layers built here, one fact of every kind: each library is found
// with its version and the file it came from, in the current form, the legacy form and a
// plain folder alike; digests are those of the bytes; hostile input fails naming the file.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { inspectLayer, type LayerInspection } from '../../../src/main/core/layers/inspect';
import { readFileSync } from 'node:fs';
import { ElfSonameReader, readElfSoname } from '../../../src/main/core/layers/inspect/elf-soname';
import { buildRootfs, buildSharedLibrary, currentImage, hasCc, legacyImage, minimalElf, put, sha256, tempDir } from './inspect-fixtures';

const dirs: string[] = [];
const temp = (p: string) => {
  const d = tempDir(p);
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const libs = (r: LayerInspection) => r.libraries.map((l) => `${l.kind} ${l.name} ${l.version} ${l.source}${l.soname ? ` soname=${l.soname}` : ''}${l.license ? ` license=${l.license}` : ''}`);

const EXPECTED_LIBRARIES = [
  'dpkg libssl3 3.0.11-1~deb12u2 var/lib/dpkg/status',
  'dpkg zlib1g 1:1.2.13.dfsg-1 var/lib/dpkg/status',
  'opkg busybox 1.36.1-r0 usr/lib/opkg/status license=GPL-2.0-only & bzip2-1.0.6',
  'opkg python3-requests 2.31.0-r0 usr/lib/opkg/status license=Apache-2.0',
  'python-dist-info requests 2.31.0 usr/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA license=Apache-2.0',
  'python-egg-info six 1.16.0 usr/lib/python3.11/site-packages/six-1.16.0-py3.11.egg-info/PKG-INFO license=MIT',
  'npm @scope/tool 2.0.0-beta.1 usr/lib/node_modules/@scope/tool/package.json license=MIT',
  'npm left-pad 1.3.0 usr/lib/node_modules/left-pad/package.json license=WTFPL',
  'shared-library libbe 3.0 usr/lib/libbe.so.3.0 soname=libbe.so.3',
  'shared-library libfoo 1.2.3 usr/lib/libfoo.so.1.2.3 soname=libfoo.so.1',
];

describe('inspectLayer: every fact source, in every form', () => {
  const work = temp('layer-inspect-');
  const root = path.join(work, 'rootfs');
  beforeAll(() => buildRootfs(root));

  it(`the C compiler is ${hasCc ? 'there: libfoo is built with cc -Wl,-soname' : 'missing: libfoo is built byte by byte'}`, () => {
    expect(typeof hasCc).toBe('boolean');
  });

  it('reads the current form: digest and diff_id of the bytes, platform from the name, every library with its source', async () => {
    const img = currentImage(work, root);
    const r = await inspectLayer({ path: img.file });
    expect(r.form).toBe('oci-layer');
    expect(r.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    expect(r.digest).toBe(`sha256:${sha256(img.gz)}`);
    expect(r.size).toBe(img.gz.length);
    expect(r.diffId).toBe(`sha256:${sha256(img.tar)}`);
    expect(r.tarSize).toBe(img.tar.length);
    expect(r.platform).toEqual({ os: 'linux', architecture: 'amd64', version: '1.2.0', from: 'file-name' });
    expect(libs(r)).toEqual(EXPECTED_LIBRARIES);
    expect(r.osFeatures).toEqual(['@scope/tool', 'busybox', 'left-pad', 'libssl3', 'python3-requests', 'requests', 'six', 'zlib1g']);
    expect(r.osRelease).toEqual({ id: 'poky', versionId: '4.0.9', source: 'etc/os-release' });
    expect(r.whiteouts).toEqual([
      { path: 'etc/.wh.old.conf', hides: 'etc/old.conf', kind: 'whiteout' },
      { path: 'opt/app/.wh..wh..opq', hides: 'opt/app', kind: 'opaque' },
    ]);
    expect(r.problems).toEqual([]);
    const usr = r.files.folders.find((f) => f.name === 'usr')!;
    expect(usr.symlinks).toBe(1);
    // Whiteouts are not files: etc holds os-release only.
    expect(r.files.folders.find((f) => f.name === 'etc')).toMatchObject({ files: 1, bytes: 'ID=poky\nVERSION_ID="4.0.9"\n'.length });
    expect(r.files.count).toBe(r.files.folders.reduce((s, f) => s + f.files, 0));
  });

  it('reads the legacy form: the digest-named tar, platform and parent (parrentLayerId) from metadata.json', async () => {
    const img = legacyImage(temp('layer-legacy-'), root);
    const r = await inspectLayer({ path: img.file });
    expect(r.form).toBe('legacy');
    expect(r.mediaType).toBe('application/vnd.aos.image.layer.v1.tar');
    expect(r.diffId).toBe(`sha256:${sha256(img.tar)}`);
    expect(r.tarSize).toBe(img.tar.length);
    expect(r.layerId).toBe('pylibs:1.1.0');
    expect(r.parent).toEqual({ id: 'base:1.0.0', digest: `sha256:${'ab'.repeat(32)}` });
    expect(r.platform).toEqual({ os: 'linux', architecture: 'x86_64', version: '1.1.0', osVersion: '4.0.9', declaredOsFeatures: ['python3-requests', 'busybox'], from: 'metadata.json' });
    expect(libs(r)).toEqual(EXPECTED_LIBRARIES);
    expect(r.problems).toEqual([]);
  });

  it('says when the legacy metadata.json digest does not match the layer tar', async () => {
    const img = legacyImage(temp('layer-legacy-bad-'), root, { digest: `sha256:${'00'.repeat(32)}` });
    const r = await inspectLayer({ path: img.file });
    expect(r.problems.join('\n')).toMatch(/metadata\.json gives the digest sha256:0000.*but the layer tar .* hashes to sha256:/);
  });

  it('reads a plain folder the same way (no digest: it is no image)', async () => {
    const r = await inspectLayer({ path: root });
    expect(r.form).toBe('folder');
    expect(r.digest).toBeUndefined();
    expect(libs(r)).toEqual(EXPECTED_LIBRARIES);
    expect(r.whiteouts.map((w) => w.hides)).toEqual(['etc/old.conf', 'opt/app']);
  });

  it('reads an uncompressed layer tar (digest = diff_id)', async () => {
    const dir = temp('layer-plain-');
    const file = path.join(dir, 'linux-arm64-1.0.0.tar');
    writeFileSync(file, execFileSync('tar', ['--numeric-owner', '-cf', '-', '-C', root, '.'], { maxBuffer: 64 << 20 }));
    const r = await inspectLayer({ path: file });
    expect(r.digest).toBe(r.diffId);
    expect(r.mediaType).toBe('application/vnd.oci.image.layer.v1.tar');
    expect(r.libraries.length).toBe(EXPECTED_LIBRARIES.length);
  });
});

describe('devices, hard links and overlayfs whiteouts in a layer', () => {
  it('counts devices, reports a 0/0 character device as an overlayfs whiteout, gives a hard-linked library its soname', async () => {
    const dir = temp('layer-special-');
    const root = path.join(dir, 'r');
    put(root, 'usr/lib/libz.so.1.3.1', minimalElf({ bits: 64, little: true, soname: 'libz.so.1' }));
    // GNU tar writes devices from a file list without needing them on disk (--mknod is not portable);
    // build the tar with the project's own raw-tar helper instead.
    const { entry, tarOf } = await import('../archive/raw-tar');
    const lib = minimalElf({ bits: 64, little: true, soname: 'libz.so.1' });
    const tar = tarOf(
      entry({ name: './usr/lib/libz.so.1.3.1' }, lib),
      entry({ name: './usr/lib/libz-copy.so.1.3.1', type: '1', linkname: './usr/lib/libz.so.1.3.1' }),
      entry({ name: './dev/null', type: '3', patch: { at: 329, bytes: Buffer.from('0000001\0' + '0000003\0') } }),
      entry({ name: './etc/gone', type: '3' }),
      entry({ name: './run/fifo', type: '6' }),
    );
    const file = put(dir, 'linux-amd64-1.0.0.tar.gz', gzipSync(tar));
    const r = await inspectLayer({ path: file });
    expect(libs(r)).toEqual(['shared-library libz 1.3.1 usr/lib/libz.so.1.3.1 soname=libz.so.1', 'shared-library libz-copy 1.3.1 usr/lib/libz-copy.so.1.3.1 soname=libz.so.1']);
    expect(r.whiteouts).toEqual([{ path: 'etc/gone', hides: 'etc/gone', kind: 'overlayfs-device' }]);
    expect(r.problems.join('\n')).toMatch(/etc\/gone is an overlayfs whiteout/);
    expect(r.files.folders.find((f) => f.name === 'dev')).toMatchObject({ other: 1 });
    expect(r.files.folders.find((f) => f.name === 'run')).toMatchObject({ other: 1 });
  });
});

describe('ELF DT_SONAME', () => {
  it.each([
    [32, true],
    [32, false],
    [64, true],
    [64, false],
  ] as const)('ELF%i %s-endian, also in 1-byte chunks and with a soname that is the tail of a longer string', (bits, little) => {
    const b = minimalElf({ bits, little, soname: 'libbar.so.2', sharedSuffix: true });
    const want = { elf: true, bits, endian: little ? 'little' : 'big', soname: 'libbar.so.2' };
    expect(readElfSoname(b)).toEqual(want);
    for (const size of [1, 7]) {
      const r = new ElfSonameReader();
      for (let i = 0; i < b.length; i += size) r.write(b.subarray(i, i + size));
      expect(r.finish()).toEqual(want);
    }
  });

  it.runIf(hasCc)('reads what cc -shared -Wl,-soname wrote', () => {
    const dir = temp('elf-cc-');
    buildSharedLibrary(dir, 'libqux.so.7', 'libqux.so.7.0.1');
    expect(readElfSoname(readFileSync(path.join(dir, 'libqux.so.7.0.1')))).toMatchObject({ elf: true, bits: 64, soname: 'libqux.so.7' });
  });

  it('says what is missing instead of guessing', () => {
    expect(readElfSoname(Buffer.from('INPUT(-lfoo)\n'))).toEqual({ elf: false });
    expect(readElfSoname(minimalElf({ bits: 64, little: true, soname: 'libx.so.1' }).subarray(0, 40))).toMatchObject({ elf: true, problem: /cut short/ });
    const truncated = minimalElf({ bits: 64, little: true, soname: 'libx.so.1' });
    expect(readElfSoname(truncated.subarray(0, truncated.length - 20))).toMatchObject({ problem: /ends before its dynamic segment/ });
  });
});

describe('hostile or broken input fails naming the file (and the entry)', () => {
  const dir = temp('layer-hostile-');

  it('a file that is neither gzip nor tar', async () => {
    const file = put(dir, 'linux-amd64-1.0.0.tar.gz', 'hello, not a layer');
    await expect(inspectLayer({ path: file })).rejects.toMatchObject({ error: { code: 'invalid-input', message: expect.stringContaining(`${file}: not a readable layer image: neither`) } });
  });

  it('a truncated image', async () => {
    const root = path.join(dir, 'r');
    put(root, 'a.txt', 'x'.repeat(100_000));
    const img = currentImage(dir, root, 'linux-amd64-2.0.0.tar.gz');
    const file = put(dir, 'linux-amd64-2.0.1.tar.gz', img.gz.subarray(0, img.gz.length - 30));
    await expect(inspectLayer({ path: file })).rejects.toMatchObject({ error: { code: 'invalid-input', message: expect.stringMatching(/truncated/) } });
  });

  it('an entry climbing out with ..', async () => {
    const { entry, tarOf } = await import('../archive/raw-tar');
    const file = put(dir, 'linux-amd64-3.0.0.tar.gz', gzipSync(tarOf(entry({ name: './usr/../../etc/passwd' }, 'x'))));
    await expect(inspectLayer({ path: file })).rejects.toMatchObject({ error: { message: expect.stringContaining('(entry ./usr/../../etc/passwd)') } });
  });

  it('a fact file over its cap is skipped, said so, and the rest still read', async () => {
    const root = path.join(dir, 'big');
    put(root, 'usr/lib/node_modules/huge/package.json', `{"name":"huge","version":"1.0.0","pad":"${'x'.repeat(1 << 20)}"}`);
    put(root, 'usr/lib/node_modules/small/package.json', '{"name":"small","version":"1.0.0"}');
    const r = await inspectLayer({ path: currentImage(dir, root, 'linux-amd64-4.0.0.tar.gz').file });
    expect(r.libraries.map((l) => l.name)).toEqual(['small']);
    expect(r.problems.join('\n')).toMatch(/huge\/package\.json was not read: .* more than/);
  });

  it('a missing path', async () => {
    await expect(inspectLayer({ path: path.join(dir, 'nope.tar.gz') })).rejects.toMatchObject({ error: { code: 'not-found' } });
  });

  it('cancels', async () => {
    const root = path.join(dir, 'r');
    const img = currentImage(dir, root, 'linux-amd64-5.0.0.tar.gz');
    const ac = new AbortController();
    ac.abort();
    await expect(inspectLayer({ path: img.file, signal: ac.signal })).rejects.toMatchObject({ error: { code: 'cancelled' } });
  });
});
