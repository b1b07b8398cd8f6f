import { Code, Stack, Text, TextInput } from '@mantine/core';
import { PathField } from '../common/PathField';
import { usePathPicker } from '../common/PathPicker';
import { notifyError } from '../common/notify';
import { targetDir, type NewBundleForm } from './bundle-form';

export function FolderStep({ form }: { form: NewBundleForm }) {
  const picker = usePathPicker();
  const values = form.getValues();

  const browse = async () => {
    try {
      const path = await picker.pickFolder({ title: 'Parent folder for the new layer bundle', startPath: values.parent || undefined });
      if (path) form.setFieldValue('parent', path);
    } catch (err) {
      notifyError('Cannot browse folders', err);
    }
  };

  return (
    <Stack gap="md">
      <PathField
        label="Parent folder"
        description="The bundle gets its own folder inside this one."
        placeholder="e.g. /home/me/bundles"
        data-autofocus
        browseLabel="Choose folder…"
        onBrowse={() => void browse()}
        {...form.getInputProps('parent')}
      />
      <TextInput
        label="Bundle folder name"
        description="Letters, digits, dots, dashes, underscores. It holds config.yaml and the images."
        placeholder="e.g. pylibs-bundle"
        {...form.getInputProps('name')}
      />
      <Text size="sm" c="dimmed">
        The bundle will be created in <Code data-testid="target-dir">{values.parent && values.name ? targetDir(values) : '…'}</Code>
      </Text>
    </Stack>
  );
}
