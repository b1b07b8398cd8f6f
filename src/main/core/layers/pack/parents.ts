// The parent root filesystem: every --parent applied in order, base first, each one a folder
// or a layer image, with the OCI rules (whiteouts of a parent image hide what is below it).
import { promises as fs } from 'node:fs';
import { appError, fsFailure } from '../../../../shared/errors';
import { readParentFolder } from './parent-folder';
import { readParentImage } from './parent-image';
import { applyLayer, emptyTree, type TreeNode } from './tree';

export interface ParentProgress {
  /** Index of the parent being read (0-based). */
  parent: number;
  parents: number;
  /** Entries listed (folder) or compressed bytes read (image) of the current parent. */
  done: number;
}

export interface ReadParentsOptions {
  signal?: AbortSignal;
  onProgress?: (p: ParentProgress) => void;
  /** Owner for every entry of folder parents (as for the rootfs); images keep the owners they record. */
  owner?: { uid: number; gid: number };
}

export function isLayerImagePath(p: string): boolean {
  return p.endsWith('.tar.gz') || p.endsWith('.tgz');
}

/** The merged tree of the parents (an empty tree when there are none). */
export async function readParents(parents: readonly string[], opts: ReadParentsOptions = {}): Promise<TreeNode> {
  const merged = emptyTree();
  for (let i = 0; i < parents.length; i++) {
    const p = parents[i];
    const report = (done: number) => opts.onProgress?.({ parent: i, parents: parents.length, done });
    let st;
    try {
      st = await fs.stat(p);
    } catch (e) {
      throw fsFailure(e, 'Cannot open the parent', p);
    }
    let layer: TreeNode;
    if (st.isDirectory()) layer = await readParentFolder(p, { signal: opts.signal, onEntries: report, owner: opts.owner });
    else if (st.isFile() && isLayerImagePath(p)) layer = await readParentImage(p, merged, { signal: opts.signal, onBytes: report });
    else throw appError('invalid-input', `The parent ${p} is neither a folder nor a layer image (.tar.gz).`, { file: p });
    applyLayer(merged, layer);
  }
  return merged;
}
