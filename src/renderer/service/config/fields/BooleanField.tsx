import { Group, Switch, Text } from '@mantine/core';
import { describe, fieldLabel, useConfigField, type FieldProps } from './field-props';

export function BooleanField({ spec, path }: FieldProps) {
  const field = useConfigField(path);
  const set = typeof field.value === 'boolean';
  const checked = set ? (field.value as boolean) : spec.defaultText === 'true';
  return (
    <div>
      <Switch
        label={
          <Group gap={6}>
            <span>{fieldLabel(spec)}</span>
            {!set && (
              <Text span size="xs" c="dimmed">
                (default)
              </Text>
            )}
          </Group>
        }
        description={describe(spec)}
        checked={checked}
        error={field.error}
        className={field.className}
        disabled={field.disabled}
        onChange={(e) => field.set(e.currentTarget.checked)}
        data-path={field.dataPath}
      />
    </div>
  );
}
