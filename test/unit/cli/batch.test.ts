// The CLI with deployment bundles, run in the bundle folder as the platform's 2.x tool is:
// init --bundle, validate, sign, verify, inspect detect the kind and say which they found.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { makeTestPki, tempDir } from '../credentials/pki-fixtures';
import { BATCH_CONFIG, LAYER_AMD64, makeBatchBundle } from '../bundle/batch-fixture';
import { gnuTar, makeService } from '../bundle/service-fixture';
import { cli, fields } from './helpers';

let dir: string;
let pki: ReturnType<typeof makeTestPki>;
let certPem: string;
let n = 0;
const fresh = () => makeBatchBundle(path.join(dir, `bundle-${++n}`), pki.user, [pki.user, pki.ca]);

beforeAll(async () => {
  dir = await tempDir('bs-cli-batch-');
  pki = makeTestPki();
  certPem = path.join(dir, 'user.pem');
  await fs.writeFile(certPem, pki.user.certPem);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('aos-bundle with a deployment bundle', () => {
  it('init --bundle writes the commented v2 template, which validate recognises; it never overwrites', async () => {
    const target = path.join(dir, 'new-bundle');
    const r = await cli(['init', '--bundle', 'new-bundle', '--codename', 'pylibs'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Created deployment bundle in');
    const text = readFileSync(path.join(target, 'config.yaml'), 'utf8');
    expect(text).toMatch(/^schemaVersion: 2$/m);
    expect(text).toMatch(/#/);
    expect(text).toContain('pylibs');
    const v = await cli(['validate', '--json'], target);
    expect(v.stderr).toContain('found: deployment bundle (config.yaml, schemaVersion 2)');
    expect(JSON.parse(v.stdout).kind).toBe('deployment-bundle');
    const again = await cli(['init', '--bundle'], target);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect((await cli(['init', '--type', 'layer'], path.join(dir)).then((x) => x.code))).toBe(2);
  });

  it('validate reports a referenced image that is missing at its line and exits 1', async () => {
    const root = await fresh();
    await fs.rm(path.join(root, 'aos-pylibs-layer/linux-arm64-1.0.0.tar.gz'));
    const r = await cli(['validate'], root);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^config\.yaml:20:\d+: error: items\[0\]\.images\[1\]\.path: aos-pylibs-layer\/linux-arm64-1\.0\.0\.tar\.gz does not exist/m);
    const ok = await fresh();
    const good = await cli(['validate'], ok);
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect(good.stderr).toContain('config.yaml: valid');
  });

  it('sign in the bundle folder writes batch.tar.gz and prints path, size, sha256, the inner sha3-512; verify and inspect say what they found', async () => {
    const root = await fresh();
    const r = await cli(['sign'], root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('found: deployment bundle');
    const f = fields(r.stdout);
    expect(Object.keys(f)).toEqual(['path', 'size', 'sha256', 'inner-sha3-512']);
    expect(f.path).toBe(path.join(root, 'batch.tar.gz'));
    const bytes = readFileSync(f.path);
    expect(Number(f.size)).toBe(bytes.length);
    expect(f.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(gnuTar(['-tzf', f.path])).toBe('./\n./config.yaml\n./batch.tar.gz\n./package.sign\n');

    const v = await cli(['verify', 'batch.tar.gz', '--cert', certPem], root);
    expect(v.code, v.stdout).toBe(0);
    expect(v.stdout).toMatch(/^kind: deployment bundle \(batch\.tar\.gz inside\)$/m);
    expect(v.stdout).toMatch(new RegExp(`^ok {4}aos-pylibs-layer/linux-amd64-1\\.0\\.0\\.tar\\.gz present \\(${LAYER_AMD64.length} bytes, sha256 [0-9a-f]{64}\\)$`, 'm'));
    expect(v.stderr).toContain('valid; signature verified');
    const vj = JSON.parse((await cli(['verify', 'batch.tar.gz', '--json'], root)).stdout);
    expect(vj.kind).toBe('deployment-bundle');

    const i = await cli(['inspect', 'batch.tar.gz'], root);
    expect(i.code, i.stderr).toBe(0);
    expect(i.stdout).toMatch(/^kind: deployment bundle \(batch\.tar\.gz inside\)$/m);
    expect(i.stdout).toMatch(/layer pylibs\s+1\.0\.0 {2}amd64, arm64/);
    expect(JSON.parse((await cli(['inspect', 'batch.tar.gz', '--json'], root)).stdout).kind).toBe('deployment-bundle');

    // A second sign in the same folder: the same bytes (the first batch.tar.gz is not packed).
    const again = await cli(['sign'], root);
    expect(fields(again.stdout).sha256).toBe(f.sha256);
    // -o elsewhere.
    const out = path.join(dir, `out-${n}.tar.gz`);
    expect((await cli(['sign', '-o', out], root)).code).toBe(0);
    expect(readFileSync(out)).toEqual(bytes);
  });

  it('sign refuses a config with errors and writes nothing', async () => {
    const root = await fresh();
    await fs.writeFile(path.join(root, 'config.yaml'), BATCH_CONFIG.replace('architecture: arm64', 'architecture: aarch64'));
    const r = await cli(['sign'], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^config\.yaml:18:\d+: error: .*arm64/m);
    expect(r.stderr).toContain('aos-bundle sign: config.yaml has 1 error');
    await expect(fs.access(path.join(root, 'batch.tar.gz'))).rejects.toThrow();
  });

  it('validate reports a missing publish.tlsKey file at its line and column, as sign would fail', async () => {
    const root = await fresh();
    await fs.rm(path.join(root, 'aos-user-oem.p12'));
    const r = await cli(['validate'], root);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^config\.yaml:6:3: error: publish\.tlsKey: aos-user-oem\.p12 not found next to config\.yaml .* nor in ~\/\.aos\/security .*sign needs it/m);
    const s = await cli(['sign'], root);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/^config\.yaml:6:3: error: publish\.tlsKey/m);
    // Found in ~/.aos/security (the helper's HOME is the folder it runs in), it is fine again.
    const home = path.join(dir, `home-${n}`);
    await fs.mkdir(path.join(home, '.aos/security'), { recursive: true });
    await fs.writeFile(path.join(home, '.aos/security/aos-user-oem.p12'), 'x');
    const again = await cli(['validate'], root, { env: { HOME: home } });
    expect(again.stdout).not.toContain('publish.tlsKey');
  });

  it('a private key inside a referenced folder is packed with a warning naming it (validate, sign, contents); a certificate-only .pem is not', async () => {
    const root = await fresh();
    await fs.writeFile(path.join(root, 'hello/x86/etc/server.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n');
    await fs.writeFile(path.join(root, 'hello/x86/etc/ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    await fs.writeFile(path.join(root, 'hello/x86/old.p12'), 'x');
    const v = await cli(['validate'], root);
    expect(v.code, v.stdout).toBe(0);
    const warnings = v.stdout.split('\n').filter((l) => l.includes('looks like a private key'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^config\.yaml:28:\d+: warning: items\[1\]\.images\[0\]\.sourceFolder "x86": (etc\/server\.pem|old\.p12) looks like a private key/);
    expect(v.stdout).toContain('etc/server.pem looks like a private key (.pem)');
    expect(v.stdout).toContain('old.p12 looks like a private key (.p12)');
    expect(v.stdout).not.toContain('ca.pem');
    const s = await cli(['sign'], root);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stderr).toContain('warning: items[1].images[0].sourceFolder "x86": etc/server.pem looks like a private key');
  });

  it('contents lists every file signing packs with its size and the total, and what stays out; --json too; the same list sign packs', async () => {
    const root = await fresh();
    const r = await cli(['contents'], root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('found: deployment bundle');
    expect(r.stdout).toContain(`packed into ${path.join(root, 'batch.tar.gz')}:`);
    expect(r.stdout).toMatch(new RegExp(`^ +${LAYER_AMD64.length}  aos-pylibs-layer/linux-amd64-1\\.0\\.0\\.tar\\.gz  \\(executable\\)$`, 'm'));
    expect(r.stdout).toMatch(/^ +0 {2}hello\/x86\/etc\/run -> \.\.\/bin\/hello$/m);
    expect(r.stdout).toMatch(/^ +\d+ {2}config\.yaml$/m);
    expect(r.stdout).toMatch(/^ {2}aos-user-oem\.p12 \(\d+ bytes\): a signing key or certificate: never packed$/m);
    expect(r.stdout).toMatch(/^ {2}notes\.txt \(12 bytes\): config\.yaml does not reference it$/m);
    expect(r.stdout).toMatch(/^ {2}old\/: config\.yaml does not reference it$/m);
    const j = JSON.parse((await cli(['contents', '--json'], root)).stdout);
    expect(j.ok).toBe(true);
    expect(j.kind).toBe('deployment-bundle');
    const total = j.packed.reduce((n: number, e: { size: number }) => n + e.size, 0);
    expect(j.totalBytes).toBe(total);
    expect(r.stdout).toContain(`total: ${j.packed.length} files, ${total} bytes`);
    // What sign packs is exactly that list.
    const signed = fields((await cli(['sign'], root)).stdout).path;
    const x = path.join(dir, `c-${n}`);
    await fs.mkdir(x);
    gnuTar(['-xzf', signed, '-C', x]);
    const inner = gnuTar(['-tzf', path.join(x, 'batch.tar.gz')]).split('\n').filter((l) => l && !l.endsWith('/')).map((l) => l.slice(2));
    expect(inner.sort()).toEqual(j.packed.map((e: { path: string }) => e.path).sort());
    expect((await cli(['contents'], path.join(dir))).code).toBe(1);
  });

  it('preview in a deployment bundle says so and shows each image\'s OCI descriptor: digest, size, diff_id, platform with os.version, media type', async () => {
    const root = await fresh();
    await fs.writeFile(path.join(root, 'config.yaml'), BATCH_CONFIG.replace('archInfo: {architecture: amd64}\n        osInfo: {os: linux}', 'archInfo: {architecture: amd64}\n        osInfo: {os: linux, version: "5.10", features: [python3]}'));
    const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
    const r = await cli(['preview'], root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('found: deployment bundle (config.yaml, schemaVersion 2)');
    expect(r.stdout).toContain(`deployment bundle ${root}`);
    expect(r.stdout).toContain('layer pylibs 1.0.0:');
    expect(r.stdout).toContain(`    digest: ${sha(LAYER_AMD64)}\n    size: ${LAYER_AMD64.length}\n    diff_id: ${sha(gunzipSync(LAYER_AMD64))}\n    platform: amd64 linux, os.version 5.10, os.features python3\n`);
    expect(r.stdout).toContain('note: The image config and item config');
    const j = JSON.parse((await cli(['preview', '--json'], root)).stdout);
    expect(j.kind).toBe('deployment-bundle');
    const [layer, service] = j.items;
    expect(layer.images[0]).toMatchObject({
      key: 'items[0].images[0]',
      kind: 'layer',
      source: 'aos-pylibs-layer/linux-amd64-1.0.0.tar.gz',
      diffId: sha(gunzipSync(LAYER_AMD64)),
      descriptor: {
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: sha(LAYER_AMD64),
        size: LAYER_AMD64.length,
        annotations: { 'org.aosedge.layer.diff_id': sha(gunzipSync(LAYER_AMD64)), 'org.opencontainers.image.version': '1.0.0' },
        platform: { architecture: 'amd64', os: 'linux', 'os.version': '5.10', 'os.features': ['python3'] },
      },
    });
    expect(layer.images[1].descriptor.platform).toEqual({ architecture: 'arm64', os: 'linux', 'os.features': [] });
    // The service's rootfs folder is built into a layer as the v1 preview builds src/.
    expect(service.images[0]).toMatchObject({ kind: 'rootfs', source: 'hello/x86', files: 2, descriptor: { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', platform: { architecture: 'amd64', os: 'linux' } } });
    expect(service.images[0].diffId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await cli(['preview', '--target', 'v9', '--json'], root)).code).toBe(2);
    // Errors refuse, as sign does.
    await fs.writeFile(path.join(root, 'config.yaml'), BATCH_CONFIG.replace('architecture: arm64', 'architecture: aarch64'));
    const bad = await cli(['preview'], root);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('aos-bundle preview: config.yaml has 1 error');
  });

  it('verify prints the FAIL line of a tampered member with its member and field', async () => {
    const root = await fresh();
    const signed = fields((await cli(['sign'], root)).stdout).path;
    const x = path.join(dir, `x-${n}`);
    await fs.mkdir(x);
    gnuTar(['-xzf', signed, '-C', x]);
    await fs.appendFile(path.join(x, 'config.yaml'), '# edited\n');
    const tampered = path.join(dir, `tampered-${n}.tar.gz`);
    await fs.writeFile(tampered, gzipSync(Buffer.from(gnuTarCreate(x))));
    const r = await cli(['verify', tampered], root);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL {2}config\.yaml: SHA3-512 does not match package\.sign .*\[member config\.yaml, field payload\.data\[1\]\.hash\]$/m);
    expect(r.stdout).toMatch(/^FAIL {2}config\.yaml inside batch\.tar\.gz differs from the bundle's config\.yaml {2}\[member batch\.tar\.gz:config\.yaml\]$/m);
  });

  it('--help names both kinds, and init --help the --bundle form', async () => {
    const help = await cli(['--help'], dir);
    expect(help.stdout).toContain('deployment bundle');
    expect(help.stdout).toContain('batch.tar.gz');
    const init = await cli(['init', '--help'], dir);
    expect(init.stdout).toContain('aos-bundle init --bundle [DIR]');
  });

  it('a service tree is still a service tree, and is said to be one', async () => {
    const svc = await makeService(path.join(dir, 'svc'), pki.user, [pki.ca]);
    const r = await cli(['sign'], svc);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('found: service tree (meta/config.yaml)');
    const v = await cli(['verify', 'service.tar.gz'], svc);
    expect(v.stdout).toMatch(/^kind: service bundle \(service\.tar\.gz inside\)$/m);
  });
});

/** The outer members re-packed in the signed order (plain tar; the caller gzips). */
function gnuTarCreate(folder: string): Buffer {
  return execFileSync('tar', ['--format=pax', '-cf', '-', './config.yaml', './batch.tar.gz', './package.sign'], { cwd: folder, maxBuffer: 64 << 20 });
}
