// The two buttons every list field in the form has: remove this entry, add one more.
import type { ReactNode } from 'react';
import { ActionIcon, Button } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';

export function RemoveItemButton({ label, disabled, onClick }: { label: string; disabled?: boolean; onClick: () => void }) {
  return (
    <ActionIcon variant="subtle" color="red" aria-label={label} disabled={disabled} onClick={onClick}>
      <IconTrash size={16} />
    </ActionIcon>
  );
}

export function AddItemButton({ children, disabled, onClick }: { children: ReactNode; disabled?: boolean; onClick: () => void }) {
  return (
    <Button variant="light" size="xs" w="fit-content" leftSection={<IconPlus size={14} />} disabled={disabled} onClick={onClick}>
      {children}
    </Button>
  );
}
