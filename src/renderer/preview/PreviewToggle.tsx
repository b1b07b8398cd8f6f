// The header button that shows or hides the OCI preview beside the config editor.
import { Button, Tooltip } from '@mantine/core';
import { IconLayoutSidebarRightExpand, IconLayoutSidebarRightCollapse } from '@tabler/icons-react';
import type { PreviewLayout } from './use-preview-layout';

export function PreviewToggle({ layout }: { layout: PreviewLayout }) {
  return (
    <Tooltip label={layout.open ? 'Hide the OCI preview' : 'Show the image config, service config, manifest and runtime spec this config produces'} multiline maw={280}>
      <Button
        variant={layout.open ? 'light' : 'default'}
        leftSection={layout.open ? <IconLayoutSidebarRightCollapse size={16} /> : <IconLayoutSidebarRightExpand size={16} />}
        onClick={layout.toggle}
        aria-pressed={layout.open}
        data-testid="preview-toggle"
      >
        Preview
      </Button>
    </Tooltip>
  );
}
