// One layer requirement: uid and a version range (min included, max excluded), or one
// exact version. Invalid input stays in the field with its message and is not written.
import { ActionIcon, Group, Paper, Stack, Switch, Text, TextInput, Tooltip } from '@mantine/core';
import { IconStack2, IconTrash } from '@tabler/icons-react';
import { describeLayerRange } from '../../../shared/service-config';
import type { KeyPath } from '../../../shared/diagnostics';
import { useDraft } from '../../common/use-draft';
import { useConfig, useDraftProblem } from '../config/config-context';
import { DRAFT_CODE } from '../config/draft-problems';
import { hasLayerErrors, layerValues, validateLayerDraft, type LayerDraft } from './layer-rules';
import { monoInput } from '../../common/format';
import { FieldLabel } from '../../common/FieldLabel';
import { fieldFeedback } from '../config/fields/FieldFeedback';

interface Props {
  index: number;
  item: LayerDraft;
  otherUids: string[];
  disabled?: boolean;
  onRemove: () => void;
}

const FIELD_NAMES = { uid: 'Uid', minVersion: 'Minimum version', maxVersion: 'Maximum version' } as const;

function rangeInWords(min: string, max: string): string {
  try {
    return describeLayerRange(min || undefined, max || undefined);
  } catch {
    return min && max ? `${min} ≤ v < ${max}` : 'any version';
  }
}

export function LayerRangePicker({ index, item, otherUids, disabled, onRemove }: Props) {
  const config = useConfig();
  const [draft, setDraft] = useDraft(item);
  const errors = validateLayerDraft(draft, otherUids);
  const base: KeyPath = ['configuration', 'layers', index];
  // The picker shows its own refusals at the fields; the list below is the checker's.
  const problems = config.diagnostics.filter((d) => d.code !== DRAFT_CODE && d.path.startsWith(`configuration.layers[${index}]`));
  // Input the picker refused is not in the text: hold it, so Save refuses and Problems names it.
  const refusedKey = (['uid', 'minVersion', 'maxVersion'] as const).find((key) => errors[key]);
  const refused = refusedKey && JSON.stringify(draft) !== JSON.stringify(item) ? refusedKey : undefined;
  useDraftProblem(
    [...base, refused ?? 'uid'],
    `${refused ? FIELD_NAMES[refused] : ''} of layer ${item.uid || index + 1}`.trim(),
    refused ? errors[refused]! : null,
  );

  const edit = (patch: Partial<LayerDraft>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    if (hasLayerErrors(validateLayerDraft(next, otherUids))) return;
    const values = layerValues(next);
    const current = layerValues(item);
    // A freshly added layer ({ uid: "" }) is written whole once it has a uid, so that the
    // uid comes out as a plain scalar instead of inheriting the empty string's quotes.
    if (current.uid === '') {
      config.setValue(base, Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)));
      return;
    }
    const changes = (['uid', 'minVersion', 'maxVersion'] as const)
      .filter((key) => values[key] !== current[key])
      .map((key) => ({ path: [...base, key], value: values[key] }));
    if (changes.length) config.setValues(changes);
  };

  const valid = !hasLayerErrors(errors);
  const shownMax = draft.exact ? draft.minVersion : draft.maxVersion;

  return (
    <Paper withBorder p="md" radius="md" data-testid="layer-range" data-layer-index={index}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <TextInput
            style={{ flex: 1 }}
            label={<FieldLabel words="Layer uid" configKey="uid" />}
            placeholder="e.g. aos-pylibs-layer"
            value={draft.uid}
            error={errors.uid}
            disabled={disabled}
            leftSection={<IconStack2 size={16} />}
            onChange={(e) => edit({ uid: e.currentTarget.value })}
            data-path={`configuration.layers[${index}].uid`}
          />
          <Tooltip label="Remove this layer">
            <ActionIcon variant="subtle" color="red" mt={28} aria-label={`Remove layer ${draft.uid || index + 1}`} onClick={onRemove} disabled={disabled}>
              <IconTrash size={18} />
            </ActionIcon>
          </Tooltip>
        </Group>
        <Group grow align="flex-start">
          <TextInput
            label={<FieldLabel words={draft.exact ? 'Version' : 'Minimum version'} configKey="minVersion" />}
            description={draft.exact ? 'Exactly this version' : 'Included (≥)'}
            placeholder="e.g. 1.0.0"
            value={draft.minVersion}
            error={errors.minVersion}
            disabled={disabled}
            styles={monoInput}
            onChange={(e) => edit({ minVersion: e.currentTarget.value })}
            data-path={`configuration.layers[${index}].minVersion`}
          />
          {!draft.exact && (
            <TextInput
              label={<FieldLabel words="Maximum version" configKey="maxVersion" />}
              description="Excluded (<)"
              placeholder="e.g. 2.0.0"
              value={draft.maxVersion}
              error={errors.maxVersion}
              disabled={disabled}
              styles={monoInput}
              onChange={(e) => edit({ maxVersion: e.currentTarget.value })}
              data-path={`configuration.layers[${index}].maxVersion`}
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
              edit(exact ? { exact, maxVersion: draft.minVersion } : { exact, maxVersion: '' });
            }}
          />
          <Text size="sm" fw={500} data-testid="layer-range-words" c={valid ? undefined : 'dimmed'}>
            {valid ? rangeInWords(draft.minVersion.trim(), shownMax.trim()) : 'Fix the fields to see the range'}
          </Text>
        </Group>
        {problems.map((d, i) => {
          const feedback = fieldFeedback([d]);
          return (
            <Text key={i} size="xs" c="var(--mantine-color-error)" className={feedback.className} data-testid="layer-problem">
              {feedback.error}
            </Text>
          );
        })}
      </Stack>
    </Paper>
  );
}
