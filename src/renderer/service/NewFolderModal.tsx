import { useState } from 'react';
import { Button, Group, Modal, TextInput } from '@mantine/core';

interface Props {
  /** The folder inside src/ to create in; null when closed. */
  parent: string | null;
  onCreate: (name: string) => void;
  onClose: () => void;
  /** A new folder (the default) or a new empty file. */
  kind?: 'folder' | 'file';
}

export function NewFolderModal({ parent, onCreate, onClose, kind = 'folder' }: Props) {
  const [name, setName] = useState('');
  const error = /(^|\/)\.\.?(\/|$)/.test(name) ? 'No . or .. parts' : name.startsWith('/') ? 'A path inside src/, without a leading /' : null;
  const submit = () => {
    if (!name.trim() || error) return;
    onCreate(name.trim());
    setName('');
  };
  return (
    <Modal opened={parent !== null} onClose={onClose} title={`New ${kind} in src/${parent ?? ''}`} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <TextInput
          label={kind === 'file' ? 'File name' : 'Folder name'}
          description={kind === 'file' ? 'Slashes put it in new folders: etc/app/app.conf' : 'Slashes make nested folders: usr/bin/services'}
          value={name} error={error} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
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
