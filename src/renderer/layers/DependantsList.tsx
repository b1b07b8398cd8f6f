// The services and bundle items that select a layer version, with the range that does it
// and where it is written.
import { Table, Text } from '@mantine/core';
import { BreakablePath } from '../common/BreakablePath';
import type { LayerDependantView } from '../../shared/contract';

export function DependantsList({ dependants }: { dependants: readonly LayerDependantView[] }) {
  if (dependants.length === 0) return <Text c="dimmed">No known service or bundle selects this version.</Text>;
  return (
    <Table data-testid="dependants" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Name</Table.Th>
          <Table.Th>Kind</Table.Th>
          <Table.Th>Range</Table.Th>
          <Table.Th>Config</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {dependants.map((d) => (
          <Table.Tr key={`${d.configPath}:${d.name}:${d.architecture}`}>
            <Table.Td>
              <Text fw={600} size="sm">
                {d.name}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                {d.kind === 'service' ? 'service' : 'bundle item'}
              </Text>
              <Text size="xs" c="dimmed">
                {d.from === 'recent' ? 'recent' : 'workspace'}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                {d.range} ({d.architecture})
              </Text>
            </Table.Td>
            <Table.Td>
              <BreakablePath path={`${d.configPath}${d.line !== undefined ? `:${d.line}` : ''}`} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
