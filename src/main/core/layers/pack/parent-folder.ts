// A parent given as a folder (an unpacked base rootfs, or an unpacked layer): read into a
// tree of metadata, stat only. File contents are hashed later, and only for files a rootfs
// file could be identical to. `.wh.` files and overlayfs 0/0 character devices in it are read
// as the whiteouts they are, so an unpacked layer or an overlay upper folder works as a parent.
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { appError, fsFailure } from '../../../../shared/errors';
import { folderNode, type TreeNode } from './tree';
import { isOverlayWhiteout, whiteoutOf } from './whiteout';

/** lstat calls in flight at once in one folder. */
const STAT_BATCH = 32;

export interface ReadFolderOptions {
  signal?: AbortSignal;
  /** Called per folder read, with the running count of entries. */
  onEntries?: (entries: number) => void;
  /** Read every entry as owned by this (the owner on disk is meaningless in a tree unpacked without root rights). */
  owner?: { uid: number; gid: number };
}

/** lstat of each name in `dir`, a batch at a time (the thread pool overlaps the calls). */
export async function lstatAll(dir: string, names: readonly string[]): Promise<Stats[]> {
  const out: Stats[] = [];
  for (let i = 0; i < names.length; i += STAT_BATCH) {
    out.push(...(await Promise.all(names.slice(i, i + STAT_BATCH).map((n) => fs.lstat(path.join(dir, n))))));
  }
  return out;
}

/** Reads a parent folder as a layer over what is below it (its whiteouts kept for applyLayer). */
export async function readParentFolder(root: string, opts: ReadFolderOptions = {}): Promise<TreeNode> {
  let rootStat: Stats;
  try {
    rootStat = await fs.stat(root);
  } catch (e) {
    throw fsFailure(e, 'Cannot open the parent folder', root);
  }
  if (!rootStat.isDirectory()) throw appError('invalid-input', `The parent ${root} is neither a folder nor a layer image (.tar.gz).`, { file: root });
  let count = 0;
  const metaOf = (st: Stats) => ({ mode: st.mode & 0o7777, uid: opts.owner?.uid ?? st.uid, gid: opts.owner?.gid ?? st.gid });
  const walk = async (dir: string, node: TreeNode): Promise<void> => {
    if (opts.signal?.aborted) throw appError('cancelled', 'Cancelled.');
    const names = await fs.readdir(dir);
    const stats = await lstatAll(dir, names);
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const st = stats[i];
      const abs = path.join(dir, name);
      const wh = whiteoutOf(name);
      if (wh?.kind === 'opaque') node.opaque = true;
      else if (wh) (node.whiteouts ??= new Set()).add(wh.hides);
      else if (isOverlayWhiteout(st)) (node.whiteouts ??= new Set()).add(name);
      else if (st.isDirectory()) {
        const child = folderNode(metaOf(st));
        node.children!.set(name, child);
        await walk(abs, child);
      } else if (st.isFile()) node.children!.set(name, { type: 'file', ...metaOf(st), size: st.size, source: abs });
      else if (st.isSymbolicLink()) node.children!.set(name, { type: 'symlink', ...metaOf(st), size: 0, linkpath: await fs.readlink(abs) });
      else node.children!.set(name, { type: 'other', ...metaOf(st), size: 0 });
    }
    count += names.length;
    opts.onEntries?.(count);
  };
  const top = folderNode(metaOf(rootStat));
  await walk(root, top);
  return top;
}
