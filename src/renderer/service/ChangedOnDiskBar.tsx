// Shown above the editor when another program changed meta/config.yaml while the editor holds
// unsaved edits: the user chooses what "on disk" should mean for the next save.
import { Alert, Button, Group, Text } from '@mantine/core';
import { IconFileAlert } from '@tabler/icons-react';

interface Props {
  /** Take the file on disk; the unsaved edits are dropped. */
  onReload: () => void;
  /** Keep editing; the next save overwrites the file on disk knowingly. */
  onKeepMine: () => void;
  onShowDiff: () => void;
  busy?: boolean;
}

export function ChangedOnDiskBar({ onReload, onKeepMine, onShowDiff, busy }: Props) {
  return (
    <Alert
      color="yellow"
      variant="light"
      icon={<IconFileAlert size={18} />}
      p="xs"
      role="alert"
      data-testid="changed-on-disk"
      title="config.yaml changed on disk"
    >
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Text size="sm">Another program changed meta/config.yaml. The editor still shows your unsaved version.</Text>
        <Group gap="xs" wrap="nowrap">
          <Button size="compact-sm" variant="default" onClick={onShowDiff} disabled={busy}>
            Show diff
          </Button>
          <Button size="compact-sm" variant="default" onClick={onKeepMine} disabled={busy}>
            Keep mine
          </Button>
          <Button size="compact-sm" color="yellow" onClick={onReload} loading={busy}>
            Reload
          </Button>
        </Group>
      </Group>
    </Alert>
  );
}
