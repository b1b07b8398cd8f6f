import { Button, Group, Modal, Text } from '@mantine/core';

interface Props {
  opened: boolean;
  onOverwrite: () => void;
  onReload: () => void;
  onCancel: () => void;
  /** Shows the file on disk against the editor's text. */
  onShowDiff?: () => void;
  /** How the file is named: meta/config.yaml for a service, config.yaml for a deployment bundle. */
  fileName?: string;
}

/** config.yaml changed on disk since it was opened (another editor, git checkout...). */
export function SaveConflictModal({ opened, onOverwrite, onReload, onCancel, onShowDiff, fileName = 'meta/config.yaml' }: Props) {
  return (
    <Modal opened={opened} onClose={onCancel} title="config.yaml changed on disk" centered>
      <Text size="sm">
        Someone or something changed <code>{fileName}</code> after you opened it. Overwrite it with your version, or
        reload the file from disk and lose your unsaved edits?
      </Text>
      <Group justify="flex-end" mt="lg" gap="xs">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        {onShowDiff && (
          <Button variant="default" onClick={onShowDiff}>
            Show diff
          </Button>
        )}
        <Button variant="light" onClick={onReload}>
          Reload from disk
        </Button>
        <Button color="red" onClick={onOverwrite}>
          Overwrite
        </Button>
      </Group>
    </Modal>
  );
}
