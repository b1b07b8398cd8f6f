import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AppFailure } from '../../../src/shared/errors';
import { isOverlayWhiteout, packLayer, planLayer, readParents } from '../../../src/main/core/layers/pack';
import { tempDirPerTest } from '../../support/temp-dir';
import { EXPECTED_ENTRIES, makeRootfsPair } from './pack-fixture';

const tmp = tempDirPerTest('layer-pack-');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Snap {
  type: string;
  mode: number;
  uid: number;
  gid: number;
  content?: string;
  link?: string;
}

/** Everything a layer decides about a tree, per path (mtimes aside). */
function snapshot(root: string, withOwners: boolean): Record<string, Snap> {
  const out: Record<string, Snap> = {};
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = path.join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(abs);
      const base = { mode: st.mode & 0o7777, uid: withOwners ? st.uid : -1, gid: withOwners ? st.gid : -1 };
      if (st.isDirectory()) {
        out[r] = { type: 'directory', ...base };
        walk(abs, r);
      } else if (st.isSymbolicLink()) out[r] = { type: 'symlink', ...base, mode: 0, link: readlinkSync(abs) };
      else out[r] = { type: 'file', ...base, content: sha(readFileSync(abs)) };
    }
  };
  walk(root, '');
  return out;
}

function tarNames(file: string): string[] {
  return execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

async function pack(rootfs: string, parents: string[], out: string, extra: Partial<Parameters<typeof packLayer>[0]> = {}) {
  return packLayer({ rootfs, parents, version: '1.2.3', architecture: 'amd64', outDir: out, ...extra });
}

/** Applies a layer over a copy of `parent` the way an OCI runtime does: whiteouts first (they hide the layers below only), then the entries. */
function overlay(parent: string, layer: string, dest: string): void {
  execFileSync('cp', ['-a', `${parent}/.`, dest]);
  for (const name of tarNames(layer)) {
    const base = path.posix.basename(name);
    const dir = path.join(dest, path.posix.dirname(name));
    if (base === '.wh..wh..opq') for (const n of readdirSync(dir)) rmSync(path.join(dir, n), { recursive: true, force: true });
    else if (base.startsWith('.wh.')) rmSync(path.join(dir, base.slice(4)), { recursive: true, force: true });
  }
  execFileSync('tar', ['-xzf', layer, '-C', dest, '--numeric-owner', '--exclude=.wh.*']);
}

/** The child rootfs as the layer reproduces it: new folders that hold nothing are dropped by rule. */
function expectedChild(child: string, withOwners: boolean): Record<string, Snap> {
  const snap = snapshot(child, withOwners);
  for (const dropped of ['new/empty', 'emptyonly']) delete snap[dropped];
  return snap;
}

describe('layer pack: the diff', () => {
  it('keeps exactly the added and changed entries, whiteouts and the opaque marker, in archive order', async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    const plan = await planLayer(child, await readParents([parent]));
    expect(plan.entries.map((e) => e.path)).toEqual(EXPECTED_ENTRIES);
    expect(plan.added.map((c) => c.path)).toEqual([
      '/etc/new.conf',
      '/new',
      '/new/dir',
      '/new/dir/file',
      '/opt/tool',
      '/usr/bin',
      '/usr/bin/python3',
      '/usr/bin/python3.11',
      '/usr/lib/python3/old/c.py',
      '/usr/lib/python3/old/d.py',
      '/var/x',
      '/var/x/y',
    ]);
    // python3 comes first in archive order: it holds the content, python3.11 links to it.
    expect(plan.added.find((c) => c.path === '/usr/bin/python3.11')).toEqual({ path: '/usr/bin/python3.11', type: 'hardlink', size: 0, target: '/usr/bin/python3' });
    expect(plan.entries.find((e) => e.path === './usr/bin/python3')).toMatchObject({ type: 'file', size: 9 });
    expect(plan.changed.map((c) => c.path)).toEqual(['/bin/sh', '/data/same-size.bin', '/etc/change.conf', '/etc/mode.sh']);
    expect(plan.deleted.map((c) => [c.path, c.by, c.size])).toEqual([
      ['/etc/gone.conf', 'whiteout', 5],
      ['/opt/tool', 'whiteout', 10],
      ['/removed-dir', 'whiteout', 2],
      ['/usr/lib/python3/old/a.py', 'opaque', 6],
      ['/usr/lib/python3/old/b.py', 'opaque', 6],
      ['/var/x', 'whiteout', 5],
    ]);
    expect(plan.files).toBe(10);
    expect(plan.entries.find((e) => e.path === './etc/mode.sh')).toMatchObject({ change: 'changed', mode: 0o755 });
    expect(plan.entries.find((e) => e.path === './bin/')).toMatchObject({ change: 'folder' });
  });

  it('writes what GNU tar lists with ./ names and numeric owners, and a gzip without name or time', async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    const out = path.join(tmp.path, 'out');
    const r = await pack(child, [parent], out);
    expect(r.file).toBe(path.join(out, 'linux-amd64-1.2.3.tar.gz'));
    expect(tarNames(r.file)).toEqual(EXPECTED_ENTRIES);
    const lines = execFileSync('tar', ['-tvzf', r.file], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const line of lines) expect(line).toMatch(/^[-dlh][rwxsStT-]{9} \d+\/\d+ +\d+ 1970-01-01 00:00 \.\//);
    expect(lines).toContainEqual(expect.stringMatching(/^h.* \.\/usr\/bin\/python3\.11 link to \.\/usr\/bin\/python3$/));
    const blob = readFileSync(r.file);
    expect(blob[3] & 0x08).toBe(0); // no FNAME
    expect(blob.readUInt32LE(4)).toBe(0); // no mtime
    const d = r.packed!.descriptor;
    expect(d).toEqual({
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: `sha256:${sha(blob)}`,
      size: blob.length,
      annotations: { 'org.aosedge.layer.diff_id': `sha256:${sha(gunzipSync(blob))}`, 'org.opencontainers.image.version': '1.2.3' },
      platform: { architecture: 'amd64', os: 'linux', 'os.features': [] },
    });
    expect(r.packed!.descriptorFile).toBe(path.join(out, 'linux-amd64-1.2.3.layer.json'));
    expect(JSON.parse(readFileSync(r.packed!.descriptorFile, 'utf8'))).toEqual(d);
    expect(readdirSync(out).sort()).toEqual(['linux-amd64-1.2.3.layer.json', 'linux-amd64-1.2.3.tar.gz']);
  });

  it('parent + layer, applied with OCI whiteout rules, gives back the child rootfs', async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    const r = await pack(child, [parent], path.join(tmp.path, 'out'));
    const dest = path.join(tmp.path, 'applied');
    mkdirSync(dest);
    overlay(parent, r.file, dest);
    expect(snapshot(dest, true)).toEqual(expectedChild(child, true));
  });

  const umoci = spawnSync('which', ['umoci']).status === 0;
  it.runIf(umoci)('umoci unpacks parent + layer into the child rootfs', async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    const r = await pack(child, [parent], path.join(tmp.path, 'out'));
    const layout = path.join(tmp.path, 'oci');
    const parentTar = path.join(tmp.path, 'parent.tar');
    const layerTar = path.join(tmp.path, 'layer.tar');
    execFileSync('tar', ['--numeric-owner', '-cf', parentTar, '-C', parent, '.']);
    writeFileSync(layerTar, gunzipSync(readFileSync(r.file)));
    const rootless = process.getuid?.() !== 0;
    execFileSync('umoci', ['init', '--layout', layout]);
    execFileSync('umoci', ['new', '--image', `${layout}:t`]);
    execFileSync('umoci', ['raw', 'add-layer', '--image', `${layout}:t`, parentTar]);
    execFileSync('umoci', ['raw', 'add-layer', '--image', `${layout}:t`, layerTar]);
    const bundle = path.join(tmp.path, 'bundle');
    execFileSync('umoci', ['unpack', ...(rootless ? ['--rootless'] : []), '--image', `${layout}:t`, bundle]);
    // Owners compare only when umoci could set them (as root).
    const got = snapshot(path.join(bundle, 'rootfs'), !rootless);
    const want = expectedChild(child, !rootless);
    // umoci gives the rootfs folder itself its own mode; the entries under it are what matters.
    expect(got).toEqual(want);
  });
});

