// A badge on an action the cloud's role gates: "OEM" on layer and component bundle uploads,
// "Service provider" on service uploads. Green when the cloud said the certificate has that
// role, red (with the reason beside it) when it said another the spec says it refuses, orange
// when it said another the spec does not rule on (the cloud decides), grey while unknown.
import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { ROLE_LABEL, uploadGate, type UploadKind } from '../../shared/cloud-roles';

/** `itemTypes`: a deployment bundle's item types (a bundle of services is a service provider's). */
export function RoleBadge({ kind, role, itemTypes }: { kind: UploadKind; role?: string; itemTypes?: readonly string[] }) {
  const gate = uploadGate(kind, role, itemTypes);
  const color = gate.allowed === undefined ? 'gray' : gate.allowed ? 'teal' : gate.refused ? 'red' : 'orange';
  return (
    <Group gap={6} wrap="nowrap" data-testid={`role-badge-${kind}`}>
      <Tooltip label={gate.reason} multiline w={320} withArrow>
        <Badge variant="light" color={color} tabIndex={0} aria-label={`${ROLE_LABEL[gate.needed]} only: ${gate.reason}`}>
          {ROLE_LABEL[gate.needed]}
        </Badge>
      </Tooltip>
      {gate.allowed === false && (
        <Text size="xs" c={gate.refused ? 'red' : 'orange'} style={{ maxWidth: 420 }} data-testid="role-reason">
          {gate.reason}
        </Text>
      )}
    </Group>
  );
}
