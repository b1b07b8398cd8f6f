// The Sign step: whose certificate signs, a password when the key needs one, where the
// bundle goes, then Build with progress and Cancel, and the result. The card shows the
// certificate the config on screen names (saved or not). Signing reads config.yaml from
// disk, so with unsaved edits the one button is "Save and build" (the only question), and
// a config with errors cannot be signed. Errors show where they belong: config errors at their
// line in the editor, certificate errors on the certificate card.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Anchor, Button, Divider, Drawer, Group, Loader, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconAlertCircle, IconInfoCircle, IconLock, IconPackageExport } from '@tabler/icons-react';
import type { CertificateSummary } from '../../shared/contract';
import type { Diagnostic } from '../../shared/diagnostics';
import type { AppError } from '../../shared/errors';
import { getConfigValue, parseServiceConfig } from '../../shared/service-config';
import { useApi } from '../api/context';
import { errorOf } from '../api/errors';
import { usePathPicker } from '../common/PathPicker';
import { notifyError } from '../common/notify';
import { folderOf, isAbsolutePath, joinPath } from '../common/paths';
import { useLastFolder } from '../common/use-last-folder';
import { PathField } from '../common/PathField';
import { isConfigLocation, rangeOfLocation, type TextRange } from './config-location';
import { SignerCard, CERT_STATUS } from './SignerCard';
import { AccountCard } from '../cloud/AccountCard';
import { SignProgressView } from './SignProgressView';
import { SignResultView } from './SignResultView';
import type { SignJob } from './use-sign-job';
import { UploadPanel } from './UploadPanel';
import type { UploadJob } from './use-upload-job';
import { deploymentItemTypes } from '../../shared/deployment-config';
import { UnlockPasswordField } from '../common/UnlockPasswordField';

export interface SignDrawerProps {
  opened: boolean;
  onClose: () => void;
  root: string;
  configPath: string;
  configText: string;
  diagnostics: readonly Diagnostic[];
  dirty: boolean;
  /** Saves config.yaml; true when it is on disk afterwards. */
  save: () => Promise<boolean>;
  /** Shows this range of config.yaml in the editor. */
  reveal: (range: Pick<Diagnostic, 'offset' | 'endOffset'>) => void;
  job: SignJob;
  onVerify: (bundle: string, certPath?: string) => void;
  /** Changes when files in meta/ changed on disk: the certificate is read again. */
  credentialsVersion?: number;
  /** A service (service.tar.gz, the default) or a deployment bundle (batch.tar.gz, deployment-bundle.md §3). */
  kind?: 'service' | 'deployment';
  /** Uploading the signed bundle (it outlives the drawer, as the signing job does). */
  upload: UploadJob;
  /** The bundle the upload is about: the last one built. */
  uploadBundle?: string;
}

type Credentials =
  | { status: 'loading' }
  | { status: 'ready'; file: string; summary: CertificateSummary; needsPassword: boolean }
  | { status: 'locked'; error: AppError; file?: string; summary?: CertificateSummary }
  | { status: 'error'; error: AppError };

/** Where the bundle goes by default, in words: service.tar.gz in build.package_folder (default the service root). */
function defaultOutput(configText: string): string {
  try {
    const pkg = getConfigValue(parseServiceConfig(configText).value, ['build', 'package_folder']);
    if (typeof pkg === 'string' && pkg.trim() && pkg.trim() !== '.') return `service.tar.gz in ${pkg.trim()} (build.package_folder)`;
  } catch {
    // The default stays the service root.
  }
  return 'service.tar.gz in the service folder';
}