describe('layer pack: output', () => {
  it('is byte-reproducible, and a parent given as a layer image gives the same layer as the folder', async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    const a = await pack(child, [parent], path.join(tmp.path, 'a'));
    const b = await pack(child, [parent], path.join(tmp.path, 'b'));
    expect(readFileSync(b.file).equals(readFileSync(a.file))).toBe(true);
    expect(readFileSync(b.packed!.descriptorFile, 'utf8')).toBe(readFileSync(a.packed!.descriptorFile, 'utf8'));
    // The parent packed whole (no parent of its own) and used as an image parent.
    const base = await pack(parent, [], path.join(tmp.path, 'base'), { version: '1.0.0' });
    const c = await pack(child, [base.file], path.join(tmp.path, 'c'));
    expect(c.packed!.descriptor.digest).toBe(a.packed!.descriptor.digest);
  });

  it('applies parents in order, base first: whiteouts and owners of a parent image count', async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    // A middle layer that deletes etc/keep.conf, owned 4321:4321 in the image.
    const mid = path.join(tmp.path, 'mid');
    execFileSync('cp', ['-a', parent, mid]);
    rmSync(path.join(mid, 'etc/keep.conf'));
    writeFileSync(path.join(mid, 'etc/owned.conf'), 'mine\n');
    const midLayer = await pack(mid, [parent], path.join(tmp.path, 'mid-out'), { owner: { uid: 4321, gid: 4321 } });
    const midListing = execFileSync('tar', ['-tvzf', midLayer.file], { encoding: 'utf8' });
    expect(midListing).toMatch(/ 0\/0 +0 1970-01-01 00:00 \.\/etc\/\.wh\.keep\.conf\n/); // markers belong to root
    expect(midListing).toMatch(/ 4321\/4321 +5 1970-01-01 00:00 \.\/etc\/owned\.conf\n/);
    writeFileSync(path.join(child, 'etc/owned.conf'), 'mine\n');
    const plan = await planLayer(child, await readParents([parent, midLayer.file]));
    // keep.conf was hidden by the middle layer: the child has it again, so it is added.
    expect(plan.added.map((c) => c.path)).toContain('/etc/keep.conf');
    // owned.conf has the same content but another owner than the middle layer gave it.
    expect(plan.changed.map((c) => c.path)).toContain('/etc/owned.conf');
  });

  it('--owner applies to the rootfs and to folder parents alike: the same layer, every entry with that owner', async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    const owner = { uid: 4321, gid: 4321 };
    const plan = await planLayer(child, await readParents([parent], { owner }), { owner });
    expect(plan.entries.map((e) => e.path)).toEqual(EXPECTED_ENTRIES);
    for (const e of plan.entries) expect([e.uid, e.gid]).toEqual(e.change === 'whiteout' || e.change === 'opaque' ? [0, 0] : [4321, 4321]);
    expect(plan.warnings).toEqual([]);
  });

  it('clamps mtimes to the given epoch (SOURCE_DATE_EPOCH), 0 without one', async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    utimesSync(path.join(child, 'etc/new.conf'), 500, 500);
    utimesSync(path.join(child, 'etc/change.conf'), 5000, 5000);
    const clamped = await planLayer(child, await readParents([parent]), { mtime: 1000 });
    expect(clamped.entries.find((e) => e.path === './etc/new.conf')!.mtime).toBe(500);
    expect(clamped.entries.find((e) => e.path === './etc/change.conf')!.mtime).toBe(1000);
    expect(clamped.entries.find((e) => e.path === './etc/.wh.gone.conf')!.mtime).toBe(1000);
    const zero = await planLayer(child, await readParents([parent]));
    expect(new Set(zero.entries.map((e) => e.mtime))).toEqual(new Set([0]));
  });

  it('a dry run lists the changes and writes nothing', async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    const out = path.join(tmp.path, 'out');
    const r = await pack(child, [parent], out, { dryRun: true });
    expect(r.packed).toBeUndefined();
    expect(r.plan.added.length).toBeGreaterThan(0);
    expect(() => readdirSync(out)).toThrow();
  });

  it('cancelled while packing or comparing, leaves no file', async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    for (const phase of ['compare', 'pack'] as const) {
      const out = path.join(tmp.path, `out-${phase}`);
      mkdirSync(out);
      const ac = new AbortController();
      const err = await pack(child, [parent], out, { signal: ac.signal, onProgress: (p) => p.phase === phase && ac.abort() }).catch((e) => e);
      expect(err).toBeInstanceOf(AppFailure);
      expect((err as AppFailure).error.code).toBe('cancelled');
      expect(readdirSync(out)).toEqual([]);
    }
  });
});

