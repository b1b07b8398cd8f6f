// Lists of small objects (devices: name + mode): a row of inputs per item.
import { Group, Input, Stack, TextInput } from '@mantine/core';
import { AddItemButton, RemoveItemButton } from './list-buttons';
import { useConfig } from '../config-context';
import { useConfigField, type FieldProps } from './field-props';

export function ObjectListField({ spec, path, label }: FieldProps) {
  const field = useConfigField(path);
  const items = Array.isArray(field.value) ? (field.value as unknown[]) : [];
  const fields = spec.fields ?? [];
  const config = useConfig();

  return (
    <Input.Wrapper label={label ?? spec.key} description={spec.doc} error={field.error}>
      <Stack gap={6} mt={6}>
        {items.map((item, i) => {
          const obj = item && typeof item === 'object' ? (item as Record<string, unknown>) : {};
          return (
            <Group key={i} gap={6} wrap="nowrap">
              {fields.map((f) => (
                <TextInput
                  key={f.key}
                  aria-label={`${spec.key} ${i + 1} ${f.key}`}
                  placeholder={f.key}
                  value={obj[f.key] == null ? '' : String(obj[f.key])}
                  disabled={field.disabled}
                  style={{ flex: 1 }}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    // Write the one key, so comments inside the item survive.
                    config.setValue([...path, i, f.key], v);
                  }}
                />
              ))}
              <RemoveItemButton
                label={`Remove ${spec.key} ${i + 1}`}
                disabled={field.disabled}
                onClick={() => field.set(items.length > 1 ? items.filter((_, j) => j !== i) : undefined)}
              />
            </Group>
          );
        })}
        <AddItemButton disabled={field.disabled} onClick={() => field.set([...items, Object.fromEntries(fields.map((f) => [f.key, '']))])}>
          Add {spec.key === 'devices' ? 'device' : 'item'}
        </AddItemButton>
      </Stack>
    </Input.Wrapper>
  );
}
