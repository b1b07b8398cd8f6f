// Step 4 of Pack layer: the dry run ('layers.plan'): what the layer would add, change and
// delete relative to its parents, with sizes and counts, deletions marked with the whiteout
// that makes them. Nothing has been written yet.
import { Alert, Badge, Group, ScrollArea, Stack, Table, Tabs, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { LayerPlanView } from '../../shared/contract';
import { formatSize } from '../common/format';

/** Rows shown per list: the counts and sizes above are always of the whole list. */
const SHOWN = 1000;

type ChangeList = LayerPlanView['added'];
type Change = ChangeList['paths'][number];

const KINDS = [
  { key: 'added', label: 'Added', color: 'green' },
  { key: 'changed', label: 'Changed', color: 'blue' },
  { key: 'deleted', label: 'Deleted', color: 'red' },
] as const;

function what(c: Change): string {
  if (c.type === 'hardlink') return `hard link to ${c.target ?? '?'}`;
  if (c.type === 'symlink') return c.target ? `link to ${c.target}` : 'symbolic link';
  if (c.type === 'directory') return 'folder';
  return 'file';
}

function ChangeTable({ list, kind }: { list: ChangeList; kind: (typeof KINDS)[number]['key'] }) {
  if (list.count === 0) {
    return (
      <Text size="sm" c="dimmed" py="md">
        {kind === 'deleted' ? 'Nothing of the parents is deleted.' : kind === 'added' ? 'Nothing is added.' : 'Nothing is changed.'}
      </Text>
    );
  }
  const shown = list.paths.slice(0, SHOWN);
  return (
    <>
      <ScrollArea.Autosize mah={360} type="auto" tabIndex={0} aria-label={`${kind} paths`}>
        <Table striped highlightOnHover stickyHeader data-testid={`plan-${kind}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Path</Table.Th>
              <Table.Th>What</Table.Th>
              <Table.Th ta="right">{kind === 'deleted' ? 'Size in the parent' : 'Size'}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((c) => (
              <Table.Tr key={c.path}>
                <Table.Td ff="monospace" style={{ wordBreak: 'break-all' }}>
                  {c.type === 'directory' ? `${c.path}/` : c.path}
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm">{what(c)}</Text>
                    {c.by && (
                      <Badge size="sm" variant="light" color="red" ff="monospace" tt="none" title={c.by === 'opaque' ? 'The folder is replaced wholesale' : 'Hides the parent\'s entry'}>
                        {c.by === 'opaque' ? '.wh..wh..opq' : '.wh.'}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td ta="right">{c.type === 'file' || c.type === 'directory' ? formatSize(c.size) : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
      {list.count > shown.length && (
        <Text size="xs" c="dimmed" mt="xs">
          Showing {shown.length} of {list.count}; the CLI's <code>layer pack --dry-run</code> lists them all.
        </Text>
      )}
    </>
  );
}

export function PlanPreview({ plan }: { plan: LayerPlanView }) {
  return (
    <Stack gap="md" data-testid="plan-preview">
      <Text size="sm">
        Nothing is written yet. The layer <code>{plan.file}</code> would hold {plan.entries} entries, {plan.files} files with{' '}
        {formatSize(plan.bytes)} of content.
      </Text>
      {plan.converted.length > 0 && (
        <Alert variant="light" color="yellow" icon={<IconAlertTriangle size={18} />}>
          {plan.converted.length} overlayfs whiteout{plan.converted.length === 1 ? '' : 's'} (character devices) in the root
          filesystem become OCI <code>.wh.</code> entries: {plan.converted.slice(0, 5).join(', ')}
          {plan.converted.length > 5 ? '…' : ''}
        </Alert>
      )}
      {plan.warnings.map((w) => (
        <Alert key={w} variant="light" color="yellow" icon={<IconAlertTriangle size={18} />}>
          {w}
        </Alert>
      ))}
      <Tabs defaultValue="added" keepMounted={false}>
        <Tabs.List>
          {KINDS.map((k) => (
            <Tabs.Tab key={k.key} value={k.key} rightSection={<Badge size="sm" variant="light" color={k.color}>{plan[k.key].count}</Badge>}>
              {k.label} ({formatSize(plan[k.key].bytes)})
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {KINDS.map((k) => (
          <Tabs.Panel key={k.key} value={k.key} pt="sm">
            <ChangeTable list={plan[k.key]} kind={k.key} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
