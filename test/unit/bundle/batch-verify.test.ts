// verify and inspect of deployment bundles (batch.tar.gz): a bundle signed by
// signDeploymentBundle verifies; each member tampered with (config.yaml, the inner archive,
// package.sign, an extra member, a referenced file missing or an unreferenced one added to the
// inner archive, the last two re-signed so that only the content check can catch them) fails
// with the member and field it concerns.
import { createHash, createPrivateKey } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createPackageSign, inspectBundle, sha3Hex, signDeploymentBundle, verifyBundle, type VerifyReport } from '../../../src/main/core/bundle';
import { computeKid, parseCertificateDer, pemBlocks } from '../../../src/main/core/credentials';
import { makeTestPki, tempDir } from '../credentials/pki-fixtures';
import { entry, tarOf } from '../archive/raw-tar';
import { BATCH_CONFIG, LAYER_AMD64, LAYER_ARM64, makeBatchBundle } from './batch-fixture';

let dir: string;
let pki: ReturnType<typeof makeTestPki>;
let certPem: string;
let n = 0;

beforeAll(async () => {
  dir = await tempDir('bs-batch-verify-');
  pki = makeTestPki();
  certPem = path.join(dir, 'user.pem');
  await fs.writeFile(certPem, pki.user.certPem);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const CONFIG = Buffer.from(BATCH_CONFIG);
const file = (name: string, data: string | Buffer = 'x', mode = 0o644) => entry({ name, mode }, data);
const folder = (name: string) => entry({ name, type: '5', mode: 0o755 });

/** The inner tar of the fixture's config: `drop` leaves entries out, `extra` adds some. */
function innerTar(opts: { drop?: string[]; extra?: Buffer[]; config?: Buffer } = {}): Buffer {
  const entries: [string, Buffer][] = [
    ['./', folder('./')],
    ['./config.yaml', file('./config.yaml', opts.config ?? CONFIG)],
    ['./aos-pylibs-layer/', folder('./aos-pylibs-layer/')],
    ['./aos-pylibs-layer/linux-amd64-1.0.0.tar.gz', file('./aos-pylibs-layer/linux-amd64-1.0.0.tar.gz', LAYER_AMD64, 0o755)],
    ['./aos-pylibs-layer/linux-arm64-1.0.0.tar.gz', file('./aos-pylibs-layer/linux-arm64-1.0.0.tar.gz', LAYER_ARM64)],
    ['./hello/', folder('./hello/')],
    ['./hello/x86/', folder('./hello/x86/')],
    ['./hello/x86/run', file('./hello/x86/run', 'echo hi\n', 0o755)],
  ];
  return tarOf(...entries.filter(([name]) => !opts.drop?.includes(name)).map(([, b]) => b), ...(opts.extra ?? []));
}

interface Parts {
  inner?: Buffer;
  /** The config.yaml signed and shipped in both places (default the fixture's). */
  config?: Buffer;
  /** config.yaml in the outer archive (default the signed one). */
  outerConfig?: Buffer;
  /** Signs these bytes as the inner archive (default the inner archive shipped). */
  signedInner?: Buffer;
  packageSign?: (jwt: string) => string;
  extraMember?: Buffer;
}

/** A deployment bundle whose package.sign signs its parts with the test key. */
async function batchBundle(p: Parts = {}): Promise<string> {
  const inner = p.inner ?? gzipSync(innerTar());
  const signed = p.signedInner ?? inner;
  const jwt = createPackageSign({
    kid: computeKid(parseCertificateDer(pemBlocks(pki.user.certPem)[0].der)),
    inner: { name: 'batch.tar.gz', hash: sha3Hex(signed), size: signed.length },
    config: { hash: sha3Hex(p.config ?? CONFIG), size: (p.config ?? CONFIG).length },
    privateKey: createPrivateKey(pki.user.keyPem),
  });
  const sign = p.packageSign ? p.packageSign(jwt) : jwt;
  const members = [folder('./'), file('./config.yaml', p.outerConfig ?? p.config ?? CONFIG), file('./batch.tar.gz', inner), file('./package.sign', sign)];
  if (p.extraMember) members.push(p.extraMember);
  const out = path.join(dir, `batch-${++n}.tar.gz`);
  await fs.writeFile(out, gzipSync(tarOf(...members)));
  return out;
}

const failing = (r: VerifyReport) => r.failures.map((f) => [f.id, f.member, f.field].filter(Boolean).join(' '));

describe('verify a deployment bundle', () => {
  it('passes a bundle signDeploymentBundle wrote, says it is a deployment bundle, and names each referenced file with its hash', async () => {
    const root = await makeBatchBundle(path.join(dir, 'signed'), pki.user, [pki.user, pki.ca]);
    const signed = await signDeploymentBundle({ dir: root, homeDir: dir });
    const r = await verifyBundle(signed.path, { cert: certPem });
    expect(failing(r)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.kind).toBe('deployment-bundle');
    expect(r.signatureChecked).toBe(true);
    const sha256 = createHash('sha256').update(readFileSync(path.join(root, 'aos-pylibs-layer/linux-amd64-1.0.0.tar.gz'))).digest('hex');
    expect(r.checks).toContainEqual({
      id: 'inner.reference',
      ok: true,
      member: 'batch.tar.gz:aos-pylibs-layer/linux-amd64-1.0.0.tar.gz',
      field: 'items[0].images[0].path',
      message: `aos-pylibs-layer/linux-amd64-1.0.0.tar.gz present (${LAYER_AMD64.length} bytes, sha256 ${sha256})`,
    });
    expect(r.checks).toContainEqual(expect.objectContaining({ member: 'batch.tar.gz:hello/x86', ok: true, message: 'hello/x86/ present (2 files)' }));

    const i = await inspectBundle(signed.path);
    expect(i.kind).toBe('deployment-bundle');
    expect(i.problems).toEqual([]);
    expect(i.items).toEqual([
      { type: 'layer', codename: 'pylibs', version: '1.0.0', architectures: ['amd64', 'arm64'] },
      { type: 'service', codename: 'hello', version: '1.0.0', architectures: ['amd64'] },
    ]);
    expect(i.batch).toMatchObject({ files: 5, symlinks: 1 });
    expect(i.service).toBeUndefined();
    expect(i.signed?.map((s) => s.name)).toEqual(['batch.tar.gz', 'config.yaml']);
  });

  it('passes the hand-built reference bundle (the tamper tests start from it)', async () => {
    const r = await verifyBundle(await batchBundle(), { cert: certPem });
    expect(failing(r)).toEqual([]);
  });

  it('fails a changed config.yaml on its hash and on the inner copy', async () => {
    const r = await verifyBundle(await batchBundle({ outerConfig: Buffer.from(BATCH_CONFIG.replace('Jane', 'John')) }));
    expect(failing(r)).toEqual(['hash.config.yaml config.yaml payload.data[1].hash', 'inner.config.yaml batch.tar.gz:config.yaml']);
  });

  it('fails a changed inner archive on its hash and size', async () => {
    const r = await verifyBundle(await batchBundle({ signedInner: gzipSync(innerTar({ extra: [file('./notes.txt')] })) }));
    expect(failing(r)).toEqual(['hash.batch.tar.gz batch.tar.gz payload.data[0].hash', 'size.batch.tar.gz batch.tar.gz payload.data[0].size']);
  });

  it('fails a package.sign whose signature was altered', async () => {
    const r = await verifyBundle(await batchBundle({ packageSign: (jwt) => `${jwt.slice(0, -4)}${jwt.endsWith('AAAA') ? 'BBBB' : 'AAAA'}` }), { cert: certPem });
    expect(failing(r)).toEqual(['signature package.sign signature']);
  });

  it('fails a package.sign that signs service.tar.gz in a batch bundle', async () => {
    const r = await verifyBundle(
      await batchBundle({
        packageSign: (jwt) => {
          const [h, p] = jwt.split('.');
          const payload = Buffer.from(p, 'base64url').toString().replace('batch.tar.gz', 'service.tar.gz');
          return `${h}.${Buffer.from(payload).toString('base64url')}.c2ln`;
        },
      }),
    );
    expect(failing(r)).toEqual(['package.sign.payload.data[0].name package.sign payload.data[0].name', 'package.sign.payload.data package.sign payload.data']);
  });

  it('fails an extra member in the outer archive', async () => {
    const r = await verifyBundle(await batchBundle({ extraMember: file('./aos-user-oem.p12', 'key') }));
    expect(failing(r)).toEqual(['member.unexpected ./aos-user-oem.p12'.replace('./', '')]);
  });

  it('fails a referenced file missing from batch.tar.gz, even re-signed', async () => {
    const r = await verifyBundle(await batchBundle({ inner: gzipSync(innerTar({ drop: ['./aos-pylibs-layer/linux-arm64-1.0.0.tar.gz'] })) }), { cert: certPem });
    expect(failing(r)).toEqual(['inner.reference batch.tar.gz:aos-pylibs-layer/linux-arm64-1.0.0.tar.gz items[0].images[1].path']);
    expect(r.failures[0].message).toBe('aos-pylibs-layer/linux-arm64-1.0.0.tar.gz is referenced by config.yaml (items[0].images[1].path) but missing from batch.tar.gz');
  });

  it('fails an unreferenced file or folder in batch.tar.gz, even re-signed', async () => {
    const inner = gzipSync(innerTar({ extra: [file('./aos-user-oem.p12', 'key'), folder('./old/'), file('./old/a'), file('./aos-pylibs-layer/README.txt')] }));
    const r = await verifyBundle(await batchBundle({ inner }), { cert: certPem });
    expect(failing(r)).toEqual(['inner.unexpected batch.tar.gz:aos-user-oem.p12', 'inner.unexpected batch.tar.gz:old', 'inner.unexpected batch.tar.gz:aos-pylibs-layer/README.txt']);
    expect(r.failures[1].message).toBe('unexpected folder old in batch.tar.gz: config.yaml does not reference it');
  });

  it('fails a referenced file stored as a folder', async () => {
    const inner = gzipSync(
      innerTar({ drop: ['./aos-pylibs-layer/linux-arm64-1.0.0.tar.gz'], extra: [folder('./aos-pylibs-layer/linux-arm64-1.0.0.tar.gz/')] }),
    );
    const r = await verifyBundle(await batchBundle({ inner }));
    expect(failing(r)).toEqual(['inner.reference batch.tar.gz:aos-pylibs-layer/linux-arm64-1.0.0.tar.gz items[0].images[1].path']);
  });

  it('keeps the strict readers: a path twice in batch.tar.gz fails', async () => {
    const inner = gzipSync(innerTar({ extra: [file('aos-pylibs-layer/linux-amd64-1.0.0.tar.gz', 'other')] }));
    const r = await verifyBundle(await batchBundle({ inner }));
    expect(failing(r)).toEqual(['inner.archive batch.tar.gz']);
  });

  // Found by an attack run: each of these passed verify, re-signed, while validate and sign
  // refuse them, and another reader (PyYAML, a Go decoder, an extracted rootfs) sees other files.
  describe('reads config.yaml as validate and sign do', () => {
    const ARM = 'path: aos-pylibs-layer/linux-arm64-1.0.0.tar.gz';
    const variant = (from: string, to: string) => {
      expect(BATCH_CONFIG).toContain(from);
      return Buffer.from(BATCH_CONFIG.replace(from, to));
    };
    const withConfig = async (config: Buffer, extra: Buffer[] = []) =>
      verifyBundle(await batchBundle({ config, inner: gzipSync(innerTar({ config, extra })) }), { cert: certPem });

    it('fails a merge key that other YAML readers take as an image path', async () => {
      const r = await withConfig(variant(ARM, '<<: {path: evil.tar.gz}'));
      expect(r.ok).toBe(false);
      expect(r.failures.some((f) => f.id === 'config.rules' && f.member === 'config.yaml' && /<</.test(f.message))).toBe(true);
    });

    it('fails an image path that is not a YAML string', async () => {
      const r = await withConfig(variant(ARM, 'path: 2024'));
      expect(r.ok).toBe(false);
      expect(r.failures.find((f) => f.id === 'config.rules')?.field).toBe('items[0].images[1].path');
    });

    it('fails a config that is not schemaVersion 2', async () => {
      const r = await withConfig(variant('schemaVersion: 2', 'schemaVersion: 1'));
      expect(r.ok).toBe(false);
      expect(r.failures.find((f) => f.id === 'config.rules')?.message).toMatch(/^config\.yaml:2:\d+: /);
    });

    it('fails an image that is config.yaml itself', async () => {
      const r = await withConfig(variant(ARM, 'path: config.yaml'));
      expect(r.ok).toBe(false);
      expect(r.failures.some((f) => f.member === 'config.yaml' && f.field === 'items[0].images[1].path' && /config\.yaml itself/.test(f.message))).toBe(true);
    });

    it('fails a file reference written with a trailing slash (a folder once extracted)', async () => {
      const r = await withConfig(variant(ARM, `${ARM}/`));
      expect(r.ok).toBe(false);
      expect(r.failures.find((f) => f.field === 'items[0].images[1].path')?.message).toMatch(/ends with "\/"/);
    });

    it('fails a symlink or a hard link that leaves the referenced rootfs folder', async () => {
      const symlink = await withConfig(CONFIG, [entry({ name: './hello/x86/passwd', type: '2', linkname: '../../config.yaml' })]);
      expect(failing(symlink)).toEqual(['inner.link batch.tar.gz:./hello/x86/passwd items[1].images[0].sourceFolder']);
      const hard = await withConfig(CONFIG, [entry({ name: './hello/x86/h', type: '1', linkname: './config.yaml' })]);
      expect(failing(hard)).toEqual(['inner.link batch.tar.gz:./hello/x86/h items[1].images[0].sourceFolder']);
      const inside = await withConfig(CONFIG, [entry({ name: './hello/x86/sh', type: '2', linkname: '/run' })]);
      expect(inside.ok).toBe(true);
    });
  });

  it('refuses a layer image (a gzip\'d tar with no bundle member) as not a signed bundle, in verify and inspect', async () => {
    const layer = path.join(dir, 'linux-amd64-1.0.0.tar.gz');
    await fs.writeFile(layer, gzipSync(tarOf(folder('./'), folder('./etc/'), file('./etc/os-release', 'ID=test\n'))));
    await expect(verifyBundle(layer)).rejects.toThrow(/is not a signed bundle: it holds none of config\.yaml, package\.sign, service\.tar\.gz or batch\.tar\.gz/);
    await expect(inspectBundle(layer)).rejects.toThrow(/is not a signed bundle/);
  });
});
