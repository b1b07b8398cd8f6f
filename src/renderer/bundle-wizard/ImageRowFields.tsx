// One image of the wizard's item: where it comes from, and its platform (os, architecture,
// variant, os version), prefilled from a file named <os>-<arch>-<version>.tar.gz and editable.
import { ActionIcon, Alert, Autocomplete, Code, Group, Paper, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconFile, IconFolder, IconTrash } from '@tabler/icons-react';
import { monoInput } from '../common/format';
import { ARCHITECTURES, type ImageRow } from './bundle-form';

interface Props {
  row: ImageRow;
  index: number;
  /** Where the image will be in the bundle (relative path), and whether it is copied there. */
  placement: { path: string; copied: boolean };
  itemVersion: string;
  onChange: (patch: Partial<ImageRow>) => void;
  onRemove: () => void;
}

export function ImageRowFields({ row, index, placement, itemVersion, onChange, onRemove }: Props) {
  const versionDiffers = row.nameVersion !== undefined && itemVersion.trim() !== '' && row.nameVersion !== itemVersion.trim();
  return (
    <Paper withBorder p="sm" radius="md" data-testid="image-row" data-image-index={index}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Group gap={8} wrap="nowrap" style={{ minWidth: 0 }}>
            {row.kind === 'folder' ? <IconFolder size={18} aria-hidden /> : <IconFile size={18} aria-hidden />}
            <div style={{ minWidth: 0 }}>
              <Text size="sm" fw={500} truncate title={row.source}>
                {row.source}
              </Text>
              <Text size="xs" c="dimmed">
                {placement.copied ? 'Copied into the bundle as ' : 'In the bundle as '}
                <Code fz="xs">{placement.path}</Code>
              </Text>
            </div>
          </Group>
          <Tooltip label="Remove this image">
            <ActionIcon variant="subtle" color="red" aria-label={`Remove image ${index + 1}`} onClick={onRemove}>
              <IconTrash size={18} />
            </ActionIcon>
          </Tooltip>
        </Group>
        <Group grow align="flex-start">
          <TextInput label="OS" aria-label={`OS of image ${index + 1}`} description="e.g. linux" placeholder="linux" styles={monoInput} value={row.os} onChange={(e) => onChange({ os: e.currentTarget.value })} />
          <Autocomplete
            label="Architecture"
            aria-label={`Architecture of image ${index + 1}`}
            description="amd64, arm64, arm, any"
            placeholder="amd64"
            data={ARCHITECTURES}
            styles={monoInput}
            value={row.architecture}
            onChange={(architecture) => onChange({ architecture })}
          />
          <TextInput
            label="Variant"
            aria-label={`Variant of image ${index + 1}`}
            description={row.architecture === 'arm' ? 'e.g. v7' : 'arm only'}
            placeholder={row.architecture === 'arm' ? 'v7' : ''}
            styles={monoInput}
            value={row.variant}
            onChange={(e) => onChange({ variant: e.currentTarget.value })}
          />
          <TextInput
            label="OS version"
            aria-label={`OS version of image ${index + 1}`}
            description="Optional"
            styles={monoInput}
            value={row.osVersion}
            onChange={(e) => onChange({ osVersion: e.currentTarget.value })}
          />
        </Group>
        {versionDiffers && (
          <Alert color="yellow" variant="light" p="xs" icon={<IconAlertTriangle size={16} />} data-testid="image-version-warning">
            <Text size="xs">
              The file name says version {row.nameVersion}; the item's version is {itemVersion.trim()}. Check that this is the right image.
            </Text>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
