import { TagsInput } from '@mantine/core';
import { describe, fieldLabel, useConfigField, type FieldProps } from './field-props';

/** Lists of plain values (labels, resources, ports, connections): one tag per item. */
export function StringListField({ spec, path }: FieldProps) {
  const field = useConfigField(path);
  const value = Array.isArray(field.value) ? field.value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))) : [];
  // exposedPorts: a bare port is a YAML number in the platform's configs.
  const numeric = path[path.length - 1] === 'exposedPorts';
  return (
    <TagsInput
      label={fieldLabel(spec)}
      description={describe(spec, 'Press Enter after each item.')}
      value={value}
      clearable
      error={field.error}
      className={field.className}
      disabled={field.disabled}
      onChange={(items) => field.set(items.length ? items.map((s) => (numeric && /^\d+$/.test(s) ? Number(s) : s)) : undefined)}
      data-path={field.dataPath}
    />
  );
}
