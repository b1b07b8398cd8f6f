// One top-level section of config.yaml as a form. `configuration` is long, so it is
// grouped the way people think about a service (start, resources, network...).
import { Accordion, Alert, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { fieldAt, type FieldSpec } from '../../../shared/service-config';
import { DocText } from '../../common/DocText';
import { useConfig } from './config-context';
import { SchemaField, SectionFields } from './fields/SchemaField';

export type FormSection = 'build' | 'publish' | 'configuration' | 'publisher';

const CONFIGURATION_GROUPS: { id: string; title: string; hint: string; keys: string[] }[] = [
  { id: 'start', title: 'Start', hint: 'cmd, workingDir, env, runner', keys: ['cmd', 'workingDir', 'env', 'runner', 'runners', 'hostname'] },
  { id: 'resources', title: 'Resources and quotas', hint: 'quotas, requestedResources', keys: ['isResourceLimits', 'quotas', 'requestedResources'] },
  {
    id: 'instances',
    title: 'Instances and restarts',
    hint: 'instances, runParameters, TTLs',
    keys: ['instances', 'runParameters', 'offlineTTL', 'downloadTTL', 'balancingPolicy'],
  },
  { id: 'state', title: 'State', hint: 'state.filename, state.required', keys: ['state'] },
  { id: 'network', title: 'Network', hint: 'exposedPorts, allowedConnections', keys: ['exposedPorts', 'allowedConnections'] },
  { id: 'devices', title: 'Devices, resources and permissions', hint: 'devices, resources, permissions', keys: ['devices', 'resources', 'permissions'] },
  { id: 'alerts', title: 'Alerts', hint: 'ram, cpu, storage, upload, download', keys: ['alerts'] },
];
// Layers have their own tab with the range picker.
const ELSEWHERE = new Set(['layers']);

export function sectionSpec(key: FormSection): FieldSpec {
  return fieldAt([key])!;
}

export function ConfigSectionForm({ section }: { section: FormSection }) {
  const config = useConfig();
  const spec = sectionSpec(section);
  return (
    <Stack gap="md" data-testid={`form-${section}`}>
      {!config.parses && <ReadOnlyNotice stale={config.stale} />}
      <Text size="sm" c="dimmed">
        <DocText text={spec.doc} />
      </Text>
      {section === 'configuration' ? <ConfigurationGroups fields={spec.fields ?? []} /> : <SectionFields fields={spec.fields ?? []} path={[section]} />}
    </Stack>
  );
}

/** Why the form cannot be edited, and whether the values it shows are an earlier text's. */
export function ReadOnlyNotice({ stale }: { stale: boolean }) {
  return (
    <Alert color="orange" icon={<IconAlertTriangle size={18} />} title="The form is read-only for now" data-testid="form-stale" data-stale={stale || undefined}>
      The YAML text has syntax errors. Fix them in the YAML tab (see Problems) and the form comes back.
      {stale && ' Until then the form shows the values from the last time the text was valid YAML: they are stale, not what the text says now.'}
    </Alert>
  );
}

function ConfigurationGroups({ fields }: { fields: readonly FieldSpec[] }) {
  const grouped = new Set(CONFIGURATION_GROUPS.flatMap((g) => g.keys));
  const others = fields.filter((f) => !grouped.has(f.key) && !ELSEWHERE.has(f.key));
  const groups = others.length ? [...CONFIGURATION_GROUPS, { id: 'other', title: 'Other', hint: '', keys: others.map((f) => f.key) }] : CONFIGURATION_GROUPS;
  return (
    <Accordion multiple defaultValue={['start']} variant="separated" chevronPosition="left">
      {groups.map((group) => (
        <Accordion.Item key={group.id} value={group.id}>
          <Accordion.Control>
            <Text fw={500}>{group.title}</Text>
            <Text size="xs" c="dimmed">
              {group.hint}
            </Text>
          </Accordion.Control>
          <Accordion.Panel>
            <GroupFields fields={group.keys.map((k) => fields.find((f) => f.key === k)).filter((f): f is FieldSpec => !!f)} />
          </Accordion.Panel>
        </Accordion.Item>
      ))}
    </Accordion>
  );
}

function GroupFields({ fields }: { fields: FieldSpec[] }) {
  const simple = fields.filter((f) => f.kind !== 'section');
  const sections = fields.filter((f) => f.kind === 'section');
  return (
    <Stack gap="md">
      {simple.map((f) => (
        <SchemaField key={f.key} spec={f} path={['configuration', f.key]} />
      ))}
      {sections.map((f) => (
        <SchemaField key={f.key} spec={f} path={['configuration', f.key]} />
      ))}
    </Stack>
  );
}
