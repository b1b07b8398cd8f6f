// The service's root filesystem (src/): a virtualised tree over the flat listing, with
// modes, symlinks and the files the bundle refuses. Files and folders come in by
// drag-and-drop or by dialog (the destination confirmed first); rows are renamed, moved
// (dragged onto a folder), deleted and created from their context menu or the keyboard.
// The tree is one Tab stop (roving tabindex) with the keys of WAI-ARIA's tree pattern.
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { Alert, Group, Stack, Text, TextInput } from '@mantine/core';
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { IconAlertTriangle, IconFilter } from '@tabler/icons-react';
import type { SrcListing } from '../../../shared/contract';
import { formatSize } from '../../common/format';
import { baseName, joinSrcPath, parentSrcPath } from '../../common/paths';
import { NewFolderModal } from '../NewFolderModal';
import { AddFilesConfirm, type AddRequest } from './AddFilesConfirm';
import { DeleteEntryModal } from './DeleteEntryModal';
import { SrcContextMenu, type MenuAt } from './SrcContextMenu';
import { buildSrcTree, filteredRows, isDirectory, isInsideSrcPath, visibleRows, type SrcNode } from './src-tree-model';
import { SrcTreeRow } from './SrcTreeRow';
import { SrcToolbar, type PageFilePicker } from './SrcToolbar';
import { collectDropped, type PickedFile } from './read-dropped-files';
import { treeKeyAction } from './tree-keys';
import type { DeleteMode } from './use-src-edits';
import classes from './SrcTree.module.css';

const ROW_HEIGHT = 28;
/** The drag payload of a row being moved (OS files come as 'Files'). */
const ROW_DRAG = 'application/x-bundle-studio-src-path';

interface Props {
  listing: SrcListing;
  busy: boolean;
  onAddPicked: (dir: string, files: PickedFile[]) => void;
  /** Native dialog; `confirm` sees the chosen paths first. Resolves false where there is none. */
  onAddByDialog: (dir: string, folders: boolean, confirm: (paths: string[]) => Promise<boolean>) => Promise<boolean>;
  onNewFolder: (dir: string) => void;
  onNewFile?: (path: string) => Promise<string | null>;
  /** Renames or moves; resolves with the new path, or null when refused. */
  onRename?: (from: string, to: string) => Promise<string | null>;
  onDelete?: (path: string, mode: DeleteMode) => Promise<unknown>;
  /** Where a delete goes; null while unknown. */
  deleteMode?: DeleteMode | null;
  /** Called as a delete confirmation opens, so deleteMode gets known. */
  onPrepareDelete?: () => void;
}

/** The folder an action on `node` works in: the folder itself, or a file's parent. */
const folderOf = (node: SrcNode) => (isDirectory(node) ? node.path : parentSrcPath(node.path));

/** Top-level names of picked files (a picked folder shows once). */
const topNames = (files: PickedFile[]) => [...new Set(files.map((f) => f.path.split('/')[0]))];

function countInside(node: SrcNode): number {
  let n = 0;
  for (const child of node.children ?? []) n += 1 + countInside(child);
  return n;
}

