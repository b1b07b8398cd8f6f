// `cmd`: a string (run through a shell-like split by the unit) or a list of arguments.
// The form keeps whichever form the config uses; a list is edited one argument per tag.
import { SegmentedControl, Stack, TagsInput, TextInput } from '@mantine/core';
import { useDraft } from '../../../common/use-draft';
import { describe, fieldLabel, useConfigField, type FieldProps } from './field-props';
import { monoInput } from '../../../common/format';

export function CommandField({ spec, path }: FieldProps) {
  const field = useConfigField(path);
  const isList = Array.isArray(field.value);
  const text = typeof field.value === 'string' ? field.value : '';
  const [draft, setDraft] = useDraft(text);
  const label = fieldLabel(spec);

  const switchForm = (to: string) => {
    if (to === 'list' && !isList) field.set(text.trim() ? text.trim().split(/\s+/) : undefined);
    if (to === 'string' && isList) field.set((field.value as unknown[]).map(String).join(' '));
  };

  return (
    <Stack gap={4}>
      {isList ? (
        <TagsInput
          label={label}
          description="Entrypoint and arguments, one per tag (Enter after each)."
          value={(field.value as unknown[]).map(String)}
          error={field.error}
          className={field.className}
          disabled={field.disabled}
          onChange={(items) => field.set(items.length ? items : undefined)}
          data-path={field.dataPath}
        />
      ) : (
        <TextInput
          label={label}
          description={describe(spec)}
          placeholder="e.g. python3 /usr/bin/services/main.py"
          value={draft}
          error={field.error}
          className={field.className}
          disabled={field.disabled}
          styles={monoInput}
          onChange={(e) => {
            const v = e.currentTarget.value;
            setDraft(v);
            field.set(v === '' ? undefined : v);
          }}
          data-path={field.dataPath}
        />
      )}
      <SegmentedControl
        size="xs"
        w={220}
        value={isList ? 'list' : 'string'}
        onChange={switchForm}
        disabled={field.disabled}
        aria-label="Command form"
        data={[
          { value: 'string', label: 'One string' },
          { value: 'list', label: 'Argument list' },
        ]}
      />
    </Stack>
  );
}
