import { Select, Stack, TextInput } from '@mantine/core';
import { ARCHITECTURES, type NewServiceForm } from './wizard-form';

export function RunStep({ form }: { form: NewServiceForm }) {
  return (
    <Stack gap="md">
      <TextInput
        label="Start command"
        description="configuration.cmd: how the unit starts the service, with paths as seen inside the container."
        placeholder="e.g. python3 /usr/bin/services/hello_world.py"
        data-autofocus
        {...form.getInputProps('cmd')}
      />
      <TextInput
        label="Working directory"
        description="configuration.workingDir: an absolute path inside the container."
        {...form.getInputProps('workingDir')}
      />
      <Select
        label="Architecture"
        description="As the platform's signing tool writes it (build.arch); images name them amd64 and arm64."
        data={ARCHITECTURES}
        allowDeselect={false}
        {...form.getInputProps('arch')}
      />
    </Stack>
  );
}