export function SrcTree({ listing, busy, onAddPicked, onAddByDialog, onNewFolder, onNewFile, onRename, onDelete, deleteMode = null, onPrepareDelete }: Props) {
  const tree = useMemo(() => buildSrcTree(listing.entries), [listing]);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const [selected, setSelected] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [dropOn, setDropOn] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [renaming, setRenaming] = useState<string | null>(null);
  const [menu, setMenu] = useState<MenuAt | null>(null);
  const [deleting, setDeleting] = useState<SrcNode | null>(null);
  const [newFileIn, setNewFileIn] = useState<string | null>(null);
  const [adding, setAdding] = useState<(AddRequest & { resolve: (ok: boolean) => void }) | null>(null);
  const filtering = filter.trim() !== '';
  const rows = useMemo(() => (filtering ? filteredRows(tree, filter) : visibleRows(tree, expanded)), [tree, expanded, filter, filtering]);
  const scroller = useRef<HTMLDivElement>(null);
  const rowEls = useRef(new Map<string, HTMLDivElement>());
  const focusWanted = useRef(false);
  const picker = useRef<PageFilePicker>(null);
  const pickDir = useRef('');

  const selectedIndex = useMemo(() => (selected === null ? -1 : rows.findIndex((r) => r.node.path === selected)), [rows, selected]);
  /** The row holding the tree's one Tab stop. */
  const tabIndexRow = selectedIndex >= 0 ? selectedIndex : 0;

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // jsdom and the first paint have no layout yet: render a screenful anyway.
    initialRect: { width: 320, height: 600 },
    // The row with the Tab stop stays rendered even when scrolled away, so Tab still reaches the tree.
    rangeExtractor: useCallback(
      (range: Range) => {
        const indexes = defaultRangeExtractor(range);
        if (tabIndexRow < range.count && !indexes.includes(tabIndexRow)) indexes.push(tabIndexRow);
        return indexes.sort((a, b) => a - b);
      },
      [tabIndexRow],
    ),
  });

  const selectedRow = selectedIndex >= 0 ? rows[selectedIndex] : undefined;
  /** Where added files go: the selected folder, or the folder of the selected file. */
  const targetDir = selectedRow ? folderOf(selectedRow.node) : '';

  const modalOpen = renaming !== null || menu !== null || deleting !== null || newFileIn !== null || adding !== null;
  useEffect(() => {
    // Back to the row once a menu, a dialog or the rename field is done (not while open: it has the focus).
    if (!focusWanted.current || selected === null || modalOpen) return;
    const el = rowEls.current.get(selected);
    if (el) {
      focusWanted.current = false;
      el.focus();
    }
  });

  const toggle = (path: string, open?: boolean) =>
    setExpanded((prev) => {
      if (open !== undefined && prev.has(path) === open) return prev;
      const next = new Set(prev);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });

  /** Selects (and focuses) a path, opening its parents so it shows. */
  const reveal = (path: string) => {
    setExpanded((prev) => {
      const next = new Set(prev);
      for (let p = parentSrcPath(path); p; p = parentSrcPath(p)) next.add(p);
      return next;
    });
    setSelected(path);
    focusWanted.current = true;
  };

  const focusRow = (index: number) => {
    const row = rows[index];
    if (!row) return;
    setSelected(row.node.path);
    virtualizer.scrollToIndex(index);
    focusWanted.current = true;
  };

  const isOpen = (i: number) => (filtering ? i + 1 < rows.length && rows[i + 1].depth > rows[i].depth : expanded.has(rows[i].node.path));

  const activate = (node: SrcNode) => {
    setSelected(node.path);
    if (isDirectory(node) && !filtering) toggle(node.path);
  };

  const openMenu = (node: SrcNode, x: number, y: number) => {
    setSelected(node.path);
    setMenu({ x, y, path: node.path, dir: folderOf(node) });
  };

  const askDelete = (node: SrcNode) => {
    onPrepareDelete?.();
    setDeleting(node);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if ((e.target as HTMLElement).tagName === 'INPUT') return;
    const action = treeKeyAction(rows, tabIndexRow, e, isOpen);
    if (!action) return;
    e.preventDefault();
    const row = rows[action.index];
    switch (action.kind) {
      case 'focus':
        return focusRow(action.index);
      case 'expand':
      case 'collapse':
        if (!filtering) toggle(row.node.path, action.kind === 'expand');
        return focusRow(action.index);
      case 'activate':
        return activate(row.node);
      case 'rename':
        return onRename && setRenaming(row.node.path);
      case 'delete':
        return onDelete && askDelete(row.node);
      case 'menu': {
        const box = rowEls.current.get(row.node.path)?.getBoundingClientRect();
        return openMenu(row.node, (box?.left ?? 0) + 24, (box?.bottom ?? 0));
      }
    }
  };

  const finishRename = async (node: SrcNode, name: string | null) => {
    setRenaming(null);
    focusWanted.current = true;
    if (!name || !onRename) return;
    const moved = await onRename(node.path, joinSrcPath(parentSrcPath(node.path), name));
    if (moved) reveal(moved);
  };

  /** Moves the dragged row into `dir` ('' for src/ itself). */
  const moveInto = async (from: string, dir: string) => {
    if (!onRename || isInsideSrcPath(from, dir) || parentSrcPath(from) === dir) return;
    const moved = await onRename(from, joinSrcPath(dir, baseName(from)));
    if (moved) reveal(moved);
  };

  /** A row is being dragged (its path cannot be read before the drop). */
  const draggingRow = (e: DragEvent) => !!onRename && e.dataTransfer.types.includes(ROW_DRAG);
  const onBackground = (e: DragEvent) => (e.target as HTMLElement).closest('[role="treeitem"]') === null;

  /** Shows where the picked entries go and waits for the user's yes. */
  const confirmAdd = (dir: string, names: string[]) => new Promise<boolean>((resolve) => setAdding({ dir, names, resolve }));
  const closeAdd = (ok: boolean) => {
    adding?.resolve(ok);
    setAdding(null);
  };

  const addFlow = async (dir: string, folders: boolean) => {
    pickDir.current = dir;
    const handled = await onAddByDialog(dir, folders, (paths) => confirmAdd(dir, paths.map(baseName)));
    // Browser mode: the page's picker; the click still counts as the user's gesture.
    if (!handled) picker.current?.pick(folders);
  };

  const onPicked = (files: PickedFile[]) => {
    const dir = pickDir.current;
    void confirmAdd(dir, topNames(files)).then((ok) => ok && onAddPicked(dir, files));
  };

  const rowDragProps = (node: SrcNode) => {
    const dir = isDirectory(node);
    return {
      draggable: !!onRename && renaming !== node.path,
      onDragStart: (e: DragEvent) => {
        e.dataTransfer.setData(ROW_DRAG, node.path);
        e.dataTransfer.effectAllowed = 'move';
      },
      onDragOver: (e: DragEvent) => {
        if (!dir) return;
        const files = e.dataTransfer.types.includes('Files');
        if (!files && !draggingRow(e)) return;
        e.preventDefault();
        if (!files) e.stopPropagation();
        e.dataTransfer.dropEffect = files ? 'copy' : 'move';
        setDropOn(node.path);
      },
      onDragLeave: (e: DragEvent) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDropOn((p) => (p === node.path ? null : p));
      },
      onDrop: (e: DragEvent) => {
        if (!dir) return;
        e.preventDefault();
        e.stopPropagation();
        setDropOn(null);
        setDragging(false);
        const from = e.dataTransfer.getData(ROW_DRAG);
        if (from) return void moveInto(from, node.path);
        // OS files dropped on a folder row go into that folder: the row the user aimed at.
        const read = collectDropped(e.dataTransfer);
        void read().then((files) => files.length && onAddPicked(node.path, files));
      },
    };
  };

  const dropLabel = `Drop to add to src/${dropOn ?? targetDir}${(dropOn ?? targetDir) ? '/' : ''}`;

  return (
    <div
      className={classes.panel}
      data-dragging={dragging || undefined}
      data-drop-label={dropLabel}
      data-testid="src-tree"
      onDragOver={(e) => {
        if (draggingRow(e)) {
          // A row dragged onto the tree's background (not onto a row) moves to src/ itself.
          if (!onBackground(e)) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = 'move';
          setDropOn(null);
          return;
        }
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) {
          setDragging(false);
          setDropOn(null);
        }
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        setDropOn(null);
        const from = e.dataTransfer.getData(ROW_DRAG);
        if (from) return void (onBackground(e) && moveInto(from, ''));
        const read = collectDropped(e.dataTransfer);
        void read().then((files) => files.length && onAddPicked(targetDir, files));
      }}
    >
      <Stack gap={6} p="xs" pb={4}>
        <SrcToolbar
          targetDir={targetDir}
          busy={busy}
          picker={picker}
          onAddFiles={() => void addFlow(targetDir, false)}
          onAddFolder={() => void addFlow(targetDir, true)}
          onNewFolder={() => onNewFolder(targetDir)}
          onPicked={onPicked}
        />
        <TextInput
          size="xs"
          placeholder="Filter by name"
          aria-label="Filter src/ by name"
          leftSection={<IconFilter size={14} />}
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setFilter('');
            if (e.key === 'ArrowDown' && rows.length) {
              e.preventDefault();
              focusRow(0);
            }
          }}
        />
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            {filtering
              ? `${rows.filter((r) => r.match).length.toLocaleString()} matching`
              : `${listing.total.toLocaleString()} ${listing.total === 1 ? 'entry' : 'entries'} · ${formatSize(listing.totalBytes)}`}
          </Text>
          <Text size="xs" c="dimmed">
            into <code>src/{targetDir}</code>
          </Text>
        </Group>
        {listing.truncated && (
          <Text size="xs" c="orange">
            Showing the first {listing.entries.length.toLocaleString()} entries.
          </Text>
        )}
        {listing.special.length > 0 && (
          <Alert color="red" p={6} icon={<IconAlertTriangle size={16} />}>
            <Text size="xs">
              {listing.special.length} special {listing.special.length === 1 ? 'file' : 'files'} (devices, pipes, sockets)
              cannot go into a bundle: {listing.special.slice(0, 3).join(', ')}
              {listing.special.length > 3 ? '…' : ''}
            </Text>
          </Alert>
        )}
      </Stack>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed" ta="center" p="lg">
          {filtering
            ? `No names in src/ contain “${filter.trim()}”.`
            : 'src/ is empty. Drop files or folders here, or use the buttons above. They land where they will be in the container: src/usr/bin/… is /usr/bin/… on the unit.'}
        </Text>
      ) : (
        <div ref={scroller} className={classes.scroller} role="tree" aria-label="src/ files" onKeyDown={onKeyDown}>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index];
              const { node } = row;
              const dir = isDirectory(node);
              const open = dir && isOpen(item.index);
              return (
                <div
                  key={node.path}
                  ref={(el) => {
                    if (el) rowEls.current.set(node.path, el);
                    else rowEls.current.delete(node.path);
                  }}
                  role="treeitem"
                  aria-level={row.depth + 1}
                  aria-selected={selected === node.path}
                  aria-expanded={dir ? open : undefined}
                  // Named by its content (name, size, mode) so that what is said is what is shown.
                  tabIndex={item.index === tabIndexRow ? 0 : -1}
                  className={classes.item}
                  data-drop-target={dropOn === node.path || undefined}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                  onClick={() => activate(node)}
                  onFocus={(e) => e.target === e.currentTarget && setSelected(node.path)}
                  onContextMenu={(e) => {
                    e.preventDefault();
                    openMenu(node, e.clientX, e.clientY);
                  }}
                  {...rowDragProps(node)}
                >
                  <SrcTreeRow
                    row={row}
                    expanded={open}
                    selected={selected === node.path}
                    renaming={renaming === node.path}
                    onRenameDone={(name) => void finishRename(node, name)}
                  />
                </div>
              );
            })}
          </div>
        </div>
      )}

      <SrcContextMenu
        at={menu}
        onClose={() => {
          setMenu(null);
          focusWanted.current = true;
        }}
        onRename={() => menu && setRenaming(menu.path)}
        onNewFile={() => menu && setNewFileIn(menu.dir)}
        onNewFolder={() => menu && onNewFolder(menu.dir)}
        onAddHere={() => menu && void addFlow(menu.dir, false)}
        onDelete={() => {
          const row = menu && rows.find((r) => r.node.path === menu.path);
          if (row) askDelete(row.node);
        }}
      />
      <DeleteEntryModal
        target={deleting && { path: deleting.path, folder: isDirectory(deleting), inside: countInside(deleting) }}
        mode={deleteMode}
        onClose={() => {
          setDeleting(null);
          focusWanted.current = true;
        }}
        onConfirm={() => {
          const target = deleting;
          setDeleting(null);
          if (target && deleteMode && onDelete) void onDelete(target.path, deleteMode);
        }}
      />
      <NewFolderModal
        kind="file"
        parent={newFileIn}
        onClose={() => setNewFileIn(null)}
        onCreate={(name) => {
          const dir = newFileIn ?? '';
          setNewFileIn(null);
          void onNewFile?.(joinSrcPath(dir, name)).then((path) => path && reveal(path));
        }}
      />
      <AddFilesConfirm request={adding} onConfirm={() => closeAdd(true)} onCancel={() => closeAdd(false)} />
    </div>
  );
}
