// The figures under a long job's progress bar (files, bytes, rate, time left) and its Cancel:
// signing and uploading show them the same way.
import { Button, Group, Text } from '@mantine/core';
import { IconPlayerStop } from '@tabler/icons-react';

export function ProgressStat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" data-testid={testId} style={{ whiteSpace: 'nowrap' }}>
        {value}
      </Text>
    </div>
  );
}

/** Cancel, at the right under the figures; off while the cancel is on its way. */
export function ProgressCancel({ onCancel, cancelling, testId }: { onCancel: () => void; cancelling: boolean; testId?: string }) {
  return (
    <Group justify="flex-end" mt="sm">
      <Button color="red" variant="light" size="xs" leftSection={<IconPlayerStop size={14} />} onClick={onCancel} disabled={cancelling} data-testid={testId}>
        Cancel
      </Button>
    </Group>
  );
}
