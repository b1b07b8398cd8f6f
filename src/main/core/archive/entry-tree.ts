// The tree an archive's entries build when extracted, checked entry by entry in one pass
// (each path is looked up once, each folder registered once: linear in the entries):
// no path twice (which copy a unit extracts would depend on its tool), nothing written
// through a file or a symlink, no symlink or hard link leaving the root it belongs to.
import { ArchiveError } from './archive-error';
import type { TarEntry } from './tar-reader';

type Kind = 'directory' | 'implied-directory' | 'file' | 'symlink' | 'hardlink';

export interface EntryTreeOptions {
  /**
   * The folder links must stay inside (e.g. 'service' for a bundle's inner archive; '' for
   * the whole archive). Links outside it are refused. An absolute symlink target is read
   * from this root, as a container whose root file system it is reads it.
   */
  linkRoot: string;
}

const parentOf = (p: string): string => {
  const i = p.lastIndexOf('/');
  return i === -1 ? '' : p.slice(0, i);
};

function isInside(p: string, root: string): boolean {
  return root === '' || p === root || p.startsWith(`${root}/`);
}

/** Resolves a symlink target lexically; undefined when it climbs above `root`. */
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

export class EntryTree {
  private readonly kinds = new Map<string, Kind>();

  constructor(private readonly options: EntryTreeOptions) {}

  add(entry: TarEntry): void {
    const { path, stored, offset } = entry;
    const seen = this.kinds.get(path);
    if (seen !== undefined && seen !== 'implied-directory') {
      throw new ArchiveError('duplicate', `${stored} appears twice in the archive (which copy is extracted depends on the tool)`, stored, offset);
    }
    if (seen === 'implied-directory' && entry.type !== 'directory') {
      throw new ArchiveError('duplicate', `${stored} is a ${entry.type}, but earlier entries put files inside a folder of that name`, stored, offset);
    }
    if (path !== '') this.registerParents(entry);
    const root = this.options.linkRoot;
    if (entry.type === 'symlink' || entry.type === 'hardlink') {
      const what = entry.type === 'symlink' ? 'symlink' : 'hard link';
      if (path === root) throw new ArchiveError('link', `${stored} is a ${what}, but ${root}/ must be a folder`, stored, offset);
      if (!isInside(path, root)) throw new ArchiveError('link', `${stored} is a ${what} outside ${root}/`, stored, offset);
    }
    if (entry.type === 'symlink') {
      if (resolveLinkTarget(path, entry.linkpath!, root) === undefined) {
        throw new ArchiveError('link', `the symlink ${stored} -> ${entry.linkpath} points outside ${root || 'the archive'}/`, stored, offset);
      }
    } else if (entry.type === 'hardlink') {
      const target = entry.linkpath!;
      const kind = this.kinds.get(target);
      if (!isInside(target, root) || target === root) {
        throw new ArchiveError('link', `the hard link ${stored} points outside ${root}/ (to ${target})`, stored, offset);
      }
      if (kind !== 'file' && kind !== 'hardlink') {
        throw new ArchiveError('link', `the hard link ${stored} points to ${target}, which is not an earlier file in the archive`, stored, offset);
      }
    }
    this.kinds.set(path, entry.type);
  }

  private registerParents(entry: TarEntry): void {
    for (let p = parentOf(entry.path); ; p = parentOf(p)) {
      const kind = this.kinds.get(p);
      if (kind === 'directory' || kind === 'implied-directory') return;
      if (kind !== undefined) {
        throw new ArchiveError('link', `${entry.stored} would be written through ${p || './'}, which is a ${kind}`, entry.stored, entry.offset);
      }
      this.kinds.set(p, 'implied-directory');
      if (p === '') return;
    }
  }
}
