import { useEffect, useState } from 'react';
import { ActionIcon, Group, Loader, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconPackage, IconX } from '@tabler/icons-react';
import type { RecentService } from '../../shared/contract';
import { useApi } from '../api/context';
import { errorOf } from '../api/errors';
import { formatDateTime } from '../common/format';
import { notifyError } from '../common/notify';
import classes from './RecentServices.module.css';

export function RecentServices({ onOpen }: { onOpen: (dir: string) => void }) {
  const { call } = useApi();
  const [recent, setRecent] = useState<RecentService[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    call('recent.list', {}).then(setRecent, (err) => setError(errorOf(err).message));
  }, [call]);

  // Only the entry goes: the folder on disk stays as it is.
  const remove = async (service: RecentService) => {
    try {
      setRecent(await call('recent.remove', { root: service.root }));
    } catch (err) {
      notifyError(`Cannot remove ${service.name} from Recent services`, err);
    }
  };

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
        <li key={service.root} className={classes.row}>
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
          <Tooltip label="Remove from Recent services (the folder stays)" withArrow>
            <ActionIcon
              variant="subtle"
              color="gray"
              className={classes.remove}
              aria-label={`Remove ${service.name} from Recent services`}
              onClick={() => void remove(service)}
            >
              <IconX size={16} />
            </ActionIcon>
          </Tooltip>
        </li>
      ))}
    </Stack>
  );
}
