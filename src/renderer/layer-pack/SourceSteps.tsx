// Steps 1 and 2 of Pack layer: the root filesystem folder, then its parents (folders or layer
// images, base first; none means the whole rootfs goes into the layer).
import { ActionIcon, Alert, Badge, Button, Group, Paper, Stack, Text, Tooltip } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconFilePlus, IconFolderPlus, IconInfoCircle, IconTrash } from '@tabler/icons-react';
import { PathField } from '../common/PathField';
import { usePathPicker } from '../common/PathPicker';
import { notifyError } from '../common/notify';
import { parentRow, type PackErrors, type PackValues } from './pack-form';

interface StepProps {
  values: PackValues;
  errors: PackErrors;
  onChange: (patch: Partial<PackValues>) => void;
  startPath?: string;
}

export function RootfsStep({ values, errors, onChange, startPath }: StepProps) {
  const picker = usePathPicker();
  const browse = async () => {
    try {
      const folder = await picker.pickFolder({ title: 'Pick the root filesystem folder of the layer', startPath: values.rootfs || startPath });
      if (folder) onChange({ rootfs: folder });
    } catch (err) {
      notifyError('Cannot browse folders', err);
    }
  };
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        The root filesystem as it should look with the layer applied: the parent (next step) plus the layer's packages. The layer
        keeps what is new or changed and marks what is gone; files identical to the parent are left out.
      </Text>
      <PathField
        label="Root filesystem folder"
        placeholder="/home/me/build/rootfs"
        value={values.rootfs}
        error={errors.rootfs}
        onChange={(e) => onChange({ rootfs: e.currentTarget.value })}
        onBrowse={() => void browse()}
        browseLabel="Choose folder…"
        data-testid="pack-rootfs"
      />
    </Stack>
  );
}

export function ParentsStep({ values, errors, onChange, startPath }: StepProps) {
  const picker = usePathPicker();
  const rows = values.parents;
  const add = (path: string | null) => {
    if (path && !rows.some((r) => r.path === path)) onChange({ parents: [...rows, parentRow(path)] });
  };
  const pick = async (kind: 'folder' | 'image') => {
    try {
      const start = rows.at(-1)?.path ?? startPath;
      add(kind === 'folder' ? await picker.pickFolder({ title: 'Pick a parent root filesystem folder', startPath: start }) : await picker.pickFile({ title: 'Pick a parent layer image (.tar.gz)', extensions: ['gz', 'tgz'], startPath: start }));
    } catch (err) {
      notifyError('Cannot browse', err);
    }
  };
  const move = (i: number, by: -1 | 1) => {
    const next = [...rows];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    onChange({ parents: next });
  };
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        What the layer goes on: the base OS root filesystem, or another layer. Several parents are applied in order, the base
        first, as a unit stacks them. The layer is the root filesystem minus them.
      </Text>
      {rows.length === 0 && (
        <Alert variant="light" color="blue" icon={<IconInfoCircle size={18} />} data-testid="no-parent">
          No parent: every file of the root filesystem goes into the layer, and nothing is deleted.
        </Alert>
      )}
      {rows.map((r, i) => (
        <Paper key={r.key} withBorder p="sm" radius="md" data-testid="pack-parent">
          <Group justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
              <Badge variant="light" color={i === 0 ? 'blue' : 'gray'} miw={64}>
                {i === 0 ? 'base' : `${i + 1}.`}
              </Badge>
              <Badge variant="outline" color="gray">
                {r.kind === 'image' ? 'layer image' : 'folder'}
              </Badge>
              <Text ff="monospace" size="sm" style={{ wordBreak: 'break-all' }}>
                {r.path}
              </Text>
            </Group>
            <Group gap={4} wrap="nowrap">
              <Tooltip label="Earlier (nearer the base)">
                <ActionIcon variant="subtle" aria-label={`Move ${r.path} up`} disabled={i === 0} onClick={() => move(i, -1)}>
                  <IconArrowUp size={16} />
                </ActionIcon>
              </Tooltip>
              <Tooltip label="Later (nearer the layer)">
                <ActionIcon variant="subtle" aria-label={`Move ${r.path} down`} disabled={i === rows.length - 1} onClick={() => move(i, 1)}>
                  <IconArrowDown size={16} />
                </ActionIcon>
              </Tooltip>
              <ActionIcon variant="subtle" color="red" aria-label={`Remove parent ${r.path}`} onClick={() => onChange({ parents: rows.filter((x) => x.key !== r.key) })}>
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
          </Group>
        </Paper>
      ))}
      {errors.parents && (
        <Text size="sm" c="var(--mantine-color-error)" role="alert">
          {errors.parents}
        </Text>
      )}
      <Group>
        <Button variant="light" leftSection={<IconFolderPlus size={16} />} onClick={() => void pick('folder')}>
          Add parent folder…
        </Button>
        <Button variant="light" leftSection={<IconFilePlus size={16} />} onClick={() => void pick('image')}>
          Add parent layer image…
        </Button>
      </Group>
    </Stack>
  );
}
