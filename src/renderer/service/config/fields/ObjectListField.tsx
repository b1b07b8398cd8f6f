// Lists of small objects (devices: name + mode): a row of inputs per item.
import { Group, Input, Stack, TextInput } from '@mantine/core';
import { AddItemButton, RemoveItemButton } from './list-buttons';
import { useConfig } from '../config-context';
import { describe, fieldLabel, useConfigField, type FieldProps } from './field-props';

export function ObjectListField({ spec, path }: FieldProps) {
  const field = useConfigField(path);
  const items = Array.isArray(field.value) ? (field.value as unknown[]) : [];
  const fields = spec.fields ?? [];
  const config = useConfig();

  return (
    <Input.Wrapper label={fieldLabel(spec)} description={describe(spec)} error={field.error} className={field.className}>
      <Stack gap={6} mt={6}>
        {items.map((item, i) => {
          const obj = item && typeof item === 'object' ? (item as Record<string, unknown>) : {};
          return (
            <Group key={i} gap={6} wrap="nowrap">
              {fields.map((f) => (
                <TextInput
                  key={f.key}
                  aria-label={`${spec.label} ${i + 1}: ${f.label} (${f.key})`}
                  placeholder={f.label}
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
                label={`Remove ${spec.label.toLowerCase()} ${i + 1}`}
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
