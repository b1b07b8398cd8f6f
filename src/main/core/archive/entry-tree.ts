// The tree an archive's entries build when extracted, checked entry by entry in one pass
// (each path is looked up once, each folder registered once): no path twice (which copy a
// unit extracts would depend on its tool), nothing written through a file or a symlink, no
// hard link to anything but an earlier file. Symlinks are resolved once the archive has
// ended, through the other symlinks of the tree as a file system would follow them, so a
// chain of links that each look harmless cannot lead out of the root either.
import { ArchiveError } from './archive-error';
import type { TarEntry, TarEntryType } from './tar-reader';

/** Devices and FIFOs (from a reader given `specialFiles`) are leaves like files. */
type Kind = TarEntryType | 'implied-directory';

export interface EntryTreeOptions {
  /**
   * The folder links must stay inside (e.g. 'service' for a bundle's inner archive; '' for
   * the whole archive). Links outside it are refused. An absolute symlink target is read
   * from this root, as a container whose root file system it is reads it.
   */
  linkRoot: string;
  /** Bytes of all the paths the tree holds (entries and the folders they imply). */
  maxPathBytes?: number;
}

/** Far above a real root file system (100 000 paths of 60 bytes are 6 MB). */
const DEFAULT_MAX_PATH_BYTES = 128 << 20;
/** Symlinks followed while resolving one target, as Linux allows (ELOOP). */
const MAX_LINK_HOPS = 40;

const parentOf = (p: string): string => {
  const i = p.lastIndexOf('/');
  return i === -1 ? '' : p.slice(0, i);
};

function isInside(p: string, root: string): boolean {
  return root === '' || p === root || p.startsWith(`${root}/`);
}

/**
 * Resolves a symlink target lexically; undefined when it climbs above `root`. The sign
 * side uses it for single links; the tree resolves through other links too.
 */
export function resolveLinkTarget(linkPath: string, target: string, root: string): string | undefined {
  const rootParts = root === '' ? [] : root.split('/');
  const parts = target.startsWith('/') ? [...rootParts] : parentOf(linkPath).split('/').filter(Boolean);
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length <= rootParts.length) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/** Steps (path components walked) for resolving all of an archive's symlinks. */
const MAX_RESOLVE_STEPS = 50_000_000;

interface Node {
  kind: Kind;
  id: number;
}

export class EntryTree {
  /** Full path → node. */
  private readonly nodes = new Map<string, Node>();
  /** `${parent id}/${name}` → node id: walking a path costs its components, not its length squared. */
  private readonly children = new Map<string, number>();
  private readonly symlinks = new Map<number, { path: string; target: string; entry: TarEntry }>();
  private nextId = 1;
  private pathBytes = 0;
  private readonly maxPathBytes: number;

  constructor(private readonly options: EntryTreeOptions) {
    this.maxPathBytes = options.maxPathBytes ?? DEFAULT_MAX_PATH_BYTES;
    // The archive root, implied by any entry.
    this.nodes.set('', { kind: 'implied-directory', id: 0 });
  }

  add(entry: TarEntry): void {
    const { path, stored, offset } = entry;
    const seen = this.nodes.get(path);
    if (seen !== undefined && seen.kind !== 'implied-directory') {
      throw new ArchiveError('duplicate', `${stored} appears twice in the archive (which copy is extracted depends on the tool)`, stored, offset);
    }
    if (seen !== undefined && entry.type !== 'directory') {
      throw new ArchiveError('duplicate', `${stored} is a ${entry.type}, but earlier entries put files inside a folder of that name`, stored, offset);
    }
    const root = this.options.linkRoot;
    if (entry.type === 'symlink' || entry.type === 'hardlink') {
      const what = entry.type === 'symlink' ? 'symlink' : 'hard link';
      if (path === root) throw new ArchiveError('link', `${stored} is a ${what}, but ${root}/ must be a folder`, stored, offset);
      if (!isInside(path, root)) throw new ArchiveError('link', `${stored} is a ${what} outside ${root}/`, stored, offset);
    }
    if (entry.type === 'symlink') {
      // Checked alone now (for an early, clear message), through the others at the end.
      if (resolveLinkTarget(path, entry.linkpath!, root) === undefined) {
        throw new ArchiveError('link', `the symlink ${stored} -> ${entry.linkpath} points outside ${root || 'the archive'}/`, stored, offset);
      }
    } else if (entry.type === 'hardlink') {
      const target = entry.linkpath!;
      const kind = this.nodes.get(target)?.kind;
      if (!isInside(target, root) || target === root) {
        throw new ArchiveError('link', `the hard link ${stored} points outside ${root}/ (to ${target})`, stored, offset);
      }
      if (kind !== 'file' && kind !== 'hardlink') {
        throw new ArchiveError('link', `the hard link ${stored} points to ${target}, which is not an earlier file in the archive`, stored, offset);
      }
    }
    if (seen) {
      seen.kind = entry.type;
      return;
    }
    const parentId = this.registerParents(entry);
    const node = this.newNode(path, entry.type, parentId, entry);
    if (entry.type === 'symlink') this.symlinks.set(node.id, { path, target: entry.linkpath!, entry });
  }

