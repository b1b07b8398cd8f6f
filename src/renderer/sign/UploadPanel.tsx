// After signing: send the bundle to the cloud now, or put it in the outbox. While it uploads,
// one bar with the bytes sent, rate, time left and Cancel; then the states the bundle goes
// through (a v2 deployment bundle's processing live, with the cloud's build_info). How it
// ended is said in full: every field message of a refusal (a list, not only the first),
// 401/403 as certificates and roles, a TLS failure naming the side that refused, a network
// failure as "kept in the outbox". Where it goes comes from the app's cloud setting, else
// from the bundle's own config.
import { useRef, useState } from 'react';
import { Alert, Button, Code, Group, List, Loader, Paper, Progress, SimpleGrid, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconAlertCircle, IconCircleCheck, IconCircleDashed, IconCircleX, IconCloudUpload, IconInbox, IconInfoCircle, IconLock } from '@tabler/icons-react';
import type { CloudFailureView, FolderKind, OutboxEntryView, OutboxStateView, UploadResult } from '../../shared/contract';
import { useSettings } from '../app/settings';
import { formatSize } from '../common/format';
import { formatDuration, formatRate } from './progress-model';
import type { UploadInput, UploadJob, UploadStep } from './use-upload-job';
import type { OutboxProgressView } from '../cloud/use-outbox-changes';
import { uploadGate } from '../../shared/cloud-roles';
import { RoleBadge } from '../cloud/RoleBadge';
import { useKnownWhoami } from '../cloud/role-store';
import { ProgressCancel, ProgressStat } from '../common/ProgressStats';
import { UnlockPasswordField } from '../common/UnlockPasswordField';

export const STATE_LABEL: Record<OutboxStateView, string> = {
  queued: 'Queued',
  uploading: 'Uploading',
  uploaded: 'Uploaded',
  processing: 'Processing in the cloud',
  done: 'Done',
  failed: 'Failed',
};

/** The states an upload goes through: a v1 service version has no processing step. */
export function stepsOf(kind: FolderKind): OutboxStateView[] {
  return kind === 'deployment' ? ['uploading', 'uploaded', 'processing', 'done'] : ['uploading', 'uploaded', 'done'];
}

/**
 * The steps of the entry's last try (what follows its last 'queued': an entry tried again
 * keeps the earlier tries in its history), each with its last message.
 */
export function stepsFromHistory(entry: OutboxEntryView): UploadStep[] {
  const out: UploadStep[] = [];
  const from = entry.history.map((h) => h.state).lastIndexOf('queued') + 1;
  for (const h of entry.history.slice(from)) {
    const last = out.at(-1);
    if (last?.state === h.state) last.message = h.message;
    else out.push({ state: h.state, message: h.message });
  }
  return out;
}

/** A heading for how an upload failed, in plain words. */
export function failureTitle(f: CloudFailureView): string {
  if (f.code === 'unauthorized' && f.status === 403) return 'Your role may not upload this (HTTP 403)';
  if (f.code === 'unauthorized') return `The cloud did not accept your certificate${f.status ? ` (HTTP ${f.status})` : ''}`;
  if (f.code === 'tls') return 'The secure connection to the cloud failed';
  if (f.code === 'network') return 'Not uploaded: the cloud could not be reached';
  if (f.code === 'cancelled') return 'Upload cancelled';
  if (f.status) return `The cloud refused the upload (HTTP ${f.status})`;
  return 'The cloud could not take the bundle';
}

interface Props {
  job: UploadJob;
  /** The signed file. */
  bundle: string;
  /** The service or deployment bundle folder it was signed from. */
  root: string;
  kind: FolderKind;
  /** The credential file it is signed and sent with: the cloud's role for it, once asked, shows on the badge. */
  credentials?: string;
  /** A deployment bundle's item types: a bundle of services is a service provider's upload, else an OEM's. */
  itemTypes?: readonly string[];
}

