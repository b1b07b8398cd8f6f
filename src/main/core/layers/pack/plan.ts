// What a layer holds: the rootfs minus the parent, decided before anything is written. The
// pack writes exactly `entries`, in order, so a dry run and a pack can never differ.
//
// Rules (layers.md §1; OCI image-spec "Changesets"):
// - an entry identical to the parent's (type, mode, owner, size and sha256 of the content,
//   symlink target) is dropped; new and changed ones are kept, with their folders;
// - a name the parent has and the rootfs does not becomes `.wh.<name>`; a parent folder
//   replaced by a non-folder, or a parent non-folder replaced by a folder, is `.wh.<name>`
//   plus the new entry (whiteouts hide the layers below only, never the layer's own entries);
// - a folder the parent had with entries, none of which the rootfs folder still has, gets one
//   `.wh..wh..opq` instead of a whiteout per name (replaced wholesale);
// - folders not in the parent that hold nothing kept are dropped; `./` is always written;
// - overlayfs whiteouts (0/0 character devices) in the rootfs count as the name being absent,
//   so they become `.wh.` entries when the parent has the name, and are never shipped.
// - a file with several names (hard links) is stored once, under the first name kept in
//   archive order; the other kept names are hard-link entries to it, as GNU tar writes them.
// Only metadata is held (one entry per kept path); contents are hashed streaming, and only for
// files whose size and metadata match the parent's.
import type { Stats } from 'node:fs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { appError, fsFailure } from '../../../../shared/errors';
import { namesNotUtf8, type ExactEntry } from '../../bundle/archive';
import { contentDigest } from './content-digest';
import { lstatAll } from './parent-folder';
import { bytesUnder, type NodeType, type TreeNode } from './tree';
import { isOverlayWhiteout, OPAQUE_MARKER, whiteoutFor, whiteoutOf } from './whiteout';

/** Why an entry is in the layer: 'folder' holds kept entries but is the parent's own. */
export type EntryChange = 'added' | 'changed' | 'whiteout' | 'opaque' | 'folder';

export interface PlannedEntry extends ExactEntry {
  change: EntryChange;
}

export interface PathChange {
  /** As the service sees it: '/usr/lib/libfoo.so.1'. */
  path: string;
  /** 'hardlink': another name of a file the layer holds already (`target`), no content of its own. */
  type: NodeType | 'hardlink';
  /** Content bytes (files); for a deletion, the bytes of everything it hides. */
  size: number;
  /** Hard links: the path of the file it is another name of. */
  target?: string;
}

export interface DeletedPath extends PathChange {
  /** `.wh.<name>`, or the folder's `.wh..wh..opq`. */
  by: 'whiteout' | 'opaque';
}

export interface LayerPlan {
  rootfs: string;
  /** Tar entries in archive order: each folder, then its opaque marker and whiteouts, then its entries by UTF-8 name. */
  entries: PlannedEntry[];
  added: PathChange[];
  changed: PathChange[];
  deleted: DeletedPath[];
  /** overlayfs character-device whiteouts found in the rootfs (converted, never shipped). */
  converted: string[];
  /** Regular files written and their content bytes (what packing reads). */
  files: number;
  bytes: number;
  /** The mtime every entry is clamped to (seconds). */
  mtime: number;
  warnings: string[];
}

export interface PlanProgress {
  /** Rootfs entries compared so far. */
  entries: number;
  /** Content bytes hashed so far (rootfs and parent files that could be identical). */
  hashed: number;
}

export interface PlanLayerOptions {
  signal?: AbortSignal;
  onProgress?: (p: PlanProgress) => void;
  /** Clamp for entry mtimes (seconds): each entry gets min(its mtime, this). Default 0. */
  mtime?: number;
  /** Write every rootfs entry with this owner (as `tar --owner --group`); default: the owner on disk. */
  owner?: { uid: number; gid: number };
}

/** Entries of the rootfs that cannot go into a layer, listed at most this many in the message. */
const LIST_MAX = 20;

const byUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'FIFO';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  return 'special file';
}

function typeOf(st: Stats): NodeType {
  if (st.isDirectory()) return 'directory';
  if (st.isFile()) return 'file';
  if (st.isSymbolicLink()) return 'symlink';
  return 'other';
}

