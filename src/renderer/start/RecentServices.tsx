import { useEffect, useState } from 'react';
import { Group, Loader, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconPackage } from '@tabler/icons-react';
import type { RecentService } from '../../shared/contract';
import { useApi } from '../api/context';
import { errorOf } from '../api/errors';
import { formatDateTime } from '../common/format';
import classes from './RecentServices.module.css';

export function RecentServices({ onOpen }: { onOpen: (dir: string) => void }) {
  const { call } = useApi();
  const [recent, setRecent] = useState<RecentService[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    call('recent.list', {}).then(setRecent, (err) => setError(errorOf(err).message));
  }, [call]);

  if (error) return <Text size="sm" c="red">{error}</Text>;
  if (!recent) return <Loader size="sm" />;
  if (recent.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No recent services yet. Services you open or create show up here.
      </Text>
    );
  }
  return (
    <Stack gap={2} component="ul" className={classes.list} aria-label="Recent services">
      {recent.map((service) => (
        <li key={service.root}>
          <UnstyledButton className={classes.item} onClick={() => onOpen(service.root)} title={service.root}>
            <Group gap="sm" wrap="nowrap">
              <IconPackage size={18} color="var(--mantine-primary-color-filled)" />
              <div style={{ minWidth: 0, flex: 1 }}>
                <Text size="sm" fw={500} truncate>
                  {service.name}
                </Text>
                <Text size="xs" c="dimmed" truncate>
                  {service.root}
                </Text>
              </div>
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {formatDateTime(service.openedAt)}
              </Text>
            </Group>
          </UnstyledButton>
        </li>
      ))}
    </Stack>
  );
}
