// configuration.layers: which layers the service needs, each with a version range.
import { Alert, Badge, Button, Group, Paper, Stack, Text, Tooltip } from '@mantine/core';
import { IconInfoCircle, IconPlus, IconTrash, IconTransform } from '@tabler/icons-react';
import { ActionIcon } from '@mantine/core';
import { useConfig } from '../config/config-context';
import { ReadOnlyNotice } from '../config/ConfigSectionForm';
import { draftFromItem } from './layer-rules';
import { LayerRangePicker } from './LayerRangePicker';

const LAYERS = ['configuration', 'layers'] as const;

export function LayersPanel() {
  const config = useConfig();
  const raw = config.get([...LAYERS]);
  const items = Array.isArray(raw) ? raw : [];
  const uids = items.map((item) => (typeof item === 'string' ? item : String((item as { uid?: unknown })?.uid ?? '')));
  const disabled = !config.parses;

  const add = () => {
    const fresh = { uid: '' };
    // A list that does not exist yet (or is only a comment in the template) is created whole.
    if (Array.isArray(raw)) config.setValue([...LAYERS, items.length], fresh);
    else config.setValue([...LAYERS], [fresh]);
  };
  const remove = (index: number) => {
    if (items.length === 1) config.setValue([...LAYERS], []);
    else config.setValue([...LAYERS, index], undefined);
  };

  return (
    <Stack gap="md" data-testid="layers-panel">
      {disabled && <ReadOnlyNotice stale={config.stale} />}
      <Text size="sm" c="dimmed">
        Layers extend the service's root filesystem (for example Python libraries). For each one, give the range of
        versions the service works with: the minimum is included, the maximum excluded. At deployment the cloud picks a
        version inside the range; Bundle Studio assumes the highest matching one.
      </Text>
      <Alert variant="light" color="blue" icon={<IconInfoCircle size={18} />} p="xs">
        <Text size="xs">
          Pre-releases count by SemVer precedence: <code>2.0.0-rc.1</code> is below <code>2.0.0</code>, so it matches{' '}
          <code>1.0.0 ≤ v &lt; 2.0.0</code>, and <code>1.0.0-rc.1</code> does not.
        </Text>
      </Alert>

      {items.length === 0 && (
        <Text size="sm" c="dimmed" ta="center" py="md">
          This service uses no layers.
        </Text>
      )}

      {items.map((item, index) => {
        const draft = draftFromItem(item);
        const others = uids.filter((_, j) => j !== index);
        if (!draft) return <LegacyLayer key={index} uid={String(item)} index={index} disabled={disabled} onRemove={() => remove(index)} />;
        return (
          <LayerRangePicker key={index} index={index} item={draft} otherUids={others} disabled={disabled} onRemove={() => remove(index)} />
        );
      })}

      <Button variant="light" leftSection={<IconPlus size={16} />} onClick={add} disabled={disabled} w="fit-content">
        Add layer
      </Button>
    </Stack>
  );
}

/** Older configs list bare uids: any version. Converting keeps the meaning and allows a range. */
function LegacyLayer({ uid, index, disabled, onRemove }: { uid: string; index: number; disabled: boolean; onRemove: () => void }) {
  const config = useConfig();
  return (
    <Paper withBorder p="md" radius="md" data-testid="layer-legacy">
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm">
          <Text fw={500} ff="monospace">
            {uid}
          </Text>
          <Badge variant="light" color="gray">
            any version
          </Badge>
        </Group>
        <Group gap="xs">
          <Tooltip label="Write it as { uid } so that a version range can be added">
            <Button
              size="xs"
              variant="default"
              leftSection={<IconTransform size={14} />}
              disabled={disabled}
              onClick={() => config.setValue(['configuration', 'layers', index], { uid })}
            >
              Convert
            </Button>
          </Tooltip>
          <ActionIcon variant="subtle" color="red" aria-label={`Remove layer ${uid}`} onClick={onRemove} disabled={disabled}>
            <IconTrash size={18} />
          </ActionIcon>
        </Group>
      </Group>
    </Paper>
  );
}