export function UploadPanel({ job, bundle, root, kind, credentials, itemTypes }: Props) {
  const role = useKnownWhoami(credentials)?.role;
  // The cloud said the role, and the spec says it may not upload this (a layer or component
  // bundle from anyone but an OEM user): the app does not offer it; the badge says why.
  const refused = uploadGate(kind, role, itemTypes).refused === true;
  const { settings } = useSettings();
  const cloudUrl = settings.cloud?.url?.trim() || undefined;
  const caFile = settings.cloud?.caFile?.trim() || undefined;
  const input: UploadInput = { path: bundle, root, ...(cloudUrl ? { cloud: cloudUrl } : {}), ...(caFile ? { caFile } : {}) };
  const [password, setPassword] = useState('');
  const lastInput = useRef(input);
  const s = job.state;
  const start = (pw?: string) => {
    lastInput.current = input;
    void job.upload(input, pw);
  };
  const unlock = () => {
    if (!password) return;
    const pw = password;
    setPassword('');
    void job.upload(lastInput.current, pw);
  };
  const ended = s.kind === 'ended' ? s.result : null;
  // A problem in the signed bundle itself (no service id, not a bundle...) is fixed in the
  // config and signed again: trying the same file again cannot help, so no button offers it.
  const signAgain = s.kind === 'failed' && (s.error.code === 'invalid-config' || s.error.code === 'bundle');
  const again = (s.kind === 'failed' && !signAgain) || (ended && (ended.entry.state === 'failed' || ended.entry.state === 'queued')) || (s.kind === 'queued' && (s.entry.state === 'queued' || s.entry.state === 'failed'));

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label="Upload to the cloud" data-testid="upload-panel">
      <Group gap="xs" mb={6}>
        <IconCloudUpload size={20} />
        <Text fw={600}>Upload to the cloud</Text>
      </Group>
      <Text size="sm" c="dimmed" data-testid="upload-destination">
        To {cloudUrl ? <Code>{cloudUrl}</Code> : kind === 'deployment' ? 'the cloud publish.domain names (else your certificate\u2019s organisation)' : 'the cloud publish.url names'}{' '}
        over mutual TLS with the certificate the config names; the server is checked against {caFile ? <Code>{caFile}</Code> : 'the system\u2019s certificate authorities'}.
      </Text>

      <Stack gap="sm" mt="sm">
        {s.kind === 'starting' && (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm">Reading the signed bundle…</Text>
          </Group>
        )}
        {s.kind === 'running' && (
          <>
            {(s.state === 'queued' || s.state === 'uploading') && (
              <UploadProgress sent={s.sent} total={s.total} rate={s.rate} secondsLeft={s.secondsLeft} cancelling={s.cancelling} onCancel={() => void job.cancel()} />
            )}
            <StateSteps kind={kind} steps={s.steps} running />
          </>
        )}
        {s.kind === 'password' && (
          <Stack gap={6} data-testid="upload-password">
            <Text size="sm" c={s.error.message.startsWith('Wrong') ? 'red' : undefined}>
              <IconLock size={14} style={{ verticalAlign: -2 }} /> {s.error.message}
            </Text>
            <UnlockPasswordField
              label="TLS key password"
              description="Asked once: the app keeps the opened key in memory until it quits, never the password."
              value={password}
              onChange={setPassword}
              onSubmit={unlock}
              submitLabel="Unlock and upload"
            />
          </Stack>
        )}
        {s.kind === 'failed' && (
          <Alert color="red" icon={<IconAlertCircle size={18} />} title="Cannot upload this bundle" data-testid="upload-error">
            <Text size="sm" style={{ wordBreak: 'break-word' }}>
              {s.error.message}
            </Text>
          </Alert>
        )}
        {/* Once the push has taken it, the steps below say how it goes: the queued note would be stale. */}
        {s.kind === 'queued' && s.added && s.entry.state !== 'queued' && (
          <Text size="sm" data-testid="upload-queued">
            Queued as outbox entry <Code>{s.entry.id}</Code> ({s.entry.what}, {formatSize(s.entry.size)}); the app&rsquo;s push took it:
          </Text>
        )}
        {s.kind === 'queued' && s.added && s.entry.state === 'queued' && (
          <Alert color="blue" icon={<IconInbox size={18} />} title="Queued in the outbox" data-testid="upload-queued">
            <Text size="sm">
              {/* outbox.add wakes the automatic push: a queued bundle goes out without a Push now. */}
              Kept in the outbox as <Code>{s.entry.id}</Code> ({s.entry.what}, {formatSize(s.entry.size)}). The app sends it in the background as
              soon as the cloud answers, and shows here (and in the Outbox) how it goes; Upload now sends it at once instead.
            </Text>
          </Alert>
        )}
        {/* The outbox holds one entry per bundle: the same bytes again are that entry, whatever its state. */}
        {s.kind === 'queued' && !s.added && (
          <Alert color="gray" icon={<IconInbox size={18} />} title="Already in the outbox" data-testid="upload-queued">
            <Text size="sm">
              These bytes are outbox entry <Code>{s.entry.id}</Code>, which is {STATE_LABEL[s.entry.state].toLowerCase()}: nothing was added.
            </Text>
          </Alert>
        )}
        {s.kind === 'queued' && <QueuedEntry entry={s.entry} progress={s.progress} kind={kind} refused={refused} />}
        {ended && <UploadOutcome result={ended} kind={kind} refused={refused} />}

        {(s.kind === 'idle' || again) && (
          <Group gap="xs">
            <Button leftSection={<IconCloudUpload size={16} />} onClick={() => start()} disabled={refused} data-testid="upload-now">
              {again && (s.kind !== 'queued' || s.entry.state === 'failed') ? 'Try again now' : 'Upload now'}
            </Button>
            {s.kind === 'idle' && (
              <Button variant="default" leftSection={<IconInbox size={16} />} onClick={() => void job.queue(input)} disabled={refused} data-testid="upload-queue">
                Queue
              </Button>
            )}
            <RoleBadge kind={kind} role={role} itemTypes={itemTypes} />
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

/** What the bar's heading says: bytes handed to the connection are not yet bytes the cloud has read. */
export function sendingPhase(sent: number, total: number, cancelling = false): string {
  if (cancelling) return 'Cancelling…';
  if (total <= 0) return 'Connecting…';
  // Every byte is written to the connection; the cloud may still be reading them (its buffers,
  // a proxy), and only its answer says it has the bundle.
  if (sent >= total) return 'Waiting for the cloud\u2019s answer…';
  return 'Sending';
}

function UploadProgress({ sent, total, rate, secondsLeft, cancelling = false, onCancel }: { sent: number; total: number; rate: number | null; secondsLeft: number | null; cancelling?: boolean; onCancel?: () => void }) {
  const percent = total > 0 ? Math.round((Math.min(sent, total) / total) * 1000) / 10 : 0;
  const waiting = total > 0 && sent >= total && !cancelling;
  return (
    <div data-testid="upload-progress" data-phase={waiting ? 'waiting' : 'sending'}>
      <Group justify="space-between" mb={6}>
        <Group gap={6}>
          {waiting && <Loader size={12} />}
          <Text size="sm" fw={600} data-testid="upload-phase">
            {sendingPhase(sent, total, cancelling)}
          </Text>
        </Group>
        <Text size="sm" c="dimmed" ff="monospace">
          {percent.toFixed(0)}% sent
        </Text>
      </Group>
      <Progress value={percent} size="lg" radius="sm" striped animated={!cancelling} aria-label="Bytes sent" />
      <SimpleGrid cols={3} spacing="xs" mt="sm">
        <ProgressStat label="Sent" value={total > 0 ? `${formatSize(sent)} of ${formatSize(total)}` : '–'} testId="upload-bytes" />
        <ProgressStat label="Rate" value={formatRate(rate)} testId="upload-rate" />
        <ProgressStat label="Time left to send" value={waiting ? 'all sent' : formatDuration(secondsLeft)} testId="upload-eta" />
      </SimpleGrid>
      {waiting && (
        <Text size="xs" c="dimmed" mt={6} data-testid="upload-waiting">
          Every byte is handed to the connection; the cloud has the bundle only once it answers.
        </Text>
      )}
      {onCancel && <ProgressCancel onCancel={onCancel} cancelling={cancelling} testId="upload-cancel" />}
    </div>
  );
}

/**
 * The entry Queue put in the outbox, as the app's push takes it: its states live, the bytes
 * sent while it uploads (the push is the app's, so no Cancel here: the Outbox has it), and how
 * it ended, with the entry's last message (a failure's reason as main wrote it).
 */
function QueuedEntry({ entry, progress, kind, refused }: { entry: OutboxEntryView; progress?: OutboxProgressView; kind: FolderKind; refused: boolean }) {
  if (entry.state === 'queued') {
    const last = entry.history.at(-1);
    // Back in the queue after a try (the cloud did not answer): say why, the push tries again.
    return entry.history.filter((h) => h.state === 'queued').length > 1 && last ? (
      <Text size="sm" c="dimmed" data-testid="upload-state-message" style={{ wordBreak: 'break-word' }}>
        {last.message}
      </Text>
    ) : null;
  }
  const steps = stepsFromHistory(entry);
  const ended = entry.state === 'done' || entry.state === 'failed';
  const last = entry.history.at(-1)?.message ?? '';
  return (
    <Stack gap="sm" data-testid="upload-followed" data-state={entry.state}>
      {entry.state === 'uploading' && progress && <UploadProgress sent={progress.sent} total={progress.total} rate={progress.rate ?? null} secondsLeft={progress.secondsLeft ?? null} />}
      <StateSteps kind={kind} steps={steps} running={!ended} showMessage={!ended} />
      {entry.state === 'done' && (
        <Alert color="teal" icon={<IconCircleCheck size={18} />} title={kind === 'deployment' ? 'Uploaded and processed' : 'Uploaded'} data-testid="upload-done">
          <Text size="sm" style={{ wordBreak: 'break-word' }}>
            {last}
          </Text>
        </Alert>
      )}
      {entry.state === 'failed' && (
        <Alert color="red" icon={<IconAlertCircle size={18} />} title="The upload failed" data-testid="upload-failure">
          <Text size="sm" style={{ wordBreak: 'break-word' }}>
            {last}
          </Text>
          <Text size="xs" mt={6} c="dimmed">
            Outbox entry {entry.id} is marked failed; it is kept until you remove it{refused ? '.' : ', and Try again now sends the same bytes again.'}
          </Text>
        </Alert>
      )}
    </Stack>
  );
}

/** The states in order: reached ones checked, the current one spinning (or crossed when failed), later ones open. */
function StateSteps({ kind, steps, running, showMessage = true }: { kind: FolderKind; steps: UploadStep[]; running: boolean; showMessage?: boolean }) {
  const reached = steps.map((st) => st.state);
  const failed = reached.includes('failed');
  const current = steps.at(-1);
  const order = stepsOf(kind);
  const shown: OutboxStateView[] = failed ? [...order.filter((st) => reached.includes(st)), 'failed'] : order;
  return (
    <div>
      <List spacing={4} size="sm" center data-testid="upload-states" aria-label="Upload states" component="ol" listStyleType="none">
        {shown.map((st) => {
          const isCurrent = current?.state === st;
          const done = reached.includes(st) && (!isCurrent || !running || st === 'done');
          const icon =
            st === 'failed' ? (
              <ThemeIcon color="red" variant="transparent" size={20}>
                <IconCircleX size={18} />
              </ThemeIcon>
            ) : isCurrent && running && st !== 'done' ? (
              <Loader size={14} />
            ) : done ? (
              <ThemeIcon color="teal" variant="transparent" size={20}>
                <IconCircleCheck size={18} />
              </ThemeIcon>
            ) : (
              <ThemeIcon color="gray" variant="transparent" size={20}>
                <IconCircleDashed size={18} />
              </ThemeIcon>
            );
          const status = st === 'failed' ? 'failed' : isCurrent && running && st !== 'done' ? 'in progress' : done ? 'reached' : 'not yet';
          return (
            <List.Item key={st} icon={icon} data-state={st} data-status={status}>
              <Text size="sm" fw={isCurrent ? 600 : undefined} c={status === 'not yet' ? 'dimmed' : undefined}>
                {STATE_LABEL[st]}
                <Text span size="xs" c="dimmed">
                  {' '}
                  · {status}
                </Text>
              </Text>
            </List.Item>
          );
        })}
      </List>
      {showMessage && current?.message && (
        <Text size="xs" c="dimmed" mt={4} data-testid="upload-state-message" style={{ wordBreak: 'break-word' }}>
          {current.message}
        </Text>
      )}
    </div>
  );
}

/** `refused`: the cloud said a role that may not upload this: no Try again is offered, so none is spoken of. */
function UploadOutcome({ result, kind, refused }: { result: UploadResult; kind: FolderKind; refused: boolean }) {
  const { entry, failure } = result;
  const steps = stepsFromHistory(entry);
  return (
    <Stack gap="sm" data-testid="upload-outcome" data-state={entry.state}>
      {/* With a failure its alert says what happened: the last step's line would repeat it. */}
      {/* Nor when the alert below says the last step's line already (a v2 bundle's "is done: <build_info>"). */}
      {!failure || failure.code === 'rejected' || failure.code === 'unauthorized' ? <StateSteps kind={kind} steps={steps} running={false} showMessage={!failure && steps.at(-1)?.message !== result.message} /> : null}
      {!failure && entry.state === 'done' && (
        <Alert color="teal" icon={<IconCircleCheck size={18} />} title={result.alreadyThere ? 'The cloud already had it' : kind === 'deployment' ? 'Uploaded and processed' : 'Uploaded'} data-testid="upload-done">
          <Text size="sm" style={{ wordBreak: 'break-word' }}>
            {result.message}
          </Text>
          {result.buildInfo && (
            <Text size="sm" mt={6} data-testid="upload-build-info">
              Build info: {result.buildInfo}
            </Text>
          )}
        </Alert>
      )}
      {!failure && entry.state !== 'done' && (
        <Alert color="blue" icon={<IconInfoCircle size={18} />} title={STATE_LABEL[entry.state]} data-testid="upload-pending">
          <Text size="sm">{result.message}</Text>
        </Alert>
      )}
      {failure && <FailureView failure={failure} entry={entry} buildInfo={result.buildInfo} refused={refused} />}
    </Stack>
  );
}

function FailureView({ failure, entry, buildInfo, refused }: { failure: CloudFailureView; entry: OutboxEntryView; buildInfo?: string; refused: boolean }) {
  const kept = entry.state === 'queued';
  const color = failure.code === 'cancelled' ? 'gray' : kept ? 'yellow' : 'red';
  // A refusal's own sentence repeats every field; the list says them one by one instead.
  const listed = failure.code === 'rejected' && failure.fields.length > 0;
  return (
    <Alert color={color} icon={failure.code === 'cancelled' ? <IconInfoCircle size={18} /> : <IconAlertCircle size={18} />} title={failureTitle(failure)} data-testid="upload-failure" data-code={failure.code}>
      {listed ? (
        <Text size="sm">
          {failure.fields.length === 1 ? 'The cloud said:' : `The cloud gave ${failure.fields.length} reasons:`}
        </Text>
      ) : (
        <Text size="sm" style={{ wordBreak: 'break-word' }}>
          {failure.message}
        </Text>
      )}
      {/* Other failures' sentences already carry the cloud's messages (401/403, 5xx): a list would say them twice. */}
      {listed && (
        <List size="sm" spacing={2} mt={6} data-testid="upload-failure-fields">
          {failure.fields.map((f, i) => (
            <List.Item key={i} style={{ wordBreak: 'break-word' }}>
              {f}
            </List.Item>
          ))}
        </List>
      )}
      {buildInfo && (
        <Text size="sm" mt={6} data-testid="upload-build-info">
          Build info: {buildInfo}
        </Text>
      )}
      <Text size="xs" mt={6} c="dimmed">
        {kept
          ? entry.held
            ? `The bundle stays in the outbox as ${entry.id}, held: it goes out only when you push it again (Upload now here, or Push now in the Outbox; remove it there if it should not go out).`
            : `The bundle stays queued in the outbox as ${entry.id}: the app sends it by itself when the cloud answers again, and the Outbox shows how it goes (remove it there if it should not go out).`
          : `Outbox entry ${entry.id} is marked failed; it is kept until you remove it${refused ? '.' : ', and Try again sends the same bytes again.'}`}
      </Text>
    </Alert>
  );
}
