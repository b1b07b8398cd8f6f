// One item of config.yaml as a form: identity, version, one card per image (add, remove)
// and the dependencies with the range picker. Every field writes into the one text through
// the deployment config's comment-preserving edit, so the YAML tab and the Problems list
// follow at once; a field's diagnostics show under it.
import { ActionIcon, Badge, Button, Fieldset, Group, Paper, SimpleGrid, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconPlus, IconStack2, IconTrash } from '@tabler/icons-react';
import type { KeyPath } from '../../shared/diagnostics';
import { useDraft } from '../common/use-draft';
import { VersionRangeFields } from '../common/VersionRangeFields';
import { CatalogMatches } from '../common/CatalogMatches';
import { useConfig, useDraftProblem } from '../service/config/config-context';
import { ReadOnlyNotice } from '../service/config/ConfigSectionForm';
import { SchemaField } from '../service/config/fields/SchemaField';
import { validateRangeDraft } from '../service/layers/layer-rules';
import { constraintToRange, rangeToConstraint } from './dependency-range';
import { deploymentSpec } from './field-specs';

interface Props {
  index: number;
  onAddImage: () => void;
  onRemoveImage: (image: number) => void;
}

const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function Field({ path, label }: { path: KeyPath; label: string }) {
  // The words fit the place in the item (a dependency's type, an image's OS); the key follows in mono.
  return <SchemaField spec={{ ...deploymentSpec(path), label }} path={path} />;
}

export function ItemForm({ index, onAddImage, onRemoveImage }: Props) {
  const config = useConfig();
  const base: KeyPath = ['items', index];
  const item = record(config.get(base));
  const images = Array.isArray(item.images) ? item.images : [];
  const dependencies = Array.isArray(item.dependencies) ? item.dependencies : [];
  const type = record(item.identity).type;
  const disabled = !config.parses;

  return (
    <Stack gap="md" data-testid="item-form" data-item-index={index}>
      {disabled && <ReadOnlyNotice stale={config.stale} />}
      <Fieldset legend="Item" variant="filled">
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <Field path={[...base, 'identity', 'type']} label="Type" />
          <Field path={[...base, 'identity', 'codename']} label="Codename" />
          <Field path={[...base, 'identity', 'title']} label="Title" />
          <Field path={[...base, 'version']} label="Version" />
        </SimpleGrid>
        <Stack mt="md">
          <Field path={[...base, 'identity', 'description']} label="Description" />
        </Stack>
      </Fieldset>

      <Fieldset legend={`Images (${images.length})`} variant="filled">
        <Stack gap="sm">
          <Text size="xs" c="dimmed">
            One image per architecture, variant and os. {type === 'service' ? 'A service image is a rootfs folder (sourceFolder).' : 'A layer or component image is a prepared file (path).'}
          </Text>
          {images.map((raw, i) => {
            const image = record(raw);
            const at: KeyPath = [...base, 'images', i];
            const usesFolder = image.sourceFolder !== undefined && image.path === undefined;
            return (
              <Paper key={i} withBorder p="sm" radius="md" data-testid="item-image" data-image-index={i}>
                <Group justify="space-between" mb="xs">
                  <Badge variant="light">Image {i + 1}</Badge>
                  <Tooltip label="Remove this image from config.yaml (the file stays)">
                    <ActionIcon variant="subtle" color="red" aria-label={`Remove image ${i + 1}`} onClick={() => onRemoveImage(i)} disabled={disabled}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Tooltip>
                </Group>
                <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
                  <Field path={[...at, 'archInfo', 'architecture']} label="Architecture" />
                  <Field path={[...at, 'archInfo', 'variant']} label="Variant (arm only)" />
                  <Field path={[...at, 'osInfo', 'os']} label="Operating system" />
                  <Field path={[...at, 'osInfo', 'version']} label="OS version" />
                </SimpleGrid>
                {/* Paths and media types are long: each gets the whole width. */}
                <Stack gap="sm" mt="sm">
                  {usesFolder ? (
                    <Field path={[...at, 'sourceFolder']} label="Source folder" />
                  ) : (
                    <Field path={[...at, 'path']} label="Image file in the bundle folder" />
                  )}
                  <Field path={[...at, 'mediaType']} label="Media type" />
                </Stack>
              </Paper>
            );
          })}
          <Button variant="light" leftSection={<IconPlus size={16} />} onClick={onAddImage} disabled={disabled} w="fit-content">
            Add image
          </Button>
        </Stack>
      </Fieldset>

      <Fieldset legend={`Dependencies (${dependencies.length})`} variant="filled">
        <DependenciesFields base={base} dependencies={dependencies} disabled={disabled} />
      </Fieldset>
    </Stack>
  );
}

