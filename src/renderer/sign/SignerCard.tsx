// Whose key will sign: the certificate the config names, in the words of its subject
// (CN, O = cloud domain, OU = company, e-mail), its issuer and validity. The role is a
// guess from the file name, and says so, until the cloud has said it (users/me).
import type { ReactNode } from 'react';
import { Badge, Group, Paper, SimpleGrid, Text, ThemeIcon, Tooltip } from '@mantine/core';
import { IconCertificate } from '@tabler/icons-react';
import type { CertificateSummary } from '../../shared/contract';
import { formatDate } from '../common/format';
import { baseName } from '../common/paths';
import { ROLE_LABEL, roleKindOf } from '../../shared/cloud-roles';
import { useKnownWhoami } from '../cloud/role-store';

export const CERT_STATUS: Record<CertificateSummary['status'], { color: string; label: string; blocks: boolean }> = {
  valid: { color: 'teal', label: 'valid', blocks: false },
  'expires-soon': { color: 'yellow', label: 'expires soon', blocks: false },
  expired: { color: 'red', label: 'expired', blocks: true },
  'not-yet-valid': { color: 'orange', label: 'not yet valid', blocks: true },
};

/** "service provider (guessed from the file name)" → "service provider". */
function roleOf(guess: string): string {
  return guess.replace(/\s*\(guessed[^)]*\)\s*$/, '');
}

export function SignerCard({ file, summary, children }: { file: string; summary: CertificateSummary; children?: ReactNode }) {
  const s = summary.subject;
  // users/me, once asked in this window (the account card), replaces the file-name guess.
  const known = useKnownWhoami(file);
  const status = CERT_STATUS[summary.status];
  const rows: [string, string | undefined][] = [
    ['Name (CN)', s.commonName],
    ['Cloud domain (O)', s.organization],
    ['Company (OU)', s.organizationalUnit],
    ['E-mail', s.email],
    ['Issuer', summary.issuer],
    ['Serial', summary.serialNumber],
    ['Valid from', formatDate(summary.validFrom)],
    ['Valid until', formatDate(summary.validTo)],
  ];
  return (
    <Paper withBorder p="md" radius="md" data-testid="signer-card">
      <Group justify="space-between" wrap="nowrap" align="flex-start" mb="sm">
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
          <ThemeIcon variant="light" size={36} radius="md" color={status.color}>
            <IconCertificate size={20} />
          </ThemeIcon>
          <div style={{ minWidth: 0 }}>
            <Text fw={600} truncate>
              {s.commonName ?? 'Unnamed certificate'}
            </Text>
            <Text size="xs" c="dimmed" truncate title={file}>
              {baseName(file)} · {summary.keyType}
            </Text>
          </div>
        </Group>
        <Badge color={status.color} variant="light" data-testid="certificate-status" style={{ flex: 'none' }}>
          {status.label}
        </Badge>
      </Group>
      <SimpleGrid cols={2} spacing="sm" verticalSpacing={6}>
        {rows
          .filter(([, v]) => v)
          .map(([label, value]) => (
            <div key={label} style={{ minWidth: 0 }}>
              <Text size="xs" c="dimmed">
                {label}
              </Text>
              <Text size="sm" style={{ wordBreak: 'break-word' }} ff={label === 'Serial' ? 'monospace' : undefined}>
                {value}
              </Text>
            </div>
          ))}
        {known?.role ? (
          <div>
            <Text size="xs" c="dimmed">
              Role (the cloud says)
            </Text>
            <Text size="sm" data-testid="role-known">
              {ROLE_LABEL[roleKindOf(known.role) ?? 'other']}
            </Text>
          </div>
        ) : summary.roleGuess && (
          <div>
            <Text size="xs" c="dimmed">
              Role (a guess)
            </Text>
            <Tooltip label="Guessed from the file name: certificates do not state a role" withArrow>
              <Text size="sm" fs="italic" data-testid="role-guess" style={{ cursor: 'help' }}>
                {roleOf(summary.roleGuess)}, guessed from the file name
              </Text>
            </Tooltip>
          </div>
        )}
      </SimpleGrid>
      {children}
    </Paper>
  );
}
