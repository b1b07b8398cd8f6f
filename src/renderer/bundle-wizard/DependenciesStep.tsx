// Step 4: what the item needs, e.g. a layer built on a parent layer: the parent's codename
// and the range of its versions, with the same range picker as a service's layers.
import { ActionIcon, Alert, Button, Group, Paper, Select, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconAlertCircle, IconPlus, IconStack2, IconTrash } from '@tabler/icons-react';
import { monoInput } from '../common/format';
import { VersionRangeFields } from '../common/VersionRangeFields';
import { validateRangeDraft } from '../service/layers/layer-rules';
import { ITEM_TYPES, rowKey, type DependencyRow, type ItemType, type NewBundleForm } from './bundle-form';

export function DependenciesStep({ form }: { form: NewBundleForm }) {
  const rows = form.getValues().dependencies;
  const add = () => {
    form.insertListItem('dependencies', { key: rowKey(), type: 'layer', codename: '', minVersion: '', maxVersion: '', exact: false } satisfies DependencyRow);
  };
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        Optional. A layer built on a parent layer names the parent here; a service names the layers it needs. The range's
        minimum is included, its maximum excluded.
      </Text>
      {rows.length === 0 && (
        <Text size="sm" c="dimmed" ta="center" py="sm">
          No dependencies.
        </Text>
      )}
      {rows.map((row, index) => (
        <Paper key={row.key} withBorder p="md" radius="md" data-testid="dependency-row">
          <Stack gap="sm">
            <Group align="flex-start" wrap="nowrap">
              <Select
                label="Type"
                w={160}
                data={ITEM_TYPES.map((t) => ({ value: t.value, label: t.value }))}
                allowDeselect={false}
                value={row.type}
                onChange={(v) => v && form.replaceListItem('dependencies', index, { ...row, type: v as ItemType })}
              />
              <TextInput
                style={{ flex: 1 }}
                label="Codename"
                aria-label={`Codename of dependency ${index + 1}`}
                placeholder="base-python"
                styles={monoInput}
                leftSection={<IconStack2 size={16} />}
                value={row.codename}
                onChange={(e) => form.replaceListItem('dependencies', index, { ...row, codename: e.currentTarget.value })}
              />
              <Tooltip label="Remove this dependency">
                <ActionIcon variant="subtle" color="red" mt={28} aria-label={`Remove dependency ${row.codename || index + 1}`} onClick={() => form.removeListItem('dependencies', index)}>
                  <IconTrash size={18} />
                </ActionIcon>
              </Tooltip>
            </Group>
            <VersionRangeFields
              draft={row}
              errors={validateRangeDraft(row)}
              onChange={(patch) => form.replaceListItem('dependencies', index, { ...row, ...patch })}
              pathPrefix={`dependencies[${index}]`}
            />
          </Stack>
        </Paper>
      ))}
      <Button variant="light" leftSection={<IconPlus size={16} />} onClick={add} w="fit-content">
        Add dependency
      </Button>
      {form.errors.dependencies && (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
          {form.errors.dependencies}
        </Alert>
      )}
    </Stack>
  );
}
