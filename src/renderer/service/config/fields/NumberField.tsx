import { NumberInput } from '@mantine/core';
import { useDraft } from '../../../common/use-draft';
import { useDraftProblem } from '../config-context';
import { describe, useConfigField, type FieldProps } from './field-props';

/** The unit a number is in, where the format says (CPU in DMIPS, ram and cpu alert thresholds in percent). */
export function numberUnit(path: readonly (string | number)[]): string | null {
  const [, section, key, leaf] = path.map(String);
  if ((section === 'quotas' || section === 'requestedResources') && key === 'cpu') return 'DMIPS';
  if (section === 'alerts' && (key === 'ram' || key === 'cpu') && (leaf === 'minThreshold' || leaf === 'maxThreshold')) return 'percent';
  return null;
}

export function NumberField({ spec, path, label }: FieldProps) {
  const field = useConfigField(path);
  const shown: string | number = typeof field.value === 'number' ? field.value : field.value == null ? '' : String(field.value);
  const [draft, setDraft] = useDraft<string | number>(shown);
  // Half-typed text ("1.", "-") is not written; until it is a number the file holds the old value.
  const refused = typeof draft === 'string' && draft.trim() !== '' && draft !== shown;
  useDraftProblem(path, label ?? spec.key, refused ? `"${draft}" is not a number` : null);
  return (
    <NumberInput
      label={numberUnit(path) ? `${label ?? spec.key} (${numberUnit(path)})` : (label ?? spec.key)}
      description={describe(spec)}
      placeholder={spec.defaultText}
      value={draft}
      min={spec.min}
      max={spec.max}
      allowDecimal={spec.kind === 'number'}
      error={field.error}
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
