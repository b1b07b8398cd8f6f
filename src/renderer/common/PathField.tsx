// A path typed as text, with a button beside it that picks one instead (a native dialog in
// the desktop app, the in-app browser in browser mode). Paths show in a monospace font.
import { Button, Group, TextInput, type TextInputProps } from '@mantine/core';
import { IconFileSearch } from '@tabler/icons-react';
import { monoInput } from './format';

export interface PathFieldProps extends Omit<TextInputProps, 'styles'> {
  onBrowse: () => void;
  /** The button's text: 'Browse…' unless the button picks something narrower (a folder). */
  browseLabel?: string;
}

export function PathField({ onBrowse, browseLabel = 'Browse…', disabled, ...input }: PathFieldProps) {
  return (
    <Group align="flex-end" gap="xs" wrap="nowrap">
      <TextInput style={{ flex: 1 }} styles={monoInput} disabled={disabled} {...input} />
      <Button variant="default" leftSection={<IconFileSearch size={16} />} onClick={onBrowse} disabled={disabled}>
        {browseLabel}
      </Button>
    </Group>
  );
}
