// Step 6: what will be written: the folder, the images copied in, and config.yaml itself
// with the checker's findings (the same checkDeploymentConfig the CLI runs), so a bad
// architecture name or a version mismatch shows before anything is created.
import { Alert, Code, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import type { Diagnostic } from '../../shared/diagnostics';
import { countBySeverity } from '../../shared/diagnostics';
import { describePlatform, targetDir, type NewBundleValues } from './bundle-form';
import type { Placement } from './image-placement';

interface Props {
  values: NewBundleValues;
  placements: Placement[];
  text: string;
  diagnostics: readonly Diagnostic[];
}

export function ReviewStep({ values, placements, text, diagnostics }: Props) {
  const { errors, warnings } = countBySeverity(diagnostics);
  const rows: [string, React.ReactNode][] = [
    ['Bundle folder', <Code key="dir">{targetDir(values)}</Code>],
    ['Item', `${values.type} ${values.codename.trim()} ${values.version.trim()}${values.title.trim() ? ` (${values.title.trim()})` : ''}`],
    [
      'Images',
      <Stack key="images" gap={2}>
        {values.images.map((row, i) => (
          <Text key={row.key} size="sm">
            {describePlatform(row)}: <Code>{placements[i]?.path}</Code>
            {placements[i]?.copied ? ' (copied in)' : ''}
          </Text>
        ))}
      </Stack>,
    ],
    ['Dependencies', values.dependencies.length ? values.dependencies.map((d) => d.codename.trim()).join(', ') : 'none'],
  ];
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        Check the details, then create the bundle. Everything can be changed later in the bundle view.
      </Text>
      <Table withTableBorder variant="vertical" aria-label="Summary">
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={160}>{label}</Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {diagnostics.length === 0 ? (
        <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} data-testid="review-check">
          The checker finds no problem in this config.yaml.
        </Alert>
      ) : (
        <Alert
          color={errors ? 'red' : 'yellow'}
          variant="light"
          icon={<IconAlertTriangle size={18} />}
          title={`${errors} ${errors === 1 ? 'error' : 'errors'}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'} in config.yaml`}
          data-testid="review-check"
        >
          <Stack gap={2}>
            {diagnostics.map((d, i) => (
              <Text key={i} size="sm">
                line {d.line}: {d.message}
              </Text>
            ))}
          </Stack>
          <Text size="xs" mt={4}>
            You can create the bundle anyway and fix these in the bundle view; signing waits until the errors are gone.
          </Text>
        </Alert>
      )}
      <div>
        <Text size="sm" fw={600} mb={4}>
          config.yaml
        </Text>
        <ScrollArea.Autosize mah={260} type="auto" viewportProps={{ tabIndex: 0, 'aria-label': 'config.yaml to be written' }}>
          <Code block data-testid="review-config">
            {text}
          </Code>
        </ScrollArea.Autosize>
      </div>
    </Stack>
  );
}
