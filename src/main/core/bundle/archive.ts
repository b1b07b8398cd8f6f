// Streaming, deterministic tar of a bundle's members and of the source tree. The tree is
// walked depth-first with each folder's names sorted by their UTF-8 bytes; only the current
// path's folder listings are held in memory, never the tree. Files are read in chunks and
// handed straight to the gzip stream: no copy of src/ anywhere.
import { promises as fs, type Dirent } from 'node:fs';
import path from 'node:path';
import { appError } from '../../../shared/errors';
import { entryHeader, normalMode, paddingFor, trailer } from './tar';
import type { SymlinkPolicy } from './config';

/** The mtime written for every entry (seconds since the epoch). 0 = 1970-01-01T00:00:00Z. */
export const BUNDLE_MTIME = 0;

const CHUNK = 1 << 20;
/** Small pieces (headers, small files) are gathered into buffers of about this size. */
const BATCH = 1 << 20;

export type SpecialKind = 'fifo' | 'socket' | 'char-device' | 'block-device' | 'other';

export interface ScanResult {
  files: number;
  bytes: number;
  directories: number;
  symlinks: { path: string; target: string; escapes: boolean }[];
  special: { path: string; kind: SpecialKind }[];
}

export interface ScanOptions {
  signal?: AbortSignal;
}

function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

async function listDir(dir: string): Promise<Dirent[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  return entries.sort((x, y) => byUtf8(x.name, y.name));
}

function specialKind(d: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): SpecialKind {
  if (d.isFIFO()) return 'fifo';
  if (d.isSocket()) return 'socket';
  if (d.isCharacterDevice()) return 'char-device';
  if (d.isBlockDevice()) return 'block-device';
  return 'other';
}

/**
 * Whether a relative link target climbs out of the source root. Absolute targets resolve
 * inside the container's own root filesystem (which src/ is), so they never escape.
 */
export function linkEscapes(relPath: string, target: string): boolean {
  if (target.startsWith('/')) return false;
  const parts = path.posix.dirname(relPath).split('/').filter((p) => p && p !== '.');
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return true;
      parts.pop();
    } else parts.push(part);
  }
  return false;
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw appError('cancelled', 'Cancelled.');
}

