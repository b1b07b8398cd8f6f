import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportPreview, type LayerCatalogue } from '../../../src/main/core/oci';
import { makeServiceTree, SERVICE_CONFIG } from './helpers';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

/** Every blob's name is the sha256 of its content. */
function verifyBlobs(dir: string): string[] {
  const blobDir = path.join(dir, 'blobs', 'sha256');
  const names = readdirSync(blobDir);
  for (const name of names) expect(sha(readFileSync(path.join(blobDir, name)))).toBe(`sha256:${name}`);
  return names;
}

describe('exportPreview', () => {
  const tree = makeServiceTree();
  const out = mkdtempSync(path.join(os.tmpdir(), 'oci-export-'));
  afterAll(() => {
    rmSync(tree.root, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  it('v8: manifest.json with aosService and the blobs it names, digests re-verified', async () => {
    const dir = path.join(out, 'v8');
    const r = await exportPreview({ root: tree.root, target: 'v8', outDir: dir });
    expect(r.written.at(-1)).toBe('manifest.json');
    const names = verifyBlobs(dir);
    const manifest = readJson(path.join(dir, 'manifest.json'));
    expect(Object.keys(manifest)).toEqual(['schemaVersion', 'config', 'aosService', 'layers']);
    expect(manifest.schemaVersion).toBe(2);
    for (const d of [manifest.config, manifest.aosService, manifest.layers[0]]) {
      expect(names).toContain(d.digest.slice('sha256:'.length));
      expect(readFileSync(path.join(dir, 'blobs', 'sha256', d.digest.slice(7))).length).toBe(d.size);
    }
    expect(manifest.layers[0].mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    const service = readJson(path.join(dir, 'blobs', 'sha256', manifest.aosService.digest.slice(7)));
    expect(service.quotas).toEqual({ cpuDMIPSLimit: 500, ramLimit: 100000000 });
    expect(existsSync(path.join(dir, 'index.json'))).toBe(false);
    // nothing half-written is left behind
    expect(readdirSync(path.join(dir, 'blobs', 'sha256')).some((n) => n.endsWith('.tmp'))).toBe(false);
  });

  it('v9: an OCI image layout, index → manifest (aosItemConfig) → config with diff_ids', async () => {
    const dir = path.join(out, 'v9');
    const r = await exportPreview({ root: tree.root, target: 'v9', outDir: dir });
    verifyBlobs(dir);
    expect(readJson(path.join(dir, 'oci-layout'))).toEqual({ imageLayoutVersion: '1.0.0' });
    const index = readJson(path.join(dir, 'index.json'));
    expect(index.manifests[0].annotations['org.opencontainers.image.ref.name']).toBe('1.0.0');
    const manifest = readJson(path.join(dir, 'blobs', 'sha256', index.manifests[0].digest.slice(7)));
    expect(manifest.aosItemConfig.mediaType).toBe('application/vnd.aos.item.config.v1+json');
    const config = readJson(path.join(dir, 'blobs', 'sha256', manifest.config.digest.slice(7)));
    expect(config.rootfs.diff_ids).toEqual([r.rootfs.diffId]);
    expect(manifest.layers[0].digest).toBe(r.rootfs.digest);
    expect(config.config.Entrypoint).toEqual(['/usr/bin/run.sh']);
    expect(config.config.Cmd).toEqual(['--greeting', 'hello world']);
    // The same inputs give the same layout.
    const again = await exportPreview({ root: tree.root, target: 'v9', outDir: path.join(out, 'v9-again') });
    expect(readFileSync(path.join(out, 'v9-again', 'index.json'))).toEqual(readFileSync(path.join(dir, 'index.json')));
    expect(again.rootfs.digest).toBe(r.rootfs.digest);
  });

  it('leaves unresolved layers out of the exported manifest, and says so', async () => {
    const withLayers = makeServiceTree(SERVICE_CONFIG + '    layers:\n        - uid: known\n          minVersion: 1.0.0\n          maxVersion: 2.0.0\n        - "unknown"\n');
    try {
      const layerBlob = path.join(withLayers.root, 'layer.tar.gz');
      writeFileSync(layerBlob, 'layer bytes');
      const digest = sha(Buffer.from('layer bytes'));
      const catalogue: LayerCatalogue = { known: [{ version: '1.1.0', digest, size: 11, diffId: sha(Buffer.from('x')) }] };
      const dir = path.join(withLayers.root, 'out');
      const r = await exportPreview({ root: withLayers.root, target: 'v9', outDir: dir, layerCatalogue: catalogue, layerBlobs: { [digest]: layerBlob } });
      verifyBlobs(dir);
      const manifest = readJson(path.join(dir, 'blobs', 'sha256', r.preview.index.manifests[0].digest.slice(7)));
      expect(manifest.layers.map((l: { digest: string }) => l.digest)).toEqual([r.rootfs.digest, digest]);
      expect(r.warnings.find((w) => w.code === 'layer-unresolved')?.message).toMatch(/unresolved: unknown any version.*leaves this layer out/);
    } finally {
      rmSync(withLayers.root, { recursive: true, force: true });
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
    await exportPreview({ root: tree.root, target: 'v9', outDir: layout });
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
