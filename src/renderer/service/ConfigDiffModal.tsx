// The file on disk against the editor's text, line by line.
import { useMemo } from 'react';
import { Group, Modal, ScrollArea, Text } from '@mantine/core';
import { lineDiff, type DiffLine } from './line-diff';

interface Props {
  /** null: closed. */
  texts: { disk: string; mine: string } | null;
  onClose: () => void;
}

/** Unchanged lines kept around each change; longer unchanged runs fold into one line. */
const CONTEXT = 3;

type Shown = DiffLine | { kind: 'fold'; count: number };

function withFolds(lines: DiffLine[]): Shown[] {
  const near = new Array<boolean>(lines.length).fill(false);
  lines.forEach((l, i) => {
    if (l.kind === 'same') return;
    for (let j = Math.max(0, i - CONTEXT); j <= Math.min(lines.length - 1, i + CONTEXT); j++) near[j] = true;
  });
  const out: Shown[] = [];
  for (let i = 0; i < lines.length; ) {
    if (near[i] || lines[i].kind !== 'same') {
      out.push(lines[i++]);
      continue;
    }
    let j = i;
    while (j < lines.length && !near[j]) j++;
    if (j - i === 1) out.push(lines[i]);
    else out.push({ kind: 'fold', count: j - i });
    i = j;
  }
  return out;
}

const SIGN = { same: ' ', removed: '-', added: '+' } as const;
const COLOR = { same: undefined, removed: 'var(--mantine-color-red-light)', added: 'var(--mantine-color-green-light)' } as const;

export function ConfigDiffModal({ texts, onClose }: Props) {
  const lines = useMemo(() => (texts ? lineDiff(texts.disk, texts.mine) : []), [texts]);
  const changed = lines.filter((l) => l.kind !== 'same').length;
  const shown = useMemo(() => withFolds(lines), [lines]);
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
          {shown.map((l, i) =>
            l.kind === 'fold' ? (
              <div key={i} data-kind="fold" style={{ color: 'var(--mantine-color-dimmed)', fontStyle: 'italic' }}>
                {'  '}⋯ {l.count} unchanged lines
              </div>
            ) : (
              <div key={i} data-kind={l.kind} style={{ background: COLOR[l.kind], whiteSpace: 'pre-wrap' }}>
                {SIGN[l.kind]} {l.text}
              </div>
            ),
          )}
        </pre>
      </ScrollArea.Autosize>
    </Modal>
  );
}