export async function planLayer(rootfs: string, parent: TreeNode, opts: PlanLayerOptions = {}): Promise<LayerPlan> {
  const clamp = opts.mtime ?? 0;
  const signal = opts.signal;
  const plan: LayerPlan = { rootfs, entries: [], added: [], changed: [], deleted: [], converted: [], files: 0, bytes: 0, mtime: clamp, warnings: [] };
  const refused: string[] = [];
  const progress: PlanProgress = { entries: 0, hashed: 0 };
  const onHashed = (n: number) => {
    progress.hashed += n;
  };
  const ownerOf = (st: Stats) => opts.owner ?? { uid: st.uid, gid: st.gid };
  const mtimeOf = (st: Stats) => Math.max(0, Math.min(Math.floor(st.mtimeMs / 1000), clamp));
  const ownedByUser = { count: 0 };
  /** Archive path of the first kept name of each multiply-linked file, by device and inode. */
  const firstNames = new Map<string, string>();
  const myUid = typeof process.getuid === 'function' ? process.getuid() : 0;

  let rootStat: Stats;
  try {
    rootStat = await fs.stat(rootfs);
  } catch (e) {
    throw fsFailure(e, 'Cannot open the root filesystem', rootfs);
  }
  if (!rootStat.isDirectory()) throw appError('invalid-input', `The root filesystem ${rootfs} is not a folder.`, { file: rootfs });

  const sameMeta = (st: Stats, p: TreeNode) => {
    const o = ownerOf(st);
    return (st.mode & 0o7777) === p.mode && o.uid === p.uid && o.gid === p.gid;
  };

  /** Whether a rootfs non-folder is identical to the parent's entry at its path. */
  const identical = async (abs: string, st: Stats, p: TreeNode): Promise<boolean> => {
    if (typeOf(st) !== p.type) return false;
    const o = ownerOf(st);
    if (o.uid !== p.uid || o.gid !== p.gid) return false;
    if (p.type === 'symlink') return (await fs.readlink(abs)) === p.linkpath;
    if ((st.mode & 0o7777) !== p.mode || st.size !== p.size) return false;
    p.digest ??= await contentDigest(p.source!, signal, onHashed);
    return (await contentDigest(abs, signal, onHashed)) === p.digest;
  };

  const entryOf = async (abs: string, rel: string, st: Stats, change: EntryChange): Promise<PlannedEntry> => {
    const o = ownerOf(st);
    if (!opts.owner && myUid !== 0 && o.uid === myUid) ownedByUser.count++;
    const base = { mode: st.mode & 0o7777, uid: o.uid, gid: o.gid, mtime: mtimeOf(st), change };
    if (st.isDirectory()) return { path: rel ? `./${rel}/` : './', type: 'directory', size: 0, ...base };
    if (st.isSymbolicLink()) return { path: `./${rel}`, type: 'symlink', size: 0, linkpath: await fs.readlink(abs), ...base };
    if (st.nlink > 1) {
      const inode = `${st.dev}:${st.ino}`;
      const first = firstNames.get(inode);
      if (first !== undefined) return { path: `./${rel}`, type: 'hardlink', size: 0, linkpath: first, ...base };
      firstNames.set(inode, `./${rel}`);
    }
    return { path: `./${rel}`, type: 'file', size: st.size, source: abs, identity: { dev: st.dev, ino: st.ino }, ...base };
  };

  const marker = (rel: string, name: string, change: 'whiteout' | 'opaque'): PlannedEntry => ({
    path: `./${rel ? `${rel}/` : ''}${name}`,
    type: 'file',
    size: 0,
    mode: 0o644,
    uid: 0,
    gid: 0,
    mtime: clamp,
    change,
  });

  /**
   * The entries of folder `rel` (not its own entry), in archive order. `below` is the
   * parent's folder at that path, undefined when it has none.
   */
  const diffFolder = async (abs: string, rel: string, below: TreeNode | undefined): Promise<PlannedEntry[]> => {
    if (signal?.aborted) throw appError('cancelled', 'Cancelled.');
    const dirents = await fs.readdir(abs, { withFileTypes: true });
    const listed = dirents.map((d) => d.name).sort(byUtf8);
    const bad = await namesNotUtf8(abs, dirents);
    for (const escaped of bad.values()) refused.push(`${rel ? `${rel}/` : ''}${escaped}: the name is not UTF-8`);
    const names = bad.size ? listed.filter((n) => !bad.has(n)) : listed;
    const stats = await lstatAll(abs, names);
    const present = new Map<string, Stats>();
    names.forEach((name, i) => {
      const st = stats[i];
      const relPath = rel ? `${rel}/${name}` : name;
      if (isOverlayWhiteout(st)) plan.converted.push(`/${relPath}`);
      else if (whiteoutOf(name)) refused.push(`${relPath}: a name starting with .wh. would be read as a whiteout`);
      else if (typeOf(st) === 'other') refused.push(`${relPath}: a ${kindOf(st)}`);
      else present.set(name, st);
    });
    progress.entries += names.length;
    opts.onProgress?.({ ...progress });

    const out: PlannedEntry[] = [];
    const whiteouts: PlannedEntry[] = [];
    const parentNames = below ? [...below.children!.keys()].sort(byUtf8) : [];
    const opaque = parentNames.length > 0 && parentNames.every((n) => !present.has(n));
    const deleted = (name: string, by: 'whiteout' | 'opaque') => {
      const node = below!.children!.get(name)!;
      plan.deleted.push({ path: `/${rel ? `${rel}/` : ''}${name}`, type: node.type, size: bytesUnder(node), by });
    };
    if (opaque) {
      out.push(marker(rel, OPAQUE_MARKER, 'opaque'));
      for (const name of parentNames) deleted(name, 'opaque');
    } else {
      for (const name of parentNames) {
        if (!present.has(name)) {
          whiteouts.push(marker(rel, whiteoutFor(name), 'whiteout'));
          deleted(name, 'whiteout');
        }
      }
    }
    const kept: PlannedEntry[] = [];
    for (const [name, st] of present) {
      const childAbs = path.join(abs, name);
      const childRel = rel ? `${rel}/${name}` : name;
      let p = opaque ? undefined : below?.children!.get(name);
      // A folder where the parent has a non-folder, or the reverse: hide the parent's, then add.
      if (p && (p.type === 'directory') !== st.isDirectory()) {
        whiteouts.push(marker(rel, whiteoutFor(name), 'whiteout'));
        deleted(name, 'whiteout');
        p = undefined;
      }
      if (st.isDirectory()) {
        const inner = await diffFolder(childAbs, childRel, p);
        const metaChanged = p !== undefined && !p.implicit && !sameMeta(st, p);
        if (!p && inner.length === 0) continue; // a new folder holding nothing kept: dropped
        if (p && !metaChanged && inner.length === 0) continue; // the parent's folder, unchanged
        const change: EntryChange = !p ? 'added' : metaChanged ? 'changed' : 'folder';
        kept.push(await entryOf(childAbs, childRel, st, change), ...inner);
        if (change !== 'folder') (change === 'added' ? plan.added : plan.changed).push({ path: `/${childRel}`, type: 'directory', size: 0 });
        continue;
      }
      if (p && (await identical(childAbs, st, p))) continue;
      const e = await entryOf(childAbs, childRel, st, p ? 'changed' : 'added');
      kept.push(e);
      (p ? plan.changed : plan.added).push({ path: `/${childRel}`, type: e.type, size: e.size, ...(e.type === 'hardlink' ? { target: e.linkpath!.slice(1) } : {}) });
      if (e.type === 'file') {
        plan.files++;
        plan.bytes += e.size;
      }
    }
    whiteouts.sort((a, b) => byUtf8(a.path, b.path));
    return [...out, ...whiteouts, ...kept];
  };

  const inner = await diffFolder(rootfs, '', parent);
  if (refused.length) {
    const shown = refused.slice(0, LIST_MAX).map((r) => `  ${r}`).join('\n');
    const more = refused.length > LIST_MAX ? `\n  … and ${refused.length - LIST_MAX} more` : '';
    throw appError('invalid-input', `The root filesystem ${rootfs} has ${refused.length} entr${refused.length === 1 ? 'y' : 'ies'} a layer cannot hold:\n${shown}${more}`, { file: rootfs });
  }
  const rootChanged = !parent.implicit && !sameMeta(rootStat, parent);
  plan.entries = [await entryOf(rootfs, '', rootStat, rootChanged ? 'changed' : 'folder'), ...inner];
  if (rootChanged) plan.changed.push({ path: '/', type: 'directory', size: 0 });
  for (const list of [plan.added, plan.changed, plan.deleted]) list.sort((a, b) => byUtf8(a.path, b.path));
  if (ownedByUser.count) {
    plan.warnings.push(
      `${ownedByUser.count} entr${ownedByUser.count === 1 ? 'y is' : 'ies are'} owned by you (uid ${myUid}), not by root: the rootfs looks unpacked without root rights, and the unit would get them with uid ${myUid}. Pack with --owner 0:0 if they belong to root.`,
    );
  }
  return plan;
}
