// Step 3 of Pack layer: the layer's version, architecture and os (its file name), and where it goes.
import { Group, Select, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { PathField } from '../common/PathField';
import { usePathPicker } from '../common/PathPicker';
import { monoInput } from '../common/format';
import { joinPath } from '../common/paths';
import { notifyError } from '../common/notify';
import { imageName, LAYER_ARCHITECTURES, type PackErrors, type PackValues } from './pack-form';

interface Props {
  values: PackValues;
  errors: PackErrors;
  onChange: (patch: Partial<PackValues>) => void;
}

export function IdentityStep({ values, errors, onChange }: Props) {
  const picker = usePathPicker();
  const browse = async () => {
    try {
      const folder = await picker.pickFolder({ title: 'Pick the folder the layer image goes to', startPath: values.outDir || undefined });
      if (folder) onChange({ outDir: folder });
    } catch (err) {
      notifyError('Cannot browse folders', err);
    }
  };
  const named = !errors.version && !errors.architecture && !errors.os && values.architecture;
  return (
    <Stack gap="md">
      <Group grow align="flex-start">
        <TextInput
          label="Version"
          description="Strict SemVer, as a service's range names it"
          placeholder="1.0.0"
          value={values.version}
          error={errors.version}
          styles={monoInput}
          onChange={(e) => onChange({ version: e.currentTarget.value })}
        />
        <Select
          label="Architecture"
          description="The OCI name units report"
          placeholder="Choose"
          data={[...LAYER_ARCHITECTURES]}
          value={values.architecture || null}
          error={errors.architecture}
          allowDeselect={false}
          data-testid="pack-architecture"
          onChange={(v) => onChange({ architecture: v ?? '' })}
        />
        <TextInput
          label="OS"
          description="linux for every AosEdge unit"
          value={values.os}
          error={errors.os}
          styles={monoInput}
          onChange={(e) => onChange({ os: e.currentTarget.value })}
        />
      </Group>
      <TagsInput
        label="OS features"
        description="Optional: what the layer provides, by package name (os.features in the image's descriptor, shown by the cloud). Enter or comma adds one."
        placeholder={values.osFeatures.length ? undefined : 'python3-requests'}
        value={values.osFeatures}
        onChange={(osFeatures) => onChange({ osFeatures: [...new Set(osFeatures.map((f) => f.trim()).filter(Boolean))] })}
        splitChars={[',', ' ']}
        clearable
        data-testid="pack-os-features"
      />
      <PathField
        label="Output folder"
        description="The layer image and its descriptor <os>-<arch>-<version>.layer.json go here; other architectures and versions packed here stay, and nothing is overwritten."
        value={values.outDir}
        error={errors.outDir}
        onChange={(e) => onChange({ outDir: e.currentTarget.value })}
        onBrowse={() => void browse()}
        browseLabel="Choose folder…"
      />
      {named && values.outDir.trim() && (
        <Text size="sm">
          The layer will be <code data-testid="pack-file-name">{joinPath(values.outDir.trim(), imageName(values))}</code>
        </Text>
      )}
    </Stack>
  );
}
