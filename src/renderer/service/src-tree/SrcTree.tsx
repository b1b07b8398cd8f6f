// The service's root filesystem (src/): a virtualised tree over the flat listing, with
// modes, symlinks and the files the bundle refuses. Files and folders come in by
// drag-and-drop or by dialog.
import { useMemo, useRef, useState } from 'react';
import { Alert, Group, Stack, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { SrcListing } from '../../../shared/contract';
import { formatSize } from '../../common/format';
import { parentSrcPath } from '../../common/paths';
import { buildSrcTree, isDirectory, visibleRows } from './src-tree-model';
import { SrcTreeRow } from './SrcTreeRow';
import { SrcToolbar } from './SrcToolbar';
import { collectDropped, type PickedFile } from './read-dropped-files';
import classes from './SrcTree.module.css';

const ROW_HEIGHT = 28;

interface Props {
  listing: SrcListing;
  busy: boolean;
  onAddPicked: (dir: string, files: PickedFile[]) => void;
  onAddByDialog: (dir: string, folders: boolean) => Promise<boolean>;
  onNewFolder: (dir: string) => void;
}

export function SrcTree({ listing, busy, onAddPicked, onAddByDialog, onNewFolder }: Props) {
  const tree = useMemo(() => buildSrcTree(listing.entries), [listing]);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const [selected, setSelected] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const rows = useMemo(() => visibleRows(tree, expanded), [tree, expanded]);
  const scroller = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // jsdom and the first paint have no layout yet: render a screenful anyway.
    initialRect: { width: 320, height: 600 },
  });

  const selectedRow = rows.find((r) => r.node.path === selected);
  /** Where added files go: the selected folder, or the folder of the selected file. */
  const targetDir = selectedRow ? (isDirectory(selectedRow.node) ? selectedRow.node.path : parentSrcPath(selectedRow.node.path)) : '';

  const toggle = (path: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });

  return (
    <div
      className={classes.panel}
      data-dragging={dragging || undefined}
      data-testid="src-tree"
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        const read = collectDropped(e.dataTransfer);
        void read().then((files) => files.length && onAddPicked(targetDir, files));
      }}
    >
      <Stack gap={6} p="xs" pb={4}>
        <SrcToolbar
          targetDir={targetDir}
          busy={busy}
          onAddFiles={() => onAddByDialog(targetDir, false)}
          onAddFolder={() => onAddByDialog(targetDir, true)}
          onNewFolder={() => onNewFolder(targetDir)}
          onPicked={(files) => onAddPicked(targetDir, files)}
        />
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            {listing.total.toLocaleString()} {listing.total === 1 ? 'entry' : 'entries'} · {formatSize(listing.totalBytes)}
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
          src/ is empty. Drop files or folders here, or use the buttons above. They land where they will be in the
          container: src/usr/bin/… is /usr/bin/… on the unit.
        </Text>
      ) : (
        <div ref={scroller} className={classes.scroller} role="tree" aria-label="src/ files">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index];
              return (
                <div
                  key={row.node.path}
                  role="treeitem"
                  aria-level={row.depth + 1}
                  aria-selected={selected === row.node.path}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                >
                  <SrcTreeRow
                    row={row}
                    expanded={expanded.has(row.node.path)}
                    selected={selected === row.node.path}
                    onClick={() => {
                      setSelected(row.node.path);
                      if (isDirectory(row.node)) toggle(row.node.path);
                    }}
                  />
                </div>
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}
