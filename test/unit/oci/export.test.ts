import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, promises as fsp, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { placeLayerBlob, previewService, type ServicePreviewInput } from '../../../src/main/core/oci';
import { AppFailure } from '../../../src/shared/errors';
import { makeLayerImage, makeServiceTree, SERVICE_CONFIG } from './helpers';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8'));
const blob = (dir: string, digest: string) => path.join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length));

/** Every blob's name is the sha256 of its content. */
function verifyBlobs(dir: string): string[] {
  const blobDir = path.join(dir, 'blobs', 'sha256');
  const names = readdirSync(blobDir);
  for (const name of names) expect(sha(readFileSync(path.join(blobDir, name)))).toBe(`sha256:${name}`);
  return names;
}

const exportService = (input: Omit<ServicePreviewInput, 'homeDir'>) => previewService({ homeDir: os.tmpdir(), ...input });

async function failureOf(p: Promise<unknown>): Promise<AppFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppFailure);
  return err as AppFailure;
}

const LAYER_CONFIG = `${SERVICE_CONFIG}    layers:\n        - uid: aos-pylibs-layer\n          minVersion: 1.0.0\n          maxVersion: 2.0.0\n        - "unknown-layer"\n`;

/** A layer library with the pylibs layer in three versions (1.4.0 is the one in range). */
async function makeLibrary(library: string) {
  await makeLayerImage(library, 'aos-pylibs-layer', 'linux-amd64-1.0.0', [{ dir: 'usr' }, { dir: 'usr/lib' }, { file: 'usr/lib/old.py', data: 'old\n' }]);
  const picked = await makeLayerImage(library, 'aos-pylibs-layer', 'linux-amd64-1.4.0', [
    { dir: 'usr' },
    { dir: 'usr/lib' },
    { dir: 'usr/lib/python3' },
    { file: 'usr/lib/python3/requests.py', data: '# requests 2.31\n' },
    // A deletion relative to the parent (the base OS image), as an OCI whiteout (layers.md §1).
    { file: 'usr/lib/.wh.libobsolete.so', data: '' },
  ]);
  await makeLayerImage(library, 'aos-pylibs-layer', 'linux-amd64-2.0.0', [{ dir: 'usr' }, { file: 'usr/two.txt', data: '2\n' }]);
  await makeLayerImage(library, 'aos-pylibs-layer', 'linux-arm64-1.9.0', [{ dir: 'usr' }, { file: 'usr/arm.txt', data: 'arm\n' }]);
  return picked;
}