describe('layer pack: several images in one output folder', () => {
  const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { digest: string; platform: { architecture: string }; annotations: Record<string, string> };

  it('two architectures and a second version packed into one folder each keep their own descriptor', async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    const out = path.join(tmp.path, 'out');
    const amd = await pack(child, [parent], out);
    const arm = await pack(child, [parent], out, { architecture: 'arm64' });
    const next = await pack(child, [parent], out, { version: '1.3.0' });
    expect(readdirSync(out).sort()).toEqual([
      'linux-amd64-1.2.3.layer.json',
      'linux-amd64-1.2.3.tar.gz',
      'linux-amd64-1.3.0.layer.json',
      'linux-amd64-1.3.0.tar.gz',
      'linux-arm64-1.2.3.layer.json',
      'linux-arm64-1.2.3.tar.gz',
    ]);
    for (const r of [amd, arm, next]) expect(json(r.packed!.descriptorFile)).toEqual(r.packed!.descriptor);
    expect(json(path.join(out, 'linux-amd64-1.2.3.layer.json')).platform.architecture).toBe('amd64');
    expect(json(path.join(out, 'linux-arm64-1.2.3.layer.json')).platform.architecture).toBe('arm64');
  });

  it('packing the same os/arch/version again replaces that image and its descriptor only', async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    const out = path.join(tmp.path, 'out');
    await pack(child, [parent], out);
    const arm = await pack(child, [parent], out, { architecture: 'arm64' });
    const armBefore = readFileSync(arm.packed!.descriptorFile, 'utf8');
    writeFileSync(path.join(child, 'etc', 'new.conf'), 'again\n');
    const again = await pack(child, [parent], out);
    expect(json(path.join(out, 'linux-amd64-1.2.3.layer.json')).digest).toBe(again.packed!.descriptor.digest);
    expect(readFileSync(arm.packed!.descriptorFile, 'utf8')).toBe(armBefore);
  });

  it("keeps a folder's older layer.json describing another image, and removes it once its own image is packed again", async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    const out = path.join(tmp.path, 'out');
    // What packs before per-image descriptors left: the image and one layer.json for it.
    const old = await pack(child, [parent], out);
    const legacy = path.join(out, 'layer.json');
    writeFileSync(legacy, JSON.stringify(old.packed!.descriptor));
    rmSync(old.packed!.descriptorFile);
    const arm = await pack(child, [parent], out, { architecture: 'arm64' });
    expect(arm.packed!.supersededDescriptor).toBeUndefined();
    expect(json(legacy).digest).toBe(old.packed!.descriptor.digest);
    // The amd64 image it describes is replaced: the stale descriptor goes, the new one is beside the image.
    writeFileSync(path.join(child, 'etc', 'new.conf'), 'again\n');
    const again = await pack(child, [parent], out);
    expect(again.packed!.supersededDescriptor).toBe(legacy);
    expect(readdirSync(out).sort()).toEqual(['linux-amd64-1.2.3.layer.json', 'linux-amd64-1.2.3.tar.gz', 'linux-arm64-1.2.3.layer.json', 'linux-arm64-1.2.3.tar.gz']);
  });

  it("never removes a layer.json of the user's that is no layer descriptor", async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    const out = path.join(tmp.path, 'out');
    mkdirSync(out);
    writeFileSync(path.join(out, 'layer.json'), '{"name": "my notes"}');
    await pack(child, [parent], out);
    expect(readFileSync(path.join(out, 'layer.json'), 'utf8')).toBe('{"name": "my notes"}');
  });
});

