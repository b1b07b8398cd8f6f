// A config key's input chosen by its kind in SERVICE_CONFIG_SCHEMA; sections become
// fieldsets of their own keys.
import { Fieldset, SimpleGrid, Stack, Text } from '@mantine/core';
import type { KeyPath } from '../../../../shared/diagnostics';
import type { FieldSpec } from '../../../../shared/service-config';
import { BooleanField } from './BooleanField';
import { CommandField } from './CommandField';
import { EnumField, EnumListField } from './EnumField';
import { EnvListField } from './EnvListField';
import { MapField } from './MapField';
import { NumberField } from './NumberField';
import { ObjectListField } from './ObjectListField';
import { SIZE_HELP, SizeField } from './SizeField';
import { StringListField } from './StringListField';
import { TextField } from './TextField';
import { fieldLabel } from './field-props';
import { DocText } from '../../../common/DocText';

export function SchemaField({ spec, path }: { spec: FieldSpec; path: KeyPath }) {
  const props = { spec, path };
  if (path.join('.') === 'configuration.cmd') return <CommandField {...props} />;
  if (path.join('.') === 'configuration.env') return <EnvListField {...props} />;
  switch (spec.kind) {
    case 'section':
      return <SectionFieldset spec={spec} path={path} />;
    case 'integer':
    case 'number':
      return <NumberField {...props} />;
    case 'size':
      return <SizeField {...props} />;
    case 'boolean':
      return <BooleanField {...props} />;
    case 'enum':
      return <EnumField {...props} />;
    case 'enum-list':
      return <EnumListField {...props} />;
    case 'string-list':
      return <StringListField {...props} />;
    case 'object-list':
      return <ObjectListField {...props} />;
    case 'map':
      return <MapField {...props} />;
    default:
      return <TextField {...props} />;
  }
}

export function SectionFieldset({ spec, path, columns = 2 }: { spec: FieldSpec; path: KeyPath; columns?: number }) {
  return (
    <Fieldset legend={fieldLabel(spec)} variant="filled" data-section={path.join('.')}>
      <Text size="xs" mb="sm">
        <DocText text={spec.doc} />
      </Text>
      {spec.fields?.some((f) => f.kind === 'size') && (
        <Text size="xs" c="dimmed" mb="sm" data-testid="size-help">
          {SIZE_HELP}
        </Text>
      )}
      <SectionFields fields={spec.fields ?? []} path={path} columns={columns} />
    </Fieldset>
  );
}

/** The keys of a section: simple ones in a grid, nested sections below at full width. */
export function SectionFields({ fields, path, columns = 2 }: { fields: readonly FieldSpec[]; path: KeyPath; columns?: number }) {
  const simple = fields.filter((f) => f.kind !== 'section' && f.kind !== 'object-list' && f.kind !== 'map');
  const nested = fields.filter((f) => !simple.includes(f));
  return (
    <Stack gap="md">
      {simple.length > 0 && (
        <SimpleGrid cols={{ base: 1, md: columns }} spacing="md" verticalSpacing="md">
          {simple.map((f) => (
            <SchemaField key={f.key} spec={f} path={[...path, f.key]} />
          ))}
        </SimpleGrid>
      )}
      {nested.map((f) => (
        <SchemaField key={f.key} spec={f} path={[...path, f.key]} />
      ))}
    </Stack>
  );
}
