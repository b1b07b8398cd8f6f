import { NumberInput } from '@mantine/core';
import { useDraft } from '../../../common/use-draft';
import { useDraftProblem } from '../config-context';
import { describe, fieldLabel, fieldName, placeholderOf, useConfigField, type FieldProps } from './field-props';

export function NumberField({ spec, path }: FieldProps) {
  const field = useConfigField(path);
  const shown: string | number = typeof field.value === 'number' ? field.value : field.value == null ? '' : String(field.value);
  const [draft, setDraft] = useDraft<string | number>(shown);
  // Half-typed text ("1.", "-") is not written; until it is a number the file holds the old value.
  const refused = typeof draft === 'string' && draft.trim() !== '' && draft !== shown;
  useDraftProblem(path, fieldName(spec), refused ? `"${draft}" is not a number` : null);
  return (
    <NumberInput
      label={fieldLabel(spec)}
      description={describe(spec)}
      placeholder={placeholderOf(spec)}
      value={draft}
      min={spec.min}
      max={spec.max}
      allowDecimal={spec.kind === 'number'}
      error={field.error}
      className={field.className}
      disabled={field.disabled}
      onChange={(value) => {
        setDraft(value);
        if (value === '' || value === undefined) field.set(undefined);
        else if (typeof value === 'number') field.set(value);
        // Half-typed text ("1.", "-") stays in the field until it is a number.
      }}
      data-path={field.dataPath}
    />
  );
}
