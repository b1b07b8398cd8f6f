// The strict archive readers against hostile archives built here byte by byte: each class
// of input that GNU tar, Python's tarfile and a lenient reader could read differently must
// be refused, and what is accepted must list exactly what GNU tar and tarfile list.
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { ArchiveError, type ArchiveProblem } from '../../../src/main/core/archive/archive-error';
import { EntryTree } from '../../../src/main/core/archive/entry-tree';
import { gunzipOneMember } from '../../../src/main/core/archive/gzip-member';
import { TarReader, type TarEntry, type TarLimits } from '../../../src/main/core/archive/tar-reader';
import { Parser } from 'tar';
import { BLOCK, endOfArchive, entry, gnuList, gnuLong, gz, header, pax, paxRecord, pythonList, tarOf } from './raw-tar';

async function* chunks(b: Buffer, size = 777): AsyncGenerator<Buffer> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

/** Reads a tar stream as verify does (entry checks rooted at `linkRoot`), in odd-sized chunks. */
async function readTar(tar: Buffer, opts: { linkRoot?: string; limits?: TarLimits; chunk?: number } = {}): Promise<TarEntry[]> {
  const tree = new EntryTree({ linkRoot: opts.linkRoot ?? '' });
  const seen: TarEntry[] = [];
  const reader = new TarReader((e) => {
    tree.add(e);
    seen.push(e);
    return undefined;
  }, opts.limits);
  for await (const c of chunks(tar, opts.chunk)) await reader.write(c);
  reader.end();
  tree.finish();
  return seen;
}

async function problemOf(p: Promise<unknown>): Promise<ArchiveProblem | 'none'> {
  try {
    await p;
    return 'none';
  } catch (e) {
    if (e instanceof ArchiveError) return e.problem;
    throw e;
  }
}

/** What a lenient reader (the tar package, which verify used before) lists. */
async function lenientList(tar: Buffer): Promise<string[]> {
  const names: string[] = [];
  const p = new Parser({ strict: false, onReadEntry: (e) => { names.push(e.path); e.resume(); } });
  await new Promise<void>((resolve) => {
    p.on('end', resolve);
    p.on('close', resolve);
    p.end(tar);
  });
  return names;
}

const file = (name: string | Buffer, data = 'x', extra: Partial<Parameters<typeof header>[0]> = {}) => entry({ name, ...extra }, data);
const dir = (name: string) => entry({ name, type: '5', mode: 0o755 });
const symlink = (name: string, target: string) => entry({ name, type: '2', linkname: target, mode: 0o777 });
const hardlink = (name: string, target: string) => entry({ name, type: '1', linkname: target });

