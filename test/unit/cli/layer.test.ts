import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, fields } from './helpers';
import { tempDirPerTest } from '../../support/temp-dir';
import { makeRootfsPair } from '../layers/pack-fixture';

const tmp = tempDirPerTest();

describe('aos-bundle layer (the subcommand dispatcher)', () => {
  it('is listed in the main help and answers --help itself (exit 0)', async () => {
    const main = await cli(['--help'], tmp.path);
    expect(main.stdout).toMatch(/\n {2}layer +layer images/);
    const help = await cli(['layer', '--help'], tmp.path);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: aos-bundle layer <subcommand> [options]');
    expect(help.stdout).toContain('Subcommands:');
  });

  it('without a subcommand prints the help as a usage error; an unknown one is a usage error (exit 2)', async () => {
    const bare = await cli(['layer'], tmp.path);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toContain('Subcommands:');
    const unknown = await cli(['layer', 'frobnicate'], tmp.path);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown subcommand 'frobnicate'");
  });
});

describe('aos-bundle layer pack', () => {
  const setup = () => makeRootfsPair(tmp.path);

  it("packs, prints digest, size, diff_id and the image's descriptor, exit 0; --json gives the same as data", async () => {
    const { parent, child } = setup();
    const r = await cli(['layer', 'pack', child, '--parent', parent, '--version', '1.0.0', '--arch', 'arm64', '--out', 'out'], tmp.path);
    expect(r.code).toBe(0);
    const f = fields(r.stdout);
    const file = join(tmp.path, 'out', 'linux-arm64-1.0.0.tar.gz');
    expect(f.path).toBe(file);
    expect(f.digest).toBe(`sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`);
    expect(Number(f.size)).toBe(readFileSync(file).length);
    expect(f.diff_id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(r.stdout).toContain('  + /etc/new.conf');
    expect(r.stdout).toContain('  - /etc/gone.conf');
    expect(f.descriptor).toBe(join(tmp.path, 'out', 'linux-arm64-1.0.0.layer.json'));
    const descriptor = JSON.parse(readFileSync(f.descriptor, 'utf8'));
    expect(r.stdout).toContain(JSON.stringify(descriptor, null, 2));
    expect(descriptor.platform).toEqual({ architecture: 'arm64', os: 'linux', 'os.features': [] });

    const j = await cli(['layer', 'pack', child, '--parent', parent, '--version', '1.0.0', '--arch', 'arm64', '--out', 'out2', '--json', '--os-version', '5.15', '--os-feature', 'python3'], tmp.path);
    expect(j.code).toBe(0);
    const data = JSON.parse(j.stdout);
    expect(data).toMatchObject({ ok: true, dryRun: false, diffId: f.diff_id, descriptor: { digest: f.digest, platform: { 'os.version': '5.15', 'os.features': ['python3'] } } });
    expect(data.plan.deleted).toContainEqual({ path: '/etc/gone.conf', type: 'file', size: 5, by: 'whiteout' });
  });

  it('packs two architectures into one --out folder without losing the first image\'s descriptor', async () => {
    const { parent, child } = setup();
    const packed: Record<string, Record<string, string>> = {};
    for (const arch of ['amd64', 'arm64']) {
      const r = await cli(['layer', 'pack', child, '--parent', parent, '--version', '1.0.0', '--arch', arch, '--out', 'out'], tmp.path);
      expect(r.code).toBe(0);
      packed[arch] = fields(r.stdout);
    }
    expect(readdirSync(join(tmp.path, 'out')).sort()).toEqual(['linux-amd64-1.0.0.layer.json', 'linux-amd64-1.0.0.tar.gz', 'linux-arm64-1.0.0.layer.json', 'linux-arm64-1.0.0.tar.gz']);
    for (const arch of ['amd64', 'arm64']) {
      const d = JSON.parse(readFileSync(join(tmp.path, 'out', `linux-${arch}-1.0.0.layer.json`), 'utf8'));
      expect(d).toMatchObject({ digest: packed[arch].digest, platform: { architecture: arch } });
      expect(d.digest).toBe(`sha256:${createHash('sha256').update(readFileSync(join(tmp.path, 'out', `linux-${arch}-1.0.0.tar.gz`))).digest('hex')}`);
    }
  });

  it('--dry-run lists added, changed and deleted with sizes and writes nothing', async () => {
    const { parent, child } = setup();
    const r = await cli(['layer', 'pack', child, '--parent', parent, '--version', '1.0.0', '--arch', 'amd64', '--out', 'out', '--dry-run'], tmp.path);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^dry run: nothing written/);
    expect(r.stdout).toMatch(/\n {2}\+ \/etc\/new\.conf +4 B\n/);
    expect(r.stdout).toMatch(/\n {2}~ \/etc\/change\.conf +5 B\n/);
    expect(r.stdout).toMatch(/\n {2}- \/usr\/lib\/python3\/old\/a\.py +6 B, by the folder's \.wh\.\.wh\.\.opq\n/);
    expect(existsSync(join(tmp.path, 'out'))).toBe(false);
    const j = JSON.parse((await cli(['layer', 'pack', child, '--parent', parent, '--version', '1.0.0', '--arch', 'amd64', '--out', 'out', '--dry-run', '--json'], tmp.path)).stdout);
    expect(j).toMatchObject({ ok: true, dryRun: true });
    expect(j.descriptor).toBeUndefined();
  });

  it('takes SOURCE_DATE_EPOCH as the mtime clamp', async () => {
    const { parent, child } = setup();
    const r = await cli(['layer', 'pack', child, '--parent', parent, '--version', '1.0.0', '--arch', 'amd64', '--out', 'out', '--json'], tmp.path, { env: { SOURCE_DATE_EPOCH: '86400' } });
    expect(JSON.parse(r.stdout).plan.mtime).toBe(86400);
    const bad = await cli(['layer', 'pack', child, '--parent', parent, '--version', '1.0.0', '--arch', 'amd64', '--out', 'out'], tmp.path, { env: { SOURCE_DATE_EPOCH: 'yesterday' } });
    expect(bad.code).toBe(2);
  });

  it('usage errors exit 2 with the subcommand usage; invalid input exits 1, with --json an error object', async () => {
    const { parent, child } = setup();
    const help = await cli(['layer', 'pack', '--help'], tmp.path);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: aos-bundle layer pack ROOTFS --parent PARENT');
    expect((await cli(['layer', '--help'], tmp.path)).stdout).toMatch(/\n {2}pack +pack a layer image/);
    for (const args of [
      [child, '--version', '1.0.0', '--arch', 'amd64', '--out', 'o'],
      [child, '--parent', parent, '--arch', 'amd64', '--out', 'o'],
      [child, '--parent', parent, '--version', '1.0.0', '--arch', 'amd64'],
      [child, '--parent', parent, '--version', '1.0.0', '--arch', 'amd64', '--out', 'o', '--owner', 'root'],
      [child, '--parent', parent, '--version', '1.0.0', '--arch', 'amd64', '--out', 'o', '--frob'],
    ]) {
      const r = await cli(['layer', 'pack', ...args], tmp.path);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('Usage: aos-bundle layer pack');
    }
    const badVersion = await cli(['layer', 'pack', child, '--parent', parent, '--version', 'v1', '--arch', 'amd64', '--out', 'o'], tmp.path);
    expect(badVersion.code).toBe(1);
    expect(badVersion.stderr).toContain("strict SemVer 2.0.0 such as 1.0.0; got 'v1'");
    const missing = await cli(['layer', 'pack', join(tmp.path, 'nope'), '--parent', parent, '--version', '1.0.0', '--arch', 'amd64', '--out', 'o', '--json'], tmp.path);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(existsSync(join(tmp.path, 'o'))).toBe(false);
  });
});

describe('aos-bundle layer pack on a terminal', () => {
  it('draws progress on stderr: reading the parent, comparing, packing with files and bytes', async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    const r = await cli(['layer', 'pack', child, '--parent', parent, '--version', '1.0.0', '--arch', 'amd64', '--out', 'out', '--owner', '0:0'], tmp.path, {
      stderrIsTTY: true,
      columns: 200,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('reading parent 1/1');
    expect(r.stderr).toMatch(/comparing: \d+ entries/);
    expect(r.stderr).toMatch(/packing +\d+\/10 files/);
    // The line is erased before the results are printed.
    expect(r.stderr.endsWith('\r\u001b[K')).toBe(true);
  });
});
