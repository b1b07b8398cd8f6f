// One layer requirement: uid and a version range (min included, max excluded), or one
// exact version. Invalid input stays in the field with its message and is not written.
import { ActionIcon, Group, Paper, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconStack2, IconTrash } from '@tabler/icons-react';
import type { KeyPath } from '../../../shared/diagnostics';
import { VersionRangeFields } from '../../common/VersionRangeFields';
import { CatalogMatches } from '../../common/CatalogMatches';
import { useDraft } from '../../common/use-draft';
import { useConfig, useDraftProblem } from '../config/config-context';
import { DRAFT_CODE } from '../config/draft-problems';
import { hasLayerErrors, layerValues, validateLayerDraft, type LayerDraft } from './layer-rules';
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

export function LayerRangePicker({ index, item, otherUids, disabled, onRemove }: Props) {
  const config = useConfig();
  const [draft, setDraft] = useDraft(item);
  const errors = validateLayerDraft(draft, otherUids);
  // The catalog view matches the library's images of the service's architecture.
  const arch = config.get(['build', 'arch']);
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
        <VersionRangeFields draft={draft} errors={errors} disabled={disabled} onChange={edit} pathPrefix={`configuration.layers[${index}]`} keyed />
        <CatalogMatches uid={draft.uid} range={errors.minVersion || errors.maxVersion ? undefined : { kind: 'bounds', ...layerValues(draft) }} architectures={typeof arch === 'string' && arch.trim() ? [arch] : undefined} />
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
