import { Button, Code, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconFolder } from '@tabler/icons-react';
import { usePathPicker } from '../common/PathPicker';
import { notifyError } from '../common/notify';
import { targetDir, type NewServiceForm } from './wizard-form';

export function FolderStep({ form }: { form: NewServiceForm }) {
  const picker = usePathPicker();
  const values = form.getValues();

  const browse = async () => {
    try {
      const path = await picker.pickFolder({ title: 'Parent folder for the new service', startPath: values.parent || undefined });
      if (path) form.setFieldValue('parent', path);
    } catch (err) {
      notifyError('Cannot browse folders', err);
    }
  };

  return (
    <Stack gap="md">
      <Group align="flex-start" gap="xs" wrap="nowrap">
        <TextInput
          style={{ flex: 1 }}
          label="Parent folder"
          description="The service gets its own folder inside this one."
          placeholder="e.g. /home/me/services"
          data-autofocus
          {...form.getInputProps('parent')}
        />
        <Button variant="default" mt={44} leftSection={<IconFolder size={16} />} onClick={() => void browse()}>
          Browse…
        </Button>
      </Group>
      <TextInput
        label="Service name"
        description="Becomes the folder name; letters, digits, dots, dashes, underscores."
        placeholder="e.g. hello-world"
        {...form.getInputProps('name')}
      />
      <Text size="sm" c="dimmed">
        The service will be created in{' '}
        <Code data-testid="target-dir">{values.parent && values.name ? targetDir(values) : '…'}</Code>
      </Text>
    </Stack>
  );
}
