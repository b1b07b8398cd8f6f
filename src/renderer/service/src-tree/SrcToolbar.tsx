import { useImperativeHandle, useRef, type Ref } from 'react';
import { ActionIcon, Group, Loader, Text, Tooltip } from '@mantine/core';
import { IconFilePlus, IconFolderPlus, IconFolderUp } from '@tabler/icons-react';
import { fromFileInput, type PickedFile } from './read-dropped-files';

/** Opens the page's own pickers (browser mode's stand-in for the native dialog). */
export interface PageFilePicker {
  pick(folders: boolean): void;
}

interface Props {
  targetDir: string;
  picker?: Ref<PageFilePicker>;
  busy: boolean;
  /** Add files / Add a folder: the owner confirms the destination and falls back to `picker`. */
  onAddFiles: () => void;
  onAddFolder: () => void;
  onNewFolder: () => void;
  /** From the hidden file inputs (browser mode's fallback for the native dialog). */
  onPicked: (files: PickedFile[]) => void;
}

export function SrcToolbar({ busy, picker, onAddFiles, onAddFolder, onNewFolder, onPicked }: Props) {
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  useImperativeHandle(picker, () => ({ pick: (folders) => (folders ? folder : files).current?.click() }), []);
  const pick = (input: HTMLInputElement | null) => {
    const picked = fromFileInput(input?.files ?? null);
    if (input) input.value = '';
    if (picked.length) onPicked(picked);
  };
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
          <ActionIcon variant="default" aria-label="Add files" onClick={onAddFiles} disabled={busy}>
            <IconFilePlus size={16} />
          </ActionIcon>
        </Tooltip>
        <Tooltip label="Add a folder…">
          <ActionIcon variant="default" aria-label="Add folder" onClick={onAddFolder} disabled={busy}>
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
