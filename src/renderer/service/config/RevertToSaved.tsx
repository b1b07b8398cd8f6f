// "Revert to saved": puts back the text last read from or written to disk, after asking,
// and resets every form field (a field's refused input included).
import { useState } from 'react';
import { Button, Group, Modal, Text, Tooltip } from '@mantine/core';
import { IconArrowBackUp } from '@tabler/icons-react';
import { useConfig } from './config-context';

/** `fileName`: how the file is named in the question (meta/config.yaml for a service). */
export function RevertToSaved({ fileName = 'meta/config.yaml' }: { fileName?: string }) {
  const config = useConfig();
  const [asking, setAsking] = useState(false);
  return (
    <>
      <Tooltip label={config.dirty ? 'Discard the unsaved edits and show config.yaml as last saved' : 'Nothing to revert: the screen shows the saved file'}>
        <Button
          size="compact-sm"
          variant="subtle"
          color="gray"
          leftSection={<IconArrowBackUp size={16} />}
          disabled={!config.dirty}
          onClick={() => setAsking(true)}
        >
          Revert to saved
        </Button>
      </Tooltip>
      <Modal opened={asking} onClose={() => setAsking(false)} title="Revert to saved?" centered>
        <Text size="sm">
          Your unsaved edits to <code>{fileName}</code> are discarded and the text last read from disk comes back. In the
          YAML tab, Undo (<code>Ctrl+Z</code>) can still bring the edits back.
        </Text>
        <Group justify="flex-end" mt="lg" gap="xs">
          <Button variant="default" onClick={() => setAsking(false)}>
            Cancel
          </Button>
          <Button
            color="red"
            onClick={() => {
              setAsking(false);
              config.revert();
            }}
          >
            Revert
          </Button>
        </Group>
      </Modal>
    </>
  );
}
