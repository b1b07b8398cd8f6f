// Streaming, deterministic tar of a bundle's members and of the source tree. The tree is
// walked depth-first with each folder's names sorted by their UTF-8 bytes; only the current
// path's folder listings are held in memory, never the tree. Files are read in chunks and
// handed straight to the gzip stream: no copy of src/ anywhere.
import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, lstatSync, openSync, read, statSync, promises as fs, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import { resolveLinkTarget } from '../archive/entry-tree';
import { appError, fsFailure } from '../../../shared/errors';
import { fileKindOf } from '../fs/output-target';
import { BLOCK, entryHeader, normalMode, paddingFor, trailer, type TarEntryType } from './tar';
import type { SymlinkPolicy } from './config';

/** fs.read as a promise (on a raw fd: the metadata calls around it are synchronous). */
function readAt(fd: number, buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => read(fd, buffer, offset, length, position, (err, n) => (err ? reject(err) : resolve(n))));
}

/** The mtime written for every entry (seconds since the epoch). 0 = 1970-01-01T00:00:00Z. */
export const BUNDLE_MTIME = 0;

/** Size of the buffers the tar stream yields (headers and small files gathered, large files cut). */
const CHUNK = 1 << 20;

export type SpecialKind = 'fifo' | 'socket' | 'char-device' | 'block-device' | 'other';

export interface ScanResult {
  files: number;
  bytes: number;
  directories: number;
  symlinks: { path: string; target: string; escapes: boolean }[];
  special: { path: string; kind: SpecialKind }[];
  /** Names that are not UTF-8 (a tar of a bundle stores UTF-8), relative, bad bytes as \xNN. */
  notUtf8: string[];
}

export interface ScanOptions {
  signal?: AbortSignal;
}

function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** A folder's entries sorted by their UTF-8 bytes: the order of every archive. */
export async function listDir(dir: string): Promise<Dirent[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  return entries.sort((x, y) => byUtf8(x.name, y.name));
}

/** A file name's bytes for messages: printable ASCII as is, anything else as \xNN. */
export function escapeName(raw: Buffer): string {
  let out = '';
  for (const b of raw) out += b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return out;
}

/**
 * The entries of `dir` whose names are not UTF-8, by the name Node decoded them to (with
 * U+FFFD, which no path on disk has: looking such a name up fails with ENOENT). Folders
 * without a U+FFFD in any name, nearly all of them, cost nothing more.
 */
