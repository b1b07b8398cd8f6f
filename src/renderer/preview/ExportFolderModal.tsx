// Asked before an export into a folder that is not empty: main would refuse it, so the
// export goes into a new sub-folder, whose proposed name the user may change.
import { useEffect, useState } from 'react';
import { Button, Code, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { joinPath } from '../common/paths';

export interface ExportProposal {
  /** The folder the user picked (not empty). */
  parent: string;
  /** The proposed new sub-folder's name. */
  name: string;
  /** The picked folder is the service folder itself. */
  isServiceFolder: boolean;
}

export function ExportFolderModal({ proposal, onExport, onCancel }: { proposal: ExportProposal | null; onExport: (dir: string) => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  useEffect(() => setName(proposal?.name ?? ''), [proposal]);
  const bad = !name.trim() || /[/\\]/.test(name) || name.trim() === '.' || name.trim() === '..';
  return (
    <Modal opened={proposal !== null} onClose={onCancel} title="Export into a new folder" size="md">
      {proposal && (
        <Stack gap="sm">
          <Text size="sm">
            {proposal.isServiceFolder ? 'This is the service folder, which holds your config and sources.' : 'This folder is not empty.'} An export never
            writes among other files, so it goes into a new folder inside <Code>{proposal.parent}</Code>:
          </Text>
          <TextInput
            label="New folder"
            data-autofocus
            value={name}
            error={bad && name ? 'One folder name, without slashes' : null}
            onChange={(e) => setName(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !bad) onExport(joinPath(proposal.parent, name.trim()));
            }}
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
            <Button disabled={bad} onClick={() => onExport(joinPath(proposal.parent, name.trim()))}>
              Export into {name.trim() || '…'}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
