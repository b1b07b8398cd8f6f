// The node parameters a unit knows and the author does not, as inputs with their defaults.
// Empty inputs take main's default; the effective values come back in `preview.node`.
import { Button, Group, NumberInput, Popover, Stack, Text, TextInput } from '@mantine/core';
import { IconCpu } from '@tabler/icons-react';
import { NODE_PARAM_FIELDS, type NodeOverrides } from './node-defaults';

interface Props {
  node: NodeOverrides;
  effective: Record<string, unknown> | null;
  onChange: (node: NodeOverrides) => void;
}

export function NodeParamsButton({ node, effective, onChange }: Props) {
  const custom = NODE_PARAM_FIELDS.filter((f) => node[f.key] !== undefined && node[f.key] !== '').length;
  const set = (key: keyof NodeOverrides, value: number | string | undefined) => onChange({ ...node, [key]: value === '' ? undefined : value });
  return (
    <Popover width={340} position="bottom-end" shadow="md" withArrow trapFocus>
      <Popover.Target>
        <Button variant="default" size="compact-sm" leftSection={<IconCpu size={15} />} aria-label="Node parameters">
          Node{custom ? ` (${custom})` : ''}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs" data-testid="node-params">
          <div>
            <Text fw={600} size="sm">
              Node parameters
            </Text>
            <Text size="xs" c="dimmed">
              A unit knows these; the runtime spec uses them. Leave empty for the stated default.
            </Text>
          </div>
          {NODE_PARAM_FIELDS.map((f) => {
            const used = effective?.[f.key];
            const description = `${f.help}${used !== undefined && node[f.key] === undefined ? '' : used !== undefined ? ` In use: ${String(used)}.` : ''}`;
            return f.kind === 'number' ? (
              <NumberInput
                key={f.key}
                size="xs"
                label={f.label}
                description={description}
                placeholder={`${f.default} (default)`}
                min={f.min}
                allowDecimal={false}
                allowNegative={false}
                value={(node[f.key] as number | undefined) ?? ''}
                onChange={(v) => set(f.key, typeof v === 'number' ? v : v === '' ? undefined : Number(v))}
              />
            ) : (
              <TextInput
                key={f.key}
                size="xs"
                label={f.label}
                description={description}
                placeholder={`${f.default} (default)`}
                value={(node[f.key] as string | undefined) ?? ''}
                onChange={(e) => set(f.key, e.currentTarget.value)}
              />
            );
          })}
          <Group justify="flex-end">
            <Button variant="subtle" size="compact-xs" onClick={() => onChange({})} disabled={!custom}>
              Reset to defaults
            </Button>
          </Group>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
