// `env`: NAME=value pairs, edited as two columns so nobody forgets the "=".
import { Group, Input, Stack, TextInput } from '@mantine/core';
import { AddItemButton, RemoveItemButton } from './list-buttons';
import { describe, fieldLabel, useConfigField, type FieldProps } from './field-props';
import { monoInput } from '../../../common/format';

function split(entry: string): [string, string] {
  const i = entry.indexOf('=');
  return i < 0 ? [entry, ''] : [entry.slice(0, i), entry.slice(i + 1)];
}

export function EnvListField({ spec, path }: FieldProps) {
  const field = useConfigField(path);
  const entries = Array.isArray(field.value) ? field.value.map(String) : [];
  const write = (next: string[]) => field.set(next.length ? next : undefined);
  const setEntry = (i: number, name: string, value: string) =>
    write(entries.map((e, j) => (j === i ? `${name}=${value}` : e)));

  return (
    <Input.Wrapper label={fieldLabel(spec)} description={describe(spec)} error={field.error} className={field.className}>
      <Stack gap={6} mt={6}>
        {entries.map((entry, i) => {
          const [name, value] = split(entry);
          return (
            <Group key={i} gap={6} wrap="nowrap">
              <TextInput
                aria-label={`env ${i + 1} name`}
                placeholder="NAME"
                value={name}
                disabled={field.disabled}
                styles={monoInput}
                w="35%"
                onChange={(e) => setEntry(i, e.currentTarget.value, value)}
              />
              <TextInput
                aria-label={`env ${i + 1} value`}
                placeholder="value"
                value={value}
                disabled={field.disabled}
                styles={monoInput}
                style={{ flex: 1 }}
                onChange={(e) => setEntry(i, name, e.currentTarget.value)}
              />
              <RemoveItemButton
                label={`Remove env ${name || i + 1}`}
                disabled={field.disabled}
                onClick={() => write(entries.filter((_, j) => j !== i))}
              />
            </Group>
          );
        })}
        <AddItemButton disabled={field.disabled} onClick={() => write([...entries, 'NAME=value'])}>
          Add variable
        </AddItemButton>
      </Stack>
    </Input.Wrapper>
  );
}
