// The range picker's catalog view: for the range being edited, every version of the layer in
// the layer library, which one would be selected (the highest match: the app's assumption,
// said so), and why the others do not match. The logic is src/shared's matchCatalog.
import { Badge, Paper, Stack, Table, Text } from '@mantine/core';
import { matchCatalog, SELECTION_ASSUMPTION, type CatalogRange, type MatchStatus } from '../../shared/config-common';
import { useCatalogVersions } from './use-catalog-versions';

const STATUS: Record<MatchStatus, { label: string; color: string }> = {
  selected: { label: 'selected', color: 'green' },
  matches: { label: 'matches', color: 'teal' },
  'outside-range': { label: 'outside the range', color: 'gray' },
  prerelease: { label: 'pre-release rule', color: 'yellow' },
  architecture: { label: 'other architecture', color: 'gray' },
};

interface Props {
  /** A service's layer (configuration.layers[].uid): the catalog folder's name. */
  uid?: string;
  /**
   * Or a bundle dependency's codename (the item's identity in the cloud, deployment-bundle.md
   * §2): the catalog layers it names come from main's codename index.
   */
  codename?: string;
  /** Undefined while the range fields are invalid. */
  range: CatalogRange | undefined;
  /** The architectures the service or item runs on; undefined when unknown. */
  architectures?: readonly string[];
}

export function CatalogMatches({ uid, codename, range, architectures }: Props) {
  const catalog = useCatalogVersions();
  const name = (codename ?? uid ?? '').trim();
  if (!name || !range) return null;
  let uids: string[] = [];
  let body;
  if (catalog.status === 'none') {
    body = <Text size="xs" c="dimmed">Choose a layer library (in the Preview's layer library field) to see which of its versions this range selects.</Text>;
  } else if (catalog.status === 'loading') {
    body = <Text size="xs" c="dimmed">Reading the layer library {catalog.library}…</Text>;
  } else if (catalog.status === 'failed') {
    body = <Text size="xs" c="var(--mantine-color-error)">Cannot read the layer library: {catalog.message}</Text>;
  } else {
    uids = codename !== undefined ? (catalog.codenames[name] ?? []) : [name];
    // A codename's versions, whichever catalog folder holds them, are matched as one layer.
    const versions = codename !== undefined ? catalog.versions.filter((v) => uids.includes(v.uid)).map((v) => ({ ...v, uid: name })) : catalog.versions;
    const result = matchCatalog(versions, name, range, architectures);
    body = result.rows.length === 0 ? (
      <Text size="xs" c="dimmed">
        {codename !== undefined
          ? `No layer of the layer library has the codename ${name}: a layer's codename comes from the layer bundles the app knows (recent ones); a folder none of them claims goes by its own name.`
          : `The layer library has no version of ${name}.`}
      </Text>
    ) : (
      <>
        <Table withRowBorders={false} verticalSpacing={4} data-testid="catalog-matches">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Version</Table.Th>
              <Table.Th>Architecture</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Why</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.rows.map((row, i) => (
              <Table.Tr key={`${row.version}/${row.architecture}/${row.os ?? ''}/${i}`} data-status={row.status}>
                <Table.Td ff="monospace" fw={row.status === 'selected' ? 700 : undefined}>
                  {row.version}
                </Table.Td>
                <Table.Td ff="monospace">{row.architecture}</Table.Td>
                <Table.Td>
                  <Badge size="sm" variant={row.status === 'selected' ? 'filled' : 'light'} color={STATUS[row.status].color}>
                    {STATUS[row.status].label}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{row.reason}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed">
          {SELECTION_ASSUMPTION}
        </Text>
      </>
    );
  }
  return (
    <Paper withBorder p="xs" radius="sm" data-testid="catalog-view">
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          In the layer library{catalog.status !== 'none' ? ` (${catalog.library})` : ''}
        </Text>
        {codename !== undefined && uids.length > 0 && (uids.length > 1 || uids[0] !== name) && (
          <Text size="xs" c="dimmed" data-testid="codename-folders">
            Codename {name} is the catalog&apos;s {uids.join(', ')} (named so by a layer bundle the app knows).
          </Text>
        )}
        {body}
      </Stack>
    </Paper>
  );
}
