// The parent's root filesystem as a tree of metadata (never content): what the layer is
// compared against. Folder parents keep the path of each file (hashed only when a rootfs file
// could be identical); image parents keep each file's sha256, taken while the image streamed
// past once. Parents are applied base first, with the OCI rules of a layer over the ones below.
export type NodeType = 'file' | 'directory' | 'symlink' | 'other';

export interface TreeNode {
  /** 'other': a device, FIFO or socket of a parent, which no rootfs entry can be identical to. */
  type: NodeType;
  /** Permission bits (with setuid, setgid, sticky). */
  mode: number;
  uid: number;
  gid: number;
  /** Content size (files). */
  size: number;
  linkpath?: string;
  /** sha256 hex of the content, once known. */
  digest?: string;
  /** Where the content can be read (files of folder parents). */
  source?: string;
  /** Folders: children by name. */
  children?: Map<string, TreeNode>;
  /** A folder no entry of its layer described (made for an entry's path): the one below keeps its metadata. */
  implicit?: boolean;
  /** In a layer not yet applied: it hides everything below it in this folder (`.wh..wh..opq`). */
  opaque?: boolean;
  /** In a layer not yet applied: names hidden in this folder (`.wh.<name>`). */
  whiteouts?: Set<string>;
}

export function folderNode(meta: { mode: number; uid: number; gid: number }, implicit = false): TreeNode {
  return { type: 'directory', mode: meta.mode, uid: meta.uid, gid: meta.gid, size: 0, children: new Map(), ...(implicit ? { implicit } : {}) };
}

/** An empty parent: nothing to compare with (every rootfs entry is added). */
export function emptyTree(): TreeNode {
  return folderNode({ mode: 0o755, uid: 0, gid: 0 }, true);
}

/** The folder at `parts` under `root`, made (implicit) where missing; a non-folder on the way is replaced. */
export function folderAt(root: TreeNode, parts: readonly string[]): TreeNode {
  let node = root;
  for (const part of parts) {
    let next = node.children!.get(part);
    if (next?.type !== 'directory') {
      next = folderNode({ mode: 0o755, uid: 0, gid: 0 }, true);
      node.children!.set(part, next);
    }
    node = next;
  }
  return node;
}

/** The node at a '/'-separated relative path ('' is the root), or undefined. */
export function nodeAt(root: TreeNode, rel: string): TreeNode | undefined {
  let node: TreeNode | undefined = root;
  for (const part of rel ? rel.split('/') : []) {
    node = node?.children?.get(part);
    if (!node) return undefined;
  }
  return node;
}

/**
 * Applies a layer (`upper`, with its whiteouts and opaque markers) over `lower`, in place:
 * whiteouts and an opaque marker of a folder hide what is below before the layer's own
 * entries go in (a layer's whiteouts never hide its own entries); a folder over a folder
 * merges, anything else replaces what was there, subtree and all.
 */
export function applyLayer(lower: TreeNode, upper: TreeNode): void {
  if (!upper.implicit) {
    lower.mode = upper.mode;
    lower.uid = upper.uid;
    lower.gid = upper.gid;
  }
  if (upper.opaque) lower.children!.clear();
  for (const name of upper.whiteouts ?? []) lower.children!.delete(name);
  for (const [name, node] of upper.children!) {
    const below = lower.children!.get(name);
    if (node.type === 'directory' && below?.type === 'directory') applyLayer(below, node);
    else lower.children!.set(name, settled(node));
  }
}

/** A layer's subtree once it lies on nothing: its markers have nothing left to hide. */
function settled(node: TreeNode): TreeNode {
  if (node.type !== 'directory') return node;
  delete node.opaque;
  delete node.whiteouts;
  delete node.implicit;
  for (const child of node.children!.values()) settled(child);
  return node;
}

/** Content bytes of the files at and under a node (what a whiteout of it hides). */
export function bytesUnder(node: TreeNode): number {
  if (node.type !== 'directory') return node.type === 'file' ? node.size : 0;
  let sum = 0;
  for (const child of node.children!.values()) sum += bytesUnder(child);
  return sum;
}