export function SignDrawer(props: SignDrawerProps) {
  const { opened, onClose, root, configPath, configText, diagnostics, dirty, save, reveal, job, onVerify, credentialsVersion, upload, uploadBundle } = props;
  const deployment = props.kind === 'deployment';
  const bundleName = deployment ? 'batch.tar.gz' : 'service.tar.gz';
  const { call } = useApi();
  const picker = usePathPicker();
  const lastOutput = useLastFolder('signOutput');
  const [creds, setCreds] = useState<Credentials>({ status: 'loading' });
  const [password, setPassword] = useState('');
  const [unlocking, setUnlocking] = useState(false);
  /** The password that unlocked the key, held for the next build only. */
  const secret = useRef<string | undefined>(undefined);
  const [hasSecret, setHasSecret] = useState(false);
  const [outFile, setOutFile] = useState('');
  /** The file chosen in the native save dialog and main's grant for it (outside the service folder only with it). */
  const [granted, setGranted] = useState<{ path: string; grant: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const latest = useRef(0);
  /** The editor's text, read when the certificate is looked up (not a reason to look it up again). */
  const textRef = useRef(configText);
  textRef.current = configText;
  const { reset } = job;
  const resetUpload = upload.reset;

  const errors = useMemo(() => diagnostics.filter((d) => d.severity === 'error'), [diagnostics]);
  const running = job.state.kind === 'running' || job.state.kind === 'starting';
  const itemTypes = useMemo(() => (deployment ? deploymentItemTypes(configText) : undefined), [deployment, configText]);
  const defaultOut = useMemo(() => (deployment ? 'batch.tar.gz in the bundle folder (a later sign never packs it)' : defaultOutput(configText)), [deployment, configText]);

  const loadCredentials = useCallback(
    async (pw?: string) => {
      const ticket = ++latest.current;
      try {
        const input = { root, configText: textRef.current, ...(pw !== undefined ? { password: pw } : {}) };
        const found = await call(deployment ? 'credentials.forDeployment' : 'credentials.forService', input);
        if (ticket !== latest.current) return;
        secret.current = pw;
        setHasSecret(pw !== undefined);
        setCreds({ status: 'ready', file: found.file, summary: found.summary, needsPassword: pw !== undefined });
      } catch (err) {
        if (ticket !== latest.current) return;
        const error = errorOf(err);
        setCreds((prev) =>
          error.code === 'wrong-password'
            ? { status: 'locked', error, ...(prev.status === 'ready' || prev.status === 'locked' ? { file: prev.file, summary: prev.summary } : {}) }
            : { status: 'error', error },
        );
      }
    },
    [call, root, deployment],
  );

  // Each time the drawer opens: read the certificate the config names now, and drop the
  // outcome of an earlier build (a job still running stays). Closing it forgets any password.
  useEffect(() => {
    if (!opened) {
      secret.current = undefined;
      setHasSecret(false);
      setPassword('');
      return;
    }
    reset();
    resetUpload();
  }, [opened, reset, resetUpload]);
  // ...and again when a credential file appears or changes in meta/ while it is open.
  useEffect(() => {
    if (!opened) return;
    setCreds({ status: 'loading' });
    void loadCredentials();
  }, [opened, loadCredentials, credentialsVersion]);

  // A job that failed on the key or at a line of config.yaml: show it where it belongs.
  const handled = useRef<unknown>(null);
  useEffect(() => {
    const s = job.state;
    if (s.kind !== 'failed' || handled.current === s) return;
    handled.current = s;
    if (s.error.code === 'wrong-password') {
      setCreds((prev) => ({ status: 'locked', error: s.error, ...(prev.status === 'ready' ? { file: prev.file, summary: prev.summary } : {}) }));
    } else if (isConfigLocation(s.error.location, configPath)) {
      const range = rangeOfLocation(configText, s.error.location);
      if (range) reveal(range);
    }
  }, [job.state, configPath, configText, reveal]);

  // Bring the job's progress or outcome into view: the certificate card may fill the drawer.
  const outcomeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (job.state.kind === 'idle' || job.state.kind === 'starting') return;
    outcomeRef.current?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
  }, [job.state.kind]);

  const unlock = async () => {
    if (!password) return;
    setUnlocking(true);
    const pw = password;
    setPassword('');
    await loadCredentials(pw);
    setUnlocking(false);
  };

  const build = async () => {
    const typed = outFile.trim();
    const pw = secret.current;
    // Used once: the next build asks again.
    secret.current = undefined;
    upload.reset();
    setHasSecret(false);
    const out = typed ? (isAbsolutePath(typed) ? typed : joinPath(root, typed)) : undefined;
    await job.start({
      root,
      ...(out !== undefined ? { outFile: out } : {}),
      ...(out !== undefined && granted?.path === out ? { outGrant: granted.grant } : {}),
      ...(pw !== undefined ? { password: pw } : {}),
    });
  };

  const saveAndBuild = async () => {
    setSaving(true);
    const saved = await save();
    setSaving(false);
    if (saved) await build();
  };

  const pickOutputFile = async () => {
    try {
      // Starts where the last bundle was saved as, else in the bundle's own folder.
      const picked = await picker.pickSaveFile({ title: 'Save the signed bundle', defaultName: bundleName, extensions: ['tar.gz'], startPath: lastOutput.folder ?? root });
      if (!picked) return;
      lastOutput.remember(folderOf(picked.path));
      setOutFile(picked.path);
      setGranted(picked.grant ? { path: picked.path, grant: picked.grant } : null);
    } catch (err) {
      notifyError('Cannot choose the output file', err);
    }
  };

  const goTo = (range: TextRange | Pick<Diagnostic, 'offset' | 'endOffset'>) => {
    onClose();
    reveal(range);
  };

  const jobError = job.state.kind === 'failed' ? job.state.error : null;
  const credentialJobError = jobError && (jobError.code === 'credentials' || jobError.code === 'wrong-password') ? jobError : null;
  const configJobError = jobError && !credentialJobError && isConfigLocation(jobError.location, configPath) ? jobError : null;
  const configJobRange = configJobError?.location ? rangeOfLocation(configText, configJobError.location) : null;
  const otherJobError = jobError && !credentialJobError && !configJobRange ? jobError : null;

  const passwordMissing = creds.status === 'locked' || (creds.status === 'ready' && creds.needsPassword && !hasSecret);
  const blocked: string | null =
    errors.length > 0
      ? `Fix ${errors.length} ${errors.length === 1 ? 'error' : 'errors'} first`
      : creds.status === 'loading'
        ? 'Reading the certificate…'
        : creds.status === 'error'
          ? 'The certificate cannot be used'
          : passwordMissing
            ? "Enter the key's password"
            : creds.status === 'ready' && CERT_STATUS[creds.summary.status].blocks
              ? `The certificate is ${CERT_STATUS[creds.summary.status].label}`
              : null;

  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size={580}
      title={
        <Group gap="xs">
          <IconPackageExport size={20} />
          <Text fw={650}>{deployment ? 'Sign the layer bundle' : 'Sign the service bundle'}</Text>
        </Group>
      }
      data-testid="sign-drawer"
    >
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {deployment ? (
            <>
              Packs <code>config.yaml</code> and every file it references (see What goes in) into the signed <code>batch.tar.gz</code>{' '}
              the cloud accepts.
            </>
          ) : (
            <>
              Packs <code>src/</code> and <code>meta/config.yaml</code> into the signed <code>service.tar.gz</code> the cloud accepts.
            </>
          )}
        </Text>

        <section aria-label="Certificate">
          <Title order={3} size="h5" mb="xs">
            Certificate
          </Title>
          {creds.status === 'loading' && <Skeleton height={150} radius="md" data-testid="signer-loading" />}
          {creds.status === 'error' && (
            <Alert color="red" icon={<IconAlertCircle size={18} />} title="Cannot read the signing certificate" data-testid="credentials-error">
              {creds.error.message}
            </Alert>
          )}
          {(creds.status === 'ready' || (creds.status === 'locked' && creds.summary)) && (
            <SignerCard file={creds.file!} summary={creds.summary!}>
              {credentialJobError && credentialJobError.code !== 'wrong-password' && (
                <Alert mt="sm" color="red" icon={<IconAlertCircle size={18} />} title="The key could not sign" data-testid="credentials-error">
                  {credentialJobError.message}
                </Alert>
              )}
            </SignerCard>
          )}
          {creds.status === 'ready' && (
            <Stack mt="sm">
              <AccountCard request={{ root }} />
            </Stack>
          )}
          {creds.status === 'ready' && CERT_STATUS[creds.summary.status].blocks && (
            <Alert mt="sm" color="red" icon={<IconAlertCircle size={18} />}>
              This certificate is {CERT_STATUS[creds.summary.status].label}: the cloud would refuse the bundle. Get a current one from the
              platform's key tool.
            </Alert>
          )}
          {passwordMissing && (
            <Stack gap={6} mt="sm" data-testid="password-prompt">
              {creds.status === 'locked' && (
                <Text size="sm" c={creds.error.message.startsWith('Wrong') ? 'red' : undefined}>
                  <IconLock size={14} style={{ verticalAlign: -2 }} /> {creds.error.message}
                </Text>
              )}
              {creds.status === 'ready' && <Text size="sm">Enter the password again to build again: it is used once and not kept.</Text>}
              <UnlockPasswordField
                label="Key password"
                description="Used for this build only; never stored."
                value={password}
                onChange={setPassword}
                onSubmit={() => void unlock()}
                submitLabel="Unlock"
                loading={unlocking}
              />
            </Stack>
          )}
        </section>

        <section aria-label="Output">
          <PathField
            label="Output file"
            description={
              <>
                Optional; a relative path is taken from the {deployment ? 'bundle' : 'service'} folder. Default: {defaultOut}. The app writes
                only inside the {deployment ? 'bundle' : 'service'} folder, or to a file you choose with Save as… (desktop app).
              </>
            }
            placeholder={`default: ${defaultOut}`}
            value={outFile}
            onChange={(e) => setOutFile(e.currentTarget.value)}
            disabled={running}
            onBrowse={() => void pickOutputFile()}
            browseLabel="Save as…"
          />
        </section>

        <Divider />

        {errors.length > 0 && (
          <Alert color="red" icon={<IconAlertCircle size={18} />} title={`Fix ${errors.length} ${errors.length === 1 ? 'error' : 'errors'} first`} data-testid="sign-blocked-errors">
            {errors[0].file ? (
              <Text size="sm">{errors[0].message}</Text>
            ) : (
              <>
                <Text size="sm">config.yaml has {errors.length === 1 ? 'an error' : 'errors'}; the bundle would be refused.</Text>
                <Anchor component="button" type="button" size="sm" onClick={() => goTo(errors[0])} mt={4}>
                  Go to the first error (line {errors[0].line}: {errors[0].message})
                </Anchor>
              </>
            )}
          </Alert>
        )}

        <Stack gap="md" ref={outcomeRef}>
          {job.state.kind === 'running' && (
            <SignProgressView
              progress={job.state.progress}
              rate={job.state.rate}
              secondsLeft={job.state.secondsLeft}
              cancelling={job.state.cancelling}
              onCancel={() => void job.cancel()}
            />
          )}
          {job.state.kind === 'starting' && (
            <Group gap="xs">
              <Loader size="xs" />
              <Text size="sm">Starting…</Text>
            </Group>
          )}

          {job.state.kind === 'cancelled' && (
            <Alert color="gray" icon={<IconInfoCircle size={18} />} data-testid="sign-cancelled">
              Signing was cancelled. Nothing was written.
            </Alert>
          )}
          {configJobError && configJobRange && (
            <Alert color="red" icon={<IconAlertCircle size={18} />} title={`config.yaml, line ${configJobRange.line}`} data-testid="sign-error">
              <Text size="sm">{configJobError.message}</Text>
              <Anchor component="button" type="button" size="sm" mt={4} onClick={() => goTo(configJobRange)}>
                Show line {configJobRange.line} in the editor
              </Anchor>
            </Alert>
          )}
          {otherJobError && (
            <Alert color="red" icon={<IconAlertCircle size={18} />} title="Signing failed" data-testid="sign-error">
              <Text size="sm" style={{ wordBreak: 'break-word' }}>
                {otherJobError.message}
              </Text>
              {otherJobError.location?.file && (
                <Text size="xs" c="dimmed" mt={4} ff="monospace" style={{ wordBreak: 'break-all' }}>
                  {otherJobError.location.file}
                  {otherJobError.location.line ? `:${otherJobError.location.line}` : ''}
                </Text>
              )}
            </Alert>
          )}
          {job.state.kind === 'done' && (
            <SignResultView
              result={job.state.result}
              elapsedMs={job.state.elapsedMs}
              onVerify={() => job.state.kind === 'done' && onVerify(job.state.result.path, creds.status === 'ready' ? creds.file : undefined)}
            />
          )}
          {(job.state.kind === 'done' || (uploadBundle && upload.state.kind !== 'idle')) && (
            <UploadPanel
              job={upload}
              bundle={job.state.kind === 'done' ? job.state.result.path : uploadBundle!}
              root={root}
              kind={deployment ? 'deployment' : 'service'}
              credentials={creds.status === 'ready' || creds.status === 'locked' ? creds.file : undefined}
              itemTypes={itemTypes}
            />
          )}

          {!running && (
            <Group justify="space-between" align="center">
              <Text size="sm" c={blocked && errors.length ? 'red' : 'dimmed'} data-testid="sign-blocked">
                {blocked ?? (dirty ? 'Signing reads config.yaml from disk: your unsaved changes are saved first.' : '')}
              </Text>
              <Button
                leftSection={<IconPackageExport size={16} />}
                disabled={blocked !== null || saving}
                loading={saving}
                onClick={() => void (dirty ? saveAndBuild() : build())}
                data-testid="sign-build"
              >
                {dirty ? 'Save and build' : job.state.kind === 'done' ? 'Build again' : 'Build'}
              </Button>
            </Group>
          )}
        </Stack>
      </Stack>
    </Drawer>
  );
}
