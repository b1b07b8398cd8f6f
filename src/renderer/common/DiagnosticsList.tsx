// Every finding about the config in one list; a click takes the user to the line.
import type { ReactNode } from 'react';
import { Badge, Code, Group, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconAlertCircle, IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import { countBySeverity, type Diagnostic } from '../../shared/diagnostics';
import { DocText } from './DocText';
import classes from './DiagnosticsList.module.css';

interface Props {
  diagnostics: readonly Diagnostic[];
  onSelect: (diagnostic: Diagnostic) => void;
  /** Shown under a diagnostic, outside its button (the preview lists where it lands in the output). */
  renderExtra?: (diagnostic: Diagnostic) => ReactNode;
}

export function DiagnosticsList({ diagnostics, onSelect, renderExtra }: Props) {
  const { errors, warnings } = countBySeverity(diagnostics);
  return (
    <Stack gap="xs" h="100%" data-testid="diagnostics">
      <Group justify="space-between" px="xs">
        <Text fw={600} size="sm">
          Problems
        </Text>
        <Group gap={6}>
          <Badge color="red" variant={errors ? 'filled' : 'light'} size="sm" aria-label={`${errors} errors`}>
            {errors} {errors === 1 ? 'error' : 'errors'}
          </Badge>
          <Badge color="yellow" variant={warnings ? 'filled' : 'light'} size="sm" aria-label={`${warnings} warnings`}>
            {warnings} {warnings === 1 ? 'warning' : 'warnings'}
          </Badge>
        </Group>
      </Group>
      {diagnostics.length === 0 ? (
        <Group gap="xs" px="xs" c="teal">
          <IconCircleCheck size={18} />
          <Text size="sm">No problems found.</Text>
        </Group>
      ) : (
        <ScrollArea style={{ flex: 1 }} type="auto">
          <ul className={classes.list} aria-label="Diagnostics">
            {diagnostics.map((d, i) => (
              <li key={`${d.code}-${d.offset}-${i}`}>
                <UnstyledButton
                  className={classes.item}
                  data-severity={d.severity}
                  data-testid="diagnostic"
                  onClick={() => onSelect(d)}
                  title={d.file ? `In the service folder: ${d.file}` : 'Show in the YAML text'}
                >
                  <Group gap={8} wrap="nowrap" align="flex-start">
                    {d.severity === 'error' ? (
                      <IconAlertCircle size={16} className={classes.icon} color="var(--mantine-color-red-6)" aria-label="error" />
                    ) : (
                      <IconAlertTriangle size={16} className={classes.icon} color="var(--mantine-color-yellow-6)" aria-label="warning" />
                    )}
                    <div style={{ minWidth: 0, flex: 1 }}>
                      <Text size="sm" className={classes.message}>
                        <DocText text={d.message} />
                      </Text>
                      <Group gap={6} mt={2}>
                        <Text size="xs" c="dimmed" ff="monospace">
                          {d.file ?? `${d.line}:${d.column}`}
                        </Text>
                        {d.path && (
                          <Code fz="xs" className={classes.path}>
                            {d.path}
                          </Code>
                        )}
                      </Group>
                    </div>
                  </Group>
                </UnstyledButton>
                {renderExtra?.(d)}
              </li>
            ))}
          </ul>
        </ScrollArea>
      )}
    </Stack>
  );
}
