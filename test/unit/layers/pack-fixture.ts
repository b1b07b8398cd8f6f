// A parent rootfs and a child rootfs built from it, covering every rule of the layer diff:
// identical files (small and large, so hashed) dropped, changes of content, mode and link
// target kept, deletions as whiteouts, a folder emptied of every parent entry (opaque), a
// folder replaced by a file and a file by a folder, new and new-but-empty folders.
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface RootfsPair {
  parent: string;
  child: string;
}

function write(root: string, rel: string, data: string | Buffer, mode = 0o644): void {
  const abs = path.join(root, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, data);
  chmodSync(abs, mode);
}

function folder(root: string, rel: string): void {
  mkdirSync(path.join(root, rel), { recursive: true });
}

/** Folders are made 0755 whatever the umask, so parent and child compare equal where meant to. */
function fixModes(root: string, rels: string[]): void {
  for (const rel of ['', ...rels]) chmodSync(path.join(root, rel), 0o755);
}

export const PARENT_FOLDERS = ['bin', 'data', 'etc', 'opt', 'opt/tool', 'removed-dir', 'removed-dir/sub', 'usr', 'usr/lib', 'usr/lib/python3', 'usr/lib/python3/old', 'var'];

export function makeRootfsPair(base: string): RootfsPair {
  const parent = path.join(base, 'parent');
  const child = path.join(base, 'child');
  const big = randomBytes(3 << 20); // over the hash chunk: hashed in several reads
  const sameSize = randomBytes(4096);
  const otherSameSize = randomBytes(4096);
  for (const root of [parent, child]) folder(root, '');

  // parent
  write(parent, 'etc/keep.conf', 'same\n');
  linkSync(path.join(parent, 'etc/keep.conf'), path.join(parent, 'etc/keep-too.conf')); // a hard link in a parent image
  write(parent, 'etc/change.conf', 'old\n');
  write(parent, 'etc/mode.sh', 'echo\n', 0o644);
  write(parent, 'etc/gone.conf', 'gone\n');
  write(parent, 'usr/lib/python3/old/a.py', 'a = 1\n');
  write(parent, 'usr/lib/python3/old/b.py', 'b = 2\n');
  write(parent, 'opt/tool/run', '#!/bin/sh\n', 0o755);
  write(parent, 'var/x', 'file\n');
  folder(parent, 'bin');
  symlinkSync('busybox', path.join(parent, 'bin/sh'));
  symlinkSync('busybox', path.join(parent, 'bin/ls'));
  write(parent, 'data/big.bin', big);
  write(parent, 'data/same-size.bin', sameSize);
  write(parent, 'removed-dir/sub/file', 'x\n');
  fixModes(parent, PARENT_FOLDERS);

  // child: the parent with changes
  write(child, 'etc/keep.conf', 'same\n');
  linkSync(path.join(child, 'etc/keep.conf'), path.join(child, 'etc/keep-too.conf'));
  write(child, 'etc/change.conf', 'new!\n');
  write(child, 'etc/mode.sh', 'echo\n', 0o755);
  write(child, 'etc/new.conf', 'new\n');
  write(child, 'usr/lib/python3/old/c.py', 'c = 3\n');
  write(child, 'usr/lib/python3/old/d.py', 'd = 4\n');
  write(child, 'opt/tool', 'now a file\n');
  write(child, 'var/x/y', 'now a folder\n');
  folder(child, 'bin');
  symlinkSync('bash', path.join(child, 'bin/sh'));
  symlinkSync('busybox', path.join(child, 'bin/ls'));
  write(child, 'data/big.bin', big);
  write(child, 'data/same-size.bin', otherSameSize);
  write(child, 'new/dir/file', 'added\n');
  // One file, two names: stored once, the second name a hard link.
  write(child, 'usr/bin/python3.11', '#!python\n', 0o755);
  linkSync(path.join(child, 'usr/bin/python3.11'), path.join(child, 'usr/bin/python3'));
  folder(child, 'new/empty');
  folder(child, 'emptyonly');
  fixModes(child, ['bin', 'data', 'etc', 'opt', 'usr', 'usr/bin', 'usr/lib', 'usr/lib/python3', 'usr/lib/python3/old', 'var', 'var/x', 'new', 'new/dir', 'new/empty', 'emptyonly']);
  return { parent, child };
}

/** The layer of makeRootfsPair, entry by entry, in archive order. */
export const EXPECTED_ENTRIES = [
  './',
  './.wh.removed-dir',
  './bin/',
  './bin/sh',
  './data/',
  './data/same-size.bin',
  './etc/',
  './etc/.wh.gone.conf',
  './etc/change.conf',
  './etc/mode.sh',
  './etc/new.conf',
  './new/',
  './new/dir/',
  './new/dir/file',
  './opt/',
  './opt/.wh.tool',
  './opt/tool',
  './usr/',
  './usr/bin/',
  './usr/bin/python3',
  './usr/bin/python3.11',
  './usr/lib/',
  './usr/lib/python3/',
  './usr/lib/python3/old/',
  './usr/lib/python3/old/.wh..wh..opq',
  './usr/lib/python3/old/c.py',
  './usr/lib/python3/old/d.py',
  './var/',
  './var/.wh.x',
  './var/x/',
  './var/x/y',
];
