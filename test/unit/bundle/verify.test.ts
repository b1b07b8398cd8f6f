import { createHash, createPrivateKey } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { Header } from 'tar';
import {
  checkPackageSign,
  createPackageSign,
  inspectBundle,
  parsePackageSign,
  sha3Hex,
  signServiceBundle,
  verifyBundle,
} from '../../../src/main/core/bundle';
import { entryHeader, paxRecord } from '../../../src/main/core/bundle/tar';
import { computeKid, parseCertificateDer, pemBlocks } from '../../../src/main/core/credentials';
import { makeTestPki, tempDir } from '../credentials/pki-fixtures';
import { gnuTar, makeService } from './service-fixture';
import { REAL_BUNDLE_DIR } from './real-bundle';


let dir: string;
let pki: ReturnType<typeof makeTestPki>;
let root: string;
let bundle: string;
let certPem: string;

beforeAll(async () => {
  dir = await tempDir('bs-verify-');
  pki = makeTestPki();
  root = await makeService(path.join(dir, 'svc'), pki.user, [pki.ca], { state: true });
  bundle = (await signServiceBundle({ root })).path;
  certPem = path.join(dir, 'user.pem');
  await fs.writeFile(certPem, pki.user.certPem);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Unpacks the outer archive, lets `change` edit the members, repacks with GNU tar (pax, gzip -9) like the platform's tool. */
async function repack(name: string, change: (d: string) => Promise<void>): Promise<string> {
  const d = path.join(dir, `${name}-x`);
  await fs.mkdir(d);
  gnuTar(['-xzf', bundle, '-C', d]);
  await change(d);
  const out = path.join(dir, `${name}.tar.gz`);
  const tarFile = path.join(dir, `${name}.tar`);
  gnuTar(['--format=pax', '-cf', tarFile, '-C', d, '.']);
  execFileSync('sh', ['-c', `gzip -9 -c '${tarFile}' > '${out}'`]);
  return out;
}

async function flip(file: string, at: (size: number) => number): Promise<void> {
  const b = await fs.readFile(file);
  const i = at(b.length);
  b[i] ^= 0x01;
  await fs.writeFile(file, b);
}

describe('verifyBundle', () => {
  it('passes a bundle we built, with and without a certificate', async () => {
    const without = await verifyBundle(bundle);
    expect(without.ok).toBe(true);
    expect(without.signatureChecked).toBe(false);
    expect(without.signer?.issuer).toBe('OU=Aos,O=Test,CN=Test SP Issuing CA');
    const withCert = await verifyBundle(bundle, { cert: certPem });
    expect(withCert.ok).toBe(true);
    expect(withCert.checks.find((c) => c.id === 'signature')?.ok).toBe(true);
  });

  it('accepts the same members repacked by GNU tar (pax, gzip -9, different tar layout)', async () => {
    const out = await repack('foreign', async () => undefined);
    const r = await verifyBundle(out, { cert: certPem });
    expect(r.failures).toEqual([]);
  });

  describe('tampering with one byte fails and names the member', () => {
    it('config.yaml', async () => {
      const out = await repack('t-config', (d) => flip(path.join(d, 'config.yaml'), (n) => n - 2));
      const r = await verifyBundle(out);
      expect(r.ok).toBe(false);
      expect(r.failures.find((f) => f.id === 'hash.config.yaml')).toMatchObject({ member: 'config.yaml', field: 'payload.data[1].hash' });
      expect(r.failures.find((f) => f.id === 'inner.config.yaml')?.member).toBe('service.tar.gz:config.yaml');
    });

    it('service.tar.gz', async () => {
      const out = await repack('t-service', (d) => flip(path.join(d, 'service.tar.gz'), (n) => Math.floor(n / 2)));
      const r = await verifyBundle(out);
      expect(r.ok).toBe(false);
      expect(r.failures.find((f) => f.id === 'hash.service.tar.gz')).toMatchObject({ member: 'service.tar.gz', field: 'payload.data[0].hash' });
    });

    it('package.sign (signature part, caught with the certificate)', async () => {
      const out = await repack('t-sign', (d) => flip(path.join(d, 'package.sign'), (n) => n - 5));
      const r = await verifyBundle(out, { cert: certPem });
      expect(r.ok).toBe(false);
      expect(r.failures.map((f) => f.member)).toContain('package.sign');
      expect(r.failures.find((f) => f.member === 'package.sign')?.field).toMatch(/signature/);
    });

    it('package.sign (payload part)', async () => {
      const out = await repack('t-payload', async (d) => {
        const f = path.join(d, 'package.sign');
        const [h, p, s] = (await fs.readFile(f, 'latin1')).split('.');
        const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
        payload.data[1].size += 1;
        await fs.writeFile(f, `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`);
      });
      const r = await verifyBundle(out, { cert: certPem });
      expect(r.failures.find((f) => f.id === 'size.config.yaml')).toMatchObject({ member: 'config.yaml', field: 'payload.data[1].size' });
      expect(r.failures.find((f) => f.id === 'signature')?.member).toBe('package.sign');
    });

    it('a missing member and an extra member', async () => {
      const out = await repack('t-missing', async (d) => {
        await fs.rm(path.join(d, 'package.sign'));
        await fs.writeFile(path.join(d, 'extra.txt'), 'x');
      });
      const r = await verifyBundle(out);
      expect(r.failures.find((f) => f.id === 'member.package.sign')?.member).toBe('package.sign');
      expect(r.failures.find((f) => f.id === 'member.unexpected')?.member).toBe('extra.txt');
    });

    it('default_state.dat missing although the config requires state', async () => {
      const out = await repack('t-state', async (d) => {
        const inner = path.join(d, 'inner');
        await fs.mkdir(inner);
        gnuTar(['-xzf', path.join(d, 'service.tar.gz'), '-C', inner]);
        await fs.rm(path.join(inner, 'default_state.dat'));
        gnuTar(['--format=pax', '-czf', path.join(d, 'service.tar.gz'), '-C', inner, '.']);
        await fs.rm(inner, { recursive: true });
      });
      const r = await verifyBundle(out);
      expect(r.failures.map((f) => f.member)).toContain('service.tar.gz:default_state.dat');
      expect(r.failures.map((f) => f.member)).toContain('service.tar.gz');
    });
  });

  it('a flipped byte in the raw file fails on the archive itself', async () => {
    const copy = path.join(dir, 'raw-flip.tar.gz');
    await fs.copyFile(bundle, copy);
    await flip(copy, (n) => n - 12);
    const r = await verifyBundle(copy);
    expect(r.ok).toBe(false);
    expect(r.failures.some((f) => f.member === 'raw-flip.tar.gz' || f.member === 'service.tar.gz' || f.member === 'package.sign')).toBe(true);
  });

  it('names the kid when the certificate is not the signer', async () => {
    const other = makeTestPki({ serialHex: '0B0C' });
    const f = path.join(dir, 'other.pem');
    await fs.writeFile(f, other.user.certPem);
    const r = await verifyBundle(bundle, { cert: f });
    expect(r.failures.find((x) => x.id === 'kid.certificate')).toMatchObject({ member: 'package.sign', field: 'header.kid' });
    expect(r.failures.find((x) => x.id === 'signature')).toBeDefined();
  });

  it('inspect lists members, config summary and signer', async () => {
    const i = await inspectBundle(bundle);
    expect(i.members.map((m) => m.name)).toEqual(['', 'config.yaml', 'service.tar.gz', 'package.sign']);
    expect(i.config).toMatchObject({ version: '1.2.3', serviceUid: '2efd1506-564e-40de-9466-66ae7a25fac0', stateRequired: true });
    expect(i.signer).toMatchObject({ issuer: 'OU=Aos,O=Test,CN=Test SP Issuing CA', serial: '62B17649000AD78B' });
    expect(i.service?.entries.map((e) => e.name)).toEqual(
      expect.arrayContaining(['config.yaml', 'service', 'service/etc/hello.cfg', 'default_state.dat']),
    );
    expect(i.problems).toEqual([]);
  });
});

describe('package.sign', () => {
  it('parses the real platform package.sign and its config.yaml hash verifies', () => {
    const parsed = parsePackageSign(readFileSync(path.join(REAL_BUNDLE_DIR, 'package.sign'), 'latin1'));
    expect(parsed.problems).toEqual([]);
    expect(parsed.header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(parsed.signer).toEqual({ issuer: 'OU=Aos,O=EPAM,CN=Aos SP Issuing CA', serial: '62B17649000AD78B' });
    const config = readFileSync(path.join(REAL_BUNDLE_DIR, 'config.yaml'));
    const checks = checkPackageSign(parsed, { config: { hash: sha3Hex(config), size: config.length } });
    expect(checks.filter((c) => c.member === 'config.yaml').every((c) => c.ok)).toBe(true);
    expect(checks.filter((c) => c.member === 'config.yaml')).toHaveLength(2);
    const bad = checkPackageSign(parsed, { config: { hash: sha3Hex(Buffer.concat([config, Buffer.from(' ')])), size: config.length + 1 } });
    expect(bad.filter((c) => !c.ok).map((c) => c.field)).toEqual(['payload.data[1].hash', 'payload.data[1].size']);
  });

  it('is the exact JWT layout and round-trips', () => {
    const leaf = parseCertificateDer(pemBlocks(pki.user.certPem)[0].der);
    const jwt = createPackageSign({
      kid: computeKid(leaf),
      service: { hash: 'a'.repeat(128), size: 10 },
      config: { hash: 'b'.repeat(128), size: 20 },
      privateKey: createPrivateKey(pki.user.keyPem),
    });
    expect(jwt).not.toMatch(/[\s=]/);
    expect(Buffer.from(jwt.split('.')[1], 'base64url').toString()).toBe(
      `{"data":[{"name":"service.tar.gz","hash":"${'a'.repeat(128)}","size":10},{"name":"config.yaml","hash":"${'b'.repeat(128)}","size":20}]}`,
    );
    expect(parsePackageSign(jwt).problems).toEqual([]);
    expect(parsePackageSign(`${jwt}\n`).problems.map((p) => p.field)).toEqual(['package.sign']);
    expect(parsePackageSign('a.b').problems[0].field).toBe('package.sign');
  });

  it('flags malformed fields by name', () => {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const jwt = `${enc({ alg: 'HS256', kid: 'Q049eDowYQ==', typ: 'JWT' })}.${enc({ data: [{ name: 'service.tar.gz', hash: 'XYZ', size: -1 }] })}.c2ln`;
    const fields = parsePackageSign(jwt).problems.map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['header.alg', 'header.kid', 'payload.data[0].hash', 'payload.data[0].size', 'payload.data']));
  });
});

describe('tar headers', () => {
  it('writes pax records with self-inclusive lengths', () => {
    expect(paxRecord('path', 'a').toString()).toBe('9 path=a\n');
    const long = 'x'.repeat(95);
    const r = paxRecord('path', long).toString();
    expect(r.length).toBe(Number(r.split(' ')[0]));
  });

  it('puts sizes of 8 GiB and more into a pax size record', () => {
    const size = 9 * 1024 ** 3 + 5;
    const h = entryHeader({ path: './service/huge.img', type: 'file', size, mode: 0o644, mtime: 0 });
    expect(h.length).toBe(3 * 512);
    expect(new Header(h.subarray(0, 512)).type).toBe('ExtendedHeader');
    expect(h.subarray(512, 1024).toString('utf8')).toContain(`size=${size}\n`);
    const main = new Header(h.subarray(1024));
    expect(main.path).toBe('./service/huge.img');
    expect(main.cksumValid).toBe(true);
    const small = entryHeader({ path: './a', type: 'file', size: 0o77777777777, mode: 0o644, mtime: 0 });
    expect(small.length).toBe(512);
    expect(new Header(small).size).toBe(0o77777777777);
  });

  it('writes owner 0:0 without names, and a checksum GNU and tar v7 accept', () => {
    const h = new Header(entryHeader({ path: './service/x', type: 'file', size: 3, mode: 0o755, mtime: 0 }));
    expect(h).toMatchObject({ uid: 0, gid: 0, uname: '', gname: '', mode: 0o755, cksumValid: true });
  });
});

it('hash helpers agree with node:crypto', () => {
  expect(sha3Hex(Buffer.from('abc'))).toBe(createHash('sha3-512').update('abc').digest('hex'));
});
