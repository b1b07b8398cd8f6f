// Layer fixtures built in the test, one per fact source, and the two image forms made the
// way the platform's tools make them (GNU tar --numeric-owner of the diff, gzip -n).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const hasCc = spawnSync('cc', ['--version']).status === 0;

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function put(root: string, rel: string, data: string | Buffer): string {
  const p = path.join(root, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, data);
  return p;
}

export const DPKG_STATUS = `Package: zlib1g
Status: install ok installed
Priority: optional
Architecture: amd64
Version: 1:1.2.13.dfsg-1
Description: compression library - runtime
 zlib is a library implementing the deflate compression method found
 in gzip and PKZIP.

Package: oldpkg
Status: deinstall ok config-files
Architecture: amd64
Version: 0.9-1

Package: libssl3
Status: install ok installed
Architecture: amd64
Version: 3.0.11-1~deb12u2
`;

export const OPKG_STATUS = `Package: python3-requests
Version: 2.31.0-r0
Depends: python3-core
Status: install user installed
Architecture: cortexa53
License: Apache-2.0
Installed-Time: 1700000000

Package: busybox
Version: 1.36.1-r0
Status: install ok installed
Architecture: cortexa53
License: GPL-2.0-only & bzip2-1.0.6
`;

export const DIST_INFO_METADATA = `Metadata-Version: 2.4
Name: requests
Version: 2.31.0
Summary: Python HTTP for Humans.
License-Expression: Apache-2.0
Classifier: License :: OSI Approved :: Apache Software License

Requests is an elegant and simple HTTP library.
Version: 9.9.9
`;

export const EGG_INFO_PKG_INFO = `Metadata-Version: 1.1
Name: six
Version: 1.16.0
License: MIT
Description: Python 2 and 3 compatibility utilities
        over two lines
`;

/** A shared library built with the machine's C compiler, named by its soname. */
export function buildSharedLibrary(dir: string, soname: string, file: string): void {
  const src = path.join(dir, 'foo.c');
  writeFileSync(src, 'int foo(void) { return 42; }\n');
  execFileSync('cc', ['-shared', '-fPIC', `-Wl,-soname,${soname}`, '-o', path.join(dir, file), src]);
}

/**
 * A minimal ELF shared object (ELF header, PT_LOAD + PT_DYNAMIC, .dynstr, .dynamic) of any
 * class and byte order, for what the machine's compiler cannot make (32-bit, big endian).
 * The string table lies before the dynamic segment, as linkers put it; `sharedSuffix`
 * stores the soname as the tail of a longer string, as linkers that merge suffixes do.
 */
export function minimalElf(opts: { bits: 32 | 64; little: boolean; soname: string; sharedSuffix?: boolean; vaddrBase?: number }): Buffer {
  const { bits, little } = opts;
  const ehsize = bits === 64 ? 64 : 52;
  const phentsize = bits === 64 ? 56 : 32;
  const phoff = ehsize;
  const strOff = phoff + 2 * phentsize;
  const prefix = opts.sharedSuffix ? 'x' : '';
  const strtab = Buffer.from(`\0libc.so.6\0${prefix}${opts.soname}\0`);
  const sonameIndex = strtab.indexOf(opts.soname);
  const dynOff = strOff + strtab.length + ((8 - ((strOff + strtab.length) % 8)) % 8);
  const dynEntry = bits === 64 ? 16 : 8;
  const dynSize = 4 * dynEntry;
  const total = dynOff + dynSize;
  const base = opts.vaddrBase ?? 0x10000;
  const b = Buffer.alloc(total);
  const w16 = (o: number, v: number) => (little ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o));
  const w32 = (o: number, v: number) => (little ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
  const wAddr = (o: number, v: number) => (bits === 64 ? (little ? b.writeBigUInt64LE(BigInt(v), o) : b.writeBigUInt64BE(BigInt(v), o)) : w32(o, v));
  b.write('\x7fELF', 0, 'latin1');
  b[4] = bits === 64 ? 2 : 1;
  b[5] = little ? 1 : 2;
  b[6] = 1;
  w16(16, 3); // ET_DYN
  w16(18, bits === 64 ? 62 : 40);
  w32(20, 1);
  if (bits === 64) {
    wAddr(0x20, phoff);
    w16(0x34, ehsize);
    w16(0x36, phentsize);
    w16(0x38, 2);
  } else {
    w32(0x1c, phoff);
    w16(0x28, ehsize);
    w16(0x2a, phentsize);
    w16(0x2c, 2);
  }
  const phdr = (i: number, type: number, offset: number, filesz: number) => {
    const p = phoff + i * phentsize;
    w32(p, type);
    if (bits === 64) {
      wAddr(p + 8, offset);
      wAddr(p + 16, base + offset);
      wAddr(p + 24, base + offset);
      wAddr(p + 32, filesz);
      wAddr(p + 40, filesz);
    } else {
      w32(p + 4, offset);
      w32(p + 8, base + offset);
      w32(p + 12, base + offset);
      w32(p + 16, filesz);
      w32(p + 20, filesz);
    }
  };
  phdr(0, 1, 0, total);
  phdr(1, 2, dynOff, dynSize);
  strtab.copy(b, strOff);
  const dyn = (i: number, tag: number, val: number) => {
    const o = dynOff + i * dynEntry;
    wAddr(o, tag);
    wAddr(o + dynEntry / 2, val);
  };
  dyn(0, 1, 1); // DT_NEEDED libc.so.6
  dyn(1, 14, sonameIndex); // DT_SONAME
  dyn(2, 5, base + strOff); // DT_STRTAB
  dyn(3, 0, 0); // DT_NULL
  return b;
}

