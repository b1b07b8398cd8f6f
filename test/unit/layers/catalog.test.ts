import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { layerImage, put } from './catalog-fixture';
import { addLayerToCatalog, clearLayerFactsCache, layerDependants, layerFacts, loadLayerCatalog, planLayerRemoval, removeLayerVersion } from '../../../src/main/core/layers/catalog';

function serviceConfig(arch: string, layers: string): string {
  return `publisher:\n  author: Test\nbuild:\n  os: linux\n  arch: ${arch}\n  sign_pkcs12: aos-user-sp.p12\npublish:\n  url: aoscloud.io\n  service_uid: 00000000-0000-0000-0000-000000000001\n  tls_pkcs12: aos-user-sp.p12\nconfiguration:\n  cmd: /bin/true\n  layers:\n${layers}`;
}

const bundleConfig = (versions: string, arch = 'amd64') => `schemaVersion: 2
publish:
  tlsKey: aos-user-sp.p12
items:
  - identity:
      type: service
      codename: web
    version: 1.0.0
    images:
      - archInfo: {architecture: ${arch}}
        sourceFolder: web/${arch}
    dependencies:
      - identity: {type: layer, codename: pylibs}
        versions: "${versions}"
`;

describe('layer catalog', () => {
  let root: string;
  let library: string;
  let workspace: string;
  beforeEach(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'layer-catalog-'));
    library = path.join(root, 'library');
    workspace = path.join(root, 'work');
    const img = await layerImage({ 'usr/lib/python3/dist-packages/x.py': 'x' });
    for (const rel of ['pylibs/linux-amd64-1.0.0.tar.gz', 'pylibs/linux-amd64-1.5.0.tar.gz', 'pylibs/linux-arm64-1.0.0.tar.gz', 'pylibs/linux-amd64-2.0.0.tar.gz', 'base/linux-amd64-0.1.0.tar.gz']) put(library, rel, img);
    mkdirSync(workspace, { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const ref = (uid: string, version: string, architecture = 'amd64') => ({ library, workspace, uid, version, architecture });

  it('lists layers by uid with versions (highest first) and architectures', async () => {
    const cat = await loadLayerCatalog({ library, workspace });
    expect(cat.layers.map((l) => l.uid)).toEqual(['base', 'pylibs']);
    const py = cat.layers[1];
    expect(py.versions.map((v) => `${v.version}/${v.architecture}`)).toEqual(['2.0.0/amd64', '1.5.0/amd64', '1.0.0/amd64', '1.0.0/arm64']);
    expect(py.architectures).toEqual(['amd64', 'arm64']);
    expect(py.dependants).toBe(0);
  });

  it('counts a workspace service as a dependant of the highest version its range selects for its architecture only', async () => {
    // x86 is the v1 name of amd64; the range 1.0.0 ≤ v < 2.0.0 selects 1.5.0, not 1.0.0 and not 2.0.0.
    put(workspace, 'svc-a/meta/config.yaml', serviceConfig('x86', '    - uid: pylibs\n      minVersion: 1.0.0\n      maxVersion: 2.0.0\n'));
    const cat = await loadLayerCatalog({ library, workspace });
    expect(cat.consumers).toEqual({ services: 1, bundles: 0 });
    const py = cat.layers.find((l) => l.uid === 'pylibs')!;
    expect(Object.fromEntries(py.versions.map((v) => [`${v.version}/${v.architecture}`, v.dependants]))).toEqual({ '2.0.0/amd64': 0, '1.5.0/amd64': 1, '1.0.0/amd64': 0, '1.0.0/arm64': 0 });
    expect(py.dependants).toBe(1);
    const deps = await layerDependants(ref('pylibs', '1.5.0'));
    expect(deps).toEqual([expect.objectContaining({ kind: 'service', name: 'svc-a', from: 'workspace', range: '1.0.0 ≤ v < 2.0.0', architecture: 'amd64', line: 14 })]);
  });

  it('finds recent services too, and a bare uid selects the highest version', async () => {
    const svc = path.join(root, 'elsewhere', 'svc-b');
    put(svc, 'meta/config.yaml', serviceConfig('aarch64', '    - pylibs\n'));
    const cat = await loadLayerCatalog({ library, recent: [{ root: svc, kind: 'service' }] });
    const py = cat.layers.find((l) => l.uid === 'pylibs')!;
    expect(py.versions.find((v) => v.architecture === 'arm64')!.dependants).toBe(1);
    expect(py.versions.filter((v) => v.architecture === 'amd64').every((v) => v.dependants === 0)).toBe(true);
    const deps = await layerDependants({ library, uid: 'pylibs', version: '1.0.0', architecture: 'arm64', recent: [{ root: svc, kind: 'service' }] });
    expect(deps).toEqual([expect.objectContaining({ name: 'svc-b', from: 'recent', range: 'any version' })]);
  });

  it('counts deployment bundle items whose dependencies select a version', async () => {
    put(workspace, 'bundles/web/config.yaml', bundleConfig('>=1.0.0 <2.0.0'));
    const cat = await loadLayerCatalog({ library, workspace });
    expect(cat.consumers).toEqual({ services: 0, bundles: 1 });
    const deps = await layerDependants(ref('pylibs', '1.5.0'));
    expect(deps).toEqual([expect.objectContaining({ kind: 'bundle', name: 'web', range: '1.0.0 ≤ v < 2.0.0', configPath: path.join(workspace, 'bundles/web/config.yaml') })]);
    expect(await layerDependants(ref('pylibs', '2.0.0'))).toEqual([]);
  });

  it('does not look deeper than the bounded depth', async () => {
    put(workspace, 'a/b/c/d/e/svc/meta/config.yaml', serviceConfig('x86', '    - pylibs\n'));
    const cat = await loadLayerCatalog({ library, workspace });
    expect(cat.consumers.services).toBe(0);
  });

  it('refuses to remove a version a service selects, listing the dependants, and deletes nothing', async () => {
    put(workspace, 'svc-a/meta/config.yaml', serviceConfig('x86', '    - uid: pylibs\n      minVersion: 1.0.0\n      maxVersion: 2.0.0\n'));
    const plan = await planLayerRemoval(ref('pylibs', '1.5.0'));
    expect(plan.allowed).toBe(false);
    expect(plan.files).toEqual([]);
    expect(plan.dependants.map((d) => d.name)).toEqual(['svc-a']);
    expect(plan.message).toMatch(/Not removed/);
    const file = path.join(library, 'pylibs/linux-amd64-1.5.0.tar.gz');
    await expect(removeLayerVersion({ ...ref('pylibs', '1.5.0'), confirmedFiles: [file] })).rejects.toMatchObject({ error: { code: 'conflict', message: expect.stringContaining('svc-a') } });
    expect(existsSync(file)).toBe(true);
  });

  it('allows removing a version no one selects, deleting exactly the confirmed file', async () => {
    put(workspace, 'svc-a/meta/config.yaml', serviceConfig('x86', '    - uid: pylibs\n      minVersion: 1.0.0\n      maxVersion: 2.0.0\n'));
    const plan = await planLayerRemoval(ref('pylibs', '1.0.0'));
    const file = path.join(library, 'pylibs/linux-amd64-1.0.0.tar.gz');
    expect(plan).toMatchObject({ allowed: true, files: [file], removesLayer: false, dependants: [] });
    const done = await removeLayerVersion({ ...ref('pylibs', '1.0.0'), confirmedFiles: plan.files });
    expect(done).toEqual({ removed: [file], removedLayer: false });
    expect(existsSync(file)).toBe(false);
    expect(existsSync(path.join(library, 'pylibs/linux-amd64-1.5.0.tar.gz'))).toBe(true);
  });

  it('refuses a confirmation that differs from the plan and deletes nothing', async () => {
    const file = path.join(library, 'pylibs/linux-amd64-1.0.0.tar.gz');
    const other = path.join(library, 'pylibs/linux-amd64-1.5.0.tar.gz');
    await expect(removeLayerVersion({ ...ref('pylibs', '1.0.0'), confirmedFiles: [file, other] })).rejects.toMatchObject({ error: { code: 'conflict', message: expect.stringMatching(/Nothing removed/) } });
    await expect(removeLayerVersion({ ...ref('pylibs', '1.0.0'), confirmedFiles: [other] })).rejects.toMatchObject({ error: { code: 'conflict' } });
    expect(existsSync(file)).toBe(true);
    expect(existsSync(other)).toBe(true);
  });

  it('removing the last version removes the layer folder, naming every file in it', async () => {
    const image = path.join(library, 'base/linux-amd64-0.1.0.tar.gz');
    const descriptor = { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: 'sha256:00', size: statSync(image).size, annotations: { 'org.opencontainers.image.version': '0.1.0' } };
    const extra = put(library, 'base/layer.json', JSON.stringify(descriptor));
    const plan = await planLayerRemoval(ref('base', '0.1.0'));
    expect(plan.removesLayer).toBe(true);
    expect(plan.files).toEqual([path.join(library, 'base/layer.json'), path.join(library, 'base/linux-amd64-0.1.0.tar.gz')]);
    // Confirming only the image is not what the plan deletes.
    await expect(removeLayerVersion({ ...ref('base', '0.1.0'), confirmedFiles: [path.join(library, 'base/linux-amd64-0.1.0.tar.gz')] })).rejects.toMatchObject({ error: { code: 'conflict' } });
    expect(existsSync(extra)).toBe(true);
    const done = await removeLayerVersion({ ...ref('base', '0.1.0'), confirmedFiles: plan.files });
    expect(done.removedLayer).toBe(true);
    expect(existsSync(path.join(library, 'base'))).toBe(false);
    const cat = await loadLayerCatalog({ library });
    expect(cat.layers.map((l) => l.uid)).toEqual(['pylibs']);
  });

  it("removing the last version keeps a layer.json that is not its descriptor, and the folder with it", async () => {
    const mine = put(library, 'base/layer.json', '{"name": "my own notes"}');
    const plan = await planLayerRemoval(ref('base', '0.1.0'));
    expect(plan.files).toEqual([path.join(library, 'base/linux-amd64-0.1.0.tar.gz')]);
    expect(plan.message).toMatch(/1 other entry in its folder stays/);
    const done = await removeLayerVersion({ ...ref('base', '0.1.0'), confirmedFiles: plan.files });
    expect(done.removedLayer).toBe(false);
    expect(readFileSync(mine, 'utf8')).toBe('{"name": "my own notes"}');
  });

  // Two architectures packed into one folder: each image has its own descriptor (layer pack).
  const descriptorOf = (image: string, version: string, architecture: string) =>
    JSON.stringify({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: 'sha256:00', size: statSync(image).size, annotations: { 'org.opencontainers.image.version': version }, platform: { architecture, os: 'linux', 'os.features': [] } });

  it("removing one version deletes its image and its own descriptor, never another image's", async () => {
    const amd = path.join(library, 'pylibs/linux-amd64-1.0.0.tar.gz');
    const arm = path.join(library, 'pylibs/linux-arm64-1.0.0.tar.gz');
    const amdJson = put(library, 'pylibs/linux-amd64-1.0.0.layer.json', descriptorOf(amd, '1.0.0', 'amd64'));
    const armJson = put(library, 'pylibs/linux-arm64-1.0.0.layer.json', descriptorOf(arm, '1.0.0', 'arm64'));
    const plan = await planLayerRemoval(ref('pylibs', '1.0.0', 'arm64'));
    expect(plan).toMatchObject({ allowed: true, removesLayer: false, files: [armJson, arm] });
    expect(plan.message).toContain('linux-arm64-1.0.0.layer.json and linux-arm64-1.0.0.tar.gz');
    await removeLayerVersion({ ...ref('pylibs', '1.0.0', 'arm64'), confirmedFiles: plan.files });
    expect(existsSync(arm) || existsSync(armJson)).toBe(false);
    expect(existsSync(amd) && existsSync(amdJson)).toBe(true);
  });

  it("reads a folder's older layer.json as the descriptor of the one image it describes", async () => {
    const amd = path.join(library, 'pylibs/linux-amd64-1.0.0.tar.gz');
    const legacy = put(library, 'pylibs/layer.json', descriptorOf(amd, '1.0.0', 'amd64'));
    // Same version and size, other architecture: not its descriptor, so it stays.
    expect((await planLayerRemoval(ref('pylibs', '1.0.0', 'arm64'))).files).toEqual([path.join(library, 'pylibs/linux-arm64-1.0.0.tar.gz')]);
    expect((await planLayerRemoval(ref('pylibs', '1.0.0'))).files).toEqual([legacy, amd]);
  });

  it('removing the last version takes every descriptor of its images, and nothing else', async () => {
    const image = path.join(library, 'base/linux-amd64-0.1.0.tar.gz');
    const own = put(library, 'base/linux-amd64-0.1.0.layer.json', descriptorOf(image, '0.1.0', 'amd64'));
    const stranger = put(library, 'base/linux-arm64-9.0.0.layer.json', descriptorOf(image, '9.0.0', 'arm64'));
    const plan = await planLayerRemoval(ref('base', '0.1.0'));
    expect(plan.files).toEqual([own, image]);
    await removeLayerVersion({ ...ref('base', '0.1.0'), confirmedFiles: plan.files });
    expect(existsSync(stranger)).toBe(true);
  });

  it('says not-found for a version the catalog does not have', async () => {
    await expect(planLayerRemoval(ref('pylibs', '9.9.9'))).rejects.toMatchObject({ error: { code: 'not-found' } });
  });

  it('adds a layer image to the catalog, never over an existing version', async () => {
    const img = put(root, 'out/linux-arm64-3.0.0.tar.gz', await layerImage({ 'a.txt': 'a' }));
    const added = await addLayerToCatalog({ library, uid: 'pylibs', file: img });
    expect(added.file).toBe(path.join(library, 'pylibs/linux-arm64-3.0.0.tar.gz'));
    await expect(addLayerToCatalog({ library, uid: 'pylibs', file: img })).rejects.toMatchObject({ error: { code: 'exists' } });
    const bad = put(root, 'out/layer.tar.gz', 'x');
    await expect(addLayerToCatalog({ library, uid: 'pylibs', file: bad })).rejects.toMatchObject({ error: { code: 'invalid-input' } });
  });

  it('never adds through a symlinked layer folder (the catalog would neither list nor remove the copy)', async () => {
    const img = put(root, 'out/linux-arm64-3.0.0.tar.gz', await layerImage({ 'a.txt': 'a' }));
    const elsewhere = path.join(root, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, path.join(library, 'linked'));
    await expect(addLayerToCatalog({ library, uid: 'linked', file: img })).rejects.toMatchObject({ error: { code: 'invalid-input', message: expect.stringContaining('symbolic link') } });
    expect(existsSync(path.join(elsewhere, 'linux-arm64-3.0.0.tar.gz'))).toBe(false);
  });

  it("inspects a version's facts with its entries, and reads a changed file again", async () => {
    clearLayerFactsCache();
    const file = path.join(library, 'pylibs/linux-amd64-1.0.0.tar.gz');
    const first = await layerFacts(file);
    expect(first.entries?.map((e) => e.path)).toContain('usr/lib/python3/dist-packages/x.py');
    expect(await layerFacts(file)).toBe(first);
    writeFileSync(file, await layerImage({ 'usr/lib/node_modules/left-pad/package.json': '{"name":"left-pad","version":"1.3.0"}', '.wh.gone': '' }));
    const second = await layerFacts(file);
    expect(second).not.toBe(first);
    expect(second.libraries).toEqual([expect.objectContaining({ name: 'left-pad', version: '1.3.0', kind: 'npm' })]);
    expect(second.whiteouts).toEqual([expect.objectContaining({ hides: 'gone', kind: 'whiteout' })]);
  });
});