export async function namesNotUtf8(dir: string, entries: readonly Dirent[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (!entries.some((d) => d.name.includes('\uFFFD'))) return found;
  for (const raw of await fs.readdir(dir, { encoding: 'buffer' })) {
    if (!isUtf8(raw)) found.set(raw.toString('utf8'), escapeName(raw));
  }
  return found;
}

function notUtf8Failure(file: string): never {
  throw appError('bundle', `${file}: the file name is not UTF-8; a bundle stores UTF-8 names, so rename it.`, { file });
}

/** The error for a file that changed between its listing and the end of its copy. */
function changedFailure(abs: string, listed: number, now: Stats): never {
  const what = now.isFile() ? `is now ${now.size} bytes` : `is now a ${fileKindOf(now)}`;
  throw appError('bundle', `${abs} changed while it was being archived: it was ${listed} bytes when listed and ${what}. Try again once nothing writes to it.`, { file: abs });
}

/** Which folder the walk listed: a path that resolves elsewhere now was swapped meanwhile. */
type FolderId = Pick<Stats, 'dev' | 'ino'>;

/** A file as it was listed (device and inode of its lstat or stat). */
export interface FileIdentity {
  dev: number;
  ino: number;
}

function replacedFailure(abs: string): never {
  throw appError('bundle', `${abs} changed while it was being archived: it is not the file that was listed (it, or a folder above it, was moved or replaced). Try again once nothing changes it.`, { file: abs });
}

function sameFolder(dir: string, listed: FolderId): void {
  let now: Stats | undefined;
  try {
    now = statSync(dir);
  } catch {
    now = undefined;
  }
  if (!now || !now.isDirectory() || now.dev !== listed.dev || now.ino !== listed.ino) {
    throw appError('bundle', `${dir} changed while it was being archived: the folder was moved or replaced (by a symlink, say). Try again once nothing changes it.`, { file: dir });
  }
}

export function specialKind(d: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): SpecialKind {
  if (d.isFIFO()) return 'fifo';
  if (d.isSocket()) return 'socket';
  if (d.isCharacterDevice()) return 'char-device';
  if (d.isBlockDevice()) return 'block-device';
  return 'other';
}

/**
 * Whether a link target climbs above the service root (src/, which is the container's /):
 * a relative target resolved from the link's folder, an absolute one from the root itself,
 * the way the container sees it. `../../x` from `etc/` climbs, and so does `/../x`;
 * `/usr/bin/python3` and `../usr/lib` from `etc/` do not. Purely lexical, like the verifier.
 */
export function linkEscapes(relPath: string, target: string): boolean {
  return resolveLinkTarget(relPath, target, '') === undefined;
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw appError('cancelled', 'Cancelled.');
}

/** Counts what the archive will hold and collects what the policies need to name (a metadata-only pass). */
export async function scanTree(root: string, opts: ScanOptions = {}): Promise<ScanResult> {
  const result: ScanResult = { files: 0, bytes: 0, directories: 0, symlinks: [], special: [], notUtf8: [] };
  let rootStat;
  try {
    rootStat = await fs.stat(root);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw appError('bundle', `The source folder ${root} does not exist.`, { file: root });
    throw fsFailure(e, 'Cannot open the source folder', root);
  }
  if (!rootStat.isDirectory()) throw appError('bundle', `The source folder ${root} is not a folder.`, { file: root });
  const walk = async (dir: string, rel: string): Promise<void> => {
    throwIfAborted(opts.signal);
    const listed = await listDir(dir);
    const badNames = await namesNotUtf8(dir, listed);
    for (const escaped of badNames.values()) result.notUtf8.push(rel ? `${rel}/${escaped}` : escaped);
    const entries = badNames.size ? listed.filter((d) => !badNames.has(d.name)) : listed;
    // File sizes by synchronous lstat: a few microseconds each in the kernel, where a thread
    // pool round trip costs tens (and a tree is mostly small files).
    const sizes = new Map<string, number>();
    for (const d of entries) if (d.isFile()) sizes.set(d.name, lstatSync(path.join(dir, d.name)).size);
    for (const d of entries) {
      const relPath = rel ? `${rel}/${d.name}` : d.name;
      const abs = path.join(dir, d.name);
      if (d.isSymbolicLink()) {
        const target = await fs.readlink(abs);
        result.symlinks.push({ path: relPath, target, escapes: linkEscapes(relPath, target) });
      } else if (d.isDirectory()) {
        result.directories++;
        await walk(abs, relPath);
      } else if (d.isFile()) {
        result.files++;
        result.bytes += sizes.get(d.name) ?? 0;
      } else {
        result.special.push({ path: relPath, kind: specialKind(d) });
      }
    }
  };
  await walk(root, '');
  return result;
}

export interface ArchiveProgress {
  bytes: number;
  files: number;
}

/**
 * An entry written exactly as given (mode, numeric owner, mtime), unlike a tree part's
 * normalised ones: for layer images, whose owners and modes are part of their content.
 */
export interface ExactEntry {
  /** Archive path, e.g. './usr/lib/'; directories end with '/'. */
  path: string;
  type: TarEntryType;
  /** Permission bits, setuid, setgid and sticky included. */
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  /** Content size (files only). */
  size: number;
  linkpath?: string;
  /**
   * The file whose content is the entry's (files only; opened without following links, and
   * it must still be `size` bytes). Absent: an empty file (a whiteout marker).
   */
  source?: string;
  /** The source as it was listed: another file opened at that path fails the archive. */
  identity?: FileIdentity;
}

export type ArchivePart =
  | { kind: 'directory'; name: string }
  | { kind: 'bytes'; name: string; data: Buffer; mode?: number }
  /**
   * A file from disk. `mode`: its permission bits as on disk (normalised: the executable bit
   * kept), default 0644. `size`: the size it was listed with, which the file must still have.
   * `noFollow`: opened like a tree entry (never through a symlink, never blocking).
   */
  | { kind: 'file'; name: string; path: string; mode?: number; size?: number; noFollow?: boolean; identity?: FileIdentity }
  | { kind: 'symlink'; name: string; target: string }
  | { kind: 'tree'; name: string; root: string; symlinks: SymlinkPolicy }
  | { kind: 'entries'; entries: Iterable<ExactEntry> };

export interface ArchiveOptions {
  mtime?: number;
  signal?: AbortSignal;
  /** Called after each file with running totals (file content bytes and files). */
  onFile?: (p: ArchiveProgress) => void;
  /**
   * Size of the buffers yielded (default 1 MiB): every yielded buffer is exactly this long
   * except the last one.
   */
  chunkSize?: number;
  /**
   * Reuse one buffer for every chunk (no garbage at all): a yielded buffer is then only valid
   * until the consumer asks for the next one, so the consumer must copy or fully use it first
   * (a `for await` loop that awaits its own work does; `Readable.from` does not).
   */
  reuseBuffer?: boolean;
}

/**
 * The tar stream, as buffers. Entry order: the parts in the order given, a tree part being its
 * directory entry then its contents depth-first, names sorted by UTF-8 bytes.
 *
 * Headers, padding and file contents are written into one staging buffer of `chunkSize`
 * bytes (file contents read straight into it, no intermediate copy), yielded each time it
 * is full: memory is that buffer, whatever the files' sizes.
 */
export async function* tarStream(parts: ArchivePart[], opts: ArchiveOptions = {}): AsyncGenerator<Buffer> {
  const mtime = opts.mtime ?? BUNDLE_MTIME;
  const signal = opts.signal;
  const size = Math.max(BLOCK, opts.chunkSize ?? CHUNK);
  const reuse = opts.reuseBuffer === true;
  const progress: ArchiveProgress = { bytes: 0, files: 0 };
  let buf = Buffer.allocUnsafe(size);
  let fill = 0;
  let written = 0;

  const take = (): Buffer => {
    const out = buf.subarray(0, fill);
    if (!reuse) buf = Buffer.allocUnsafe(size);
    fill = 0;
    return out;
  };
  // Copies `b` into the staging buffer, yielding each time it fills up.
  function* put(b: Buffer): Generator<Buffer> {
    let off = 0;
    while (off < b.length) {
      const n = Math.min(b.length - off, size - fill);
      b.copy(buf, fill, off, off + n);
      fill += n;
      off += n;
      written += n;
      if (fill === size) yield take();
    }
  }
  function* zeros(count: number): Generator<Buffer> {
    while (count > 0) {
      const n = Math.min(count, size - fill);
      buf.fill(0, fill, fill + n);
      fill += n;
      count -= n;
      written += n;
      if (fill === size) yield take();
    }
  }
  // Reads exactly `length` bytes of a file straight into the staging buffer. The header
  // already says `length`: a file that is no longer that size (before, during or at the end
  // of the copy) fails the archive naming it, never a silently cut or padded entry. A tree
  // entry is opened without following links and without blocking, so one swapped for a
  // symlink or a FIFO after its lstat fails instead of escaping the tree or hanging.
  async function* content(abs: string, length: number, inTree: boolean, folder?: FolderId, listed?: FileIdentity): AsyncGenerator<Buffer> {
    // open, fstat and close are synchronous: each is a few microseconds in the kernel, where a
    // round trip through libuv's thread pool (shared with the compression jobs) costs far more,
    // and a tree of small files is mostly these calls. The reads stay asynchronous.
    // Never blocking (a FIFO put in place of a file fails the size check instead of hanging
    // this thread), and never through a symlink in the tree.
    const flags = constants.O_RDONLY | constants.O_NONBLOCK | (inTree ? constants.O_NOFOLLOW : 0);
    const fd = openSync(abs, flags);
    try {
      const before = fstatSync(fd);
      if (!before.isFile() || before.size !== length) changedFailure(abs, length, before);
      // A file listed by a plan (a deployment bundle's, a layer's) is opened only as that very
      // inode: a folder above it swapped for a symlink cannot bring in another file.
      if (listed && (before.dev !== listed.dev || before.ino !== listed.ino)) replacedFailure(abs);
      // O_NOFOLLOW guards the last component only: the file opened is the tree's only if its
      // folder (and so every folder above it) is still the one listed.
      if (folder) sameFolder(path.dirname(abs), folder);
      let pos = 0;
      while (pos < length) {
        throwIfAborted(signal);
        const bytesRead = await readAt(fd, buf, fill, Math.min(length - pos, size - fill), pos);
        if (bytesRead === 0) changedFailure(abs, length, fstatSync(fd));
        fill += bytesRead;
        pos += bytesRead;
        written += bytesRead;
        if (fill === size) yield take();
      }
      const after = fstatSync(fd);
      if (after.size !== length) changedFailure(abs, length, after);
    } finally {
      closeSync(fd);
    }
  }

  // Emits one regular file: header, content, padding. The header is the bundle's (normalised
  // mode, owner 0:0, the archive's mtime) unless `exact` gives it.
  async function* file(name: string, abs: string, diskMode: number, length: number, inTree: boolean, exact?: ExactEntry, folder?: FolderId, listed?: FileIdentity): AsyncGenerator<Buffer> {
    yield* put(entryHeader(exact ?? { path: name, type: 'file', size: length, mode: normalMode('file', diskMode), mtime }));
    yield* content(abs, length, inTree, folder, listed ?? exact?.identity);
    yield* zeros(paddingFor(length));
    progress.bytes += length;
    progress.files++;
    opts.onFile?.(progress);
  }

  async function* tree(dir: string, prefix: string, policy: SymlinkPolicy, folder: FolderId): AsyncGenerator<Buffer> {
    throwIfAborted(signal);
    const entries = await listDir(dir);
    // A folder swapped for a symlink after its lstat would have listed the link's target.
    sameFolder(dir, folder);
    const badNames = await namesNotUtf8(dir, entries);
    for (const d of entries) {
      const abs = path.join(dir, d.name);
      const name = `${prefix}${d.name}`;
      if (badNames.has(d.name)) notUtf8Failure(path.join(dir, badNames.get(d.name)!));
      const st = lstatSync(abs);
      if (st.isSymbolicLink()) {
        if (policy === 'delete') continue;
        if (policy === 'raise') throw appError('bundle', `Symlink found under the source folder: ${abs}.`, { file: abs });
        const target = await fs.readlink(abs);
        yield* put(entryHeader({ path: name, type: 'symlink', size: 0, mode: 0o777, mtime, linkpath: target }));
      } else if (st.isDirectory()) {
        yield* put(entryHeader({ path: `${name}/`, type: 'directory', size: 0, mode: 0o755, mtime }));
        yield* tree(abs, `${name}/`, policy, st);
      } else if (st.isFile()) {
        // Hard links are stored as regular files: each path gets its own content.
        yield* file(name, abs, st.mode, st.size, true, undefined, folder);
      } else {
        throw appError('bundle', `${abs} is a ${specialKind(st)}: device files, fifos and sockets cannot go into a bundle.`, { file: abs });
      }
    }
  }

  for (const part of parts) {
    throwIfAborted(signal);
    switch (part.kind) {
      case 'directory':
        yield* put(entryHeader({ path: part.name, type: 'directory', size: 0, mode: 0o755, mtime }));
        break;
      case 'bytes':
        yield* put(entryHeader({ path: part.name, type: 'file', size: part.data.length, mode: part.mode ?? 0o644, mtime }));
        yield* put(part.data);
        yield* zeros(paddingFor(part.data.length));
        break;
      case 'file': {
        const length = part.size ?? (await fs.stat(part.path)).size;
        yield* file(part.name, part.path, part.mode ?? 0o644, length, part.noFollow === true, undefined, undefined, part.identity);
        break;
      }
      case 'symlink':
        yield* put(entryHeader({ path: part.name, type: 'symlink', size: 0, mode: 0o777, mtime, linkpath: part.target }));
        break;
      case 'tree':
        yield* put(entryHeader({ path: part.name.endsWith('/') ? part.name : `${part.name}/`, type: 'directory', size: 0, mode: 0o755, mtime }));
        yield* tree(part.root, part.name.endsWith('/') ? part.name : `${part.name}/`, part.symlinks, statSync(part.root));
        break;
      case 'entries':
        for (const e of part.entries) {
          throwIfAborted(signal);
          if (e.type === 'file' && e.source !== undefined) yield* file(e.path, e.source, e.mode, e.size, true, e);
          else if (e.type === 'file' && e.size !== 0) throw new Error(`tar entry ${e.path}: ${e.size} bytes but no source`);
          else yield* put(entryHeader(e));
        }
        break;
    }
  }
  yield* put(trailer(written));
  if (fill > 0) yield take();
}