/** A root file system with one fact of every kind, a symlink, whiteouts and an os-release. */
export function buildRootfs(root: string): void {
  put(root, 'var/lib/dpkg/status', DPKG_STATUS);
  put(root, 'usr/lib/opkg/status', OPKG_STATUS);
  put(root, 'usr/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA', DIST_INFO_METADATA);
  put(root, 'usr/lib/python3.11/site-packages/six-1.16.0-py3.11.egg-info/PKG-INFO', EGG_INFO_PKG_INFO);
  put(root, 'usr/lib/node_modules/left-pad/package.json', JSON.stringify({ name: 'left-pad', version: '1.3.0', license: 'WTFPL' }));
  put(root, 'usr/lib/node_modules/left-pad/test/package.json', JSON.stringify({ name: 'not-a-package', version: '0.0.0' }));
  put(root, 'usr/lib/node_modules/@scope/tool/package.json', JSON.stringify({ name: '@scope/tool', version: '2.0.0-beta.1', licenses: [{ type: 'MIT' }] }));
  put(root, 'etc/os-release', 'ID=poky\nVERSION_ID="4.0.9"\n');
  put(root, 'etc/.wh.old.conf', '');
  put(root, 'opt/app/.wh..wh..opq', '');
  put(root, 'usr/share/doc/readme.txt', 'hello\n');
  mkdirSync(path.join(root, 'usr/lib'), { recursive: true });
  if (hasCc) buildSharedLibrary(path.join(root, 'usr/lib'), 'libfoo.so.1', 'libfoo.so.1.2.3');
  else writeFileSync(path.join(root, 'usr/lib/libfoo.so.1.2.3'), minimalElf({ bits: 64, little: true, soname: 'libfoo.so.1' }));
  symlinkSync('libfoo.so.1.2.3', path.join(root, 'usr/lib/libfoo.so.1'));
  writeFileSync(path.join(root, 'usr/lib/libbe.so.3.0'), minimalElf({ bits: 32, little: false, soname: 'libbe.so.3', sharedSuffix: true }));
  // The compiler's source file is not part of a layer.
  rmSync(path.join(root, 'usr/lib/foo.c'), { force: true });
}

/** The layer tar as the Yocto flow makes it: `tar --numeric-owner -cf - -C <diff> .`. */
export function layerTar(root: string): Buffer {
  return execFileSync('tar', ['--numeric-owner', '--sort=name', '-cf', '-', '-C', root, '.'], { maxBuffer: 256 << 20 });
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The current form: `<os>-<arch>-<version>.tar.gz`, gzip -n. */
export function currentImage(dir: string, root: string, name = 'linux-amd64-1.2.0.tar.gz'): { file: string; tar: Buffer; gz: Buffer } {
  const tar = layerTar(root);
  const gz = gzipSync(tar);
  return { file: put(dir, name, gz), tar, gz };
}

/** The legacy form: a .tar.gz holding metadata.json and the layer tar named by its sha256. */
export function legacyImage(dir: string, root: string, meta: Record<string, unknown> = {}): { file: string; tar: Buffer } {
  const tar = layerTar(root);
  const hex = sha256(tar);
  const stage = tempDir('legacy-stage-');
  writeFileSync(path.join(stage, hex), tar);
  const metadata = {
    mediaType: 'application/vnd.aos.image.layer.v1.tar',
    digest: `sha256:${hex}`,
    size: tar.length,
    platform: { architecture: 'x86_64', os: 'linux', osVersion: '4.0.9', osFeatures: ['python3-requests', 'busybox'] },
    annotations: { layerId: 'pylibs:1.1.0', parrentLayerId: 'base:1.0.0', parrentLayerDigest: `sha256:${'ab'.repeat(32)}` },
    ...meta,
  };
  writeFileSync(path.join(stage, 'metadata.json'), JSON.stringify(metadata));
  const outer = execFileSync('tar', ['--numeric-owner', '-cf', '-', '-C', stage, 'metadata.json', hex], { maxBuffer: 256 << 20 });
  rmSync(stage, { recursive: true, force: true });
  return { file: put(dir, 'pylibs-genericx86-64-1.1.0.tar.gz', gzipSync(outer)), tar };
}

export const readBytes = (p: string) => readFileSync(p);
