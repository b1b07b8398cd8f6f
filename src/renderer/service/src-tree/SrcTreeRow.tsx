import { useRef, useState } from 'react';
import { Group, Text, TextInput, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconChevronDown, IconChevronRight, IconFile, IconFolder, IconFolderOpen, IconLink, IconSkull } from '@tabler/icons-react';
import { formatMode, formatSize } from '../../common/format';
import { isDirectory, isSpecial, type SrcRow } from './src-tree-model';
import classes from './SrcTree.module.css';

interface Props {
  row: SrcRow;
  expanded: boolean;
  selected: boolean;
  /** Inline rename: the name field replaces the name; Enter or leaving it commits, Escape cancels. */
  renaming?: boolean;
  onRenameDone?: (name: string | null) => void;
}

/** A single name: no slashes, not . or .. (moving is a drag onto a folder). */
export function nameProblem(name: string): string | null {
  if (name.includes('/') || name.includes('\\')) return 'A name, without slashes';
  if (name === '.' || name === '..') return 'Not . or ..';
  return null;
}

function RenameField({ initial, onDone }: { initial: string; onDone: (name: string | null) => void }) {
  const [value, setValue] = useState(initial);
  const done = useRef(false);
  const problem = nameProblem(value.trim());
  const finish = (name: string | null) => {
    if (done.current) return;
    done.current = true;
    onDone(name && name !== initial ? name : null);
  };
  return (
    <TextInput
      size="xs"
      className={classes.name}
      aria-label={`New name for ${initial}`}
      value={value}
      error={problem ?? undefined}
      autoFocus
      onFocus={(e) => {
        // Select the name without its extension, as file managers do.
        const dot = initial.lastIndexOf('.');
        e.currentTarget.setSelectionRange(0, dot > 0 ? dot : initial.length);
      }}
      onChange={(e) => setValue(e.currentTarget.value)}
      onClick={(e) => e.stopPropagation()}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Enter' && !problem) finish(value.trim());
        if (e.key === 'Escape') finish(null);
      }}
      onBlur={() => finish(problem ? null : value.trim())}
    />
  );
}

const SPECIAL_WHY: Record<string, string> = {
  fifo: 'A named pipe (FIFO)',
  socket: 'A socket',
  'char-device': 'A character device',
  'block-device': 'A block device',
  other: 'A special file',
};

export function SrcTreeRow({ row, expanded, selected, renaming, onRenameDone }: Props) {
  const { node, depth } = row;
  const entry = node.entry;
  const dir = isDirectory(node);
  const special = isSpecial(entry);
  const symlink = entry?.kind === 'symlink';

  let icon = dir ? expanded ? <IconFolderOpen size={16} /> : <IconFolder size={16} /> : <IconFile size={16} />;
  if (symlink) icon = <IconLink size={16} />;
  if (special) icon = <IconSkull size={16} />;

  const name = renaming ? (
    <RenameField initial={node.name} onDone={(n) => onRenameDone?.(n)} />
  ) : (
    <Text size="sm" truncate className={classes.name} c={special ? 'red' : undefined}>
      {node.name}
      {symlink && (
        <Text span size="xs" c="dimmed">
          {' '}
          → {entry?.target}
        </Text>
      )}
    </Text>
  );

  return (
    <div
      className={classes.row}
      data-selected={selected || undefined}
      data-special={special || undefined}
      data-match={row.match || undefined}
      style={{ paddingLeft: 6 + depth * 14 }}
      data-path={node.path}
      title={symlink ? `${node.path} → ${entry?.target ?? ''}` : node.path}
    >
      <Group gap={4} wrap="nowrap" className={classes.rowInner}>
        <span className={classes.chevron}>{dir ? expanded ? <IconChevronDown size={14} /> : <IconChevronRight size={14} /> : null}</span>
        <span className={classes.icon} data-kind={entry?.kind ?? 'directory'}>
          {icon}
        </span>
        {special && !renaming ? (
          <Tooltip label={`${SPECIAL_WHY[entry!.kind] ?? 'A special file'}: the bundle cannot hold it. Remove it from src/.`} withArrow>
            {name}
          </Tooltip>
        ) : (
          name
        )}
        {entry?.escapes && (
          <Tooltip label="This link points outside src/: on the unit it resolves to a different file, or to nothing." withArrow>
            {/* The words follow: the icon is not said twice. */}
            <IconAlertTriangle size={15} color="var(--mantine-color-orange-6)" aria-hidden="true" />
          </Tooltip>
        )}
        {entry?.escapes && (
          <Text size="xs" c="orange" className={classes.escapes}>
            escapes src/
          </Text>
        )}
        <Text size="xs" c="dimmed" className={classes.size}>
          {entry && !dir && !symlink ? formatSize(entry.size) : ''}
        </Text>
        <Text size="xs" c="dimmed" ff="monospace" className={classes.mode}>
          {entry ? formatMode(entry.mode) : ''}
        </Text>
      </Group>
    </div>
  );
}
