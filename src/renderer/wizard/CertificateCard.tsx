import { Badge, Group, Paper, SimpleGrid, Text } from '@mantine/core';
import type { CertificateSummary } from '../../shared/contract';
import { formatDate } from '../common/format';

const STATUS: Record<CertificateSummary['status'], { color: string; label: string }> = {
  valid: { color: 'teal', label: 'valid' },
  'expires-soon': { color: 'yellow', label: 'expires soon' },
  expired: { color: 'red', label: 'expired' },
  'not-yet-valid': { color: 'orange', label: 'not yet valid' },
};

/** Whose certificate this is, in the words of its subject fields. */
export function CertificateCard({ summary }: { summary: CertificateSummary }) {
  const s = summary.subject;
  const status = STATUS[summary.status];
  const rows: [string, string | undefined][] = [
    ['Name (CN)', s.commonName],
    ['Cloud domain (O)', s.organization],
    ['Company (OU)', s.organizationalUnit],
    ['Email', s.email],
    ['Issuer', summary.issuer],
    ['Valid until', formatDate(summary.validTo)],
    ['Key', summary.keyType],
  ];
  return (
    <Paper withBorder p="md" radius="md" data-testid="certificate-summary">
      <Group justify="space-between" mb="sm">
        <Text fw={600}>{s.commonName ?? 'Unnamed certificate'}</Text>
        <Group gap={6}>
          {summary.roleGuess && (
            <Badge variant="outline" color="gray" title="Guessed from the file name: the role is not in the certificate">
              role guess: {summary.roleGuess}
            </Badge>
          )}
          <Badge color={status.color} variant="light">
            {status.label}
          </Badge>
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={6} verticalSpacing={6}>
        {rows
          .filter(([, v]) => v)
          .map(([label, value]) => (
            <div key={label}>
              <Text size="xs" c="dimmed">
                {label}
              </Text>
              <Text size="sm" style={{ wordBreak: 'break-word' }}>
                {value}
              </Text>
            </div>
          ))}
      </SimpleGrid>
    </Paper>
  );
}
