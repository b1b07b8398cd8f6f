// What the platform ignores or does not support, and what is worth knowing; each names the
// config.yaml line it is about.
import { Badge, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconInfoCircle } from '@tabler/icons-react';
import type { OciPreviewView } from '../../shared/contract';
import classes from './PreviewPanel.module.css';

type WarningView = OciPreviewView['warnings'][number] & { file?: string };

export function WarningsTab({ warnings, onJump }: { warnings: WarningView[]; onJump: (line: number, column: number) => void }) {
  if (warnings.length === 0) {
    return (
      <Group gap="xs" p="sm" c="teal">
        <IconCircleCheck size={18} />
        <Text size="sm">Nothing the platform ignores or rejects.</Text>
      </Group>
    );
  }
  const sorted = [...warnings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'warning' ? -1 : 1));
  return (
    <Stack gap={4} p="xs" data-testid="preview-warnings">
      {sorted.map((w, i) => (
        <UnstyledButton
          key={`${w.code}-${i}`}
          className={classes.warning}
          data-severity={w.severity}
          data-testid="preview-warning"
          onClick={() => w.line && onJump(w.line, w.column ?? 1)}
          disabled={!w.line}
        >
          <Group gap={8} wrap="nowrap" align="flex-start">
            {w.severity === 'warning' ? (
              <IconAlertTriangle size={16} color="var(--mantine-color-yellow-6)" style={{ flex: 'none', marginTop: 2 }} aria-label="warning" />
            ) : (
              <IconInfoCircle size={16} color="var(--mantine-color-blue-5)" style={{ flex: 'none', marginTop: 2 }} aria-label="info" />
            )}
            <div style={{ minWidth: 0, flex: 1 }}>
              <Text size="sm" style={{ wordBreak: 'break-word' }}>
                {w.message}
              </Text>
              <Group gap={6} mt={2}>
                {w.line ? (
                  <Text size="xs" c="dimmed" ff="monospace">
                    config.yaml:{w.line}
                  </Text>
                ) : null}
                {w.path && (
                  <Badge size="xs" variant="default" ff="monospace" tt="none">
                    {w.path}
                  </Badge>
                )}
                {w.file && (
                  <Badge size="xs" variant="default" ff="monospace" tt="none">
                    src/{w.file}
                  </Badge>
                )}
                <Text size="xs" c="dimmed">
                  {w.code}
                </Text>
              </Group>
            </div>
          </Group>
        </UnstyledButton>
      ))}
    </Stack>
  );
}
