// The account card: who the cloud says the certificate belongs to (users/me: user, e-mail,
// role) and which cloud said it (the domain and the base URL asked), refreshed on demand.
// Its failures are said in plain words by kind: offline, TLS (which side refused and why,
// as main words it), 401/403 (certificate or role), and a protected key asks for its
// password once (main keeps the opened key for the session, never the password).
import { useCallback, useState } from 'react';
import { Alert, Badge, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconCloudOff, IconLock, IconRefresh, IconShieldX, IconUserCircle } from '@tabler/icons-react';
import { ROLE_LABEL, roleKindOf } from '../../shared/cloud-roles';
import type { AppError, Input, WhoamiView } from '../../shared/contract';
import { useApi } from '../api/context';
import { errorOf } from '../api/errors';
import { UnlockPasswordField } from '../common/UnlockPasswordField';
import { rememberWhoami } from './role-store';

type State = { status: 'idle' } | { status: 'asking' } | { status: 'known'; me: WhoamiView } | { status: 'failed'; error: AppError };

const SOURCE: Record<WhoamiView['source'], string> = {
  override: 'the cloud URL in Settings',
  config: 'the domain config.yaml names',
  certificate: "the certificate's organisation (O)",
  default: 'the default cloud',
};

/** The failure's headline, by kind; main's message says the rest (which side, which status). */
function headline(e: AppError): { title: string; icon: React.ReactNode } {
  switch (e.code) {
    case 'network':
      return { title: 'Offline: the cloud does not answer', icon: <IconCloudOff size={18} /> };
    case 'tls':
      return { title: 'The secure connection failed', icon: <IconShieldX size={18} /> };
    case 'unauthorized':
      return { title: 'The cloud refused this certificate', icon: <IconShieldX size={18} /> };
    default:
      return { title: 'Cannot ask the cloud', icon: <IconAlertTriangle size={18} /> };
  }
}

export interface AccountCardProps {
  /** Which credentials: the open service's or bundle's (root), or chosen files. */
  request: Omit<Input<'cloud.whoami'>, 'password'> | null;
  onKnown?: (me: WhoamiView) => void;
}

export function AccountCard({ request, onKnown }: AccountCardProps) {
  const { call } = useApi();
  const [state, setState] = useState<State>({ status: 'idle' });
  const [password, setPassword] = useState('');

  const ask = useCallback(
    async (pw?: string) => {
      if (!request) return;
      setState({ status: 'asking' });
      try {
        const me = await call('cloud.whoami', { ...request, ...(pw !== undefined ? { password: pw } : {}) });
        setPassword('');
        rememberWhoami(me);
        onKnown?.(me);
        setState({ status: 'known', me });
      } catch (err) {
        setState({ status: 'failed', error: errorOf(err) });
      }
    },
    [call, request, onKnown],
  );

  const locked = state.status === 'failed' && state.error.code === 'wrong-password';
  return (
    <Paper withBorder p="md" radius="md" data-testid="account-card" aria-labelledby="account-card-title">
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          <IconUserCircle size={20} aria-hidden />
          <Title order={2} size="h4" id="account-card-title">
            Account
          </Title>
        </Group>
        <Button
          size="xs"
          variant="default"
          leftSection={state.status === 'asking' ? <Loader size={12} /> : <IconRefresh size={14} />}
          disabled={!request || state.status === 'asking'}
          onClick={() => void ask()}
        >
          {state.status === 'known' ? 'Refresh' : 'Check account'}
        </Button>
      </Group>
      {state.status === 'idle' && (
        <Text size="sm" c="dimmed">
          {request ? 'Asks the cloud (users/me) who this certificate belongs to and which role it has.' : 'Choose a certificate to ask the cloud who it belongs to.'}
        </Text>
      )}
      {state.status === 'asking' && (
        <Text size="sm" c="dimmed">
          Asking the cloud…
        </Text>
      )}
      {state.status === 'known' && <Known me={state.me} />}
      {state.status === 'failed' && !locked && (
        <Alert color={state.error.code === 'network' ? 'gray' : 'red'} icon={headline(state.error).icon} title={headline(state.error).title} data-testid="account-error">
          <Text size="sm">{state.error.message}</Text>
        </Alert>
      )}
      {locked && (
        <Stack gap={6} data-testid="account-password">
          <Text size="sm">{state.status === 'failed' && state.error.message}</Text>
          <UnlockPasswordField
            label="Key password"
            description="Asked once: the opened key stays in the app's memory until it quits; the password is not kept."
            icon={<IconLock size={14} />}
            value={password}
            onChange={setPassword}
            onSubmit={() => password && void ask(password)}
            submitLabel="Unlock"
          />
        </Stack>
      )}
    </Paper>
  );
}

function Known({ me }: { me: WhoamiView }) {
  const kind = roleKindOf(me.role);
  return (
    <Stack gap={4} data-testid="account-known">
      <Group gap="xs">
        <Text fw={600}>{me.username ?? 'Unnamed user'}</Text>
        {me.email && (
          <Text size="sm" c="dimmed">
            {me.email}
          </Text>
        )}
        {kind && (
          <Badge variant="light" color={kind === 'oem' ? 'indigo' : kind === 'service-provider' ? 'teal' : 'gray'} data-testid="account-role">
            {ROLE_LABEL[kind]}
            {kind === 'other' ? ` (${me.role})` : ''}
          </Badge>
        )}
      </Group>
      {!kind && <Text size="sm">The cloud did not say a role for this certificate.</Text>}
      <Text size="sm">
        Domain <Text span ff="monospace">{me.host}</Text> · asked at <Text span ff="monospace">{me.base}</Text> ({SOURCE[me.source]})
      </Text>
      <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
        {me.credentials}
      </Text>
    </Stack>
  );
}
