// A key's password and the button that uses it, side by side; Enter uses it too. The sign
// drawer and the upload panel ask for a protected key's password this way.
import { Button, Group, PasswordInput } from '@mantine/core';

interface Props {
  label: string;
  description: string;
  value: string;
  onChange: (value: string) => void;
  onSubmit: () => void;
  submitLabel: string;
  loading?: boolean;
}

export function UnlockPasswordField({ label, description, value, onChange, onSubmit, submitLabel, loading }: Props) {
  return (
    <Group align="flex-end" gap="xs" wrap="nowrap">
      <PasswordInput
        style={{ flex: 1 }}
        label={label}
        description={description}
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
