import { useState } from 'react';
import { Button, Group, Modal, TextInput } from '@mantine/core';

interface Props {
  /** The folder inside src/ to create in; null when closed. */
  parent: string | null;
  onCreate: (name: string) => void;
  onClose: () => void;
}

export function NewFolderModal({ parent, onCreate, onClose }: Props) {
  const [name, setName] = useState('');
  const error = /(^|\/)\.\.?(\/|$)/.test(name) ? 'No . or .. parts' : name.startsWith('/') ? 'A path inside src/, without a leading /' : null;
  const submit = () => {
    if (!name.trim() || error) return;
    onCreate(name.trim());
    setName('');
  };
  return (
    <Modal opened={parent !== null} onClose={onClose} title={`New folder in src/${parent ?? ''}`} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <TextInput label="Folder name" description="Slashes make nested folders: usr/bin/services" value={name} error={error} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
        <Group justify="flex-end" mt="lg">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={!name.trim() || !!error}>
            Create
          </Button>
        </Group>
      </form>
    </Modal>
  );
}
