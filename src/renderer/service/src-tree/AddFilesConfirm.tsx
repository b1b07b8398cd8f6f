// Before anything is copied into src/: where it goes (the folder the user chose, or src/
// itself) and what, so a wrong selection is caught before the copy starts.
import { Button, Code, Group, List, Modal, Stack, Text } from '@mantine/core';

export interface AddRequest {
  dir: string;
  /** The top-level names being added. */
  names: string[];
}

interface Props {
  request: AddRequest | null;
  onConfirm: () => void;
  onCancel: () => void;
}

const SHOWN = 8;

export function AddFilesConfirm({ request, onConfirm, onCancel }: Props) {
  const dest = `src/${request?.dir ? `${request.dir}/` : ''}`;
  const names = request?.names ?? [];
  return (
    <Modal opened={request !== null} onClose={onCancel} title="Add to src/" centered>
      <Stack gap="sm">
        <Text size="sm">
          Copy {names.length === 1 ? 'this entry' : `these ${names.length} entries`} into <Code fw={700}>{dest}</Code>
          {' '}(<Code>/{request?.dir ? `${request.dir}/` : ''}</Code> on the unit):
        </Text>
        <List size="sm" spacing={2} data-testid="add-names">
          {names.slice(0, SHOWN).map((n) => (
            <List.Item key={n}>
              <Code>{n}</Code>
            </List.Item>
          ))}
        </List>
        {names.length > SHOWN && (
          <Text size="xs" c="dimmed">
            …and {names.length - SHOWN} more
          </Text>
        )}
        <Text size="xs" c="dimmed">
          To add somewhere else, cancel, select that folder in the tree and add again.
        </Text>
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button onClick={onConfirm} data-autofocus>
            Copy into {dest}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
