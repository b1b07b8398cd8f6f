// The range picker's fields: a minimum (included) and a maximum (excluded), or one exact
// version, with the range in words. Shared by a service's layer ranges
// (configuration.layers) and a deployment item's dependencies (versions constraint).
import { Group, Switch, Text, TextInput } from '@mantine/core';
import { describeLayerRange } from '../../shared/service-config';
import { monoInput } from './format';
import { FieldLabel } from './FieldLabel';

export interface RangeDraft {
  minVersion: string;
  maxVersion: string;
  /** "Exactly this version": maxVersion follows minVersion and is hidden. */
  exact: boolean;
}

export type RangeErrors = Partial<Record<'minVersion' | 'maxVersion', string>>;

interface Props {
  draft: RangeDraft;
  errors: RangeErrors;
  disabled?: boolean;
  onChange: (patch: Partial<RangeDraft>) => void;
  /** The key path of the range in config.yaml, for data-path attributes (e.g. "configuration.layers[0]"). */
  pathPrefix: string;
  /** Names the fields' keys in data-path ('minVersion'/'maxVersion' by default). */
  keys?: { min: string; max: string };
  /**
   * The fields are config keys of their own (a layer range's minVersion/maxVersion): the key
   * follows the words in mono. A dependency's two fields make one `versions` string: words only.
   */
  keyed?: boolean;
}

function rangeInWords(min: string, max: string): string {
  try {
    return describeLayerRange(min || undefined, max || undefined);
  } catch {
    return min && max ? `${min} ≤ v < ${max}` : 'any version';
  }
}

export function VersionRangeFields({ draft, errors, disabled, onChange, pathPrefix, keys = { min: 'minVersion', max: 'maxVersion' }, keyed = false }: Props) {
  const valid = !errors.minVersion && !errors.maxVersion;
  const shownMax = draft.exact ? draft.minVersion : draft.maxVersion;
  return (
    <>
      <Group grow align="flex-start">
        <TextInput
          label={keyed ? <FieldLabel words={draft.exact ? 'Version' : 'Minimum version'} configKey={keys.min} /> : draft.exact ? 'Version' : 'Minimum version'}
          description={draft.exact ? 'Exactly this version' : 'Included (≥)'}
          placeholder="e.g. 1.0.0"
          value={draft.minVersion}
          error={errors.minVersion}
          disabled={disabled}
          styles={monoInput}
          onChange={(e) => onChange({ minVersion: e.currentTarget.value })}
          data-path={`${pathPrefix}.${keys.min}`}
        />
        {!draft.exact && (
          <TextInput
            label={keyed ? <FieldLabel words="Maximum version" configKey={keys.max} /> : 'Maximum version'}
            description="Excluded (<)"
            placeholder="e.g. 2.0.0"
            value={draft.maxVersion}
            error={errors.maxVersion}
            disabled={disabled}
            styles={monoInput}
            onChange={(e) => onChange({ maxVersion: e.currentTarget.value })}
            data-path={`${pathPrefix}.${keys.max}`}
          />
        )}
      </Group>
      <Group justify="space-between">
        <Switch
          label="Exactly this version"
          checked={draft.exact}
          disabled={disabled}
          onChange={(e) => {
            const exact = e.currentTarget.checked;
            // Leaving "exactly": drop the copied upper bound rather than keep a range of one.
            onChange(exact ? { exact, maxVersion: draft.minVersion } : { exact, maxVersion: '' });
          }}
        />
        <Text size="sm" fw={500} data-testid="layer-range-words" c={valid ? undefined : 'dimmed'}>
          {valid ? rangeInWords(draft.minVersion.trim(), shownMax.trim()) : 'Fix the fields to see the range'}
        </Text>
      </Group>
    </>
  );
}
