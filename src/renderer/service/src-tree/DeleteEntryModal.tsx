// The delete confirmation: names the entry, says how much a folder holds, and says
// whether it goes to the system trash (desktop app) or is gone for good (browser mode).
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { DeleteMode } from './use-src-edits';

interface Props {
  /** What to delete; null when closed. */
  target: { path: string; folder: boolean; inside: number } | null;
  mode: DeleteMode | null;
  onConfirm: () => void;
  onClose: () => void;
}

export function DeleteEntryModal({ target, mode, onConfirm, onClose }: Props) {
  const what = target?.folder ? 'folder' : 'file';
  return (
    <Modal opened={target !== null} onClose={onClose} title={`Delete src/${target?.path ?? ''}?`} centered>
      <Stack gap="sm">
        {target?.folder && (
          <Text size="sm">
            The folder and everything in it ({target.inside.toLocaleString()} {target.inside === 1 ? 'entry' : 'entries'}).
          </Text>
        )}
        {mode === 'trash' && <Text size="sm">The {what} goes to the system trash; you can restore it from there.</Text>}
        {mode === 'permanent' && (
          <Text size="sm" c="red" fw={500}>
            This deletes the {what} permanently: browser mode has no trash, and it cannot be undone.
          </Text>
        )}
        <Group justify="flex-end" mt="sm">
          {/* A permanent delete starts on Cancel: Enter alone never destroys anything for good. */}
          <Button variant="default" onClick={onClose} data-autofocus={mode !== 'trash' || undefined}>
            Cancel
          </Button>
          <Button color="red" onClick={onConfirm} disabled={mode === null} data-autofocus={mode === 'trash' || undefined}>
            {mode === 'trash' ? 'Move to trash' : 'Delete permanently'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
