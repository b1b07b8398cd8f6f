// `aos-bundle layer list` and `layer remove`: the catalog and the removal check from the CLI,
// with the app's settings and recent services as defaults.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli } from '../cli/helpers';
import { tempDirPerTest } from '../../support/temp-dir';
import { RecentServices } from '../../../src/main/core/settings/recent-services';
import { AppSettingsStore } from '../../../src/main/core/settings/app-settings';

const tmp = tempDirPerTest();

function put(rel: string, data: string): string {
  const p = path.join(tmp.path, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, data);
  return p;
}

const SERVICE = 'build:\n  arch: x86\nconfiguration:\n  layers:\n    - uid: pylibs\n      minVersion: 1.0.0\n      maxVersion: 2.0.0\n';

describe('aos-bundle layer list / remove', () => {
  const env = () => ({ HOME: tmp.path, BUNDLE_STUDIO_CONFIG_DIR: path.join(tmp.path, 'config') });
  const run = (args: string[]) => cli(['layer', ...args], tmp.path, { env: env() });
  beforeEach(() => {
    // Only names matter to the catalog: the files need not be real images here.
    put('lib/pylibs/linux-amd64-1.0.0.tar.gz', 'x');
    put('lib/pylibs/linux-amd64-1.2.0.tar.gz', 'x');
    put('lib/pylibs/linux-arm64-1.2.0.tar.gz', 'x');
    put('work/svc/meta/config.yaml', SERVICE);
  });

  it('lists layers, versions and dependants (text and --json)', async () => {
    const r = await run(['list', '--library', 'lib', '--workspace', 'work']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('services and bundles read: 1 service, 0 bundles');
    expect(r.stdout).toMatch(/pylibs {2}3 versions {2}amd64, arm64 {2}1 dependant/);
    expect(r.stdout).toMatch(/1\.2\.0 +linux\/amd64 .*selected by 1 dependant/);
    const j = await run(['list', '--library', 'lib', '--workspace', 'work', '--json']);
    expect(JSON.parse(j.stdout).layers[0].versions.map((v: { version: string; architecture: string; dependants: number }) => `${v.version}/${v.architecture}:${v.dependants}`)).toEqual(['1.2.0/amd64:1', '1.2.0/arm64:0', '1.0.0/amd64:0']);
  });

  it('takes the library and workspace from the app settings, and recent services count', async () => {
    await new AppSettingsStore(env().BUNDLE_STUDIO_CONFIG_DIR).set({ layerLibrary: path.join(tmp.path, 'lib') });
    await new RecentServices(env().BUNDLE_STUDIO_CONFIG_DIR).remember(path.join(tmp.path, 'work/svc'));
    const r = await run(['list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`library: ${path.join(tmp.path, 'lib')}`);
    expect(r.stdout).toContain('1 service');
  });

  it('refuses to remove a version a service selects (exit 1, dependants listed), deletes nothing', async () => {
    const r = await run(['remove', 'pylibs', '1.2.0', '--arch', 'amd64', '--library', 'lib', '--workspace', 'work', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Not removed');
    expect(r.stderr).toContain(`service svc  1.0.0 ≤ v < 2.0.0 (amd64)  ${path.join(tmp.path, 'work/svc/meta/config.yaml')}:5`);
    expect(existsSync(path.join(tmp.path, 'lib/pylibs/linux-amd64-1.2.0.tar.gz'))).toBe(true);
  });

  it('asks for --yes before deleting, names the files, then deletes them', async () => {
    const file = path.join(tmp.path, 'lib/pylibs/linux-amd64-1.0.0.tar.gz');
    const dry = await run(['remove', 'pylibs', '1.0.0', '--library', 'lib', '--workspace', 'work']);
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain(`Would delete:\n  ${file}\nNothing deleted`);
    expect(existsSync(file)).toBe(true);
    const r = await run(['remove', 'pylibs', '1.0.0', '--library', 'lib', '--workspace', 'work', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`removed:\n  ${file}\n`);
    expect(existsSync(file)).toBe(false);
  });

  it('needs --arch when the version exists for several, and removes the layer with its last version', async () => {
    const many = await run(['remove', 'pylibs', '1.2.0', '--library', 'lib']);
    expect(many.code).toBe(2);
    expect(many.stderr).toContain('exists for amd64, arm64: say which with --arch');
    put('lib/base/linux-arm64-0.1.0.tar.gz', 'x');
    const r = await run(['remove', 'base', '0.1.0', '--library', 'lib', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('layer base removed (it was its last version)');
    expect(existsSync(path.join(tmp.path, 'lib/base'))).toBe(false);
  });
});
