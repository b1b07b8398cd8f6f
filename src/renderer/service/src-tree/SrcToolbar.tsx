import { useRef } from 'react';
import { ActionIcon, Group, Loader, Text, Tooltip } from '@mantine/core';
import { IconFilePlus, IconFolderPlus, IconFolderUp } from '@tabler/icons-react';
import { fromFileInput, type PickedFile } from './read-dropped-files';

interface Props {
  targetDir: string;
  busy: boolean;
  /** Native dialog; resolves false where there is none (browser mode) so the page's pickers stand in. */
  onAddFiles: () => Promise<boolean>;
  onAddFolder: () => Promise<boolean>;
  onNewFolder: () => void;
  /** From the hidden file inputs (browser mode's fallback for the native dialog). */
  onPicked: (files: PickedFile[]) => void;
}

export function SrcToolbar({ busy, onAddFiles, onAddFolder, onNewFolder, onPicked }: Props) {
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  const pick = (input: HTMLInputElement | null) => {
    const picked = fromFileInput(input?.files ?? null);
    if (input) input.value = '';
    if (picked.length) onPicked(picked);
  };
  // The user's click still counts as a gesture a moment later, so the fallback may open the picker.
  const addFiles = async () => (await onAddFiles()) || files.current?.click();
  const addFolder = async () => (await onAddFolder()) || folder.current?.click();
  return (
    <Group justify="space-between" wrap="nowrap">
      <Group gap={6}>
        <Text fw={600} size="sm">
          src/
        </Text>
        {busy && <Loader size={14} />}
      </Group>
      <Group gap={4}>
        <Tooltip label="Add files…">
          <ActionIcon variant="default" aria-label="Add files" onClick={() => void addFiles()} disabled={busy}>
            <IconFilePlus size={16} />
          </ActionIcon>
        </Tooltip>
        <Tooltip label="Add a folder…">
          <ActionIcon variant="default" aria-label="Add folder" onClick={() => void addFolder()} disabled={busy}>
            <IconFolderUp size={16} />
          </ActionIcon>
        </Tooltip>
        <Tooltip label="New folder">
          <ActionIcon variant="default" aria-label="New folder" onClick={onNewFolder} disabled={busy}>
            <IconFolderPlus size={16} />
          </ActionIcon>
        </Tooltip>
      </Group>
      <input ref={files} type="file" multiple hidden data-testid="src-file-input" onChange={(e) => pick(e.currentTarget)} />
      <input
        ref={(el) => {
          folder.current = el;
          // React does not know webkitdirectory; set it on the element.
          el?.setAttribute('webkitdirectory', '');
        }}
        type="file"
        hidden
        data-testid="src-folder-input"
        onChange={(e) => pick(e.currentTarget)}
      />
    </Group>
  );
}
