import { MultiSelect, Select } from '@mantine/core';
import { describe, fieldLabel, placeholderOf, useConfigField, type FieldProps } from './field-props';

export function EnumField({ spec, path }: FieldProps) {
  const field = useConfigField(path);
  const value = typeof field.value === 'string' ? field.value : null;
  // A value the schema does not know stays visible (and flagged by its diagnostic).
  const options = [...(spec.options ?? [])];
  if (value && !options.includes(value)) options.push(value);
  return (
    <Select
      label={fieldLabel(spec)}
      description={describe(spec)}
      placeholder={placeholderOf(spec) ?? 'not set'}
      data={options}
      value={value}
      clearable
      error={field.error}
      className={field.className}
      disabled={field.disabled}
      onChange={(v) => field.set(v ?? undefined)}
      data-path={field.dataPath}
    />
  );
}

export function EnumListField({ spec, path }: FieldProps) {
  const field = useConfigField(path);
  const value = Array.isArray(field.value) ? field.value.map(String) : [];
  const options = [...new Set([...(spec.options ?? []), ...value])];
  return (
    <MultiSelect
      label={fieldLabel(spec)}
      description={describe(spec)}
      placeholder={value.length ? undefined : (placeholderOf(spec) ?? 'none')}
      data={options}
      value={value}
      clearable
      error={field.error}
      className={field.className}
      disabled={field.disabled}
      onChange={(v) => field.set(v.length ? v : undefined)}
      data-path={field.dataPath}
    />
  );
}
