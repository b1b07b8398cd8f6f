import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { benchKeystrokeToPreview, benchRootfsLayer } from '../../../src/main/bench/in-process';
import { tempDir } from '../credentials/pki-fixtures';
import { cli } from './helpers';

const FULL = path.join(__dirname, '..', 'oci', 'fixtures', 'full-config.yaml');
let dir: string;
let n = 0;

beforeAll(async () => {
  dir = await tempDir('bs-cli-preview-');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function service(config?: string): Promise<string> {
  const root = path.join(dir, `svc-${++n}`);
  await fs.mkdir(path.join(root, 'meta'), { recursive: true });
  await fs.mkdir(path.join(root, 'src', 'opt', 'my app'), { recursive: true });
  await fs.writeFile(path.join(root, 'meta', 'config.yaml'), config ?? (await fs.readFile(FULL)));
  await fs.writeFile(path.join(root, 'src', 'opt', 'my app', 'main.py'), 'print("hi")\n');
  return root;
}


const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

function sha256File(file: string): string {
  return `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
}

describe('aos-bundle preview', () => {
  it('--json prints every generated document with the trace: the config.yaml line of each field', async () => {
    const root = await service();
    const r = await cli(['preview', root, '--target', 'v9', '--json', '--node-cpus', '2', '--node-dmips', '20000'], dir);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    for (const key of ['imageConfig', 'serviceConfig', 'itemConfig', 'manifest', 'index', 'runtimeSpec', 'warnings', 'trace', 'rootfs']) expect(out).toHaveProperty(key);
    expect(out.target).toBe('v9');
    expect(out.manifest).toHaveProperty('v8.aosService');
    expect(out.manifest).toHaveProperty('v9.aosItemConfig');
    expect(out.runtimeSpec).toHaveProperty('v8.process');
    expect(out.node).toMatchObject({ cpuCount: 2, maxDMIPS: 20000 });
    expect(out.imageConfig.config.Entrypoint).toEqual(['python3']);
    expect(out.imageConfig.architecture).toBe('arm64');
    // The rootfs digest is the real one, not the pending placeholder.
    expect(out.manifest.v9.layers[0].digest).toBe(out.rootfs.digest);
    expect(out.rootfs.digest).not.toMatch(/^sha256:0{64}$/);

    const text = readFileSync(FULL, 'utf8');
    expect(out.trace['/imageConfig/config/Entrypoint']).toMatchObject({ path: 'configuration.cmd', line: lineOf(text, '    cmd: python3'), origin: 'config' });
    expect(out.trace['/imageConfig/architecture']).toMatchObject({ path: 'build.arch', line: lineOf(text, 'arch: aarch64'), inferred: true });
    expect(out.warnings.some((w: { code: string; line: number }) => w.code === 'layer-unresolved' && w.line === lineOf(text, 'uid: aos-pylibs-layer'))).toBe(true);
    // Warnings also go to stderr, positioned, so that they show next to the JSON in a terminal.
    expect(r.stderr).toMatch(/^svc-\d+\/meta\/config\.yaml:\d+:\d+: info: .*aos-pylibs-layer/m);
  });

  it('--layer-library resolves a required layer to the highest version in range for the service\'s architecture', async () => {
    const root = await service();
    const library = path.join(dir, `layers-${++n}`);
    const diff = path.join(dir, `diff-${n}`);
    await fs.mkdir(path.join(library, 'aos-pylibs-layer'), { recursive: true });
    await fs.mkdir(path.join(diff, 'usr', 'lib'), { recursive: true });
    await fs.writeFile(path.join(diff, 'usr', 'lib', 'libpy.so.1.2.3'), 'x');
    // full-config.yaml builds for aarch64 (arm64) and asks for 1.0.0 ≤ v < 2.0.0.
    for (const name of ['linux-arm64-1.2.0', 'linux-arm64-1.7.1', 'linux-arm64-2.0.0', 'linux-amd64-1.9.0']) {
      execFileSync('sh', ['-c', `tar --numeric-owner -cf - -C "${diff}" . | gzip -n > "${path.join(library, 'aos-pylibs-layer', `${name}.tar.gz`)}"`]);
    }
    await fs.writeFile(path.join(library, 'aos-pylibs-layer', 'linux-arm64-1.8.0.tar.gz'), 'not a gzip');
    const r = await cli(['preview', root, '--target', 'v9', '--json', '--layer-library', library], dir);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const resolved = out.manifest.v9.layers[1];
    expect(resolved.digest).toBe(sha256File(path.join(library, 'aos-pylibs-layer', 'linux-arm64-1.7.1.tar.gz')));
    expect(out.manifest.v9.layers.filter((l: { unresolved?: boolean }) => l.unresolved).map((l: { uid: string }) => l.uid)).toEqual(['aos-extra-layer']);
    expect(r.stderr).toMatch(/linux-arm64-1\.8\.0\.tar\.gz: warning: /);
    const without = JSON.parse((await cli(['preview', root, '--target', 'v9', '--json'], dir)).stdout);
    expect(without.manifest.v9.layers[1]).toMatchObject({ unresolved: true, uid: 'aos-pylibs-layer' });
  });

  it('v9 --out writes a standard OCI image layout whose blobs match their digests', async () => {
    const root = await service();
    const out = path.join(dir, 'oci-v9');
    const r = await cli(['preview', '--target', 'v9', '--out', out], root);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('v9 OCI image layout');
    expect(JSON.parse(await fs.readFile(path.join(out, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    const index = JSON.parse(await fs.readFile(path.join(out, 'index.json'), 'utf8'));
    expect(index.manifests[0].annotations['org.opencontainers.image.ref.name']).toBe('1.2.0-rc.1');
    const manifestFile = path.join(out, 'blobs', 'sha256', index.manifests[0].digest.slice(7));
    expect(sha256File(manifestFile)).toBe(index.manifests[0].digest);
    const manifest = JSON.parse(await fs.readFile(manifestFile, 'utf8'));
    for (const d of [manifest.config, manifest.aosItemConfig, ...manifest.layers]) {
      expect(sha256File(path.join(out, 'blobs', 'sha256', d.digest.slice(7)))).toBe(d.digest);
    }
    const config = JSON.parse(await fs.readFile(path.join(out, 'blobs', 'sha256', manifest.config.digest.slice(7)), 'utf8'));
    expect(config.rootfs.diff_ids).toHaveLength(manifest.layers.length);
  });

  it('the v9 export opens in standard tools: skopeo inspect and umoci unpack --rootless', async () => {
    const root = await service();
    const out = path.join(dir, 'oci-tools');
    expect((await cli(['preview', root, '--target', 'v9', '--out', out], dir)).code).toBe(0);
    const info = JSON.parse(execFileSync('skopeo', ['inspect', `oci:${out}:1.2.0-rc.1`], { stdio: 'pipe' }).toString());
    expect(info).toMatchObject({ Architecture: 'arm64', Os: 'linux' });
    const bundle = path.join(dir, 'umoci-bundle');
    execFileSync('umoci', ['unpack', '--rootless', '--image', `${out}:1.2.0-rc.1`, bundle], { stdio: 'pipe' });
    expect(readFileSync(path.join(bundle, 'rootfs', 'opt', 'my app', 'main.py'), 'utf8')).toBe('print("hi")\n');
    const spec = JSON.parse(readFileSync(path.join(bundle, 'config.json'), 'utf8'));
    expect(spec.process.args.slice(0, 2)).toEqual(['python3', '-u']);
  });

  it('v9 --out with --layer-library holds the layer blob it names: umoci unpacks the service and the layer files', async () => {
    const root = await service();
    const library = path.join(dir, `layers-${++n}`);
    const diff = path.join(dir, `diff-${n}`);
    await fs.mkdir(path.join(library, 'aos-pylibs-layer'), { recursive: true });
    await fs.mkdir(path.join(diff, 'usr', 'lib', 'python3'), { recursive: true });
    await fs.writeFile(path.join(diff, 'usr', 'lib', 'python3', 'requests.py'), '# requests\n');
    await fs.writeFile(path.join(diff, 'usr', 'lib', '.wh.libgone.so.1'), '');
    // The platform's layer build (layers.md §1); full-config.yaml builds for aarch64 (arm64).
    const image = path.join(library, 'aos-pylibs-layer', 'linux-arm64-1.7.1.tar.gz');
    execFileSync('sh', ['-c', `tar --numeric-owner -cf - -C "${diff}" . | gzip -n > "${image}"`]);
    const out = path.join(dir, `oci-layers-${n}`);
    const r = await cli(['preview', root, '--target', 'v9', '--out', out, '--layer-library', library], dir);
    expect(r.code, r.stderr).toBe(0);
    const index = JSON.parse(await fs.readFile(path.join(out, 'index.json'), 'utf8'));
    const manifest = JSON.parse(await fs.readFile(path.join(out, 'blobs', 'sha256', index.manifests[0].digest.slice(7)), 'utf8'));
    expect(manifest.layers[1].digest).toBe(sha256File(image));
    for (const d of manifest.layers) expect(sha256File(path.join(out, 'blobs', 'sha256', d.digest.slice(7)))).toBe(d.digest);
    const config = JSON.parse(await fs.readFile(path.join(out, 'blobs', 'sha256', manifest.config.digest.slice(7)), 'utf8'));
    const tar = execFileSync('sh', ['-c', `gzip -dc "${image}" | sha256sum`]).toString().split(' ')[0];
    expect(config.rootfs.diff_ids[1]).toBe(`sha256:${tar}`);

    expect(JSON.parse(execFileSync('skopeo', ['inspect', `oci:${out}:1.2.0-rc.1`], { stdio: 'pipe' }).toString()).Layers).toHaveLength(2);
    const bundle = path.join(dir, `umoci-layers-${n}`);
    execFileSync('umoci', ['unpack', '--rootless', '--image', `${out}:1.2.0-rc.1`, bundle], { stdio: 'pipe' });
    expect(readFileSync(path.join(bundle, 'rootfs', 'opt', 'my app', 'main.py'), 'utf8')).toBe('print("hi")\n');
    expect(readFileSync(path.join(bundle, 'rootfs', 'usr', 'lib', 'python3', 'requests.py'), 'utf8')).toBe('# requests\n');
    expect(await fs.readdir(path.join(bundle, 'rootfs', 'usr', 'lib'))).toEqual(['python3']);
  });

  it('--out refuses a folder that is not empty, and leaves it as it was', async () => {
    const root = await service();
    const out = path.join(dir, `busy-${++n}`);
    await fs.mkdir(out);
    await fs.writeFile(path.join(out, 'keep.txt'), 'mine\n');
    const r = await cli(['preview', root, '--target', 'v9', '--out', out], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: The export folder ${out} is not empty`);
    expect(await fs.readdir(out)).toEqual(['keep.txt']);
  });

  it('v8 --out writes the archive layout; --runtime-spec writes the spec a unit would generate', async () => {
    const root = await service();
    const out = path.join(dir, 'oci-v8');
    const specFile = path.join(dir, 'spec-v8.json');
    const r = await cli(['preview', root, '--target', 'v8', '--out', out, '--runtime-spec', specFile, '--node-cpus', '4'], dir);
    expect(r.code).toBe(0);
    const manifest = JSON.parse(await fs.readFile(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.aosService.mediaType).toBe('application/vnd.aos.service.config.v1+json');
    expect(sha256File(path.join(out, 'blobs', 'sha256', manifest.aosService.digest.slice(7)))).toBe(manifest.aosService.digest);
    await expect(fs.stat(path.join(out, 'index.json'))).rejects.toThrow();
    const spec = JSON.parse(await fs.readFile(specFile, 'utf8'));
    expect(spec.process.args[0]).toBe('python3');
    expect(spec.process.env.join('\n')).toMatch(/AOS_SERVICE_ID=/);
    expect(r.stdout).toContain(`runtime spec (v8): ${specFile}`);
  });

  it('usage errors (exit 2): no output asked for, a bad target, bad node parameters', async () => {
    const root = await service();
    const none = await cli(['preview', root, '--target', 'v8'], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: aos-bundle preview');
    expect((await cli(['preview', root, '--json'], dir)).code).toBe(2);
    expect((await cli(['preview', root, '--target', 'v10', '--json'], dir)).code).toBe(2);
    expect((await cli(['preview', root, '--target', 'v9', '--json', '--node-cpus', '0'], dir)).code).toBe(2);
    expect((await cli(['preview', root, '--target', 'v9', '--json', '--node-dmips', 'lots'], dir)).code).toBe(2);
  });

  it('refuses an invalid config first, with positioned diagnostics, and writes nothing', async () => {
    const text = readFileSync(FULL, 'utf8').replace('version: "1.2.0-rc.1"', 'version: "1.2"');
    const root = await service(text);
    const out = path.join(dir, 'never');
    const r = await cli(['preview', '--target', 'v9', '--out', out], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^meta/config\\.yaml:${lineOf(text, 'version: "1.2"')}:\\d+: error: .+ \\(publish\\.version\\)$`, 'm'));
    expect(r.stdout).toBe('');
    await expect(fs.stat(out)).rejects.toThrow();
  });
});

describe('benchmark helpers (npm run bench)', () => {
  it('time keystroke → preview and the rootfs layer rate', async () => {
    const keys = benchKeystrokeToPreview(readFileSync(FULL, 'utf8'), { iterations: 5, warmup: 1 });
    expect(keys.iterations).toBe(5);
    expect(keys.medianMs).toBeGreaterThan(0);
    expect(keys.traceFields).toBeGreaterThan(20);
    const root = await service();
    const layer = await benchRootfsLayer(path.join(root, 'src'));
    expect(layer).toMatchObject({ files: 1, bytes: 'print("hi")\n'.length });
    expect(layer.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