  /** After the last entry: every symlink, followed through the others, stays inside the root. */
  finish(): void {
    const root = this.options.linkRoot;
    const rootStack = this.stackOf(root);
    const budget = { steps: MAX_RESOLVE_STEPS };
    for (const { path, target, entry } of this.symlinks.values()) {
      const where = rootStack && this.follow(this.stackOf(parentOf(path))!, target, rootStack, budget);
      if (where === 'outside') {
        throw new ArchiveError('link', `the symlink ${entry.stored} -> ${target} leads outside ${root || 'the archive'}/ through other symlinks`, entry.stored, entry.offset);
      }
      if (where === 'loop') throw new ArchiveError('link', `the symlink ${entry.stored} -> ${target} is part of a loop of symlinks`, entry.stored, entry.offset);
      if (where === 'budget') throw new ArchiveError('limit', 'the archive\'s symlinks take too long to resolve (no real bundle has such chains)', entry.stored, entry.offset);
    }
  }

  /** Node ids from the archive root down to `path` (a folder of the tree). */
  private stackOf(path: string): number[] | undefined {
    const stack = [0];
    if (path === '') return stack;
    let id = 0;
    for (const name of path.split('/')) {
      const child = this.children.get(`${id}/${name}`);
      if (child === undefined) return undefined;
      stack.push((id = child));
    }
    return stack;
  }

  /**
   * Resolves `target` from the folder `start` as the kernel would, following the tree's
   * symlinks. Components the archive does not hold are walked as plain names (-1).
   */
  private follow(start: number[], target: string, rootStack: number[], budget: { steps: number }): 'inside' | 'outside' | 'loop' | 'budget' {
    const stack = target.startsWith('/') ? [...rootStack] : [...start];
    const pending = target.split('/').reverse();
    let hops = 0;
    while (pending.length) {
      if (--budget.steps < 0) return 'budget';
      const c = pending.pop()!;
      if (c === '' || c === '.') continue;
      if (c === '..') {
        if (stack.length <= rootStack.length) return 'outside';
        stack.pop();
        continue;
      }
      const top = stack[stack.length - 1];
      const child = top === -1 ? undefined : this.children.get(`${top}/${c}`);
      const link = child === undefined ? undefined : this.symlinks.get(child);
      if (!link) {
        stack.push(child ?? -1);
        continue;
      }
      if (++hops > MAX_LINK_HOPS) return 'loop';
      if (link.target.startsWith('/')) stack.splice(0, stack.length, ...rootStack);
      for (const t of link.target.split('/').reverse()) pending.push(t);
    }
    return 'inside';
  }

  private newNode(path: string, kind: Kind, parentId: number, entry: TarEntry): Node {
    this.pathBytes += path.length + 1;
    if (this.pathBytes > this.maxPathBytes) {
      throw new ArchiveError('limit', `the archive's paths add up to more than ${this.maxPathBytes >> 20} MiB (no real bundle has as many)`, entry.stored, entry.offset);
    }
    const node = { kind, id: this.nextId++ };
    this.nodes.set(path, node);
    this.children.set(`${parentId}/${path.slice(path.lastIndexOf('/') + 1)}`, node.id);
    return node;
  }

  /** Registers the folders `entry` implies; returns the id of its parent folder. */
  private registerParents(entry: TarEntry): number {
    const missing: string[] = [];
    let p = parentOf(entry.path);
    let known: Node | undefined;
    // Walk up to the first folder already known: each new folder is hashed once.
    for (;;) {
      known = this.nodes.get(p);
      if (known) break;
      missing.push(p);
      p = parentOf(p);
    }
    if (known.kind !== 'directory' && known.kind !== 'implied-directory') {
      throw new ArchiveError('link', `${entry.stored} would be written through ${p || './'}, which is a ${known.kind}`, entry.stored, entry.offset);
    }
    let id = known.id;
    for (let i = missing.length - 1; i >= 0; i--) id = this.newNode(missing[i], 'implied-directory', id, entry).id;
    return id;
  }
}

/**
 * The first symlink of a source tree that leads above its root, alone or through the
 * others: what the tree check of verify would refuse, for sign to refuse first. Only links
 * matter to the walk (other components are plain names), so only links are given.
 */
export function escapingSymlink(links: { path: string; target: string }[]): { path: string; target: string; message: string } | undefined {
  const tree = new EntryTree({ linkRoot: '' });
  try {
    for (const [i, l] of links.entries()) tree.add({ path: l.path, stored: l.path, type: 'symlink', size: 0, mode: 0o777, uid: 0, gid: 0, linkpath: l.target, offset: i });
    tree.finish();
    return undefined;
  } catch (e) {
    if (!(e instanceof ArchiveError) || e.offset === undefined) throw e;
    const l = links[e.offset];
    return { ...l, message: e.message };
  }
}