describe('accepted archives list what GNU tar and tarfile list', () => {
  it('reads ustar prefixes, pax paths and GNU long names the same way', async () => {
    const long = `service/${'d'.repeat(120)}/file.txt`;
    const tar = tarOf(
      dir('./'),
      dir('./service/'),
      file('file.txt', 'prefixed', { prefix: './service/sub' }),
      pax([['path', `./${long}`]]),
      file('./placeholder', 'pax'),
      gnuLong(`./service/${'g'.repeat(130)}`),
      file('./ignored-short-name', 'gnu', { magic: 'gnu' }),
      pax([['path', './service/ünïcödé'], ['mtime', '1.5'], ['SCHILY.xattr.user.a', 'b']]),
      file('./service/unicode', 'u'),
      pax([['comment', 'from git archive']], 'g'),
      symlink('./service/link', '/usr/bin/python3'),
      symlink('./service/sub/rel', '../file.txt'),
      hardlink('./service/hard', './service/sub/file.txt'),
    );
    const ours = (await readTar(tar, { linkRoot: 'service' })).map((e) => e.path);
    const strip = (n: string) => n.replace(/^\.\//, '').replace(/\/$/, '');
    const gnu = gnuList(tar);
    expect(gnu.error).toBeUndefined();
    expect(ours).toEqual(gnu.names.map(strip).map((n) => (n === '.' ? '' : n)));
    const py = pythonList(tar);
    expect(py.error).toBeUndefined();
    expect(ours).toEqual(py.names.map(strip).map((n) => (n === '.' ? '' : n)));
    expect(ours).toContain(long);
    expect(ours).toContain('service/sub/file.txt');
  });

  it('reads in chunks of any size, down to one byte', async () => {
    const long = `${'p'.repeat(200)}/${'q'.repeat(200)}`;
    const tar = tarOf(dir('./'), pax([['path', `./${long}`]]), file('./x', 'abc'), file('./y', 'b'.repeat(1500)));
    for (const chunk of [1, 3, 511, 512, 513, 100_000]) {
      expect((await readTar(tar, { chunk })).map((e) => e.path)).toEqual(['', long, 'y']);
    }
  });
});

interface HostileCase {
  name: string;
  tar: Buffer;
  problem: ArchiveProblem;
  linkRoot?: string;
}

const big = (n: number) => Buffer.alloc(n, 0x61);

const hostile: HostileCase[] = [
  // pax headers: any size is read or refused, never ignored.
  { name: 'a pax header over the 1 MiB cap', tar: tarOf(pax(Buffer.concat([paxRecord('comment', big(1 << 20)), paxRecord('path', 'evil')])), file('./innocent')), problem: 'pax' },
  { name: 'a pax record whose length is off', tar: tarOf(pax(Buffer.from('99 path=evil\n')), file('./x')), problem: 'pax' },
  { name: 'pax data padded with NUL (tarfile stops, GNU tar refuses)', tar: tarOf(pax(Buffer.concat([paxRecord('path', 'a'), Buffer.from('\0\0\0')])), file('./x')), problem: 'pax' },
  { name: 'a pax keyword given twice', tar: tarOf(pax([['path', 'a'], ['path', 'b']]), file('./x')), problem: 'pax' },
  { name: 'two pax headers for one entry', tar: tarOf(pax([['path', 'a']]), pax([['path', 'b']]), file('./x')), problem: 'pax' },
  { name: 'an empty pax path', tar: tarOf(pax([['path', '']]), file('./x')), problem: 'pax' },
  { name: 'a pax size that is not a number', tar: tarOf(pax([['size', '12abc']]), file('./x')), problem: 'pax' },
  { name: 'a pax path and a GNU long name', tar: tarOf(gnuLong('./a'), pax([['path', './b']]), file('./x')), problem: 'pax' },
  { name: 'a global pax header setting path', tar: tarOf(pax([['path', 'evil']], 'g'), file('./x')), problem: 'pax' },
  { name: 'a pax header at the end of the archive', tar: tarOf(file('./x'), pax([['path', 'a']])), problem: 'pax' },
  { name: 'a GNU sparse file in pax', tar: tarOf(pax([['GNU.sparse.major', '1'], ['GNU.sparse.minor', '0']]), file('./x')), problem: 'entry-type' },
  { name: 'a non-UTF-8 pax path', tar: tarOf(pax([['path', Buffer.from([0x66, 0xff, 0xfe])]]), file('./x')), problem: 'pax' },
  { name: 'names in a binary charset', tar: tarOf(pax([['hdrcharset', 'BINARY']]), file('./x')), problem: 'pax' },
  // duplicates, spelled alike or not
  { name: 'the same name twice', tar: tarOf(file('./a'), file('./a')), problem: 'duplicate' },
  { name: 'the same path spelled ./a and a', tar: tarOf(file('./a'), file('a')), problem: 'duplicate' },
  { name: 'the same path spelled a//b and a/./b', tar: tarOf(file('a//b'), file('a/./b')), problem: 'duplicate' },
  { name: 'a folder twice', tar: tarOf(dir('./d/'), dir('d')), problem: 'duplicate' },
  { name: 'a file where earlier entries made a folder', tar: tarOf(file('./d/x'), file('./d')), problem: 'duplicate' },
  { name: 'a pax name equal to a plain name', tar: tarOf(file('./service/a'), pax([['path', 'service/a']]), file('./other')), problem: 'duplicate' },
  // end of archive and truncation
  { name: 'an entry after the end-of-archive blocks', tar: Buffer.concat([file('./a'), endOfArchive(), file('./hidden'), endOfArchive()]), problem: 'trailing-data' },
  { name: 'an entry after one zero block', tar: Buffer.concat([file('./a'), Buffer.alloc(BLOCK), file('./hidden'), endOfArchive()]), problem: 'trailing-data' },
  { name: 'garbage after the end-of-archive blocks', tar: Buffer.concat([tarOf(file('./a')), Buffer.from('junk')]), problem: 'truncated' },
  { name: 'no end-of-archive blocks', tar: file('./a'), problem: 'truncated' },
  { name: 'a stream cut inside an entry', tar: file('./a', 'x'.repeat(2000)).subarray(0, 1024), problem: 'truncated' },
  // names
  { name: 'an absolute name', tar: tarOf(file('/etc/passwd')), problem: 'entry-name' },
  { name: 'a name with ..', tar: tarOf(file('./service/../../etc/x')), problem: 'entry-name' },
  { name: 'a name with .. that would normalise inside', tar: tarOf(file('service/a/../b')), problem: 'entry-name' },
  { name: 'an absolute pax path', tar: tarOf(pax([['path', '/etc/cron.d/x']]), file('./x')), problem: 'entry-name' },
  { name: 'a pax path with ..', tar: tarOf(pax([['path', 'service/../../x']]), file('./x')), problem: 'entry-name' },
  { name: 'a GNU long name with ..', tar: tarOf(gnuLong('../x'), file('./x', 'x', { magic: 'gnu' })), problem: 'entry-name' },
  { name: 'a non-UTF-8 name', tar: tarOf(file(Buffer.from([0x61, 0xff]))), problem: 'entry-name' },
  { name: 'a file name ending with /', tar: tarOf(file('./looks-like-a-folder/')), problem: 'entry-name' },
  { name: 'an empty name', tar: tarOf(file('')), problem: 'entry-name' },
  { name: 'a component over 255 bytes', tar: tarOf(pax([['path', `a/${'b'.repeat(256)}`]]), file('./x')), problem: 'entry-name' },
  // links
  { name: 'a symlink climbing out of service/', linkRoot: 'service', tar: tarOf(dir('./service/'), symlink('./service/up', '../../etc')), problem: 'link' },
  { name: 'a pax linkpath climbing out', linkRoot: 'service', tar: tarOf(pax([['linkpath', '../../../etc/shadow']]), symlink('./service/l', 'harmless')), problem: 'link' },
  { name: 'an absolute symlink with .. above the root', linkRoot: 'service', tar: tarOf(symlink('./service/l', '/../../etc')), problem: 'link' },
  { name: 'a symlink then a file written through it', linkRoot: 'service', tar: tarOf(symlink('./service/lnk', '/tmp'), file('./service/lnk/evil')), problem: 'link' },
  { name: 'a file then an entry inside it', linkRoot: 'service', tar: tarOf(file('./service/f'), file('./service/f/x')), problem: 'link' },
  { name: 'a hard link outside service/', linkRoot: 'service', tar: tarOf(file('./config.yaml'), hardlink('./service/h', './config.yaml')), problem: 'link' },
  { name: 'a hard link to nothing earlier', linkRoot: 'service', tar: tarOf(hardlink('./service/h', './service/later'), file('./service/later')), problem: 'link' },
  { name: 'a hard link with an absolute target', linkRoot: 'service', tar: tarOf(hardlink('./service/h', '/etc/passwd')), problem: 'link' },
  { name: 'a hard link to a folder', linkRoot: 'service', tar: tarOf(dir('./service/d/'), hardlink('./service/h', './service/d')), problem: 'link' },
  { name: 'a symlink outside service/', linkRoot: 'service', tar: tarOf(symlink('./config.yaml', 'service/x')), problem: 'link' },
  { name: 'service itself a symlink', linkRoot: 'service', tar: tarOf(symlink('./service', '/')), problem: 'link' },
  { name: 'a symlink with an empty target', linkRoot: 'service', tar: tarOf(symlink('./service/l', '')), problem: 'link' },
  // entry types
  { name: 'a character device', tar: tarOf(entry({ name: './service/dev/mem', type: '3' })), problem: 'entry-type' },
  { name: 'a block device', tar: tarOf(entry({ name: './service/dev/sda', type: '4' })), problem: 'entry-type' },
  { name: 'a FIFO', tar: tarOf(entry({ name: './service/fifo', type: '6' })), problem: 'entry-type' },
  { name: 'an unknown type', tar: tarOf(entry({ name: './x', type: 'Z' })), problem: 'entry-type' },
  { name: 'a GNU sparse entry', tar: tarOf(entry({ name: './x', type: 'S', magic: 'gnu' })), problem: 'entry-type' },
  { name: 'a GNU volume label', tar: tarOf(entry({ name: 'label', type: 'V', magic: 'gnu' })), problem: 'entry-type' },
  { name: 'a symlink carrying data (readers skip it or not)', tar: tarOf(entry({ name: './l', type: '2', linkname: 'x', size: 512 }, Buffer.concat([header({ name: './smuggled' })]))), problem: 'tar-header' },
  { name: 'a folder carrying data', tar: tarOf(entry({ name: './d/', type: '5', size: 512 }, header({ name: './smuggled' }))), problem: 'tar-header' },
  // found by an attack run: each of these passed, and tarfile or GNU tar read other entries
  { name: 'an old-style file whose header name ends in / renamed by a pax path (tarfile reads its data as headers)', tar: tarOf(pax([['path', './service/data.bin']]), entry({ name: './service/x/', type: '\0' }, file('./config.yaml', 'evil'))), problem: 'entry-name' },
  { name: 'the same, renamed by a GNU long name', tar: tarOf(gnuLong('./service/data.bin'), entry({ name: './service/x/', type: '\0', magic: 'gnu' }, file('./config.yaml', 'evil'))), problem: 'entry-name' },
  { name: 'the same with a pax size of 0', tar: tarOf(pax([['path', './service/data.bin'], ['size', '0']]), entry({ name: './service/x/', type: '\0' })), problem: 'entry-name' },
  { name: 'the same in a v7 header', tar: tarOf(pax([['path', './service/data.bin']]), entry({ name: 'service/x/', type: '\0', magic: 'v7' }, file('./config.yaml', 'evil'))), problem: 'entry-name' },
  { name: 'a pax keyword after two blanks (GNU tar honours it, tarfile does not)', tar: tarOf(pax(Buffer.from('21  path=config.yaml\n')), file('./service/innocent')), problem: 'pax' },
  { name: 'a pax keyword with a tab', tar: tarOf(pax(Buffer.from('20 \tsize=0\n')), file('./x')), problem: 'pax' },
  { name: 'a blank ustar size field (GNU tar skips ahead, tarfile reads 0)', tar: tarOf(pax([['size', '0']]), entry({ name: './x', sizeField: '           \0' })), problem: 'tar-header' },
  { name: 'a blank mode field', tar: tarOf(entry({ name: './x', patch: { at: 100, bytes: Buffer.from('       \0') } })), problem: 'tar-header' },
  { name: 'a pax uid over 32 bits', tar: tarOf(pax([['uid', '4294967296']]), file('./x')), problem: 'pax' },
  { name: 'a pax mtime that is not a time', tar: tarOf(pax([['mtime', 'abc']]), file('./x')), problem: 'pax' },
  { name: 'a GNU volume label keyword (GNU tar lists an extra entry)', tar: tarOf(pax([['GNU.volume.label', 'x']]), file('./x')), problem: 'pax' },
  { name: 'a chain of symlinks that leads out (each alone stays inside)', linkRoot: 'service', tar: tarOf(dir('./service/'), symlink('./service/x/y/z/l', '../../..'), symlink('./service/esc', 'x/y/z/l/../../../etc')), problem: 'link' },
  { name: 'the chain built in the other order', linkRoot: 'service', tar: tarOf(symlink('./service/esc', 'x/y/z/l/../../../etc'), symlink('./service/x/y/z/l', '../../..')), problem: 'link' },
  { name: 'a chain through an absolute link', linkRoot: 'service', tar: tarOf(symlink('./service/a/up', '/b'), symlink('./service/b', '..'), symlink('./service/a/esc', 'up/../..')), problem: 'link' },
  { name: 'a loop of symlinks', linkRoot: 'service', tar: tarOf(symlink('./service/a', 'b'), symlink('./service/b', 'a'), symlink('./service/c', 'a/x')), problem: 'link' },
  // headers
  { name: 'a wrong checksum', tar: tarOf(entry({ name: './a', checksum: 1234 })), problem: 'tar-header' },
  { name: 'no checksum at all', tar: tarOf(entry({ name: './a', patch: { at: 148, bytes: Buffer.alloc(0) } }).fill(0x41, 148, 156)), problem: 'tar-header' },
  { name: 'an unknown magic', tar: tarOf(entry({ name: './a', patch: { at: 257, bytes: Buffer.from('USTAR!00') } })), problem: 'tar-header' },
  { name: 'a GNU header with data in the prefix area (tarfile joins it to the name)', tar: tarOf(file('b', 'x', { magic: 'gnu', patch: { at: 345, bytes: Buffer.from('a') } })), problem: 'tar-header' },
  { name: 'a v7 header with a prefix', tar: tarOf(file('b', 'x', { magic: 'v7', patch: { at: 345, bytes: Buffer.from('evil') } })), problem: 'tar-header' },
  { name: 'a size field with stray characters', tar: tarOf(entry({ name: './a', sizeField: '0000000001x\0' }, 'x')), problem: 'tar-header' },
  { name: 'a negative base-256 size', tar: tarOf(entry({ name: './a', sizeField: '\xff'.repeat(12) })), problem: 'tar-header' },
];

describe('hostile archives are refused, each with its class of problem', () => {
  it.each(hostile.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    expect(await problemOf(readTar(c.tar, { linkRoot: c.linkRoot }))).toBe(c.problem);
  });

  it('refuses what GNU tar and the lenient reader disagree on (a 1.5 MiB pax header)', async () => {
    // GNU tar honours a pax path of any size; the tar package ignores headers over 1 MiB
    // and names the entry by its ustar field: two tools, two different files.
    const tar = tarOf(pax(Buffer.concat([paxRecord('comment', big(1_500_000)), paxRecord('path', 'service/evil')])), file('./service/innocent'));
    expect(gnuList(tar).names).toEqual(['service/evil']);
    expect(await lenientList(tar)).toEqual(['./service/innocent']);
    expect(await problemOf(readTar(tar))).toBe('pax');
  });

  it('refuses an entry hidden after the end blocks, which GNU tar does not list', async () => {
    const tar = Buffer.concat([file('./a'), endOfArchive(), file('./hidden'), endOfArchive()]);
    expect(gnuList(tar).names).toEqual(['./a']);
    expect(await problemOf(readTar(tar))).toBe('trailing-data');
  });

  it('refuses the GNU-header prefix trick, on which tarfile and GNU tar name the file differently', async () => {
    const tar = tarOf(file('b', 'x', { magic: 'gnu', patch: { at: 345, bytes: Buffer.from('a') } }));
    expect(gnuList(tar).names).toEqual(['b']);
    expect(pythonList(tar).names).toEqual(['a/b']);
    expect(await problemOf(readTar(tar))).toBe('tar-header');
  });

  it('keeps symlink chains that stay inside, as a rootfs has them', async () => {
    const tar = tarOf(
      symlink('./service/usr/lib/libz.so', 'libz.so.1'),
      symlink('./service/usr/lib/libz.so.1', 'libz.so.1.3'),
      file('./service/usr/lib/libz.so.1.3'),
      symlink('./service/lib', 'usr/lib'),
      symlink('./service/usr/lib64', '/lib'),
      symlink('./service/etc/alternatives/python', '../../usr/lib64/../bin/python3'),
      symlink('./service/bin/sh', '/usr/bin/../../../bin/dash'),
    );
    expect(await problemOf(readTar(tar, { linkRoot: 'service' }))).toBe('link');
    const fine = tarOf(...[0, 1, 2, 3, 4, 5].map((i) => [
      symlink('./service/usr/lib/libz.so', 'libz.so.1'),
      symlink('./service/usr/lib/libz.so.1', 'libz.so.1.3'),
      file('./service/usr/lib/libz.so.1.3'),
      symlink('./service/lib', 'usr/lib'),
      symlink('./service/usr/lib64', '/lib'),
      symlink('./service/etc/alternatives/python', '../../usr/lib64/../bin/python3'),
    ][i]));
    expect((await readTar(fine, { linkRoot: 'service' })).length).toBe(6);
  });

  it('bounds the work of deep paths: 2 000 entries 2 000 folders deep stop at the path cap', async () => {
    // Before, each entry hashed every prefix of its path: 12 KB of input took 41 s and
    // 400 MB, and 28 KB failed with a raw "Map maximum size exceeded".
    const deep = (i: number) => `${i}/${'a/'.repeat(2000)}f`;
    const tar = tarOf(...Array.from({ length: 2000 }, (_, i) => Buffer.concat([gnuLong(deep(i)), header({ name: 'x', magic: 'gnu' })])));
    await expect(readTar(tar)).rejects.toThrow(/paths add up to more than 128 MiB/);
  });

  it('stops at the entry cap, saying so', async () => {
    const tar = tarOf(...Array.from({ length: 11 }, (_, i) => file(`./f${i}`)));
    await expect(readTar(tar, { limits: { maxEntries: 10, maxMetaBytes: 1 << 20 } })).rejects.toThrow(/more than 10 entries/);
    expect((await readTar(tar, { limits: { maxEntries: 11, maxMetaBytes: 1 << 20 } })).length).toBe(11);
  });

  it('checks 50 000 entries with duplicate names in one linear pass', async () => {
    // Before, duplicates made verify quadratic; now the first duplicate ends the read, and
    // 50 000 distinct entries are one map entry each.
    const many = Array.from({ length: 50_000 }, (_, i) => header({ name: `./service/f${i % 25_000}` }));
    expect(await problemOf(readTar(tarOf(...many), { linkRoot: 'service' }))).toBe('duplicate');
    const distinct = Array.from({ length: 50_000 }, (_, i) => header({ name: `./service/d${i % 100}/f${i}` }));
    expect((await readTar(tarOf(...distinct), { linkRoot: 'service' })).length).toBe(50_000);
  });
});

