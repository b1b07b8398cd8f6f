// "What goes in": every file signing packs into batch.tar.gz with its size and the total,
// and the files in the folder it leaves out (a stray .p12, an earlier batch.tar.gz). The
// listing is main's (the one signing itself uses, 'deployment.contents'), never worked out
// here, and it follows config.yaml on disk: with unsaved edits the panel says so.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Badge, Button, Code, Group, Loader, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { IconAlertCircle, IconInfoCircle, IconRefresh } from '@tabler/icons-react';
import type { BatchContents } from '../../shared/contract';
import { useApi } from '../api/context';
import { errorOf } from '../api/errors';
import { formatSize } from '../common/format';

interface Props {
  root: string;
  /** Changes after each save: the listing is read again. */
  savedVersion: number;
  dirty: boolean;
}

export function WhatGoesInPanel({ root, savedVersion, dirty }: Props) {
  const { call } = useApi();
  const [contents, setContents] = useState<BatchContents | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setContents(await call('deployment.contents', { root }));
      setError(null);
    } catch (err) {
      setError(errorOf(err).message);
    } finally {
      setLoading(false);
    }
  }, [call, root]);

  useEffect(() => {
    void load();
  }, [load, savedVersion]);

  return (
    <Stack gap="sm" h="100%" data-testid="what-goes-in">
      <Group justify="space-between" px="xs">
        <Text fw={600} size="sm">
          What goes in batch.tar.gz
        </Text>
        <Button size="compact-xs" variant="subtle" leftSection={loading ? <Loader size={12} /> : <IconRefresh size={14} />} onClick={() => void load()}>
          Refresh
        </Button>
      </Group>
      {dirty && (
        <Alert color="orange" variant="light" p="xs" icon={<IconInfoCircle size={16} />} data-testid="contents-unsaved">
          <Text size="xs">This is what config.yaml on disk packs. Save to see your changes here; signing saves first.</Text>
        </Alert>
      )}
      {error && (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={16} />} title="Cannot list what goes in">
          <Text size="xs">{error}</Text>
        </Alert>
      )}
      {contents && (
        <ScrollArea style={{ flex: 1 }} type="auto" viewportProps={{ tabIndex: 0, 'aria-label': 'What goes in' }}>
          <Stack gap="md" px="xs">
            <div>
              <Group justify="space-between" mb={4}>
                <Text size="sm" fw={500}>
                  Packed
                </Text>
                <Text size="sm" data-testid="contents-total">
                  {contents.packed.length} {contents.packed.length === 1 ? 'file' : 'files'}, {formatSize(contents.totalBytes)}
                </Text>
              </Group>
              <Table fz="xs" aria-label="Files signing packs" striped>
                <Table.Tbody>
                  {contents.packed.map((f) => (
                    <Table.Tr key={f.path} data-testid="packed-file">
                      <Table.Td style={{ wordBreak: 'break-all' }}>
                        <Code fz="xs">{f.path}</Code>
                        {f.kind && f.kind !== 'file' ? ` (${f.kind})` : ''}
                      </Table.Td>
                      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                        {formatSize(f.size)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
            {contents.problems.length > 0 && (
              <Alert color="red" variant="light" p="xs" icon={<IconAlertCircle size={16} />} title="Cannot be packed">
                <Stack gap={2}>
                  {contents.problems.map((p) => (
                    <Text key={p.path} size="xs">
                      <Code fz="xs">{p.path}</Code>: {p.message}
                    </Text>
                  ))}
                </Stack>
              </Alert>
            )}
            {contents.warnings.length > 0 && (
              <Alert color="orange" variant="light" p="xs" icon={<IconAlertCircle size={16} />} title="Packed, but probably by mistake" data-testid="contents-warnings">
                <Stack gap={2}>
                  {contents.warnings.map((w) => (
                    <Text key={w.message} size="xs">
                      {w.message}
                    </Text>
                  ))}
                </Stack>
              </Alert>
            )}
            <div>
              <Group justify="space-between" mb={4}>
                <Text size="sm" fw={500}>
                  Not packed
                </Text>
                <Badge size="sm" variant="light" color="gray">
                  {contents.notPacked.length}
                </Badge>
              </Group>
              {contents.notPacked.length === 0 ? (
                <Text size="xs" c="dimmed">
                  Every file in the folder is packed.
                </Text>
              ) : (
                <Table fz="xs" aria-label="Files signing leaves out">
                  <Table.Tbody>
                    {contents.notPacked.map((f) => (
                      <Table.Tr key={f.path} data-testid="unpacked-file">
                        <Table.Td style={{ wordBreak: 'break-all' }}>
                          <Code fz="xs">{f.path}</Code>
                          {f.reason && (
                            <Text size="xs" c="dimmed">
                              {f.reason}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                          {f.size !== undefined ? formatSize(f.size) : ''}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </div>
          </Stack>
        </ScrollArea>
      )}
    </Stack>
  );
}