describe('layer pack: failure while writing', () => {
  it('a rootfs file that changes between the plan and its copy fails the pack, and no file is left', async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    const out = path.join(tmp.path, 'out');
    let changed = false;
    const err = await pack(child, [parent], out, {
      onProgress: (p) => {
        if (p.phase === 'pack' && !changed) {
          changed = true;
          writeFileSync(path.join(child, 'var/x/y'), 'longer than when it was listed\n');
        }
      },
    }).catch((e) => e);
    expect((err as AppFailure).message).toContain('changed while it was being archived');
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('layer pack: what a layer cannot hold', () => {
  it('reads an overlayfs whiteout (0/0 character device) as a deletion and never ships it', async () => {
    expect(isOverlayWhiteout({ isCharacterDevice: () => true, rdev: 0 })).toBe(true);
    expect(isOverlayWhiteout({ isCharacterDevice: () => true, rdev: 0x0103 })).toBe(false); // /dev/null's 1/3
    expect(isOverlayWhiteout({ isCharacterDevice: () => false, rdev: 0 })).toBe(false);
    const { parent, child } = makeRootfsPair(tmp.path);
    writeFileSync(path.join(parent, 'etc/ovl'), 'hidden\n');
    const made = spawnSync('mknod', [path.join(child, 'etc/ovl'), 'c', '0', '0']).status === 0;
    if (!made) return; // unprivileged: the converter's test above is all that can run
    const r = await pack(child, [parent], path.join(tmp.path, 'out'));
    expect(r.plan.converted).toEqual(['/etc/ovl']);
    expect(r.plan.deleted.map((c) => c.path)).toContain('/etc/ovl');
    const listing = execFileSync('tar', ['-tvzf', r.file], { encoding: 'utf8' });
    expect(listing).toContain('./etc/.wh.ovl');
    expect(listing).not.toMatch(/^c/m);
  });

  it('refuses devices, FIFOs and .wh. names in the rootfs, naming each, and writes nothing', async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    execFileSync('mkfifo', [path.join(child, 'etc/pipe')]);
    writeFileSync(path.join(child, 'etc/.wh.sneaky'), '');
    const out = path.join(tmp.path, 'out');
    const err = await pack(child, [parent], out).catch((e) => e);
    expect((err as AppFailure).error.code).toBe('invalid-input');
    expect((err as AppFailure).message).toContain('etc/pipe: a FIFO');
    expect((err as AppFailure).message).toContain('etc/.wh.sneaky: a name starting with .wh.');
    expect(() => readdirSync(out)).toThrow();
  });

  it('refuses a parent in the legacy form (metadata.json + digest-named tar) instead of reading it as a rootfs', async () => {
    const { child } = makeRootfsPair(tmp.path);
    const legacy = path.join(tmp.path, 'legacy');
    mkdirSync(legacy);
    writeFileSync(path.join(legacy, 'metadata.json'), '{"mediaType": "application/vnd.aos.image.layer.v1.tar"}');
    writeFileSync(path.join(legacy, 'ab'.repeat(32)), Buffer.alloc(10240));
    const file = path.join(tmp.path, 'pylibs-x86_64-1.0.0.tar.gz');
    execFileSync('sh', ['-c', `tar -cf - -C ${legacy} . | gzip -n > ${file}`]);
    const err = await pack(child, [file], path.join(tmp.path, 'out')).catch((e) => e);
    expect((err as AppFailure).error.code).toBe('invalid-input');
    expect((err as AppFailure).message).toContain('legacy form');
  });

  it('checks version (strict SemVer), architecture (OCI names) and that the output is outside the rootfs', async () => {
    const { parent, child } = makeRootfsPair(tmp.path);
    const out = path.join(tmp.path, 'out');
    const message = async (extra: Partial<Parameters<typeof packLayer>[0]>) => ((await pack(child, [parent], out, extra).catch((e) => e)) as AppFailure).message;
    expect(await message({ version: '1.0' })).toContain("strict SemVer 2.0.0 such as 1.0.0; got '1.0'");
    expect(await message({ architecture: 'x86_64' })).toContain("the OCI name of 'x86_64' is 'amd64'");
    expect(await message({ architecture: 'mips' })).toContain('one of amd64, arm64, arm');
    expect(await message({ outDir: path.join(child, 'out') })).toContain('inside the root filesystem');
    expect(() => readdirSync(out)).toThrow();
  });
});