describe('devices and FIFOs for a layer inspection (specialFiles)', () => {
  it('yields them with their device numbers when asked, and still refuses them by default', async () => {
    // devmajor 1, devminor 3 (/dev/null) in the ustar fields at 329 and 337.
    const dev = entry({ name: './dev/null', type: '3', patch: { at: 329, bytes: Buffer.from('0000001\0' + '0000003\0') } });
    const tar = tarOf(dev, entry({ name: './dev/sda', type: '4' }), entry({ name: './run/fifo', type: '6' }), file('./etc/x'));
    expect(await problemOf(readTar(tar))).toBe('entry-type');
    const seen: TarEntry[] = [];
    const reader = new TarReader((e) => void seen.push(e), undefined, { specialFiles: true });
    for await (const c of chunks(tar)) await reader.write(c);
    reader.end();
    expect(seen.map((e) => [e.path, e.type, e.device])).toEqual([
      ['dev/null', 'character-device', { major: 1, minor: 3 }],
      ['dev/sda', 'block-device', { major: 0, minor: 0 }],
      ['run/fifo', 'fifo', undefined],
      ['etc/x', 'file', undefined],
    ]);
  });
});

async function gunzip(b: Buffer, maxBytes = 1 << 30): Promise<Buffer> {
  const out: Buffer[] = [];
  await gunzipOneMember(chunks(b, 1000), (c) => void out.push(c), { maxBytes });
  return Buffer.concat(out);
}