/** Counts what the archive will hold and collects what the policies need to name (a metadata-only pass). */
export async function scanTree(root: string, opts: ScanOptions = {}): Promise<ScanResult> {
  const result: ScanResult = { files: 0, bytes: 0, directories: 0, symlinks: [], special: [] };
  let rootStat;
  try {
    rootStat = await fs.stat(root);
  } catch {
    throw appError('bundle', `The source folder ${root} does not exist.`, { file: root });
  }
  if (!rootStat.isDirectory()) throw appError('bundle', `The source folder ${root} is not a folder.`, { file: root });
  const walk = async (dir: string, rel: string): Promise<void> => {
    throwIfAborted(opts.signal);
    for (const d of await listDir(dir)) {
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
        result.bytes += (await fs.lstat(abs)).size;
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

export type ArchivePart =
  | { kind: 'directory'; name: string }
  | { kind: 'bytes'; name: string; data: Buffer; mode?: number }
  | { kind: 'file'; name: string; path: string }
  | { kind: 'tree'; name: string; root: string; symlinks: SymlinkPolicy };

export interface ArchiveOptions {
  mtime?: number;
  signal?: AbortSignal;
  /** Called after each file with running totals (file content bytes and files). */
  onFile?: (p: ArchiveProgress) => void;
}

/** Reads exactly `size` bytes of a file in chunks; fails if the file shrank meanwhile. */
async function* fileChunks(abs: string, size: number, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const fh = await fs.open(abs, 'r');
  try {
    let pos = 0;
    while (pos < size) {
      throwIfAborted(signal);
      const want = Math.min(CHUNK, size - pos);
      const buf = Buffer.allocUnsafe(want);
      let filled = 0;
      while (filled < want) {
        const { bytesRead } = await fh.read(buf, filled, want - filled, pos + filled);
        if (bytesRead === 0) throw appError('io', `${abs} changed while the bundle was being built (it shrank).`, { file: abs });
        filled += bytesRead;
      }
      pos += want;
      yield buf;
    }
  } finally {
    await fh.close();
  }
}

/**
 * The tar stream, as buffers. Entry order: the parts in the order given, a tree part being its
 * directory entry then its contents depth-first, names sorted by UTF-8 bytes.
 */
export async function* tarStream(parts: ArchivePart[], opts: ArchiveOptions = {}): AsyncGenerator<Buffer> {
  const mtime = opts.mtime ?? BUNDLE_MTIME;
  const signal = opts.signal;
  const progress: ArchiveProgress = { bytes: 0, files: 0 };
  let written = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const push = (b: Buffer) => {
    pending.push(b);
    pendingBytes += b.length;
    written += b.length;
  };
  const take = (): Buffer => {
    const out = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    return out;
  };

  // Emits one regular file: header, content, padding.
  async function* file(name: string, abs: string, diskMode: number, size: number): AsyncGenerator<Buffer> {
    push(entryHeader({ path: name, type: 'file', size, mode: normalMode('file', diskMode), mtime }));
    if (size <= BATCH / 4) {
      for await (const c of fileChunks(abs, size, signal)) push(c);
    } else {
      if (pendingBytes) yield take();
      for await (const c of fileChunks(abs, size, signal)) {
        written += c.length;
        yield c;
      }
    }
    push(Buffer.alloc(paddingFor(size)));
    progress.bytes += size;
    progress.files++;
    opts.onFile?.(progress);
    if (pendingBytes >= BATCH) yield take();
  }

  async function* tree(dir: string, prefix: string, policy: SymlinkPolicy): AsyncGenerator<Buffer> {
    throwIfAborted(signal);
    for (const d of await listDir(dir)) {
      const abs = path.join(dir, d.name);
      const name = `${prefix}${d.name}`;
      const st = await fs.lstat(abs);
      if (st.isSymbolicLink()) {
        if (policy === 'delete') continue;
        if (policy === 'raise') throw appError('bundle', `Symlink found under the source folder: ${abs}.`, { file: abs });
        const target = await fs.readlink(abs);
        push(entryHeader({ path: name, type: 'symlink', size: 0, mode: 0o777, mtime, linkpath: target }));
      } else if (st.isDirectory()) {
        push(entryHeader({ path: `${name}/`, type: 'directory', size: 0, mode: 0o755, mtime }));
        yield* tree(abs, `${name}/`, policy);
      } else if (st.isFile()) {
        // Hard links are stored as regular files: each path gets its own content.
        yield* file(name, abs, st.mode, st.size);
      } else {
        throw appError('bundle', `${abs} is a ${specialKind(st)}: device files, fifos and sockets cannot go into a bundle.`, { file: abs });
      }
      if (pendingBytes >= BATCH) yield take();
    }
  }

  for (const part of parts) {
    throwIfAborted(signal);
    switch (part.kind) {
      case 'directory':
        push(entryHeader({ path: part.name, type: 'directory', size: 0, mode: 0o755, mtime }));
        break;
      case 'bytes':
        push(entryHeader({ path: part.name, type: 'file', size: part.data.length, mode: part.mode ?? 0o644, mtime }));
        push(part.data);
        push(Buffer.alloc(paddingFor(part.data.length)));
        break;
      case 'file': {
        const st = await fs.stat(part.path);
        yield* file(part.name, part.path, 0o644, st.size);
        break;
      }
      case 'tree':
        push(entryHeader({ path: part.name.endsWith('/') ? part.name : `${part.name}/`, type: 'directory', size: 0, mode: 0o755, mtime }));
        yield* tree(part.root, part.name.endsWith('/') ? part.name : `${part.name}/`, part.symlinks);
        break;
    }
    if (pendingBytes >= BATCH) yield take();
  }
  push(trailer(written));
  yield take();
}
