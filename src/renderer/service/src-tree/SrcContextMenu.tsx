// The row's context menu, one for the whole tree (only the open one is rendered), anchored
// at the pointer, or at the row when opened from the keyboard.
import { Kbd, Menu } from '@mantine/core';
import { IconEdit, IconFilePlus, IconFolderPlus, IconTrash, IconUpload } from '@tabler/icons-react';
import classes from './SrcTree.module.css';

export interface MenuAt {
  x: number;
  y: number;
  path: string;
  /** The folder that New file / New folder / Add files here use: the row's folder, or a file's parent. */
  dir: string;
}

interface Props {
  at: MenuAt | null;
  onClose: () => void;
  onRename: () => void;
  onNewFile: () => void;
  onNewFolder: () => void;
  onDelete: () => void;
  onAddHere: () => void;
}

export function SrcContextMenu({ at, onClose, onRename, onNewFile, onNewFolder, onDelete, onAddHere }: Props) {
  const inDir = `src/${at?.dir ? `${at.dir}/` : ''}`;
  return (
    <Menu opened={at !== null} onChange={(opened) => !opened && onClose()} position="bottom-start" offset={2} width={230} shadow="md" returnFocus={false}>
      <Menu.Target>
        <div aria-hidden style={{ position: 'fixed', left: at?.x ?? 0, top: at?.y ?? 0, width: 0, height: 0 }} />
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>src/{at?.path}</Menu.Label>
        <Menu.Item leftSection={<IconEdit size={15} />} rightSection={<Kbd size="xs">F2</Kbd>} onClick={onRename}>
          Rename
        </Menu.Item>
        <Menu.Item leftSection={<IconFilePlus size={15} />} onClick={onNewFile}>
          New file in {inDir}
        </Menu.Item>
        <Menu.Item leftSection={<IconFolderPlus size={15} />} onClick={onNewFolder}>
          New folder in {inDir}
        </Menu.Item>
        <Menu.Item leftSection={<IconUpload size={15} />} onClick={onAddHere}>
          Add files to {inDir}…
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item className={classes.danger} leftSection={<IconTrash size={15} />} rightSection={<Kbd size="xs">Del</Kbd>} onClick={onDelete}>
          Delete…
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
