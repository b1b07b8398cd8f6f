// A signed bundle: where it is, how big, its digests to copy, any warnings, and the way
// to its folder or to an independent check.
import { Alert, Button, Group, List, Paper, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconShieldCheck } from '@tabler/icons-react';
import type { SignResult } from '../../shared/contract';
import { formatSize } from '../common/format';
import { CopyValue } from '../common/CopyValue';
import { ShowInFolder } from './ShowInFolder';

export function SignResultView({ result, elapsedMs, onVerify }: { result: SignResult; elapsedMs?: number; onVerify?: () => void }) {
  return (
    <Paper withBorder p="md" radius="md" data-testid="sign-result">
      <Group gap="xs" mb="sm">
        <IconCircleCheck size={20} color="var(--mantine-color-teal-6)" />
        <Text fw={600}>Bundle signed</Text>
        <Text size="sm" c="dimmed">
          {formatSize(result.size)} · {result.files} {result.files === 1 ? 'file' : 'files'}
          {elapsedMs !== undefined ? ` · ${(elapsedMs / 1000).toFixed(1)} s` : ''}
        </Text>
      </Group>
      <Stack gap="xs">
        <Field label="File">
          <CopyValue value={result.path} label="path" testId="sign-result-path" />
        </Field>
        <Field label={`Size`}>
          <Text size="sm" data-testid="sign-result-size">
            {formatSize(result.size)} ({result.size.toLocaleString('en-US')} bytes)
          </Text>
        </Field>
        <Field label="SHA-256">
          <CopyValue value={result.sha256} label="SHA-256" testId="sign-result-sha256" />
        </Field>
        <Field label={`SHA3-512 of ${result.inner.name} (signed in package.sign)`}>
          <CopyValue value={result.inner.sha3_512} label="SHA3-512" testId="sign-result-sha3" />
        </Field>
        {result.warnings.length > 0 && (
          <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title={result.warnings.length === 1 ? 'Warning' : `${result.warnings.length} warnings`} data-testid="sign-warnings">
            <List size="sm" spacing={4}>
              {result.warnings.map((w, i) => (
                <List.Item key={i}>{w}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        <Group gap="xs" mt={4} align="flex-start">
          <ShowInFolder path={result.path} />
          {onVerify && (
            <Button variant="default" size="xs" leftSection={<IconShieldCheck size={14} />} onClick={onVerify}>
              Verify this bundle
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" mb={2}>
        {label}
      </Text>
      {children}
    </div>
  );
}
