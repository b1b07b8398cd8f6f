// A value people copy (a path, a digest): monospace, selectable, with a copy button that
// also works where the clipboard API is refused (it then falls back to a selection copy,
// and says so when that fails too).
import { useEffect, useRef, useState } from 'react';
import { ActionIcon, Code, Group, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy, IconX } from '@tabler/icons-react';

async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Denied (Electron without the permission, an insecure origin): try the old way.
  }
  try {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const ok = typeof document.execCommand === 'function' && document.execCommand('copy');
    area.remove();
    return ok;
  } catch {
    return false;
  }
}

export function CopyButton({ value, label }: { value: string; label: string }) {
  const [outcome, setOutcome] = useState<'copied' | 'failed' | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = async () => {
    const ok = await copyText(value);
    setOutcome(ok ? 'copied' : 'failed');
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setOutcome(null), ok ? 1500 : 4000);
  };
  const tip = outcome === 'copied' ? 'Copied' : outcome === 'failed' ? 'The clipboard is not available: select the text and press Ctrl+C' : `Copy ${label}`;
  return (
    <Tooltip label={tip} withArrow opened={outcome ? true : undefined} multiline maw={260}>
      <ActionIcon
        variant="subtle"
        color={outcome === 'copied' ? 'teal' : outcome === 'failed' ? 'red' : 'gray'}
        aria-label={`Copy ${label}`}
        onClick={() => void copy()}
      >
        {outcome === 'copied' ? <IconCheck size={16} /> : outcome === 'failed' ? <IconX size={16} /> : <IconCopy size={16} />}
      </ActionIcon>
    </Tooltip>
  );
}

/** A monospace value with its copy button. */
export function CopyValue({ value, label, testId }: { value: string; label: string; testId?: string }) {
  return (
    <Group gap={4} wrap="nowrap" align="flex-start">
      <Code
        block
        data-testid={testId}
        style={{ flex: 1, minWidth: 0, wordBreak: 'break-all', whiteSpace: 'pre-wrap', userSelect: 'all', padding: '4px 8px' }}
      >
        {value}
      </Code>
      <CopyButton value={value} label={label} />
    </Group>
  );
}
