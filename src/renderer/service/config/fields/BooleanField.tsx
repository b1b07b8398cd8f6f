import { Group, Switch, Text } from '@mantine/core';
import { describe, useConfigField, type FieldProps } from './field-props';

export function BooleanField({ spec, path, label }: FieldProps) {
  const field = useConfigField(path);
  const set = typeof field.value === 'boolean';
  const checked = set ? (field.value as boolean) : spec.defaultText === 'true';
  return (
    <div>
      <Switch
        label={
          <Group gap={6}>
            <span>{label ?? spec.key}</span>
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
        disabled={field.disabled}
        onChange={(e) => field.set(e.currentTarget.checked)}
        data-path={field.dataPath}
      />
    </div>
  );
}
