// `aos-bundle layer inspect`: the report in words and as JSON, exit codes 0 / 1 / 2.
import path from 'node:path';
import { cli } from '../cli/helpers';
import { tempDirPerTest } from '../../support/temp-dir';
import { buildRootfs, currentImage, legacyImage, minimalElf, OPKG_STATUS, put } from './inspect-fixtures';

const tmp = tempDirPerTest();

describe('aos-bundle layer inspect', () => {
  it('prints digest, platform, files, whiteouts, libraries with their sources and OS features (exit 0)', async () => {
    const root = path.join(tmp.path, 'rootfs');
    buildRootfs(root);
    const img = currentImage(tmp.path, root);
    const r = await cli(['layer', 'inspect', 'linux-amd64-1.2.0.tar.gz'], tmp.path);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`layer: ${img.file}\n`);
    expect(r.stdout).toMatch(/^digest: sha256:[0-9a-f]{64}$/m);
    expect(r.stdout).toMatch(/^diff_id: sha256:[0-9a-f]{64}$/m);
    expect(r.stdout).toContain('platform: linux/amd64, version 1.2.0 (from the file name)');
    expect(r.stdout).toMatch(/^ {2}etc\/\.wh\.old\.conf +hides etc\/old\.conf$/m);
    expect(r.stdout).toMatch(/^ {2}zlib1g +1:1\.2\.13\.dfsg-1 +dpkg +var\/lib\/dpkg\/status$/m);
    expect(r.stdout).toMatch(/^ {2}libfoo +1\.2\.3 +shared-library +usr\/lib\/libfoo\.so\.1\.2\.3 \(soname libfoo\.so\.1\)$/m);
    expect(r.stdout).toMatch(/^OS features: .*python3-requests/m);
  });

  it('--json prints the whole report; the legacy form shows its parent', async () => {
    const root = path.join(tmp.path, 'rootfs');
    buildRootfs(root);
    const img = legacyImage(tmp.path, root);
    const r = await cli(['layer', 'inspect', img.file, '--json'], tmp.path);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ form: 'legacy', layerId: 'pylibs:1.1.0', parent: { id: 'base:1.0.0' } });
    expect(report.libraries.find((l: { name: string }) => l.name === 'six')).toEqual({ name: 'six', version: '1.16.0', kind: 'python-egg-info', source: 'usr/lib/python3.11/site-packages/six-1.16.0-py3.11.egg-info/PKG-INFO', license: 'MIT' });
    const text = await cli(['layer', 'inspect', img.file], tmp.path);
    expect(text.stdout).toContain(`parent: base:1.0.0 sha256:${'ab'.repeat(32)} (parrentLayerId)`);
  });

  it('a file that is no layer image exits 1 naming it; wrong arguments exit 2', async () => {
    const bad = put(tmp.path, 'linux-amd64-1.0.0.tar.gz', 'not a layer');
    const r = await cli(['layer', 'inspect', bad], tmp.path);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}: not a readable layer image`);
    expect(r.stdout).toBe('');
    const usage = await cli(['layer', 'inspect'], tmp.path);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: aos-bundle layer inspect FILE|DIR [--json]');
    expect((await cli(['layer', 'inspect', bad, '--bogus'], tmp.path)).code).toBe(2);
    const help = await cli(['layer', '--help'], tmp.path);
    expect(help.stdout).toMatch(/\n {2}inspect +show what a layer/);
    expect(help.stdout).toMatch(/\n {2}sbom +write a layer/);
  });
});

describe('a layer packed by aos-bundle layer pack, then inspected', () => {
  it('shows what the pack put in: the child\'s libraries, and the parent\'s removed file as a whiteout', async () => {
    const parent = path.join(tmp.path, 'parent');
    const child = path.join(tmp.path, 'child');
    put(parent, 'etc/old.conf', 'old\n');
    put(parent, 'etc/keep.conf', 'keep\n');
    put(child, 'etc/keep.conf', 'keep\n');
    put(child, 'var/lib/opkg/status', OPKG_STATUS);
    put(child, 'usr/lib/libbe.so.3.0', minimalElf({ bits: 32, little: false, soname: 'libbe.so.3' }));
    const out = path.join(tmp.path, 'out');
    const pack = await cli(['layer', 'pack', child, '--parent', parent, '--version', '1.0.0', '--arch', 'arm64', '--out', out], tmp.path);
    expect(pack.stderr).not.toMatch(/error/);
    expect(pack.code).toBe(0);
    const r = await cli(['layer', 'inspect', path.join(out, 'linux-arm64-1.0.0.tar.gz'), '--json'], tmp.path);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.platform).toMatchObject({ os: 'linux', architecture: 'arm64', version: '1.0.0' });
    expect(report.whiteouts).toEqual([{ path: 'etc/.wh.old.conf', hides: 'etc/old.conf', kind: 'whiteout' }]);
    expect(report.libraries.map((l: { name: string; version: string; soname?: string }) => `${l.name} ${l.version}${l.soname ? ` ${l.soname}` : ''}`)).toEqual([
      'busybox 1.36.1-r0',
      'python3-requests 2.31.0-r0',
      'libbe 3.0 libbe.so.3',
    ]);
    // The digest printed by pack is the one inspect computes.
    expect(pack.stdout).toContain(report.digest);
  });
});
