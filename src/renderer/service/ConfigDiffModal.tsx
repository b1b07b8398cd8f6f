// The file on disk against the editor's text, line by line.
import { useMemo } from 'react';
import { Group, Modal, ScrollArea, Text } from '@mantine/core';
import { lineDiff } from './line-diff';

interface Props {
  /** null: closed. */
  texts: { disk: string; mine: string } | null;
  onClose: () => void;
}

const SIGN = { same: ' ', removed: '-', added: '+' } as const;
const COLOR = { same: undefined, removed: 'var(--mantine-color-red-light)', added: 'var(--mantine-color-green-light)' } as const;

export function ConfigDiffModal({ texts, onClose }: Props) {
  const lines = useMemo(() => (texts ? lineDiff(texts.disk, texts.mine) : []), [texts]);
  const changed = lines.filter((l) => l.kind !== 'same').length;
  return (
    <Modal opened={texts !== null} onClose={onClose} title="config.yaml: on disk → yours" size="xl" centered>
      <Group gap="md" mb="xs">
        <Text size="xs" c="dimmed">
          <span style={{ background: COLOR.removed, padding: '0 4px' }}>- only on disk</span>{' '}
          <span style={{ background: COLOR.added, padding: '0 4px' }}>+ only in the editor</span>
        </Text>
        <Text size="xs" c="dimmed">
          {changed === 0 ? 'No difference.' : `${changed} ${changed === 1 ? 'line differs' : 'lines differ'}.`}
        </Text>
      </Group>
      <ScrollArea.Autosize mah="60vh" type="auto">
        <pre data-testid="config-diff" style={{ margin: 0, fontSize: 12, lineHeight: 1.5, fontFamily: 'var(--mantine-font-family-monospace)' }}>
          {lines.map((l, i) => (
            <div key={i} data-kind={l.kind} style={{ background: COLOR[l.kind], whiteSpace: 'pre-wrap' }}>
              {SIGN[l.kind]} {l.text}
            </div>
          ))}
        </pre>
      </ScrollArea.Autosize>
    </Modal>
  );
}
