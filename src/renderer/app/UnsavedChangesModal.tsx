import { Button, Group, Modal, Text } from '@mantine/core';

interface Props {
  opened: boolean;
  serviceName: string;
  saving?: boolean;
  onSave: () => void;
  onDiscard: () => void;
  onCancel: () => void;
}

/** Asked before leaving a service with unsaved edits to its config. */
export function UnsavedChangesModal({ opened, serviceName, saving, onSave, onDiscard, onCancel }: Props) {
  return (
    <Modal opened={opened} onClose={onCancel} title="Unsaved changes" centered>
      <Text size="sm">
        The config of <b>{serviceName}</b> has changes that are not saved. Save them before leaving?
      </Text>
      <Group justify="flex-end" mt="lg" gap="xs">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        <Button variant="light" color="red" onClick={onDiscard}>
          Discard changes
        </Button>
        <Button onClick={onSave} loading={saving}>
          Save
        </Button>
      </Group>
    </Modal>
  );
}
