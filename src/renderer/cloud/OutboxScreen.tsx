// The Outbox: signed bundles waiting for, or on their way to, the cloud, kept in the app's
// data folder until they are done and the user clears them. Each entry shows what it is
// (bundle, kind, size, sha256, target), its state and its history; Push now sends what
// waits (progress, Cancel), Retry queues a failed entry again, Remove asks first (and says
// what is lost when the entry is not done). The automatic push's state is shown on top: it
// pushes by itself when the cloud answers again. An entry Push now did not send (the cloud
// refused its role and nothing changed since, or another process pushes it) says why on its card.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Anchor, Badge, Box, Button, Container, Group, Modal, Paper, PasswordInput, Progress, Stack, Text, Timeline, Title, Tooltip } from '@mantine/core';
import { IconArrowLeft, IconCloudUpload, IconInbox, IconLock, IconRefresh, IconTrash } from '@tabler/icons-react';
import type { AutoPushView, OutboxEntryView, OutboxListing } from '../../shared/contract';
import { useApi } from '../api/context';
import { errorOf, isApiError } from '../api/errors';
import { runJob, type JobProgress } from '../api/jobs';
import { formatDateTime, formatSize } from '../common/format';
import { baseName } from '../common/paths';
import { notifyError, notifySuccess } from '../common/notify';
import { ThemeToggle } from '../common/ThemeToggle';
import { AccountCard } from './AccountCard';
import { uploadGate } from '../../shared/cloud-roles';
import { RoleBadge } from './RoleBadge';
import { useKnownWhoami } from './role-store';
import { notOlder, useOutboxChanges, type OutboxProgressView } from './use-outbox-changes';
import { PathField } from '../common/PathField';
import { usePathPicker } from '../common/PathPicker';

/** How often the list is read again while the screen is open (states move by themselves). */
export const OUTBOX_REFRESH_MS = 2000;

const STATE_COLOR: Record<OutboxEntryView['state'], string> = {
  queued: 'gray',
  uploading: 'blue',
  uploaded: 'cyan',
  processing: 'violet',
  done: 'teal',
  failed: 'red',
};

/** The entry's state in words: an upload whose process stopped is not "uploading". */
function stateWord(e: OutboxEntryView): string {
  return e.interrupted ? 'interrupted' : e.state;
}

/** Bytes handed to the connection, in words: not yet what the cloud has read, which only its answer says. */
export function sentText(p: { sent: number; total: number; rate?: number; secondsLeft?: number }): string {
  if (p.total > 0 && p.sent >= p.total) return `All ${formatSize(p.total)} sent: waiting for the cloud\u2019s answer…`;
  return `${formatSize(p.sent)} of ${formatSize(p.total)} sent${p.rate ? ` · ${formatSize(p.rate)}/s` : ''}${p.secondsLeft !== undefined ? ` · ${Math.ceil(p.secondsLeft)} s left to send` : ''}`;
}

function autoText(a: AutoPushView): string {
  if (a.state === 'waiting' && a.nextCheckAt) return `Waiting for the cloud: next check at ${formatDateTime(a.nextCheckAt)}. ${a.message}`;
  return a.message;
}

