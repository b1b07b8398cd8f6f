// verify against hostile bundles whose signature and hashes are all correct: the signer
// signed ambiguous bytes, so only reading them exactly as other tools do catches it. Each
// of these passed verify before the strict readers (or was skipped: an oversized
// package.sign dropped every signature and hash check and still exited 0).
import { createPrivateKey } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createPackageSign, sha3Hex, verifyBundle, type VerifyReport } from '../../../src/main/core/bundle';
import { computeKid, parseCertificateDer, pemBlocks } from '../../../src/main/core/credentials';
import { makeTestPki, tempDir } from '../credentials/pki-fixtures';
import { configText } from './service-fixture';
import { endOfArchive, entry, pax, paxRecord, tarOf } from '../archive/raw-tar';

let dir: string;
let pki: ReturnType<typeof makeTestPki>;
let certPem: string;
let n = 0;

beforeAll(async () => {
  dir = await tempDir('bs-verify-hostile-');
  pki = makeTestPki();
  certPem = path.join(dir, 'user.pem');
  await fs.writeFile(certPem, pki.user.certPem);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const CONFIG = Buffer.from(configText());
const file = (name: string, data: string | Buffer = 'x') => entry({ name }, data);
const folder = (name: string) => entry({ name, type: '5', mode: 0o755 });
const symlink = (name: string, target: string) => entry({ name, type: '2', linkname: target, mode: 0o777 });

/** The inner tar of a plain, valid service, with `extra` entries before the end blocks. */
const innerTar = (...extra: Buffer[]) =>
  tarOf(folder('./'), file('./config.yaml', CONFIG), folder('./service/'), file('./service/run.sh', 'echo hi\n'), ...extra);

interface BundleParts {
  inner: Buffer;
  header?: Record<string, unknown>;
  /** Replaces package.sign's text. */
  packageSign?: (jwt: string) => Buffer;
  /** Replaces the outer member list (default: config, inner, package.sign). */
  outer?: (m: { config: Buffer; inner: Buffer; sign: Buffer }) => Buffer[];
  /** Replaces the outer gzip (default: gzip of the outer tar). */
  compress?: (tar: Buffer) => Buffer;
}

/** A bundle whose package.sign really signs `inner` and config.yaml with the test key. */
async function hostileBundle(p: BundleParts): Promise<string> {
  const leaf = parseCertificateDer(pemBlocks(pki.user.certPem)[0].der);
  const privateKey = createPrivateKey(pki.user.keyPem);
  let jwt = createPackageSign({
    kid: computeKid(leaf),
    service: { hash: sha3Hex(p.inner), size: p.inner.length },
    config: { hash: sha3Hex(CONFIG), size: CONFIG.length },
    privateKey,
  });
  if (p.header) {
    const { sign } = await import('node:crypto');
    const head = Buffer.from(JSON.stringify({ alg: 'RS256', kid: computeKid(leaf), typ: 'JWT', ...p.header })).toString('base64url');
    const input = `${head}.${jwt.split('.')[1]}`;
    jwt = `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
  }
  const sign = p.packageSign ? p.packageSign(jwt) : Buffer.from(jwt);
  const members = p.outer
    ? p.outer({ config: CONFIG, inner: p.inner, sign })
    : [folder('./'), file('./config.yaml', CONFIG), file('./service.tar.gz', p.inner), file('./package.sign', sign)];
  const tar = tarOf(...members);
  const out = path.join(dir, `hostile-${++n}.tar.gz`);
  await fs.writeFile(out, (p.compress ?? gzipSync)(tar));
  return out;
}

/** gzip of the tar's first half, then gzip of the rest: one archive in two members. */
function splitGzip(tar: Buffer): Buffer {
  const cut = Math.floor(tar.length / 1024) * 512;
  return Buffer.concat([gzipSync(tar.subarray(0, cut)), gzipSync(tar.subarray(cut))]);
}

const failed = (r: VerifyReport) => r.failures.map((f) => `${f.member ?? ''}: ${f.message}`).join('\n');

describe('verify refuses correctly signed but hostile bundles', () => {
  it('passes the plain bundle these are made from, signature included', async () => {
    const r = await verifyBundle(await hostileBundle({ inner: gzipSync(innerTar()) }), { cert: certPem });
    expect(failed(r)).toBe('');
    expect(r.ok).toBe(true);
    expect(r.signatureChecked).toBe(true);
  });

  const cases: [string, () => BundleParts, RegExp][] = [
    ['an oversized package.sign (checks were skipped, exit 0)', () => ({ inner: gzipSync(innerTar()), packageSign: (jwt) => Buffer.concat([Buffer.from(jwt), Buffer.alloc(2 << 20, 0x20)]) }), /package\.sign is \d+ bytes, more than/],
    ['a second config.yaml in the outer archive', () => ({ inner: gzipSync(innerTar()), outer: (m) => [file('./config.yaml', m.config), file('./service.tar.gz', m.inner), file('./package.sign', m.sign), file('config.yaml', 'build: {}\n')] }), /appears twice|appears 2 times/],
    ['an outer member after the end-of-archive blocks', () => ({ inner: gzipSync(innerTar()), outer: (m) => [file('./config.yaml', m.config), file('./service.tar.gz', m.inner), file('./package.sign', m.sign), endOfArchive(), file('./evil.sh')] }), /after the end-of-archive/],
    ['a plain tar where the outer gzip is due', () => ({ inner: gzipSync(innerTar()), compress: (t) => t }), /plain \(uncompressed\) tar/],
    ['a second gzip member after the outer one', () => ({ inner: gzipSync(innerTar()), compress: (t) => Buffer.concat([gzipSync(t), gzipSync(tarOf(file('./evil')))]) }), /follow the gzip member/],
    ['an outer tar split over two gzip members', () => ({ inner: gzipSync(innerTar()), compress: splitGzip }), /follow the gzip member/],
    ['a second config.yaml in the inner archive', () => ({ inner: gzipSync(innerTar(file('./config.yaml', 'configuration: {cmd: evil}\n'))) }), /appears twice/],
    ['an inner entry hidden after the end blocks', () => ({ inner: gzipSync(Buffer.concat([innerTar(), file('./service/backdoor'), endOfArchive()])) }), /after the end-of-archive/],
    ['a second gzip member in the inner archive', () => ({ inner: Buffer.concat([gzipSync(innerTar()), gzipSync(tarOf(file('./service/backdoor')))]) }), /follow the gzip member/],
    ['a plain tar as the inner archive', () => ({ inner: innerTar() }), /plain \(uncompressed\) tar/],
    ['an inner symlink out of the service root', () => ({ inner: gzipSync(innerTar(symlink('./service/etc', '../../../../etc'))) }), /points outside service/],
    ['an inner file written through a symlink', () => ({ inner: gzipSync(innerTar(symlink('./service/tmp', '/tmp'), file('./service/tmp/evil'))) }), /written through/],
    ['an inner absolute name', () => ({ inner: gzipSync(innerTar(file('/etc/cron.d/evil'))) }), /absolute/],
    ['an inner name with ..', () => ({ inner: gzipSync(innerTar(file('./service/../../evil'))) }), /contains '\.\.'/],
    ['an inner pax path with ..', () => ({ inner: gzipSync(innerTar(pax([['path', 'service/../../evil']]), file('./service/innocent'))) }), /contains '\.\.'/],
    ['an inner block device', () => ({ inner: gzipSync(innerTar(entry({ name: './service/dev/sda', type: '4' }))) }), /block device/],
    ['an inner FIFO', () => ({ inner: gzipSync(innerTar(entry({ name: './service/pipe', type: '6' }))) }), /FIFO/],
    ['service/ that is a file', () => ({ inner: gzipSync(tarOf(file('./config.yaml', CONFIG), file('./service', 'not a folder'))) }), /service is a file, not a folder/],
    ['an inner pax header over 1 MiB that renames an entry', () => ({ inner: gzipSync(innerTar(pax(Buffer.concat([paxRecord('comment', Buffer.alloc(1_200_000, 0x61)), paxRecord('path', 'service/evil')])), file('./service/innocent'))) }), /extended header of \d+ bytes/],
    ['a JWS header with crit', () => ({ inner: gzipSync(innerTar()), header: { crit: ['exp'], exp: 1 } }), /header\.crit names extensions/],
    ['a JWS payload with a duplicate key', () => ({ inner: gzipSync(innerTar()), packageSign: (jwt) => {
      const [h, p] = jwt.split('.');
      const payload = Buffer.from(p, 'base64url').toString().replace('{"data"', '{"data":[],"data"');
      const input = `${h}.${Buffer.from(payload).toString('base64url')}`;
      return Buffer.from(`${input}.${signWithTestKey(input)}`);
    } }), /the key "data" is given twice/],
    // found by an attack run
    ['a gzip bomb compressed twice (an 8 KB bundle unpacked 2 GiB and passed)', () => ({ inner: gzipSync(tarOf(entry({ name: './config.yaml' }, CONFIG), entry({ name: './service/zeros' }, Buffer.alloc(64 << 20))), { level: 9 }), compress: (t) => gzipSync(t, { level: 9 }) }), /unpacks to more than .* a decompression bomb/],
    ['package.sign with leading whitespace', () => ({ inner: gzipSync(innerTar()), packageSign: (jwt) => Buffer.from(` ${jwt}`) }), /characters outside base64url/],
    ['a signature with a non-canonical last base64url character', () => ({ inner: gzipSync(innerTar()), packageSign: (jwt) => {
      const [h, p, sig] = jwt.split('.');
      const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const bumped = last[last.indexOf(sig.at(-1)!) + 1];
      return Buffer.from(`${h}.${p}.${sig.slice(0, -1)}${bumped}`);
    } }), /not canonical base64url/],
    ['a size written as 1687.0', () => ({ inner: gzipSync(innerTar()), packageSign: (jwt) => resign(jwt, (p) => p.replace(/"size":(\d+)\}/, '"size":$1.0}')) }), /not written as a plain integer/],
    ['a lone surrogate in the payload', () => ({ inner: gzipSync(innerTar()), packageSign: (jwt) => resign(jwt, (p) => p.replace('{"data"', '{"note":"\\ud800","data"')) }), /lone surrogate/],
    ['a JWS header with jwk (another verifier could take the key from it)', () => ({ inner: gzipSync(innerTar()), header: { jwk: { kty: 'RSA' } } }), /header\.jwk is not a parameter/],
  ];

  /** Re-signs package.sign after editing its payload text. */
  function resign(jwt: string, edit: (payload: string) => string): Buffer {
    const [h, p] = jwt.split('.');
    const input = `${h}.${Buffer.from(edit(Buffer.from(p, 'base64url').toString())).toString('base64url')}`;
    return Buffer.from(`${input}.${signWithTestKey(input)}`);
  }

  let signWithTestKey: (input: string) => string;
  beforeAll(async () => {
    const { sign } = await import('node:crypto');
    signWithTestKey = (input) => sign('sha256', Buffer.from(input), createPrivateKey(pki.user.keyPem)).toString('base64url');
  });

  it.each(cases)('%s', async (_name, make, message) => {
    const bundle = await hostileBundle(make());
    for (const opts of [{}, { cert: certPem }]) {
      const r = await verifyBundle(bundle, opts);
      expect(r.ok).toBe(false);
      expect(failed(r)).toMatch(message);
    }
  });

  it('with --cert, a bundle without package.sign fails: "signature not checked" is never a pass', async () => {
    const inner = gzipSync(innerTar());
    const bundle = await hostileBundle({ inner, outer: (m) => [file('./config.yaml', m.config), file('./service.tar.gz', m.inner)] });
    const r = await verifyBundle(bundle, { cert: certPem });
    expect(r.ok).toBe(false);
    expect(failed(r)).toMatch(/signature not checked/);
  });

  it('refuses an outer archive split over two gzip members, which GNU tar reads whole and a one-member reader does not', async () => {
    // The cut falls before package.sign: a reader that stops after the first member sees
    // a bundle without a signature, GNU tar (and gzip -d) sees all three members.
    const bundle = await hostileBundle({ inner: gzipSync(innerTar()), compress: splitGzip });
    const { execFileSync } = await import('node:child_process');
    expect(execFileSync('tar', ['-tzf', bundle]).toString()).toContain('./package.sign');
    const r = await verifyBundle(bundle, { cert: certPem });
    expect(r.ok).toBe(false);
    expect(failed(r)).toMatch(/follow the gzip member/);
  });
});
