// The Files tab: every entry of the layer as a tree, virtualised (a layer holds tens of
// thousands of files), with sizes (a folder's is the sum of what is under it) and whiteouts
// marked with what they hide. Not Mantine's Tree: the src/ tree's model and a virtual list,
// so only the rows on screen are rendered.
import { useMemo, useRef, useState } from 'react';
import { Badge, Box, Group, Text, TextInput } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { IconChevronDown, IconChevronRight, IconFile, IconFolder, IconLink, IconSearch } from '@tabler/icons-react';
import type { LayerInspectionView, SrcEntry } from '../../shared/contract';
import { formatSize } from '../common/format';
import { buildSrcTree, filteredRows, isDirectory, visibleRows, type SrcNode } from '../service/src-tree/src-tree-model';

const ROW_HEIGHT = 30;
const KIND: Record<string, SrcEntry['kind']> = { file: 'file', directory: 'directory', symlink: 'symlink', fifo: 'fifo', 'character-device': 'char-device', 'block-device': 'block-device' };

function folderSizes(root: SrcNode): Map<string, number> {
  const sizes = new Map<string, number>();
  const walk = (n: SrcNode): number => {
    if (!n.children) return n.entry?.kind === 'file' ? n.entry.size : 0;
    const total = n.children.reduce((s, c) => s + walk(c), 0);
    sizes.set(n.path, total);
    return total;
  };
  walk(root);
  return sizes;
}

export function LayerFilesTree({ report }: { report: LayerInspectionView }) {
  const entries = report.entries;
  const tree = useMemo(
    () => buildSrcTree((entries ?? []).map((e): SrcEntry => ({ path: e.path, kind: KIND[e.type] ?? 'other', size: e.size, mode: 0, ...(e.linkpath !== undefined ? { target: e.linkpath } : {}) }))),
    [entries],
  );
  const sizes = useMemo(() => folderSizes(tree), [tree]);
  const hides = useMemo(() => new Map(report.whiteouts.map((w) => [w.path, w])), [report.whiteouts]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set(['']));
  const [query, setQuery] = useState('');
  const rows = useMemo(() => (query.trim() ? filteredRows(tree, query.trim()) : visibleRows(tree, expanded)), [tree, expanded, query]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // jsdom and the first paint have no layout yet: render a screenful anyway.
    initialRect: { width: 600, height: 480 },
  });
  const toggle = (path: string) =>
    setExpanded((old) => {
      const next = new Set(old);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });

  if (!entries) return <Text c="dimmed">The file list was not read for this layer.</Text>;
  return (
    <Box>
      <Group justify="space-between" mb="xs">
        <TextInput size="xs" w={280} leftSection={<IconSearch size={14} />} placeholder="Filter by name" aria-label="Filter files" value={query} onChange={(e) => setQuery(e.currentTarget.value)} />
        <Text size="sm" c="dimmed">
          {entries.length} entries, {formatSize(report.files.bytes)} in {report.files.count} files{report.entriesTruncated ? ' (more entries than listed)' : ''}
        </Text>
      </Group>
      <div ref={scroller} role="tree" aria-label="Files of the layer" tabIndex={0} style={{ height: 420, overflow: 'auto', border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-sm)' }}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const { node, depth } = rows[item.index];
            const dir = isDirectory(node);
            const open = expanded.has(node.path) || query.trim() !== '';
            const whiteout = hides.get(node.path);
            const size = dir ? sizes.get(node.path) ?? 0 : node.entry?.size ?? 0;
            return (
              <div
                key={node.path || '/'}
                role="treeitem"
                aria-level={depth + 1}
                aria-expanded={dir ? open : undefined}
                aria-selected={false}
                data-testid="layer-file-row"
                onClick={() => dir && toggle(node.path)}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)`, cursor: dir ? 'pointer' : 'default', display: 'flex', alignItems: 'center', padding: '0 var(--mantine-spacing-xs)' }}
              >
                  <Group gap={6} wrap="nowrap" pl={depth * 16} w="100%">
                    {dir ? open ? <IconChevronDown size={14} aria-hidden /> : <IconChevronRight size={14} aria-hidden /> : <span style={{ width: 14 }} />}
                    {dir ? <IconFolder size={16} aria-hidden /> : node.entry?.kind === 'symlink' ? <IconLink size={16} aria-hidden /> : <IconFile size={16} aria-hidden />}
                    <Text size="sm" ff="monospace" truncate style={{ flex: 1 }} td={whiteout ? 'line-through' : undefined}>
                      {node.path === '' ? '/' : node.name}
                      {node.entry?.kind === 'symlink' && node.entry.target ? ` → ${node.entry.target}` : ''}
                    </Text>
                    {whiteout && (
                      <Badge size="sm" color="orange" variant="light">
                        {whiteout.kind === 'opaque' ? `opaque: hides all of ${whiteout.hides}/ below` : whiteout.kind === 'whiteout' ? `whiteout: hides ${whiteout.hides}` : 'overlayfs whiteout device'}
                      </Badge>
                    )}
                    {!whiteout && (dir || node.entry?.kind === 'file') && (
                      <Text size="xs" c="dimmed" ff="monospace">
                        {formatSize(size)}
                      </Text>
                    )}
                  </Group>
              </div>
            );
          })}
        </div>
      </div>
    </Box>
  );
}
