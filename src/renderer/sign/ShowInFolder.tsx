// "Show in folder": the file manager in the desktop app; in browser mode, where the server
// cannot open a window on the user's desktop, the folder's path to copy instead.
import { useState } from 'react';
import { Button, Stack, Text } from '@mantine/core';
import { IconFolderOpen } from '@tabler/icons-react';
import { useApi } from '../api/context';
import { isApiError } from '../api/errors';
import { notifyError } from '../common/notify';
import { folderOf } from '../common/paths';
import { CopyValue } from '../common/CopyValue';

/** `path`: the file (or folder) to show; `what`: how the fallback names it; `folder`: the path to copy (default: path's folder). */
export function ShowInFolder({ path, what = 'The bundle', folder }: { path: string; what?: string; folder?: string }) {
  const { call } = useApi();
  const [fallback, setFallback] = useState(false);
  const show = async () => {
    try {
      await call('shell.showInFolder', { path });
    } catch (err) {
      if (isApiError(err, 'unsupported')) setFallback(true);
      else notifyError('Cannot show the folder', err);
    }
  };
  if (fallback) {
    return (
      <Stack gap={4} data-testid="folder-fallback">
        <Text size="xs" c="dimmed">
          The browser cannot open your file manager. {what} is in this folder:
        </Text>
        <CopyValue value={folder ?? folderOf(path)} label="folder path" />
      </Stack>
    );
  }
  return (
    <Button variant="default" size="xs" leftSection={<IconFolderOpen size={14} />} onClick={() => void show()}>
      Show in folder
    </Button>
  );
}
