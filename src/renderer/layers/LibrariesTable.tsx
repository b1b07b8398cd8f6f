// The Libraries tab: every library fact with its version and the file it was read from,
// searchable and sortable by any column.
import { useMemo, useState } from 'react';
import { Code, Group, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconSearch } from '@tabler/icons-react';
import { libraryRows, SOURCE_KIND_LABEL, type LibraryRow, type LibrarySort, type LibrarySortKey } from './library-rows';

const COLUMNS: { key: LibrarySortKey; label: string }[] = [
  { key: 'name', label: 'Library' },
  { key: 'version', label: 'Version' },
  { key: 'kind', label: 'Fact from' },
  { key: 'source', label: 'Source file' },
];

export function LibrariesTable({ libraries, truncated }: { libraries: readonly LibraryRow[]; truncated: boolean }) {
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<LibrarySort>({ key: 'name', descending: false });
  const rows = useMemo(() => libraryRows(libraries, query, sort), [libraries, query, sort]);
  const sortBy = (key: LibrarySortKey) => setSort((s) => ({ key, descending: s.key === key ? !s.descending : false }));
  return (
    <>
      <Group justify="space-between" mb="xs">
        <TextInput size="xs" w={280} leftSection={<IconSearch size={14} />} placeholder="Search name, version, source" aria-label="Search libraries" value={query} onChange={(e) => setQuery(e.currentTarget.value)} />
        <Text size="sm" c="dimmed">
          {rows.length === libraries.length ? `${libraries.length} libraries` : `${rows.length} of ${libraries.length} libraries`}
          {truncated ? ' (more found than listed)' : ''}
        </Text>
      </Group>
      {libraries.length === 0 ? (
        <Text c="dimmed">No library facts found: no dpkg or opkg status, Python metadata, package.json under node_modules or lib*.so.X files.</Text>
      ) : (
        <Table striped highlightOnHover data-testid="libraries">
          <Table.Thead>
            <Table.Tr>
              {COLUMNS.map((c) => (
                <Table.Th key={c.key} aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                  <UnstyledButton onClick={() => sortBy(c.key)} fw={600} fz="sm">
                    <Group gap={4} wrap="nowrap">
                      {c.label}
                      {sort.key === c.key && (sort.descending ? <IconArrowDown size={14} aria-hidden /> : <IconArrowUp size={14} aria-hidden />)}
                    </Group>
                  </UnstyledButton>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((l) => (
              <Table.Tr key={`${l.kind}:${l.name}:${l.version}:${l.source}`} data-testid="library-row">
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {l.name}
                  </Text>
                  {l.soname && (
                    <Text size="xs" c="dimmed">
                      soname {l.soname}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Code>{l.version}</Code>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{SOURCE_KIND_LABEL[l.kind]}</Text>
                </Table.Td>
                <Table.Td>
                  <Code>{l.source}</Code>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