describe('exactly one gzip member', () => {
  const data = Buffer.from('hello '.repeat(10_000));

  it('reads one member whole, with a name, a comment and a header CRC', async () => {
    expect(await gunzip(gzipSync(data))).toEqual(data);
    // gzip -n style header with FNAME, FCOMMENT and FHCRC set.
    const plain = gzipSync(data);
    const head = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 8 | 16 | 2, 0, 0, 0, 0, 0, 255]), Buffer.from('name\0comment\0')]);
    const { crc32 } = await import('node:zlib');
    const crc = Buffer.alloc(2);
    crc.writeUInt16LE(crc32(head) & 0xffff);
    expect(await gunzip(Buffer.concat([head, crc, plain.subarray(10)]))).toEqual(data);
  });

  it.each([
    ['a second gzip member (gzip and tarfile read it as more archive)', () => Buffer.concat([gzipSync(data), gzipSync(Buffer.from('more'))]), 'gzip-trailing-data'],
    ['garbage after the member', () => Buffer.concat([gzipSync(data), Buffer.from('trailing')]), 'gzip-trailing-data'],
    ['zero bytes after the member', () => Buffer.concat([gzipSync(data), Buffer.alloc(1024)]), 'gzip-trailing-data'],
    ['a plain tar', () => tarOf(file('./a')), 'not-gzip'],
    ['an empty file', () => Buffer.alloc(0), 'not-gzip'],
    ['a zlib stream', async () => (await import('node:zlib')).deflateSync(data), 'not-gzip'],
    ['a cut-off header', () => gzipSync(data).subarray(0, 6), 'truncated'],
    ['a cut-off stream', () => gzipSync(data).subarray(0, 40), 'truncated'],
    ['a missing trailer', () => { const g = gzipSync(data); return g.subarray(0, g.length - 8); }, 'truncated'],
    ['a wrong CRC', () => { const g = Buffer.from(gzipSync(data)); g[g.length - 8] ^= 1; return g; }, 'gzip'],
    ['a wrong length', () => { const g = Buffer.from(gzipSync(data)); g[g.length - 1] ^= 1; return g; }, 'gzip'],
    ['reserved flags', () => { const g = Buffer.from(gzipSync(data)); g[3] = 0x80; return g; }, 'gzip'],
    ['an unknown method', () => { const g = Buffer.from(gzipSync(data)); g[2] = 7; return g; }, 'gzip'],
    ['corrupt deflate data', () => { const g = Buffer.from(gzipSync(data)); g[12] ^= 0xff; g[13] ^= 0xff; return g; }, 'gzip'],
    ['a bad header CRC', () => { const g = gzipSync(data); return Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 2, 0, 0, 0, 0, 0, 255, 0, 0]), g.subarray(10)]); }, 'gzip'],
  ] as const)('refuses %s', async (_name, make, problem) => {
    expect(await problemOf(gunzip(await make()))).toBe(problem);
  });

  it('refuses an extra field (FEXTRA): Python\'s tarfile, streaming (r|gz), reads it as compressed data and fails where gzip and r:gz read the archive', async () => {
    const tar = tarOf(file('./a'));
    const plain = gzipSync(tar);
    const extra = Buffer.from('AB\x04\x00abcd', 'latin1');
    const xlen = Buffer.alloc(2);
    xlen.writeUInt16LE(extra.length);
    const withExtra = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 255]), xlen, extra, plain.subarray(10)]);
    // The tools disagree on this file: GNU gzip reads it, tarfile's stream mode does not.
    const streamed = execFileSync('python3', ['-c', 'import sys, tarfile, io\ntry:\n  tarfile.open(fileobj=io.BytesIO(sys.stdin.buffer.read()), mode="r|gz").getnames(); print("read")\nexcept Exception as e:\n  print("refused")\n'], { input: withExtra }).toString().trim();
    expect(streamed).toBe('refused');
    expect(execFileSync('gzip', ['-dc'], { input: withExtra }).equals(tar)).toBe(true);
    expect(await problemOf(gunzip(withExtra))).toBe('gzip');
    await expect(gunzip(withExtra)).rejects.toThrow(/extra field/);
  });

  it('stops at the decompressed-size cap, saying so', async () => {
    const bomb = gzipSync(Buffer.alloc(8 << 20));
    await expect(gunzip(bomb, 1 << 20)).rejects.toThrow(/unpacks to more than 1 MiB \(more than any real bundle/);
  });

  it('GNU tar reads a second member as more archive, so the reader refuses it', async () => {
    const first = tarOf(file('./a', 'first')).subarray(0, 1024);
    const second = tarOf(file('./b', 'second'));
    const twoMembers = Buffer.concat([gz(first), gz(second)]);
    const { execFileSync } = await import('node:child_process');
    const gnu = execFileSync('tar', ['-tzf', '-'], { input: twoMembers }).toString().split('\n').filter(Boolean);
    expect(gnu).toEqual(['./a', './b']);
    expect(await problemOf(gunzip(twoMembers))).toBe('gzip-trailing-data');
  });
});
