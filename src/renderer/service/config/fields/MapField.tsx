// Free-form maps (permissions) read best as YAML: show them, edit them in the text.
import { Code, Input, Text } from '@mantine/core';
import { useConfigField, type FieldProps } from './field-props';

export function MapField({ spec, path, label }: FieldProps) {
  const field = useConfigField(path);
  const value = field.value;
  return (
    <Input.Wrapper label={label ?? spec.key} description={spec.doc} error={field.error}>
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