describe('previewService: the export', () => {
  const tree = makeServiceTree();
  const out = mkdtempSync(path.join(os.tmpdir(), 'oci-export-'));
  afterAll(() => {
    rmSync(tree.root, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  it('v8: manifest.json with aosService and the blobs it names, digests re-verified', async () => {
    const dir = path.join(out, 'v8');
    const r = await exportService({ root: tree.root, target: 'v8', outDir: dir });
    expect(r.written?.at(-1)).toBe('manifest.json');
    const names = verifyBlobs(dir);
    const manifest = readJson(path.join(dir, 'manifest.json'));
    expect(Object.keys(manifest)).toEqual(['schemaVersion', 'config', 'aosService', 'layers']);
    expect(manifest.schemaVersion).toBe(2);
    for (const d of [manifest.config, manifest.aosService, manifest.layers[0]]) {
      expect(names).toContain(d.digest.slice('sha256:'.length));
      expect(readFileSync(blob(dir, d.digest)).length).toBe(d.size);
    }
    expect(manifest.layers[0].mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    const service = readJson(blob(dir, manifest.aosService.digest));
    expect(service.quotas).toEqual({ cpuDMIPSLimit: 500, ramLimit: 100000000 });
    expect(existsSync(path.join(dir, 'index.json'))).toBe(false);
    // nothing half-written is left behind, in the layout or beside it
    expect(readdirSync(path.join(dir, 'blobs', 'sha256')).some((n) => n.startsWith('.'))).toBe(false);
    expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('v9: an OCI image layout, index → manifest (aosItemConfig) → config with diff_ids', async () => {
    const dir = path.join(out, 'v9');
    const r = await exportService({ root: tree.root, target: 'v9', outDir: dir });
    verifyBlobs(dir);
    expect(readJson(path.join(dir, 'oci-layout'))).toEqual({ imageLayoutVersion: '1.0.0' });
    const index = readJson(path.join(dir, 'index.json'));
    expect(index.manifests[0].annotations['org.opencontainers.image.ref.name']).toBe('1.0.0');
    const manifest = readJson(blob(dir, index.manifests[0].digest));
    expect(manifest.aosItemConfig.mediaType).toBe('application/vnd.aos.item.config.v1+json');
    const config = readJson(blob(dir, manifest.config.digest));
    expect(config.rootfs.diff_ids).toEqual([r.rootfs.diffId]);
    expect(manifest.layers[0].digest).toBe(r.rootfs.digest);
    expect(config.config.Entrypoint).toEqual(['/usr/bin/run.sh']);
    expect(config.config.Cmd).toEqual(['--greeting', 'hello world']);
    // The same inputs give the same layout.
    const again = await exportService({ root: tree.root, target: 'v9', outDir: path.join(out, 'v9-again') });
    expect(readFileSync(path.join(out, 'v9-again', 'index.json'))).toEqual(readFileSync(path.join(dir, 'index.json')));
    expect(again.rootfs.digest).toBe(r.rootfs.digest);
  });

  it('fills an existing empty folder, and refuses a folder with anything in it (writing nothing)', async () => {
    const empty = path.join(out, 'empty');
    mkdirSync(empty);
    await exportService({ root: tree.root, target: 'v9', outDir: empty });
    expect(readdirSync(empty).sort()).toEqual(['blobs', 'index.json', 'oci-layout']);

    const full = path.join(out, 'full');
    mkdirSync(full);
    writeFileSync(path.join(full, 'notes.txt'), 'mine\n');
    const err = await failureOf(exportService({ root: tree.root, target: 'v9', outDir: full }));
    expect(err.error).toMatchObject({ code: 'exists', location: { file: full } });
    expect(readdirSync(full)).toEqual(['notes.txt']);
    expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('refuses a folder inside src/ (it would end up in the rootfs layer)', async () => {
    const inside = path.join(tree.src, 'opt', 'export');
    const err = await failureOf(exportService({ root: tree.root, target: 'v9', outDir: inside }));
    expect(err.error).toMatchObject({ code: 'invalid-input', location: { file: inside } });
    expect(err.error.message).toMatch(/inside the source folder/);
    expect(existsSync(inside)).toBe(false);
    expect(readdirSync(path.join(tree.src, 'opt')).sort()).toEqual(['app']);
  });

  it('a cancelled export leaves neither the target nor a staging folder', async () => {
    const dir = path.join(out, 'cancelled');
    const controller = new AbortController();
    const err = await failureOf(
      exportService({ root: tree.root, target: 'v9', outDir: dir, signal: controller.signal, onProgress: (p) => p.phase === 'rootfs' && controller.abort() }),
    );
    expect(err.error.code).toBe('cancelled');
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('refuses a config with errors (here: no cmd under the default runners), positioned, writing nothing', async () => {
    const bad = makeServiceTree(SERVICE_CONFIG.replace(/^ {4}cmd: .*\n/m, ''));
    try {
      const dir = path.join(bad.root, 'out');
      const err = await failureOf(exportService({ root: bad.root, target: 'v9', outDir: dir }));
      expect(err.error).toMatchObject({ code: 'invalid-config', location: { file: path.join(bad.root, 'meta', 'config.yaml'), path: 'configuration.cmd' } });
      expect(err.error.message).toMatch(/process\.args: \[\]/);
      expect(existsSync(dir)).toBe(false);
    } finally {
      rmSync(bad.root, { recursive: true, force: true });
    }
  });
});

describe('previewService: required layers from a layer library', () => {
  const tree = makeServiceTree(LAYER_CONFIG);
  const library = path.join(tree.root, 'library');
  let picked: Awaited<ReturnType<typeof makeLibrary>>;
  beforeAll(async () => {
    picked = await makeLibrary(library);
  });
  afterAll(() => rmSync(tree.root, { recursive: true, force: true }));

  it('v9 holds every blob it names: the layer image as is (digest = .tar.gz sha256), its diff_id after the rootfs', async () => {
    const dir = path.join(tree.root, 'out-v9');
    const r = await exportService({ root: tree.root, target: 'v9', outDir: dir, layerLibrary: library });
    const names = verifyBlobs(dir);
    const index = readJson(path.join(dir, 'index.json'));
    const manifest = readJson(blob(dir, index.manifests[0].digest));
    const config = readJson(blob(dir, manifest.config.digest));
    // layers[0] the service rootfs (topmost), then the resolved layer (layers.md §2); the
    // unresolved one is left out and said so.
    expect(manifest.layers).toEqual([
      { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: r.rootfs.digest, size: r.rootfs.size },
      { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: picked.digest, size: picked.size },
    ]);
    expect(config.rootfs.diff_ids).toEqual([r.rootfs.diffId, picked.diffId]);
    for (const l of manifest.layers) expect(names).toContain(l.digest.slice(7));
    expect(readFileSync(blob(dir, picked.digest))).toEqual(readFileSync(picked.file));
    // Same filesystem: hard-linked, not copied.
    expect(statSync(blob(dir, picked.digest)).ino).toBe(statSync(picked.file).ino);
    expect(r.written).toContain(`blobs/sha256/${picked.digest.slice(7)}`);
    expect(r.warnings.find((w) => w.code === 'layer-unresolved')?.message).toMatch(/unresolved: unknown-layer any version.*leaves this layer out/);
    expect(r.layerLibrary).toEqual({ dir: library, problems: [] });
  });

  it('v8 names the layer by its diff_id and carries no layer blob', async () => {
    const dir = path.join(tree.root, 'out-v8');
    const r = await exportService({ root: tree.root, target: 'v8', outDir: dir, layerLibrary: library });
    const manifest = readJson(path.join(dir, 'manifest.json'));
    expect(manifest.layers[1]).toMatchObject({ mediaType: 'application/vnd.aos.image.layer.v1.tar', digest: picked.diffId });
    expect(existsSync(blob(dir, picked.digest))).toBe(false);
    expect(verifyBlobs(dir).sort()).toEqual([r.rootfs.digest, manifest.config.digest, manifest.aosService.digest].map((d) => d.slice(7)).sort());
  });
});

describe('placeLayerBlob', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oci-place-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('copies (streamed, hashed) when the filesystem refuses a hard link', async () => {
    const src = path.join(dir, 'layer.tar.gz');
    writeFileSync(src, 'layer bytes');
    const link = vi.spyOn(fsp, 'link').mockRejectedValueOnce(Object.assign(new Error('cross-device link'), { code: 'EXDEV' }));
    try {
      const dest = path.join(dir, 'copied');
      expect(await placeLayerBlob(src, { digest: sha(Buffer.from('layer bytes')), size: 11 }, dest)).toBe('copied');
      expect(readFileSync(dest, 'utf8')).toBe('layer bytes');
      expect(statSync(dest).ino).not.toBe(statSync(src).ino);
    } finally {
      link.mockRestore();
    }
  });

  it('refuses a layer image whose bytes no longer match the scanned digest, linked or copied', async () => {
    const src = path.join(dir, 'changed.tar.gz');
    writeFileSync(src, 'new bytes');
    const expected = { digest: sha(Buffer.from('old bytes')), size: 9 };
    const linked = await failureOf(placeLayerBlob(src, expected, path.join(dir, 'l')));
    expect(linked.error).toMatchObject({ code: 'conflict', location: { file: src } });
    expect(existsSync(path.join(dir, 'l'))).toBe(false);
    const link = vi.spyOn(fsp, 'link').mockRejectedValueOnce(Object.assign(new Error('no'), { code: 'EPERM' }));
    try {
      const copied = await failureOf(placeLayerBlob(src, expected, path.join(dir, 'c')));
      expect(copied.error.code).toBe('conflict');
      expect(existsSync(path.join(dir, 'c'))).toBe(false);
    } finally {
      link.mockRestore();
    }
  });
});

// Standard tools must open the v9 export as it is. These tools are installed by .ci/run; a
// missing tool is a failure, not a skip.
describe('v9 export opened by skopeo and umoci', () => {
  const tree = makeServiceTree();
  const out = mkdtempSync(path.join(os.tmpdir(), 'oci-tools-'));
  const layout = path.join(out, 'layout');
  afterAll(() => {
    rmSync(tree.root, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  beforeAll(async () => {
    await exportService({ root: tree.root, target: 'v9', outDir: layout });
  });

  it('skopeo inspect reads the image config', () => {
    expect(existsSync('/usr/bin/skopeo'), 'skopeo is required (apt install skopeo; .ci/run installs it)').toBe(true);
    const info = JSON.parse(execFileSync('/usr/bin/skopeo', ['inspect', `oci:${layout}:1.0.0`], { encoding: 'utf8' }));
    expect(info.Architecture).toBe('amd64');
    expect(info.Os).toBe('linux');
    expect(info.Env).toEqual(['GREETING=hi']);
    expect(info.Layers).toHaveLength(1);
    const config = JSON.parse(execFileSync('/usr/bin/skopeo', ['inspect', '--config', `oci:${layout}:1.0.0`], { encoding: 'utf8' }));
    expect(config.config.Entrypoint).toEqual(['/usr/bin/run.sh']);
    expect(config.config.ExposedPorts).toEqual({ '8080/tcp': {} });
  });

  it('umoci unpack --rootless gives the files and the process', () => {
    expect(existsSync('/usr/bin/umoci'), 'umoci is required (apt install umoci; .ci/run installs it)').toBe(true);
    const bundle = path.join(out, 'bundle');
    execFileSync('/usr/bin/umoci', ['unpack', '--rootless', '--image', `${layout}:1.0.0`, bundle], { encoding: 'utf8', stdio: 'pipe' });
    const rootfs = path.join(bundle, 'rootfs');
    expect(readFileSync(path.join(rootfs, 'usr', 'bin', 'run.sh'), 'utf8')).toBe('#!/bin/sh\necho "$GREETING"\n');
    expect(readFileSync(path.join(rootfs, 'opt', 'app', 'données.txt'), 'utf8')).toBe('unicode name\n');
    expect(readFileSync(path.join(rootfs, 'opt', 'app', 'data', 'big.bin')).length).toBe(300_000);
    const spec = readJson(path.join(bundle, 'config.json'));
    expect(spec.process.args).toEqual(['/usr/bin/run.sh', '--greeting', 'hello world']);
    expect(spec.process.cwd).toBe('/opt/app');
    expect(spec.process.env).toContain('GREETING=hi');
  });
});

describe('v9 export with a layer from a layer library, opened by skopeo and umoci', () => {
  const tree = makeServiceTree(LAYER_CONFIG);
  const out = mkdtempSync(path.join(os.tmpdir(), 'oci-tools-layers-'));
  const layout = path.join(out, 'layout');
  let picked: Awaited<ReturnType<typeof makeLibrary>>;
  afterAll(() => {
    rmSync(tree.root, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  beforeAll(async () => {
    picked = await makeLibrary(path.join(out, 'library'));
    await exportService({ root: tree.root, target: 'v9', outDir: layout, layerLibrary: path.join(out, 'library') });
  });

  it('skopeo inspect lists both layers with their digests', () => {
    const info = JSON.parse(execFileSync('/usr/bin/skopeo', ['inspect', `oci:${layout}:1.0.0`], { encoding: 'utf8' }));
    expect(info.Layers).toHaveLength(2);
    expect(info.Layers[1]).toBe(picked.digest);
  });

  it('umoci unpack --rootless: the rootfs holds the service files and the layer files, the whiteout applied', () => {
    const bundle = path.join(out, 'bundle');
    execFileSync('/usr/bin/umoci', ['unpack', '--rootless', '--image', `${layout}:1.0.0`, bundle], { encoding: 'utf8', stdio: 'pipe' });
    const rootfs = path.join(bundle, 'rootfs');
    expect(readFileSync(path.join(rootfs, 'usr', 'bin', 'run.sh'), 'utf8')).toBe('#!/bin/sh\necho "$GREETING"\n');
    expect(readFileSync(path.join(rootfs, 'etc', 'app.cfg'), 'utf8')).toBe('key = value\n');
    expect(readFileSync(path.join(rootfs, 'usr', 'lib', 'python3', 'requests.py'), 'utf8')).toBe('# requests 2.31\n');
    // Only the version picked (1.4.0) is there, not 1.0.0's or 2.0.0's files.
    expect(existsSync(path.join(rootfs, 'usr', 'lib', 'old.py'))).toBe(false);
    expect(existsSync(path.join(rootfs, 'usr', 'two.txt'))).toBe(false);
    // The whiteout is read as a deletion, never unpacked as a file.
    expect(readdirSync(path.join(rootfs, 'usr', 'lib')).filter((n) => n.startsWith('.wh.'))).toEqual([]);
    expect(existsSync(path.join(rootfs, 'usr', 'lib', 'libobsolete.so'))).toBe(false);
  });
});
