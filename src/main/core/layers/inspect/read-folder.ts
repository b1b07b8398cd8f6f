// Reads a plain folder as a layer (an unpacked layer or a layer's diff): the same facts as
// an image, from a walk that never follows a symlink. Only fact files are opened, and each
// is streamed through the same readers as an archive entry.
import { createReadStream, type Stats } from 'node:fs';
import { lstat, opendir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { appError, fsFailure } from '../../../../shared/errors';
import { FactCollector, type CollectedFacts, type LayerEntry } from './fact-collector';
import type { InspectProgress } from './types';

export interface ReadFolderOptions {
  signal?: AbortSignal;
  /** Also list every entry (the app's Files tree). */
  listEntries?: boolean;
  onProgress?: (p: InspectProgress) => void;
}

/** As many entries as the tar reader allows a layer. */
const MAX_ENTRIES = 1_000_000;

export async function readLayerFolder(root: string, opts: ReadFolderOptions = {}): Promise<CollectedFacts> {
  const facts = new FactCollector({ listEntries: opts.listEntries });
  let entries = 0;
  let bytesRead = 0;
  // Depth-first, names sorted, so the facts come in the same order on every run.
  const stack: string[] = [''];
  while (stack.length) {
    if (opts.signal?.aborted) throw appError('cancelled', 'Cancelled.');
    const rel = stack.pop()!;
    const dir = path.join(root, rel);
    const names: string[] = [];
    try {
      for await (const d of await opendir(dir)) names.push(d.name);
    } catch (e) {
      throw fsFailure(e, 'Cannot list', dir);
    }
    names.sort();
    const subfolders: string[] = [];
    for (const name of names) {
      if (++entries > MAX_ENTRIES) throw appError('invalid-input', `${root}: more than ${MAX_ENTRIES} entries (more than any layer has)`, { file: root });
      const relPath = rel ? `${rel}/${name}` : name;
      const abs = path.join(root, relPath);
      let st: Stats;
      try {
        st = await lstat(abs);
      } catch (e) {
        throw fsFailure(e, 'Cannot look up', abs);
      }
      const entry = await entryOf(relPath, abs, st);
      if (!entry) continue;
      if (entry.type === 'directory') subfolders.push(relPath);
      const sink = facts.onEntry(entry);
      if (!sink) continue;
      try {
        for await (const c of createReadStream(abs, { highWaterMark: 1 << 20, signal: opts.signal }) as AsyncIterable<Buffer>) {
          bytesRead += c.length;
          opts.onProgress?.({ done: bytesRead, total: bytesRead });
          await sink.data(c);
        }
      } catch (e) {
        if (opts.signal?.aborted) throw appError('cancelled', 'Cancelled.');
        throw fsFailure(e, 'Cannot read', abs);
      }
      await sink.end();
    }
    for (let i = subfolders.length - 1; i >= 0; i--) stack.push(subfolders[i]);
  }
  return facts.finish();
}

async function entryOf(rel: string, abs: string, st: Stats): Promise<LayerEntry | undefined> {
  const base = { path: rel.split(path.sep).join('/'), size: 0 };
  if (st.isFile()) return { ...base, type: 'file', size: st.size };
  if (st.isDirectory()) return { ...base, type: 'directory' };
  if (st.isSymbolicLink()) return { ...base, type: 'symlink', linkpath: await readlink(abs).catch(() => '') };
  if (st.isCharacterDevice()) return { ...base, type: 'character-device', device: deviceOf(st.rdev) };
  if (st.isBlockDevice()) return { ...base, type: 'block-device', device: deviceOf(st.rdev) };
  if (st.isFIFO()) return { ...base, type: 'fifo' };
  // Sockets cannot be in an image (tar has no such entry).
  return undefined;
}

/** Linux's dev_t split (glibc's gnu_dev_major / gnu_dev_minor). */
function deviceOf(rdev: number): { major: number; minor: number } {
  const r = BigInt(rdev);
  const major = Number(((r >> 8n) & 0xfffn) | ((r >> 32n) & ~0xfffn));
  const minor = Number((r & 0xffn) | ((r >> 12n) & ~0xffn));
  return { major, minor };
}
