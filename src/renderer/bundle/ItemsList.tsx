// The bundle's items, one row each (type, codename, version, images), with Add item,
// Duplicate and Remove. Selecting a row shows its form.
import { ActionIcon, Badge, Button, Group, ScrollArea, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconCopy, IconPlus, IconTrash } from '@tabler/icons-react';
import { countBySeverity, type Diagnostic } from '../../shared/diagnostics';

export interface ItemSummary {
  type: string;
  codename: string;
  version: string;
  images: number;
}

interface Props {
  items: readonly ItemSummary[];
  selected: number;
  diagnostics: readonly Diagnostic[];
  disabled: boolean;
  onSelect: (index: number) => void;
  onAdd: () => void;
  onDuplicate: (index: number) => void;
  onRemove: (index: number) => void;
}

export function ItemsList({ items, selected, diagnostics, disabled, onSelect, onAdd, onDuplicate, onRemove }: Props) {
  return (
    <Stack gap="xs" h="100%" p="xs">
      <Group justify="space-between" px={4}>
        <Text fw={600} size="sm">
          Items
        </Text>
        <Button size="compact-sm" variant="light" leftSection={<IconPlus size={14} />} onClick={onAdd} disabled={disabled}>
          Add item
        </Button>
      </Group>
      <ScrollArea style={{ flex: 1 }} type="auto">
        <Stack gap={4} component="ul" aria-label="Items" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {items.length === 0 && (
            <Text size="sm" c="dimmed" px={4}>
              No items yet: a bundle holds at least one.
            </Text>
          )}
          {items.map((item, i) => {
            const mine = diagnostics.filter((d) => d.path === `items[${i}]` || d.path.startsWith(`items[${i}].`));
            const { errors } = countBySeverity(mine);
            return (
              <li key={i}>
                <Group
                  gap={4}
                  wrap="nowrap"
                  p={6}
                  style={{
                    borderRadius: 'var(--mantine-radius-sm)',
                    background: i === selected ? 'var(--mantine-primary-color-light)' : undefined,
                  }}
                >
                  <UnstyledButton style={{ flex: 1, minWidth: 0 }} onClick={() => onSelect(i)} aria-current={i === selected || undefined} data-testid="item-row">
                    <Group gap={6} wrap="nowrap">
                      <Badge size="xs" variant="light" color={item.type === 'layer' ? 'indigo' : item.type === 'service' ? 'teal' : 'grape'}>
                        {item.type || '?'}
                      </Badge>
                      <Text size="sm" fw={500} truncate>
                        {item.codename || `item ${i + 1}`}
                      </Text>
                    </Group>
                    <Group gap={6} mt={2}>
                      <Text size="xs" c="dimmed" ff="monospace">
                        {item.version || 'no version'}
                      </Text>
                      <Text size="xs" c="dimmed">
                        · {item.images} {item.images === 1 ? 'image' : 'images'}
                      </Text>
                      {errors > 0 && (
                        <Badge size="xs" color="red" circle aria-label={`${errors} errors`}>
                          {errors}
                        </Badge>
                      )}
                    </Group>
                  </UnstyledButton>
                  <Tooltip label="Duplicate this item">
                    <ActionIcon variant="subtle" color="gray" aria-label={`Duplicate ${item.codename || `item ${i + 1}`}`} onClick={() => onDuplicate(i)} disabled={disabled}>
                      <IconCopy size={16} />
                    </ActionIcon>
                  </Tooltip>
                  <Tooltip label="Remove this item from config.yaml (its files stay)">
                    <ActionIcon variant="subtle" color="red" aria-label={`Remove ${item.codename || `item ${i + 1}`}`} onClick={() => onRemove(i)} disabled={disabled}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Tooltip>
                </Group>
              </li>
            );
          })}
        </Stack>
      </ScrollArea>
    </Stack>
  );
}
