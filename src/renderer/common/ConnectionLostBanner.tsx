// Browser mode: when the page loses its server, say so at once (instead of failing on the
// next click) and offer Retry. Electron's window has no connection to lose: nothing shows.
import { useEffect, useState } from 'react';
import { Alert, Button, Group, Text } from '@mantine/core';
import { IconPlugConnectedX } from '@tabler/icons-react';
import type { ConnectionState } from '../../shared/contract';
import { useApi } from '../api/context';

export function ConnectionLostBanner() {
  const { api } = useApi();
  const monitor = api.connection;
  const [state, setState] = useState<ConnectionState>(() => monitor?.state() ?? 'connected');
  const [retrying, setRetrying] = useState(false);
  const [stillLost, setStillLost] = useState(false);

  useEffect(() => {
    if (!monitor) return;
    setState(monitor.state());
    return monitor.subscribe((next) => {
      setState(next);
      if (next === 'connected') setStillLost(false);
    });
  }, [monitor]);

  if (!monitor || state === 'connected') return null;

  const retry = async () => {
    setRetrying(true);
    const ok = await monitor.retry();
    setRetrying(false);
    setStillLost(!ok);
  };

  return (
    <Alert
      role="alert"
      color="red"
      variant="filled"
      radius={0}
      icon={<IconPlugConnectedX size={20} />}
      title="Connection to Bundle Studio lost"
      data-testid="connection-lost"
      // In the flow (not over the page): it pushes the screen down rather than hiding its header.
      style={{ position: 'sticky', top: 0, zIndex: 1000 }}
    >
      <Group justify="space-between" gap="md" wrap="nowrap">
        <Text size="sm">
          {stillLost
            ? 'Still no answer. If you stopped Bundle Studio, start it again and open the address it prints; unsaved changes on this page are not lost while it stays open.'
            : 'The page cannot reach its server, so nothing you do now is saved or run. Unsaved changes stay on this page.'}
        </Text>
        <Button size="xs" variant="white" color="red" loading={retrying} onClick={() => void retry()}>
          Retry
        </Button>
      </Group>
    </Alert>
  );
}
