// Free-form maps (permissions) read best as YAML: show them, edit them in the text.
import { Code, Input, Text } from '@mantine/core';
import { describe, fieldLabel, useConfigField, type FieldProps } from './field-props';

export function MapField({ spec, path }: FieldProps) {
  const field = useConfigField(path);
  const value = field.value;
  return (
    <Input.Wrapper label={fieldLabel(spec)} description={describe(spec)} error={field.error} className={field.className}>
      {value && typeof value === 'object' ? (
        <Code block mt={6}>
          {JSON.stringify(value, null, 2)}
        </Code>
      ) : (
        <Text size="sm" c="dimmed" mt={6}>
          Not set.
        </Text>
      )}
      <Text size="xs" c="dimmed" mt={4}>
        Edit this one in the YAML tab.
      </Text>
    </Input.Wrapper>
  );
}