function DependenciesFields({ base, dependencies, disabled }: { base: KeyPath; dependencies: unknown[]; disabled: boolean }) {
  const config = useConfig();
  const listPath: KeyPath = [...base, 'dependencies'];
  const add = () => {
    const fresh = { identity: { type: 'layer', codename: '' } };
    if (dependencies.length) config.setValue([...listPath, dependencies.length], fresh);
    else config.setValue(listPath, [fresh]);
  };
  const remove = (i: number) => config.setValue(dependencies.length === 1 ? listPath : [...listPath, i], undefined);
  // The item's images' architectures: what the catalog view matches a layer dependency's images against.
  const images = config.get([...base, 'images']);
  const architectures = (Array.isArray(images) ? images : []).map((im) => record(record(im).archInfo).architecture).filter((a): a is string => typeof a === 'string' && a !== '' && a !== 'any');
  return (
    <Stack gap="sm">
      <Text size="xs" c="dimmed">
        A layer built on a parent layer, or a service needing a layer: its type, codename and the versions that fit.
      </Text>
      {dependencies.map((raw, i) => (
        <Paper key={i} withBorder p="sm" radius="md" data-testid="item-dependency">
          <Group align="flex-start" wrap="nowrap">
            <SimpleGrid cols={2} spacing="sm" style={{ flex: 1 }}>
              <Field path={[...listPath, i, 'identity', 'type']} label="Type" />
              <Field path={[...listPath, i, 'identity', 'codename']} label="Codename" />
            </SimpleGrid>
            <Tooltip label="Remove this dependency">
              <ActionIcon variant="subtle" color="red" mt={28} aria-label={`Remove dependency ${i + 1}`} onClick={() => remove(i)} disabled={disabled}>
                <IconTrash size={16} />
              </ActionIcon>
            </Tooltip>
          </Group>
          <DependencyRange path={[...listPath, i, 'versions']} versions={record(raw).versions} disabled={disabled} layer={layerOf(raw)} architectures={architectures} />
        </Paper>
      ))}
      <Button variant="light" leftSection={<IconStack2 size={16} />} onClick={add} disabled={disabled} w="fit-content">
        Add dependency
      </Button>
    </Stack>
  );
}

/** The range picker for `versions`, or its text when the picker cannot show the constraint. */
/** A dependency's codename when it is a layer (the catalog holds layers only). */
function layerOf(raw: unknown): string | undefined {
  const identity = record(record(raw).identity);
  return identity.type === 'layer' && typeof identity.codename === 'string' ? identity.codename : undefined;
}

function DependencyRange({ path, versions, disabled, layer, architectures }: { path: KeyPath; versions: unknown; disabled: boolean; layer?: string; architectures: string[] }) {
  const config = useConfig();
  const fromText = constraintToRange(versions);
  const [draft, setDraft] = useDraft(fromText ?? { minVersion: '', maxVersion: '', exact: false });
  const errors = validateRangeDraft(draft);
  const refused = JSON.stringify(draft) !== JSON.stringify(fromText) && (errors.minVersion ?? errors.maxVersion);
  useDraftProblem(path, 'Dependency versions', refused || null);
  if (!fromText) {
    return (
      <Stack mt="sm">
        <Field path={path} label="Versions (SemVer constraint)" />
      </Stack>
    );
  }
  const edit = (patch: Partial<typeof draft>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    const e = validateRangeDraft(next);
    if (e.minVersion || e.maxVersion) return;
    const constraint = rangeToConstraint(next);
    if (constraint !== (typeof versions === 'string' ? versions : undefined)) config.setValue(path, constraint);
  };
  const problems = config.diagnosticsAt(path);
  return (
    <Stack gap="sm" mt="sm">
      <VersionRangeFields draft={draft} errors={errors} disabled={disabled} onChange={edit} pathPrefix={path.join('.')} />
      <TextInput label="As written (versions)" value={typeof versions === 'string' ? versions : ''} readOnly variant="filled" size="xs" />
      {layer && <CatalogMatches codename={layer} range={errors.minVersion || errors.maxVersion ? undefined : { kind: 'constraint', versions: rangeToConstraint(draft) }} architectures={architectures.length ? architectures : undefined} />}
      {problems.map((d, i) => (
        <Text key={i} size="xs" c={d.severity === 'error' ? 'red' : 'yellow.7'}>
          {d.message}
        </Text>
      ))}
    </Stack>
  );
}
