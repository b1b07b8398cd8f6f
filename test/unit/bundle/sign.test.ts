import { createHash, createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { signServiceBundle, verifyBundle, inspectBundle, type SignProgress } from '../../../src/main/core/bundle';
import { makeTestPki, tempDir } from '../credentials/pki-fixtures';
import { configText, gnuTar, makeService } from './service-fixture';
import { failureOf } from '../../support/failure';

let dir: string;
let pki: ReturnType<typeof makeTestPki>;
let n = 0;
const fresh = async (name = 'svc') => path.join(dir, `${name}-${++n}`);

beforeAll(async () => {
  dir = await tempDir('bs-sign-');
  pki = makeTestPki();
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function extract(bundle: string): Promise<{ outer: string; inner: string }> {
  const outer = await fs.mkdtemp(path.join(dir, 'x-'));
  gnuTar(['-xzf', bundle, '-C', outer]);
  const inner = path.join(outer, 'inner');
  await fs.mkdir(inner);
  gnuTar(['-xzf', path.join(outer, 'service.tar.gz'), '-C', inner]);
  return { outer, inner };
}

describe('signServiceBundle', () => {
  it('builds the v1 layout, checked with GNU tar and node:crypto independently', async () => {
    const root = await makeService(await fresh(), pki.user, [pki.ca]);
    await fs.chmod(path.join(root, 'src/usr/bin/services/hello.py'), 0o700);
    await fs.mkdir(path.join(root, 'src/var/empty'), { recursive: true });
    const res = await signServiceBundle({ root });
    expect(res.path).toBe(path.join(root, 'service.tar.gz'));
    const bytes = readFileSync(res.path);
    expect(res.size).toBe(bytes.length);
    expect(res.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(res.warnings).toEqual([]);
    // gzip header: no name, mtime 0, OS byte 255.
    expect([...bytes.subarray(0, 4)]).toEqual([0x1f, 0x8b, 8, 0]);
    expect(bytes.readUInt32LE(4)).toBe(0);
    expect(bytes[9]).toBe(255);

    expect(gnuTar(['-tzf', res.path]).split('\n').filter(Boolean)).toEqual(['./', './config.yaml', './service.tar.gz', './package.sign']);
    const { outer, inner } = await extract(res.path);
    const config = readFileSync(path.join(root, 'meta/config.yaml'));
    expect(readFileSync(path.join(outer, 'config.yaml')).equals(config)).toBe(true);
    expect(readFileSync(path.join(inner, 'config.yaml')).equals(config)).toBe(true);
    expect(readFileSync(path.join(inner, 'service/etc/hello.cfg'), 'utf8')).toBe('greeting=hi\n');
    expect((await fs.stat(path.join(inner, 'service/var/empty'))).isDirectory()).toBe(true);

    const innerBytes = readFileSync(path.join(outer, 'service.tar.gz'));
    expect(res.inner).toEqual({ name: 'service.tar.gz', size: innerBytes.length, sha3_512: createHash('sha3-512').update(innerBytes).digest('hex') });
    const listing = gnuTar(['-tvzf', path.join(outer, 'service.tar.gz'), '--numeric-owner', '--utc']);
    expect(listing.split('\n')[0]).toMatch(/^drwxr-xr-x 0\/0\s+0 1970-01-01 00:00 \.\/$/);
    expect(listing).toMatch(/-rwxr-xr-x 0\/0 .* \.\/service\/usr\/bin\/services\/hello\.py/);
    expect(listing).toMatch(/-rw-r--r-- 0\/0 .* \.\/service\/etc\/hello\.cfg/);
    const names = gnuTar(['-tzf', path.join(outer, 'service.tar.gz')]).split('\n').filter(Boolean);
    expect(names.slice(0, 3)).toEqual(['./', './config.yaml', './service/']);

    const jwt = readFileSync(path.join(outer, 'package.sign'), 'latin1');
    expect(jwt.endsWith('\n')).toBe(false);
    const [h, p, s] = jwt.split('.');
    expect(Buffer.from(h, 'base64url').toString()).toBe(
      `{"alg":"RS256","kid":"${Buffer.from('OU=Aos,O=Test,CN=Test SP Issuing CA:62B17649000AD78B').toString('base64')}","typ":"JWT"}`,
    );
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    expect(payload).toEqual({
      data: [
        { name: 'service.tar.gz', hash: createHash('sha3-512').update(innerBytes).digest('hex'), size: innerBytes.length },
        { name: 'config.yaml', hash: createHash('sha3-512').update(config).digest('hex'), size: config.length },
      ],
    });
    const pub = createPublicKey(pki.user.certPem);
    expect(cryptoVerify('sha256', Buffer.from(`${h}.${p}`), pub, Buffer.from(s, 'base64url'))).toBe(true);
    // openssl, a third implementation, agrees on the sha3 digest of the inner archive.
    const ossl = execFileSync('openssl', ['dgst', '-sha3-512', '-r', path.join(outer, 'service.tar.gz')]).toString().split(' ')[0];
    expect(ossl).toBe(payload.data[0].hash);

    const report = await verifyBundle(res.path, { cert: path.join(root, 'meta/aos-user-sp.p12') });
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.signatureChecked).toBe(true);
  });

  it('is byte-reproducible across runs, mtimes, permission noise and output places', async () => {
    const root = await makeService(await fresh(), pki.user, [pki.ca], {
      files: { 'a/b/c.txt': 'c', 'a/z.bin': Buffer.alloc(300_000, 7), 'run.sh': '#!/bin/sh\n', 'é/ü.txt': 'u' },
    });
    await fs.chmod(path.join(root, 'src/run.sh'), 0o755);
    const a = await signServiceBundle({ root, outFile: path.join(dir, `rep-a-${n}.tar.gz`) });
    await fs.utimes(path.join(root, 'src/a/b/c.txt'), new Date('2001-01-01'), new Date('2001-01-01'));
    await fs.utimes(path.join(root, 'src/a'), new Date('2011-01-01'), new Date('2011-01-01'));
    await fs.chmod(path.join(root, 'src/a/b/c.txt'), 0o600);
    await fs.chmod(path.join(root, 'src/run.sh'), 0o711);
    const b = await signServiceBundle({ root, outFile: path.join(dir, `rep-b-${n}.tar.gz`) });
    expect(b.sha256).toBe(a.sha256);
    expect(readFileSync(a.path).equals(readFileSync(b.path))).toBe(true);
    expect(b.inner).toEqual(a.inner);
    // A real content change does change it.
    await fs.writeFile(path.join(root, 'src/a/b/c.txt'), 'C');
    const c = await signServiceBundle({ root, outFile: path.join(dir, `rep-c-${n}.tar.gz`) });
    expect(c.sha256).not.toBe(a.sha256);
  });

  it('stores unicode and long paths (pax), hard links as files, and keeps empty directories', async () => {
    const long = `${'d'.repeat(60)}/${'e'.repeat(70)}/${'f'.repeat(90)}.txt`;
    const root = await makeService(await fresh(), pki.user, [pki.ca], {
      files: { [long]: 'long', 'ünïcødé/файл-名前.txt': 'uni', 'h/orig.txt': 'hard' },
    });
    await fs.link(path.join(root, 'src/h/orig.txt'), path.join(root, 'src/h/link.txt'));
    await fs.mkdir(path.join(root, 'src/empty/deeper'), { recursive: true });
    const res = await signServiceBundle({ root });
    const { inner } = await extract(res.path);
    expect(readFileSync(path.join(inner, 'service', long), 'utf8')).toBe('long');
    expect(readFileSync(path.join(inner, 'service/ünïcødé/файл-名前.txt'), 'utf8')).toBe('uni');
    expect((await fs.stat(path.join(inner, 'service/empty/deeper'))).isDirectory()).toBe(true);
    const v = gnuTar(['-tvzf', path.join(path.dirname(inner), 'service.tar.gz')]);
    expect(v).toMatch(/^-rw-r--r-- .* \.\/service\/h\/link\.txt$/m);
    expect(v).not.toMatch(/^h/m);
    expect((await verifyBundle(res.path)).ok).toBe(true);
  });

  it('ships meta/<state file> as default_state.dat when state is required, and fails naming it when missing', async () => {
    const root = await makeService(await fresh(), pki.user, [pki.ca], { state: true });
    const res = await signServiceBundle({ root });
    const info = await inspectBundle(res.path);
    expect(info.service?.entries.map((e) => e.name)).toContain('default_state.dat');
    expect(info.config).toMatchObject({ version: '1.2.3', stateRequired: true });
    await fs.rm(path.join(root, 'meta/state.dat'));
    const e = await failureOf(signServiceBundle({ root }));
    expect(e.error.code).toBe('invalid-config');
    expect(e.message).toContain('state.dat');
    expect(e.error.location?.line).toBeGreaterThan(1);
  });

  describe('symlinks', () => {
    async function linkTree(policy: string) {
      const root = await makeService(await fresh(), pki.user, [pki.ca], { symlinks: policy });
      await fs.symlink('hello.cfg', path.join(root, 'src/etc/alias.cfg'));
      await fs.symlink('/usr/bin/python3', path.join(root, 'src/usr/bin/py'));
      await fs.symlink('../../../outside', path.join(root, 'src/etc/escape'));
      return root;
    }

    it('copy keeps the links that stay inside the service root', async () => {
      const root = await linkTree('copy');
      await fs.rm(path.join(root, 'src/etc/escape'));
      const res = await signServiceBundle({ root });
      expect(res.warnings).toEqual([]);
      const { outer } = await extract(res.path);
      const v = gnuTar(['-tvzf', path.join(outer, 'service.tar.gz')]);
      expect(v).toMatch(/^lrwxrwxrwx .* \.\/service\/etc\/alias\.cfg -> hello\.cfg$/m);
      expect(v).toMatch(/\.\/service\/usr\/bin\/py -> \/usr\/bin\/python3$/m);
    });

    it('delete drops them', async () => {
      const root = await linkTree('delete');
      const res = await signServiceBundle({ root });
      const names = (await inspectBundle(res.path)).service!.entries.map((e) => e.name);
      expect(names).toContain('service/etc/hello.cfg');
      expect(names.some((x) => x.includes('alias') || x.endsWith('/py') || x.includes('escape'))).toBe(false);
      expect(res.warnings).toEqual([]);
    });

    it('raise fails listing every link, and writes nothing', async () => {
      const root = await linkTree('raise');
      const e = await failureOf(signServiceBundle({ root }));
      expect(e.error.code).toBe('bundle');
      for (const l of ['etc/alias.cfg', 'usr/bin/py', 'etc/escape']) expect(e.message).toContain(l);
      expect(e.error.location?.path).toBe('build.symlinks');
      expect(await fs.readdir(root)).toEqual(['meta', 'src']);
    });
  });

  it('refuses fifos by name', async () => {
    const root = await makeService(await fresh(), pki.user, [pki.ca]);
    execFileSync('mkfifo', [path.join(root, 'src/etc/pipe')]);
    const e = await failureOf(signServiceBundle({ root }));
    expect(e.error.code).toBe('bundle');
    expect(e.message).toContain('etc/pipe (fifo)');
    expect(await fs.readdir(root)).toEqual(['meta', 'src']);
  });

  it('reports progress through every phase, with file and byte totals', async () => {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 20; i++) files[`f${i}.bin`] = Buffer.alloc(50_000, i);
    const root = await makeService(await fresh(), pki.user, [pki.ca], { files });
    const events: SignProgress[] = [];
    await signServiceBundle({ root, onProgress: (p) => events.push(p), progressIntervalMs: 0 });
    expect(new Set(events.map((e) => e.phase))).toEqual(new Set(['scan', 'archive', 'sign', 'package', 'done']));
    const archive = events.filter((e) => e.phase === 'archive');
    expect(archive.at(-1)).toMatchObject({ done: 1_000_000, total: 1_000_000, filesDone: 20, filesTotal: 20 });
    for (let i = 1; i < archive.length; i++) expect(archive[i].done).toBeGreaterThanOrEqual(archive[i - 1].done);
  });

  it('cancel mid-way rejects with "cancelled" and leaves no file behind', async () => {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 40; i++) files[`big/${i}.bin`] = Buffer.alloc(400_000, i);
    const root = await makeService(await fresh(), pki.user, [pki.ca], { files });
    const out = path.join(dir, `cancel-${n}`);
    await fs.mkdir(out);
    const ac = new AbortController();
    const e = await failureOf(
      signServiceBundle({
        root,
        outFile: path.join(out, 'service.tar.gz'),
        signal: ac.signal,
        progressIntervalMs: 0,
        onProgress: (p) => {
          if (p.phase === 'archive' && p.filesDone >= 5) ac.abort();
        },
      }),
    );
    expect(e.error.code).toBe('cancelled');
    expect(await fs.readdir(out)).toEqual([]);
    // Already aborted: nothing starts.
    expect((await failureOf(signServiceBundle({ root, outFile: path.join(out, 'x.tar.gz'), signal: AbortSignal.abort() }))).error.code).toBe('cancelled');
    expect(await fs.readdir(out)).toEqual([]);
  });

  it('honours build.package_folder and source_folder, and finds the p12 in ~/.aos/security', async () => {
    const root = await fresh();
    await makeService(root, pki.user, [pki.ca], { p12: false, files: {} });
    await fs.mkdir(path.join(root, 'rootfs/bin'), { recursive: true });
    await fs.writeFile(path.join(root, 'rootfs/bin/x'), 'x');
    const text = configText().replace('    symlinks: copy', '    symlinks: copy\n    source_folder: rootfs\n    package_folder: out');
    await fs.writeFile(path.join(root, 'meta/config.yaml'), text);
    const home = path.join(root, 'home');
    const e = await failureOf(signServiceBundle({ root, homeDir: home }));
    expect(e.error.code).toBe('credentials');
    expect(e.message).toContain(path.join(root, 'meta', 'aos-user-sp.p12'));
    expect(e.message).toContain(path.join(home, '.aos', 'security', 'aos-user-sp.p12'));
    expect(e.error.location?.line).toBe(5);
    await fs.mkdir(path.join(home, '.aos/security'), { recursive: true });
    const { p12 } = await import('../credentials/pki-fixtures');
    await fs.writeFile(path.join(home, '.aos/security/aos-user-sp.p12'), p12(pki.user, [pki.ca.cert], ''));
    const res = await signServiceBundle({ root, homeDir: home });
    expect(res.path).toBe(path.join(root, 'out', 'service.tar.gz'));
    const names = (await inspectBundle(res.path)).service!.entries.map((x) => x.name);
    expect(names).toContain('service/bin/x');
  });

  it('refuses expired certificates and warns when expiry is near', async () => {
    const root = await makeService(await fresh(), pki.user, [pki.ca]);
    const end = pki.user.cert.validity.notAfter.getTime();
    const e = await failureOf(signServiceBundle({ root, now: new Date(end + 60_000) }));
    expect(e.error.code).toBe('credentials');
    expect(e.message).toMatch(/expired/);
    const res = await signServiceBundle({ root, now: new Date(end - 3 * 86_400_000) });
    expect(res.warnings.join()).toMatch(/expires in 3 days/);
  });

  it('reports config errors with their line', async () => {
    const root = await makeService(await fresh(), pki.user, [pki.ca], { symlinks: 'follow' });
    const e = await failureOf(signServiceBundle({ root }));
    expect(e.error.code).toBe('invalid-config');
    expect(e.error.location).toMatchObject({ path: 'build.symlinks', line: 6 });
  });
});
