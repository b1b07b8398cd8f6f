// Lists a service's rootfs (src/) for the tree view and the checks: path, size, mode,
// symlink target, special files flagged. Breadth-first with batched lstat calls so that
// 100 000 files list in about a second without holding more than one folder level open.
import { lstat, opendir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { SrcEntry, SrcListing } from '../../../shared/contract';
import { linkEscapes } from '../bundle/archive';

export interface ListOptions {
  /** Most entries returned (the count goes on). */
  limit?: number;
  signal?: AbortSignal;
}

const LSTAT_BATCH = 256;
const FOLDER_CONCURRENCY = 8;

export async function listSourceFolder(srcDir: string, options: ListOptions = {}): Promise<SrcListing> {
  const limit = options.limit ?? 250_000;
  const entries: SrcEntry[] = [];
  const special: string[] = [];
  let total = 0;
  let totalBytes = 0;
  let folders: string[] = [''];

  try {
    const rootStat = await lstat(srcDir);
    if (!rootStat.isDirectory()) return { entries, total, truncated: false, totalBytes, special };
  } catch {
    return { entries, total, truncated: false, totalBytes, special };
  }

  while (folders.length > 0) {
    const next: string[] = [];
    // A few folders at a time: enough to keep the disk and libuv's pool busy, while each
    // batch of lstat calls stays bounded.
    for (let f = 0; f < folders.length; f += FOLDER_CONCURRENCY) {
      options.signal?.throwIfAborted();
      const listed = await Promise.all(folders.slice(f, f + FOLDER_CONCURRENCY).map((rel) => listFolder(srcDir, rel)));
      for (const described of listed) {
        for (const entry of described) {
          total++;
          if (entry.kind === 'file') totalBytes += entry.size;
          if (entry.kind === 'directory') next.push(entry.path);
          if (isSpecial(entry.kind)) special.push(entry.path);
          if (entries.length < limit) entries.push(entry);
        }
      }
    }
    folders = next;
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { entries, total, truncated: total > entries.length, totalBytes, special };
}

async function listFolder(srcDir: string, rel: string): Promise<SrcEntry[]> {
  const names: string[] = [];
  const dir = await opendir(join(srcDir, rel));
  for await (const d of dir) names.push(d.name);
  const out: SrcEntry[] = [];
  for (let i = 0; i < names.length; i += LSTAT_BATCH) {
    out.push(...(await Promise.all(names.slice(i, i + LSTAT_BATCH).map((name) => describe(srcDir, rel ? `${rel}/${name}` : name)))));
  }
  return out;
}

function isSpecial(kind: SrcEntry['kind']): boolean {
  return kind === 'fifo' || kind === 'socket' || kind === 'char-device' || kind === 'block-device' || kind === 'other';
}

async function describe(srcDir: string, rel: string): Promise<SrcEntry> {
  const full = join(srcDir, rel);
  let st;
  try {
    st = await lstat(full);
  } catch (e) {
    // A name that is not UTF-8 reaches us with U+FFFD and cannot be looked up by it: list it
    // as a special entry (the bundle refuses it too) instead of failing the whole listing.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && rel.includes('\uFFFD')) return { path: rel, kind: 'other', size: 0, mode: 0 };
    throw e;
  }
  const mode = st.mode & 0o7777;
  if (st.isSymbolicLink()) {
    const target = await readlink(full);
    return { path: rel, kind: 'symlink', size: 0, mode, target, escapes: linkEscapes(rel, target) };
  }
  const kind: SrcEntry['kind'] = st.isFile()
    ? 'file'
    : st.isDirectory()
      ? 'directory'
      : st.isFIFO()
        ? 'fifo'
        : st.isSocket()
          ? 'socket'
          : st.isCharacterDevice()
            ? 'char-device'
            : st.isBlockDevice()
              ? 'block-device'
              : 'other';
  return { path: rel, kind, size: kind === 'file' ? st.size : 0, mode };
}
