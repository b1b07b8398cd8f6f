// A bundle's verification, for people: the verdict first, then what failed (naming the
// member and the package.sign field), every check, the signer from the kid, the members,
// and what inspect says about the config and the service files inside.
import { Alert, Badge, Code, Group, List, Paper, SimpleGrid, Stack, Table, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCircleCheck, IconCircleX, IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import type { InspectReport, VerifyReport } from '../../shared/contract';
import { formatMode, formatSize } from '../common/format';
import { CopyValue } from '../common/CopyValue';

type Check = VerifyReport['checks'][number];

function CheckRow({ check }: { check: Check }) {
  return (
    <Group gap={8} wrap="nowrap" align="flex-start" data-testid="verify-check" data-ok={check.ok}>
      {check.ok ? (
        <IconCircleCheck size={18} color="var(--mantine-color-teal-6)" aria-label="passed" style={{ flex: 'none', marginTop: 2 }} />
      ) : (
        <IconCircleX size={18} color="var(--mantine-color-red-6)" aria-label="failed" style={{ flex: 'none', marginTop: 2 }} />
      )}
      <div style={{ minWidth: 0 }}>
        <Text size="sm" style={{ wordBreak: 'break-word' }}>
          {check.message}
        </Text>
        {(check.member || check.field) && (
          <Group gap={6} mt={2}>
            {check.member && (
              <Badge size="xs" variant="light" color={check.ok ? 'gray' : 'red'} tt="none" data-testid="check-member">
                {check.member}
              </Badge>
            )}
            {check.field && (
              <Code fz="xs" data-testid="check-field">
                {check.field}
              </Code>
            )}
          </Group>
        )}
      </div>
    </Group>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div" style={{ wordBreak: 'break-word' }}>
        {children}
      </Text>
    </div>
  );
}

export function VerifyReportView({ report, inspect, inspectError }: { report: VerifyReport; inspect?: InspectReport | null; inspectError?: string | null }) {
  const total = report.checks.length;
  const failed = report.failures.length;
  const cmd = inspect?.config?.cmd;
  return (
    <Stack gap="md" data-testid="verify-report">
      <Alert
        color={report.ok ? 'teal' : 'red'}
        variant="light"
        icon={report.ok ? <IconShieldCheck size={22} /> : <IconShieldX size={22} />}
        title={report.ok ? 'The bundle is sound' : 'The bundle fails verification'}
        data-testid="verify-verdict"
        data-ok={report.ok}
      >
        <Text size="sm">
          {report.ok ? `All ${total} checks passed.` : `${failed} of ${total} checks failed.`}{' '}
          {/* A bundle that already fails (truncated, a hash off) is refused whoever signed it: no certificate would change that. */}
          {report.signatureChecked
            ? 'The signature was checked against the certificate you gave.'
            : report.ok
              ? 'The signature itself was not checked: give the signer’s certificate for that.'
              : 'The signature was not checked.'}
        </Text>
      </Alert>

      {failed > 0 && (
        <Paper withBorder p="sm" radius="md" data-testid="verify-failures">
          <Title order={3} size="h6" mb="xs" c="red">
            What fails
          </Title>
          <Stack gap="xs">
            {report.failures.map((c, i) => (
              <CheckRow key={`${c.id}-${i}`} check={c} />
            ))}
          </Stack>
        </Paper>
      )}

      <Paper withBorder p="sm" radius="md">
        <Title order={3} size="h6" mb="xs">
          Checks
        </Title>
        <Stack gap={6}>
          {report.checks.map((c, i) => (
            <CheckRow key={`${c.id}-${i}`} check={c} />
          ))}
        </Stack>
      </Paper>

      {report.signer && (
        <Paper withBorder p="sm" radius="md" data-testid="verify-signer">
          <Title order={3} size="h6" mb="xs">
            Signer (from the kid)
          </Title>
          <SimpleGrid cols={2} spacing="sm" verticalSpacing={6}>
            <Row label="Issuer">{report.signer.issuer ?? '–'}</Row>
            <Row label="Serial">
              <Text size="sm" ff="monospace" span>
                {report.signer.serial ?? '–'}
              </Text>
            </Row>
          </SimpleGrid>
          <Text size="xs" c="dimmed" mt={6} mb={2}>
            kid
          </Text>
          <CopyValue value={report.signer.kid} label="kid" />
        </Paper>
      )}

      {inspect && (
        <Paper withBorder p="sm" radius="md" data-testid="verify-inspect">
          <Title order={3} size="h6" mb="xs">
            Inside
          </Title>
          {inspect.config ? (
            <SimpleGrid cols={2} spacing="sm" verticalSpacing={6}>
              <Row label="Version">{inspect.config.version ?? '–'}</Row>
              <Row label="Service uid">
                <Text size="sm" ff="monospace" span>
                  {inspect.config.serviceUid ?? '–'}
                </Text>
              </Row>
              <Row label="Cloud">{inspect.config.url ?? '–'}</Row>
              <Row label="Platform">{[inspect.config.os, inspect.config.arch].filter(Boolean).join(' / ') || '–'}</Row>
              <Row label="Command">
                <Text size="sm" ff="monospace" span>
                  {cmd === undefined ? '–' : Array.isArray(cmd) ? cmd.join(' ') : cmd}
                </Text>
              </Row>
              <Row label="State">{inspect.config.stateRequired ? 'required (default_state.dat)' : 'not required'}</Row>
            </SimpleGrid>
          ) : (
            <Text size="sm" c="red">
              {inspect.configError ?? 'No readable config.yaml.'}
            </Text>
          )}
          {inspect.service && (
            <Text size="sm" mt="sm" data-testid="verify-service-summary">
              service.tar.gz ({formatSize(inspect.service.size)}): {inspect.service.files} {inspect.service.files === 1 ? 'file' : 'files'},{' '}
              {inspect.service.directories} {inspect.service.directories === 1 ? 'folder' : 'folders'}, {inspect.service.symlinks}{' '}
              {inspect.service.symlinks === 1 ? 'symlink' : 'symlinks'}, {formatSize(inspect.service.bytes)} uncompressed
            </Text>
          )}
          {inspect.problems.length > 0 && (
            <List size="sm" mt="xs" c="red">
              {inspect.problems.map((p, i) => (
                <List.Item key={i}>{p}</List.Item>
              ))}
            </List>
          )}
        </Paper>
      )}
      {inspectError && (
        <Text size="sm" c="dimmed">
          No summary of the contents: {inspectError}
        </Text>
      )}

      <Paper withBorder p="sm" radius="md">
        <Title order={3} size="h6" mb="xs">
          Members
        </Title>
        <Table striped withRowBorders={false} verticalSpacing={4} data-testid="verify-members">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th ta="right">Size</Table.Th>
              <Table.Th>Mode</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.members.map((m) => {
              const bad = report.failures.some((f) => f.member === m.name);
              return (
                <Table.Tr key={`${m.stored}|${m.name}`}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <ThemeIcon size={16} radius="xl" variant="light" color={bad ? 'red' : 'teal'}>
                        {bad ? <IconCircleX size={12} /> : <IconCircleCheck size={12} />}
                      </ThemeIcon>
                      <Text size="sm" ff="monospace">
                        {m.name || m.stored || './'}
                      </Text>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{m.type}</Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm">{formatSize(m.size)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {m.mode !== undefined ? formatMode(m.mode) : '–'}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}
