import { Select, Stack, TextInput, Textarea } from '@mantine/core';
import { monoInput } from '../common/format';
import { ITEM_TYPES, type ItemType, type NewBundleForm } from './bundle-form';

export function ItemStep({ form }: { form: NewBundleForm }) {
  return (
    <Stack gap="md">
      <Select
        label="Item type"
        description="items[].identity.type. A bundle never mixes services (service providers) and components (OEM)."
        data={ITEM_TYPES}
        allowDeselect={false}
        {...form.getInputProps('type')}
        onChange={(v) => v && form.setFieldValue('type', v as ItemType)}
      />
      <TextInput
        label="Codename"
        description="items[].identity.codename: the item's identity in the cloud (no uuid needed)."
        placeholder="pylibs"
        styles={monoInput}
        data-autofocus
        {...form.getInputProps('codename')}
      />
      <TextInput label="Title" description="Optional: how the cloud shows the item." placeholder="Python libraries" {...form.getInputProps('title')} />
      <Textarea label="Description" description="Optional." minRows={3} {...form.getInputProps('description')} />
      <TextInput
        label="Version"
        description="Strict SemVer. Uploading a version that exists already fails later, in the cloud's processing."
        placeholder="1.0.0"
        styles={monoInput}
        {...form.getInputProps('version')}
      />
    </Stack>
  );
}