export function OutboxScreen({ onClose }: { onClose: () => void }) {
  const { call, on } = useApi();
  const picker = usePathPicker();
  const [listing, setListing] = useState<OutboxListing | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [pushing, setPushing] = useState(false);
  const [needsPassword, setNeedsPassword] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [removing, setRemoving] = useState<OutboxEntryView | null>(null);
  const [p12, setP12] = useState('');
  // Why the last Push now left an entry unsent, by entry id (main's words, from the job's results).
  const [skipped, setSkipped] = useState<Record<string, string>>({});
  const jobRef = useRef<string | null>(null);

  // Bytes sent of the entry the app's push is uploading, by entry id (from 'outbox.changed').
  const [sending, setSending] = useState<Record<string, OutboxProgressView>>({});
  // An entry the app's push moved shows at once; the listing read below catches the rest (another process's push).
  useOutboxChanges(({ entry, progress }) => {
    setListing((l) => (l ? { ...l, entries: l.entries.map((e) => (notOlder(entry, e) ? entry : e)) } : l));
    setSending((m) => {
      const { [entry.id]: _gone, ...rest } = m;
      return progress && entry.state === 'uploading' ? { ...rest, [entry.id]: progress } : rest;
    });
    // A push moved it (its Retry, the automatic push once something changed): not skipped any more.
    setSkipped((m) => {
      if (!(entry.id in m)) return m;
      const { [entry.id]: _sent, ...rest } = m;
      return rest;
    });
  });

  const refresh = useCallback(async () => {
    try {
      setListing(await call('outbox.list', {}));
      setLoadError(null);
    } catch (err) {
      setLoadError(errorOf(err).message);
    }
  }, [call]);

  useEffect(() => {
    void refresh();
    const t = setInterval(() => void refresh(), OUTBOX_REFRESH_MS);
    return () => clearInterval(t);
  }, [refresh]);

  const push = async (ids?: string[], pw?: string) => {
    setPushing(true);
    setProgress(null);
    try {
      const { results } = await runJob({ call, on }, 'outbox.push', { ...(ids ? { ids } : {}), ...(pw !== undefined ? { password: pw } : {}) }, { onProgress: setProgress, onStarted: (id) => (jobRef.current = id) });
      setNeedsPassword(null);
      setPassword('');
      // This push's word on each entry it reached replaces the last one's.
      setSkipped((m) => {
        const next = { ...m };
        for (const r of results) {
          if (r.skipped) next[r.id] = r.skipReason ?? r.message;
          else delete next[r.id];
        }
        return next;
      });
      if (results.length === 0) notifySuccess('Nothing to push', 'No entry waits for the cloud.');
      else if (results.every((r) => r.state === 'done')) notifySuccess('Pushed', results.length === 1 ? results[0].message : `${results.length} entries are done.`);
    } catch (err) {
      if (isApiError(err, 'wrong-password')) setNeedsPassword(errorOf(err).message);
      else if (!isApiError(err, 'cancelled')) notifyError('Push failed', err);
    } finally {
      jobRef.current = null;
      setPushing(false);
      setProgress(null);
      void refresh();
    }
  };

  const retry = async (e: OutboxEntryView) => {
    try {
      await call('outbox.retry', { id: e.id });
      await refresh();
    } catch (err) {
      notifyError('Cannot retry', err);
    }
  };

  const remove = async (e: OutboxEntryView) => {
    try {
      await call('outbox.remove', { id: e.id, confirmed: e.state !== 'done' });
      setRemoving(null);
      await refresh();
    } catch (err) {
      notifyError('Cannot remove', err);
    }
  };

  const entries = listing?.entries ?? [];
  const waiting = entries.filter((e) => e.state !== 'done' && e.state !== 'failed').length;
  const auto = listing?.auto;
  const chosen = p12.trim();

  return (
    <Box component="main" p="md">
      <Group justify="space-between" mb="md">
        <Button variant="subtle" leftSection={<IconArrowLeft size={16} />} onClick={onClose}>
          Start
        </Button>
        <ThemeToggle />
      </Group>
      <Container size={900}>
        <Stack gap="md">
          <Group justify="space-between" align="flex-end">
            <div>
              <Title order={1}>Outbox</Title>
              <Text c="dimmed" size="sm">
                Signed bundles waiting for the cloud, or on their way. An entry stays here until it is done and you remove it.
              </Text>
            </div>
            <Group gap="xs">
              {pushing && jobRef.current && (
                <Button variant="default" onClick={() => void call('job.cancel', { jobId: jobRef.current! })}>
                  Cancel
                </Button>
              )}
              <Button leftSection={<IconCloudUpload size={16} />} onClick={() => void push()} loading={pushing} disabled={waiting === 0 && !pushing}>
                Push now
              </Button>
            </Group>
          </Group>

          {auto && auto.state !== 'idle' && (
            <Alert color={auto.state === 'waiting' ? 'gray' : auto.state === 'needs-password' ? 'yellow' : 'blue'} title={{ pushing: 'Pushing', waiting: 'Automatic push', 'needs-password': 'A password is needed', idle: '' }[auto.state]} data-testid="auto-push">
              <Text size="sm">{autoText(auto)}</Text>
            </Alert>
          )}
          {progress && progress.total > 0 && (
            <Stack gap={4} data-testid="push-progress">
              <Progress value={(Math.min(progress.done, progress.total) / progress.total) * 100} aria-label="Bytes sent" />
              <Text size="xs" c="dimmed">
                {sentText({ sent: progress.done, total: progress.total, rate: progress.rate, secondsLeft: progress.secondsLeft })}
              </Text>
            </Stack>
          )}
          {needsPassword !== null && (
            <Paper withBorder p="md" data-testid="push-password">
              <Text size="sm" mb="xs">
                {needsPassword}
              </Text>
              <Group align="flex-end" gap="xs">
                <PasswordInput style={{ flex: 1 }} label="Key password" description="Asked once: the opened key stays in the app's memory until it quits." leftSection={<IconLock size={14} />} value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
                <Button onClick={() => void push(undefined, password)} disabled={!password}>
                  Unlock and push
                </Button>
              </Group>
            </Paper>
          )}
          {loadError && (
            <Alert color="red" title="Cannot read the outbox">
              {loadError}
            </Alert>
          )}

          {listing && entries.length === 0 && (
            <Paper withBorder p="xl" radius="md" data-testid="outbox-empty">
              <Stack align="center" gap="xs">
                <IconInbox size={32} aria-hidden />
                <Text fw={600}>The outbox is empty</Text>
                <Text size="sm" c="dimmed" ta="center">
                  A signed bundle queued for upload, or an upload the network interrupted, waits here until the cloud has it.
                </Text>
              </Stack>
            </Paper>
          )}
          {entries.map((e) => (
            <EntryCard key={e.id} entry={e} sending={pushing ? undefined : sending[e.id]} skippedWhy={skipped[e.id]} onRetry={() => void retry(e)} onRemove={() => setRemoving(e)} onPush={() => void push([e.id])} pushing={pushing} />
          ))}

          <Stack gap="xs">
            <PathField
              label="Certificate to check"
              description="A user certificate (PKCS#12) to ask the cloud about: its role decides what it may upload."
              placeholder="~/.aos/security/aos-user-sp.p12"
              value={p12}
              onChange={(ev) => setP12(ev.currentTarget.value)}
              onBrowse={async () => {
                const picked = await picker.pickFile({ title: 'Choose a user certificate', extensions: ['p12', 'pfx'] });
                if (picked) setP12(picked);
              }}
            />
            <AccountCard request={chosen ? { pkcs12Path: chosen } : null} />
          </Stack>
        </Stack>
      </Container>
      <Modal opened={removing !== null} onClose={() => setRemoving(null)} title="Remove from the outbox?">
        {removing && (
          <Stack gap="md">
            <Text size="sm">
              {removing.state === 'done'
                ? `${baseName(removing.source)} is done: the cloud has it. Removing clears it from the outbox (the signed file itself stays where it is).`
                : `${baseName(removing.source)} is ${stateWord(removing)}, not done: ${removing.state === 'queued' || removing.state === 'uploading' ? 'it has not reached the cloud, and removing it means it will not be uploaded' : 'removing it loses its record of how it went'}. The signed file itself stays where it is.`}
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setRemoving(null)}>
                Keep it
              </Button>
              <Button color="red" leftSection={<IconTrash size={16} />} onClick={() => void remove(removing)}>
                Remove
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Box>
  );
}

function EntryCard({
  entry: e,
  sending,
  skippedWhy,
  onRetry,
  onRemove,
  onPush,
  pushing,
}: {
  entry: OutboxEntryView;
  sending?: OutboxProgressView;
  /** Why the last Push now did not send it. */
  skippedWhy?: string;
  onRetry: () => void;
  onRemove: () => void;
  onPush: () => void;
  pushing: boolean;
}) {
  const [showHistory, setShowHistory] = useState(e.state === 'failed');
  // What the cloud said of the entry's own certificate (the account card below, or any other check in this window).
  const role = useKnownWhoami(e.credentials)?.role;
  // The cloud said a role the spec says it refuses this from: pushing it again would only meet the 403 again.
  const refused = uploadGate(e.kind, role, e.itemTypes).refused === true;
  const last = e.history.at(-1);
  return (
    <Paper withBorder p="md" radius="md" data-testid="outbox-entry" aria-label={`${baseName(e.source)} ${stateWord(e)}`}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Text fw={600}>{baseName(e.source)}</Text>
            <Badge variant="light" color="gray">
              {e.kind === 'service' ? 'Service' : 'Layer bundle'}
            </Badge>
            <Badge color={e.interrupted ? 'yellow' : STATE_COLOR[e.state]} data-testid="entry-state">
              {stateWord(e)}
            </Badge>
            {e.held && (
              <Tooltip label="Its upload was cancelled: the automatic push leaves it alone until you press Push now" withArrow>
                <Badge variant="outline" color="gray" tabIndex={0} data-testid="entry-held">
                  held
                </Badge>
              </Tooltip>
            )}
            <RoleBadge kind={e.kind} role={role} itemTypes={e.itemTypes} />
          </Group>
          <Text size="sm">{e.what}</Text>
          <Text size="xs" c="dimmed">
            {formatSize(e.size)} · sha256{' '}
            <Text span ff="monospace" title={e.sha256}>
              {e.sha256.slice(0, 12)}
            </Text>{' '}
            · to {e.cloud ?? 'the cloud in Cloud settings, else the one its config or certificate names'}
            {e.remoteId !== undefined ? ` · cloud id ${e.remoteId}` : ''}
          </Text>
          <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
            {e.source}
          </Text>
          {last && (
            <Text size="sm" data-testid="entry-last">
              {last.message}
            </Text>
          )}
          {/* The automatic push's bytes (Push now shows its own bar above). */}
          {sending && sending.total > 0 && e.state === 'uploading' && (
            <Stack gap={4} data-testid="entry-progress">
              <Progress value={(Math.min(sending.sent, sending.total) / sending.total) * 100} aria-label={`Bytes of ${baseName(e.source)} sent`} />
              <Text size="xs" c="dimmed">
                {sentText(sending)}
              </Text>
            </Stack>
          )}
          {skippedWhy && (
            <Alert color="yellow" variant="light" p="xs" title="Skipped by Push now" data-testid="entry-skipped">
              <Text size="sm">{skippedWhy}</Text>
            </Alert>
          )}
          {e.interrupted && (
            <Text size="sm" data-testid="entry-interrupted">
              <Text span fw={600} inherit>
                Interrupted:
              </Text>{' '}
              the program that was uploading it stopped mid-way, so nothing sends it now. Push sends it again (the cloud keeps it once).
            </Text>
          )}
        </Stack>
        <Group gap="xs" wrap="nowrap">
          {(e.state === 'queued' || e.state === 'uploading' || e.state === 'uploaded' || e.state === 'processing') && (
            <Button size="xs" variant="default" leftSection={<IconCloudUpload size={14} />} onClick={onPush} disabled={pushing || refused}>
              Push
            </Button>
          )}
          {e.state === 'failed' && (
            <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} onClick={onRetry} disabled={refused}>
              Retry
            </Button>
          )}
          <Button size="xs" variant="default" color="red" leftSection={<IconTrash size={14} />} onClick={onRemove} aria-label={`Remove ${baseName(e.source)}`}>
            Remove
          </Button>
        </Group>
      </Group>
      <Anchor component="button" type="button" size="sm" mt="xs" display="block" onClick={() => setShowHistory((v) => !v)} aria-expanded={showHistory}>
        {showHistory ? 'Hide history' : `History (${e.history.length})`}
      </Anchor>
      {showHistory && (
        <Timeline mt="xs" bulletSize={12} lineWidth={2} active={e.history.length - 1} data-testid="entry-history">
          {e.history.map((h, i) => (
            <Timeline.Item key={i} title={<Text size="sm" fw={500}>{h.state}</Text>}>
              <Text size="sm">{h.message}</Text>
              <Text size="xs" c="dimmed">
                {formatDateTime(h.at)}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Paper>
  );
}
