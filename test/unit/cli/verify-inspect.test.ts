import { createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { signServiceBundle } from '../../../src/main/core/bundle';
import { makeTestPki, p12, tempDir } from '../credentials/pki-fixtures';
import { gnuTar, makeService } from '../bundle/service-fixture';
import { cli } from './helpers';
import { REAL_BUNDLE_DIR } from '../bundle/real-bundle';

const PASSWORD = 'verify-pw-42';

let dir: string;
let pki: ReturnType<typeof makeTestPki>;
let root: string;
let bundle: string;
let certPem: string;
let protectedP12: string;

beforeAll(async () => {
  dir = await tempDir('bs-cli-verify-');
  pki = makeTestPki();
  root = await makeService(path.join(dir, 'svc'), pki.user, [pki.ca]);
  bundle = (await signServiceBundle({ root, homeDir: dir })).path;
  certPem = path.join(dir, 'user.pem');
  await fs.writeFile(certPem, pki.user.certPem);
  protectedP12 = path.join(dir, 'protected.p12');
  await fs.writeFile(protectedP12, p12(pki.user, [pki.ca.cert], PASSWORD));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const sh = (script: string, cwd: string) => execFileSync('sh', ['-c', script], { cwd, stdio: 'pipe' });

/** Outer archive re-made the way the platform's tool writes it: pax, ./ prefixes, gzip -9. */
function packLikePlatform(folder: string, out: string, members: string[]): void {
  sh(`tar --format=pax -cf - ${members.map((m) => `'${m}'`).join(' ')} | gzip -9 > '${out}'`, folder);
}

async function unpack(name: string): Promise<string> {
  const d = path.join(dir, name);
  await fs.mkdir(d);
  gnuTar(['-xzf', bundle, '-C', d]);
  return d;
}

describe('aos-bundle verify', () => {
  it('passes our bundle: structure, hashes and sizes without a certificate, the signature with one (exit 0)', async () => {
    const plain = await cli(['verify', bundle], dir);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain('FAIL');
    expect(plain.stdout).toMatch(/^ok {4}service\.tar\.gz: SHA3-512 matches$/m);
    expect(plain.stdout).toContain('signer: OU=Aos,O=Test,CN=Test SP Issuing CA, serial 62B17649000AD78B');
    expect(plain.stderr).toContain('signature not checked');
    const signed = await cli(['verify', bundle, '--cert', certPem], dir);
    expect(signed.code).toBe(0);
    expect(signed.stdout).toMatch(/^ok {4}RS256 signature verifies with the given certificate$/m);
    expect(signed.stderr).toContain('signature verified');
  });

  it('opens a protected .p12 certificate with --password-file, and fails with exit 1 on a wrong one without echoing it', async () => {
    await fs.writeFile(path.join(dir, 'pw'), `${PASSWORD}\n`);
    expect((await cli(['verify', bundle, '--cert', protectedP12, '--password-file', 'pw'], dir)).code).toBe(0);
    const wrong = await cli(['verify', bundle, '--cert', protectedP12, '--password-env', 'PW'], dir, { env: { PW: 'nope-nope-nope' } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('Wrong password for protected.p12');
    expect(wrong.stdout + wrong.stderr).not.toContain('nope-nope-nope');
    expect((await cli(['verify', bundle, '--password-env', 'PW'], dir, { env: { PW: 'x' } })).code).toBe(2);
  });

  it('fails (exit 1) naming the member when one byte of config.yaml is changed', async () => {
    const d = await unpack('tamper-config');
    const f = path.join(d, 'config.yaml');
    const b = await fs.readFile(f);
    b[b.length - 2] ^= 1;
    await fs.writeFile(f, b);
    const out = path.join(dir, 'tamper-config.tar.gz');
    packLikePlatform(d, out, ['./config.yaml', './service.tar.gz', './package.sign']);
    const r = await cli(['verify', out, '--cert', certPem], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL {2}config\.yaml: SHA3-512 does not match package\.sign .*\[member config\.yaml, field payload\.data\[1\]\.hash\]$/m);
    expect(r.stderr).toMatch(/tamper-config\.tar\.gz: \d checks? failed: config\.yaml/);
  });

  it('fails naming service.tar.gz when the inner archive is changed, and package.sign when its signature is', async () => {
    const d = await unpack('tamper-inner');
    const inner = path.join(d, 'service.tar.gz');
    const b = await fs.readFile(inner);
    b[b.length - 9] ^= 1; // the gzip CRC: the data still unpacks
    await fs.writeFile(inner, b);
    const out = path.join(dir, 'tamper-inner.tar.gz');
    packLikePlatform(d, out, ['./config.yaml', './service.tar.gz', './package.sign']);
    const r = await cli(['verify', out, '--json'], dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.failures.map((f: { member: string }) => f.member)).toContain('service.tar.gz');
    expect(report.failures.find((f: { id: string }) => f.id === 'hash.service.tar.gz')).toMatchObject({ member: 'service.tar.gz', field: 'payload.data[0].hash' });

    const s = await unpack('tamper-sig');
    const jwt = await fs.readFile(path.join(s, 'package.sign'), 'latin1');
    const last = jwt[jwt.length - 5] === 'A' ? 'B' : 'A';
    await fs.writeFile(path.join(s, 'package.sign'), `${jwt.slice(0, -5)}${last}${jwt.slice(-4)}`, 'latin1');
    const sigOut = path.join(dir, 'tamper-sig.tar.gz');
    packLikePlatform(s, sigOut, ['./config.yaml', './service.tar.gz', './package.sign']);
    const sig = await cli(['verify', sigOut, '--cert', certPem], dir);
    expect(sig.code).toBe(1);
    expect(sig.stdout).toMatch(/^FAIL {2}RS256 signature does not verify.*\[member package\.sign, field signature\]$/m);
  });

  it('accepts a bundle made entirely like the platform tool: GNU tar pax + gzip -9 + a JWT signed by node:crypto', async () => {
    const work = path.join(dir, 'platform');
    await fs.mkdir(path.join(work, 'inner', 'service', 'usr', 'bin'), { recursive: true });
    const config = await fs.readFile(path.join(root, 'meta', 'config.yaml'));
    await fs.writeFile(path.join(work, 'inner', 'config.yaml'), config);
    await fs.writeFile(path.join(work, 'inner', 'service', 'usr', 'bin', 'hello.py'), 'print("hello")\n');
    await fs.writeFile(path.join(work, 'config.yaml'), config);
    sh(`tar --format=pax -cf - . | gzip -9 > ../service.tar.gz`, path.join(work, 'inner'));
    const innerBytes = await fs.readFile(path.join(work, 'service.tar.gz'));
    const sha3 = (b: Buffer) => execFileSync('openssl', ['dgst', '-sha3-512', '-r'], { input: b }).toString().split(' ')[0];
    const kid = Buffer.from('OU=Aos,O=Test,CN=Test SP Issuing CA:62B17649000AD78B').toString('base64');
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid, typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({ data: [{ name: 'service.tar.gz', hash: sha3(innerBytes), size: innerBytes.length }, { name: 'config.yaml', hash: sha3(config), size: config.length }] }),
    ).toString('base64url');
    const signature = cryptoSign('sha256', Buffer.from(`${header}.${payload}`), createPrivateKey(pki.user.keyPem)).toString('base64url');
    await fs.writeFile(path.join(work, 'package.sign'), `${header}.${payload}.${signature}`);
    const out = path.join(dir, 'platform.tar.gz');
    packLikePlatform(work, out, ['./config.yaml', './service.tar.gz', './package.sign']);
    expect(gnuTar(['-tzf', out]).split('\n').filter(Boolean)).toEqual(['./config.yaml', './service.tar.gz', './package.sign']);
    const r = await cli(['verify', out, '--cert', certPem], dir);
    expect(r.stdout).not.toContain('FAIL');
    expect(r.code).toBe(0);
  });

  it("checks the real tool's package.sign: the config hash and kid verify, only the (absent) inner archive fails", async () => {
    const work = path.join(dir, 'real');
    await fs.mkdir(path.join(work, 'inner', 'service'), { recursive: true });
    await fs.copyFile(path.join(REAL_BUNDLE_DIR, 'config.yaml'), path.join(work, 'config.yaml'));
    await fs.copyFile(path.join(REAL_BUNDLE_DIR, 'config.yaml'), path.join(work, 'inner', 'config.yaml'));
    await fs.copyFile(path.join(REAL_BUNDLE_DIR, 'package.sign'), path.join(work, 'package.sign'));
    sh('tar --format=pax -cf - . | gzip -9 > ../service.tar.gz', path.join(work, 'inner'));
    const out = path.join(dir, 'real.tar.gz');
    packLikePlatform(work, out, ['./config.yaml', './service.tar.gz', './package.sign']);
    const r = await cli(['verify', out, '--json'], dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.failures.map((f: { id: string }) => f.id).sort()).toEqual(['hash.service.tar.gz', 'size.service.tar.gz']);
    expect(report.checks.find((c: { id: string }) => c.id === 'hash.config.yaml').ok).toBe(true);
    expect(report.checks.find((c: { id: string }) => c.id === 'size.config.yaml').ok).toBe(true);
    expect(report.signer).toMatchObject({ issuer: 'OU=Aos,O=EPAM,CN=Aos SP Issuing CA', serial: '62B17649000AD78B' });
  });

  it('exits 1 when package.sign is too large to read, with or without --cert (it used to skip every check and exit 0)', async () => {
    const work = await unpack('oversized-sign');
    await fs.appendFile(path.join(work, 'package.sign'), Buffer.alloc(2 << 20, 0x20));
    const out = path.join(dir, 'oversized-sign.tar.gz');
    packLikePlatform(work, out, ['./config.yaml', './service.tar.gz', './package.sign']);
    for (const args of [['verify', out], ['verify', out, '--cert', certPem]]) {
      const r = await cli(args, dir);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^FAIL {2}package\.sign is \d+ bytes, more than the 65536 bytes/m);
    }
  });

  it('exits 1 for a plain tar where gzip is due, naming it', async () => {
    const work = await unpack('plain-tar');
    const out = path.join(dir, 'plain.tar.gz');
    sh(`tar --format=pax -cf '${out}' ./config.yaml ./service.tar.gz ./package.sign`, work);
    const r = await cli(['verify', out, '--cert', certPem], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('a plain (uncompressed) tar where gzip is due');
    const i = await cli(['inspect', out], dir);
    expect(i.code).toBe(1);
    expect(i.stdout).toMatch(/Problems:\n {2}a plain \(uncompressed\) tar/);
  });

  it('usage and missing files', async () => {
    expect((await cli(['verify'], dir)).code).toBe(2);
    expect((await cli(['verify', 'a', 'b'], dir)).code).toBe(2);
    const missing = await cli(['verify', 'nope.tar.gz'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Bundle not found');
  });
});

describe('aos-bundle inspect', () => {
  it('--json: members, config summary, signer with the decoded kid, signed claims, service tree stats', async () => {
    const r = await cli(['inspect', bundle, '--json'], dir);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report).sort()).toEqual(['bundle', 'config', 'kind', 'members', 'problems', 'service', 'signed', 'signer', 'size']);
    expect(report.bundle).toBe(bundle);
    expect(report.size).toBe(readFileSync(bundle).length);
    expect(report.members.map((m: { name: string }) => m.name)).toEqual(['', 'config.yaml', 'service.tar.gz', 'package.sign']);
    expect(report.config).toMatchObject({ version: '1.2.3', serviceUid: '2efd1506-564e-40de-9466-66ae7a25fac0', arch: 'x86', os: 'linux', cmd: 'python3 /usr/bin/services/hello.py' });
    expect(report.signer).toEqual({
      kid: Buffer.from('OU=Aos,O=Test,CN=Test SP Issuing CA:62B17649000AD78B').toString('base64'),
      issuer: 'OU=Aos,O=Test,CN=Test SP Issuing CA',
      serial: '62B17649000AD78B',
    });
    expect(report.signed.map((s: { name: string }) => s.name)).toEqual(['service.tar.gz', 'config.yaml']);
    expect(report.signed[0].hash).toMatch(/^[0-9a-f]{128}$/);
    // The inner archive's entries: config.yaml and the two files of service/.
    const configSize = readFileSync(path.join(root, 'meta', 'config.yaml')).length;
    expect(report.service).toMatchObject({ files: 3, bytes: configSize + 'print("hello")\n'.length + 'greeting=hi\n'.length, symlinks: 0, truncated: false });
    expect(report.service.entries.map((e: { name: string }) => e.name)).toContain('service/usr/bin/services/hello.py');
    expect(report.problems).toEqual([]);
  });

  it('prints the same for people', async () => {
    const r = await cli(['inspect', bundle], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Members:\n {2}\.\/ +Directory\n {2}\.\/config\.yaml +File, \d+ bytes/);
    expect(r.stdout).toMatch(/issuer +OU=Aos,O=Test,CN=Test SP Issuing CA/);
    expect(r.stdout).toMatch(/serial +62B17649000AD78B/);
    expect(r.stdout).toMatch(/entries +3 files, \d+ folders, 0 symlinks/);
    expect(r.stdout).toMatch(/service_uid +2efd1506/);
  });

  it('a file that is not a bundle: exit 1', async () => {
    await fs.writeFile(path.join(dir, 'junk.tar.gz'), 'not gzip at all');
    const r = await cli(['inspect', 'junk.tar.gz'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Problems:');
  });
});
