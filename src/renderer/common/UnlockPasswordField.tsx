// A key's password and the button that uses it, side by side; Enter uses it too. The sign
// drawer, the upload panel, the account card and the wizards' certificate steps ask for a
// protected key's password this way.
import type { ReactNode } from 'react';
import { Button, Group, PasswordInput } from '@mantine/core';

interface Props {
  label: string;
  description: string;
  value: string;
  onChange: (value: string) => void;
  onSubmit: () => void;
  submitLabel: string;
  loading?: boolean;
  /** Shown inside the field, before the dots. */
  icon?: ReactNode;
}

export function UnlockPasswordField({ label, description, value, onChange, onSubmit, submitLabel, loading, icon }: Props) {
  return (
    <Group align="flex-end" gap="xs" wrap="nowrap">
      <PasswordInput
        style={{ flex: 1 }}
        label={label}
        description={description}
        leftSection={icon}
        autoComplete="off"
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            onSubmit();
          }
        }}
      />
      <Button onClick={onSubmit} loading={loading} disabled={!value}>
        {submitLabel}
      </Button>
    </Group>
  );
}
