// The keyboard of a tree view as WAI-ARIA's tree pattern describes it
// (https://www.w3.org/WAI/ARIA/apg/patterns/treeview/): Up/Down move, Right opens a closed
// folder or enters an open one, Left closes an open folder or goes to the parent,
// Home/End, Enter activates; and the file manager's F2 (rename), Delete, and the context
// menu key (or Shift+F10). Pure, so every key is tested without a DOM.
import { isDirectory, type SrcRow } from './src-tree-model';

export type TreeKeyAction =
  | { kind: 'focus'; index: number }
  | { kind: 'expand' | 'collapse' | 'activate' | 'rename' | 'delete' | 'menu'; index: number };

export interface TreeKey {
  key: string;
  shiftKey?: boolean;
}

/**
 * What `key` does on row `index`. `open(i)` says whether row i is an open folder (its
 * children are the rows after it). Null: the key is not the tree's.
 */
export function treeKeyAction(rows: readonly SrcRow[], index: number, event: TreeKey, open: (i: number) => boolean): TreeKeyAction | null {
  if (rows.length === 0) return null;
  const last = rows.length - 1;
  const at = Math.min(Math.max(index, 0), last);
  const row = rows[at];
  switch (event.key) {
    case 'ArrowDown':
      return { kind: 'focus', index: Math.min(at + 1, last) };
    case 'ArrowUp':
      return { kind: 'focus', index: Math.max(at - 1, 0) };
    case 'Home':
      return { kind: 'focus', index: 0 };
    case 'End':
      return { kind: 'focus', index: last };
    case 'ArrowRight':
      if (!isDirectory(row.node)) return null;
      if (!open(at)) return { kind: 'expand', index: at };
      return at < last && rows[at + 1].depth > row.depth ? { kind: 'focus', index: at + 1 } : null;
    case 'ArrowLeft': {
      if (isDirectory(row.node) && open(at)) return { kind: 'collapse', index: at };
      for (let i = at - 1; i >= 0; i--) if (rows[i].depth < row.depth) return { kind: 'focus', index: i };
      return null;
    }
    case 'Enter':
      return { kind: 'activate', index: at };
    case 'F2':
      return { kind: 'rename', index: at };
    case 'Delete':
      return { kind: 'delete', index: at };
    case 'ContextMenu':
      return { kind: 'menu', index: at };
    case 'F10':
      return event.shiftKey ? { kind: 'menu', index: at } : null;
    default:
      return null;
  }
}
