import { useEffect, useState } from 'react';
import { ActionIcon, Badge, Group, Loader, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconPackage, IconStack2, IconX } from '@tabler/icons-react';
import type { FolderKind, RecentService } from '../../shared/contract';
import { useApi } from '../api/context';
import { errorOf } from '../api/errors';
import { formatDateTime } from '../common/format';
import { notifyError } from '../common/notify';
import classes from './RecentServices.module.css';

export function RecentServices({ onOpen }: { onOpen: (dir: string, kind: FolderKind) => void }) {
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
        No recent services yet. Services and layer bundles you open or create show up here.
      </Text>
    );
  }
  return (
    <Stack gap={2} component="ul" className={classes.list} aria-label="Recent services">
      {recent.map((service) => {
        // Entries from before the app knew layer bundles are services.
        const kind = service.kind ?? 'service';
        return (
        <li key={service.root} className={classes.row}>
          <UnstyledButton className={classes.item} onClick={() => onOpen(service.root, kind)} title={service.root}>
            <Group gap="sm" wrap="nowrap">
              {kind === 'deployment' ? (
                <IconStack2 size={18} color="var(--mantine-primary-color-filled)" aria-hidden />
              ) : (
                <IconPackage size={18} color="var(--mantine-primary-color-filled)" aria-hidden />
              )}
              <div style={{ minWidth: 0, flex: 1 }}>
                <Group gap={6} wrap="nowrap">
                  <Text size="sm" fw={500} truncate>
                    {service.name}
                  </Text>
                  {kind === 'deployment' && (
                    <Badge size="xs" variant="light" data-testid="recent-kind">
                      layer bundle
                    </Badge>
                  )}
                </Group>
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
        );
      })}
    </Stack>
  );
}
