// Sizes and speeds (quotas, requestedResources): a number and a unit picker with the v1
// upload tool's units, showing the value in bytes. The YAML keeps the unit as the user
// picked it (`100M` stays `100M`). A value the picker cannot show (a v2 unit such as `Mi`,
// an expression) falls back to the plain text field, so nothing is ever rewritten silently.
import { Group, NumberInput, Select, Text } from '@mantine/core';
import { parseSize } from '../../../../shared/service-config';
import { useDraft } from '../../../common/use-draft';
import { useDraftProblem } from '../config-context';
import { describe, fieldLabel, fieldName, useConfigField, type FieldProps } from './field-props';
import { TextField } from './TextField';

/** The units the v1 tool reads, as they are written in the YAML. */
export const SIZE_UNITS = [
  { value: '', label: 'bytes' },
  { value: 'k', label: 'k (×1000)' },
  { value: 'M', label: 'M (×10⁶)' },
  { value: 'G', label: 'G (×10⁹)' },
  { value: 'kB', label: 'kB (×1000)' },
  { value: 'MB', label: 'MB (×10⁶)' },
  { value: 'GB', label: 'GB (×10⁹)' },
  { value: 'Ki', label: 'Ki (×1024)' },
];

/** One line for a group of size fields, instead of the same sentence under each. */
export const SIZE_HELP = "Sizes are a number and a unit, as the platform's upload tool reads them: k, M, G (or kB, MB, GB) are decimal (×1000), Ki is 1024; no unit means bytes.";

/** `100M` → { amount: '100', unit: 'M' }; null when the picker cannot show it as written. */
export function splitSize(value: unknown): { amount: string; unit: string } | null {
  if (value === undefined || value === null || value === '') return { amount: '', unit: 'M' };
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? { amount: String(value), unit: '' } : null;
  const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(String(value).trim());
  if (!m || !SIZE_UNITS.some((u) => u.value === m[2])) return null;
  return { amount: m[1], unit: m[2] };
}

export function SizeField(props: FieldProps) {
  const { spec, path } = props;
  const field = useConfigField(path);
  const split = splitSize(field.value);
  const [unitDraft, setUnitDraft] = useDraft(split?.unit ?? 'M');
  const [amountDraft, setAmountDraft] = useDraft<string | number>(split?.amount ?? '');
  const speed = spec.key.endsWith('_speed');
  const refused = typeof amountDraft === 'string' && amountDraft.trim() !== '' && amountDraft !== split?.amount;
  useDraftProblem(path, fieldName(spec), refused ? `"${amountDraft}" is not a number` : null);
  if (!split) return <TextField {...props} />;

  const write = (amount: string | number, unit: string) => {
    if (amount === '' || amount === undefined) field.set(undefined);
    else if (typeof amount === 'number') field.set(unit === '' ? amount : `${amount}${unit}`);
  };
  const bytes = split.amount === '' ? null : parseSize(field.value as string | number)?.bytes;
  return (
    <Group gap={6} align="flex-start" wrap="nowrap" data-testid="size-field">
      <NumberInput
        style={{ flex: 1 }}
        label={fieldLabel(spec, speed ? 'per second' : undefined)}
        description={describe({ ...spec, doc: spec.doc.split(' Plain number')[0] })}
        value={amountDraft}
        min={0}
        allowNegative={false}
        error={field.error}
        className={field.className}
        disabled={field.disabled}
        data-path={field.dataPath}
        // The value in bytes under the input, where it never covers the digits typed.
        inputWrapperOrder={['label', 'description', 'input', 'error']}
        inputContainer={(input) => (
          <>
            {input}
            <Text size="xs" c="dimmed" mt={2} data-testid="size-bytes" style={{ minHeight: '1.2em' }}>
              {bytes != null ? `= ${bytes.toLocaleString('en-US')} bytes${speed ? ' per second' : ''}` : ''}
            </Text>
          </>
        )}
        onChange={(value) => {
          setAmountDraft(value);
          write(value, unitDraft);
        }}
      />
      <Select
        w={130}
        label="Unit"
        aria-label={`${spec.label} unit`}
        description={'\u00a0'}
        data={SIZE_UNITS}
        value={unitDraft}
        allowDeselect={false}
        disabled={field.disabled}
        onChange={(unit) => {
          if (unit === null) return;
          setUnitDraft(unit);
          write(typeof amountDraft === 'number' ? amountDraft : split.amount === '' ? '' : Number(split.amount), unit);
        }}
      />
    </Group>
  );
}
