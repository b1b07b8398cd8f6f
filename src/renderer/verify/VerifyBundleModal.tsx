// Verify any bundle: pick it (native dialog or the in-app browser) or drop it, optionally
// give the signer's certificate to check the signature too, and read the report.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { IconAlertCircle, IconCertificate, IconInfoCircle, IconShieldCheck, IconUpload } from '@tabler/icons-react';
import type { InspectReport, VerifyReport } from '../../shared/contract';
import type { AppError } from '../../shared/errors';
import { useApi } from '../api/context';
import { errorOf } from '../api/errors';
import { useLastFolder } from '../common/use-last-folder';
import { usePathPicker } from '../common/PathPicker';
import { folderOf } from '../common/paths';
import { notifyError } from '../common/notify';
import { PathField } from '../common/PathField';
import { dragHasFiles, droppedBundle } from './dropped-file';
import { VerifyReportView } from './VerifyReportView';

export interface VerifyRequest {
  /** The bundle to verify, if known. */
  path?: string;
  /** The signer's certificate (PEM, DER or .p12) to check the signature with. */
  certPath?: string;
  /** A file dropped on the screen that asked. */
  dropped?: File;
  /** Verify at once (when path is given). */
  autoRun?: boolean;
}

const keys = new WeakMap<VerifyRequest, number>();
let nextKey = 1;
const keyOf = (r: VerifyRequest) => {
  let k = keys.get(r);
  if (!k) keys.set(r, (k = nextKey++));
  return k;
};

export function VerifyBundleModal({ request, onClose }: { request: VerifyRequest | null; onClose: () => void }) {
  return (
    <Modal
      opened={request !== null}
      onClose={onClose}
      size="xl"
      title={
        <Group gap="xs">
          <IconShieldCheck size={20} />
          <Text fw={650}>Verify a bundle</Text>
        </Group>
      }
    >
      {request && <VerifyPanel key={keyOf(request)} request={request} />}
    </Modal>
  );
}

interface Outcome {
  report: VerifyReport;
  inspect: InspectReport | null;
  inspectError: string | null;
}

export function VerifyPanel({ request }: { request: VerifyRequest }) {
  const { call, api } = useApi();
  const picker = usePathPicker();
  const lastBundle = useLastFolder('verify');
  const lastCertificate = useLastFolder('certificate');
  const [path, setPath] = useState(request.path ?? '');
  const [certPath, setCertPath] = useState(request.certPath ?? '');
  const [password, setPassword] = useState('');
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [dropNote, setDropNote] = useState<string | null>(null);
  const [dragOver, setDragOver] = useState(false);
  /** Only the desktop app tells where a dropped file is: browser mode does not invite drops. */
  const acceptsDrops = typeof api.pathForFile === 'function';

  const run = useCallback(
    async (bundle: string, cert: string, pw: string) => {
      if (!bundle.trim()) return;
      setRunning(true);
      setError(null);
      setOutcome(null);
      const [verified, inspected] = await Promise.allSettled([
        call('bundle.verify', { path: bundle.trim(), ...(cert.trim() ? { certPath: cert.trim() } : {}), ...(cert.trim() && pw ? { password: pw } : {}) }),
        call('bundle.inspect', { path: bundle.trim() }),
      ]);
      setPassword('');
      setRunning(false);
      if (verified.status === 'rejected') {
        const e = errorOf(verified.reason);
        if (e.code === 'wrong-password') setPasswordError(e.message);
        else setError(e);
        return;
      }
      setPasswordError(null);
      setOutcome({
        report: verified.value,
        inspect: inspected.status === 'fulfilled' ? inspected.value : null,
        inspectError: inspected.status === 'rejected' ? errorOf(inspected.reason).message : null,
      });
    },
    [call],
  );

  const acceptDrop = useCallback(
    (file: File) => {
      const dropped = droppedBundle(file, api);
      if ('path' in dropped) {
        setDropNote(null);
        setPath(dropped.path);
        void run(dropped.path, certPath, '');
      } else {
        setDropNote(dropped.reason);
      }
    },
    [run, certPath, api],
  );

  // What the opener handed over: a dropped file, or a bundle to verify at once.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    if (request.dropped) acceptDrop(request.dropped);
    else if (request.path && request.autoRun) void run(request.path, request.certPath ?? '', '');
  }, [request, acceptDrop, run]);

  const browseBundle = async () => {
    try {
      // Starts in the folder of the bundle picked last.
      const file = await picker.pickFile({ title: 'Pick a bundle (.tar.gz)', extensions: ['gz', 'tgz'], startPath: lastBundle.folder });
      if (file) {
        lastBundle.remember(folderOf(file));
        setPath(file);
        setDropNote(null);
        setOutcome(null);
      }
    } catch (err) {
      notifyError('Cannot browse files', err);
    }
  };

  const browseCert = async () => {
    try {
      const file = await picker.pickFile({ title: "Pick the signer's certificate", extensions: ['pem', 'crt', 'cer', 'der', 'p12', 'pfx'], startPath: lastCertificate.folder });
      if (file) {
        lastCertificate.remember(folderOf(file));
        setCertPath(file);
        setPasswordError(null);
      }
    } catch (err) {
      notifyError('Cannot browse files', err);
    }
  };

  return (
    <Stack gap="md">
      <div
        data-testid="verify-drop-zone"
        onDragEnter={(e) => acceptsDrops && dragHasFiles(e) && setDragOver(true)}
        onDragOver={(e) => {
          if (!dragHasFiles(e)) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={() => setDragOver(false)}
        onDrop={(e) => {
          if (!dragHasFiles(e)) return;
          e.preventDefault();
          setDragOver(false);
          const file = e.dataTransfer.files[0];
          if (file) acceptDrop(file);
        }}
        style={{
          border: `1px dashed var(--mantine-color-${dragOver ? 'blue-5' : 'default-border'})`,
          borderRadius: 'var(--mantine-radius-md)',
          padding: 'var(--mantine-spacing-sm)',
          background: dragOver ? 'var(--mantine-color-blue-light)' : undefined,
        }}
      >
        <Stack gap="xs">
          <PathField
            label="Bundle"
            description={acceptsDrops ? 'A signed service.tar.gz or batch.tar.gz: pick it, type its path, or drop it here.' : 'A signed service.tar.gz or batch.tar.gz: pick it or type its path.'}
            placeholder="/path/to/service.tar.gz"
            value={path}
            onChange={(e) => setPath(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void run(path, certPath, password);
              }
            }}
            leftSection={<IconUpload size={16} />}
            onBrowse={() => void browseBundle()}
          />
          {dropNote && (
            <Alert color="yellow" icon={<IconInfoCircle size={18} />} data-testid="verify-drop-note">
              {dropNote}
            </Alert>
          )}
          <PathField
            label="Signer's certificate (optional)"
            description="PEM, DER or .p12: checks the signature and that the kid names this certificate."
            placeholder="No certificate: structure, hashes and sizes only"
            value={certPath}
            onChange={(e) => {
              setCertPath(e.currentTarget.value);
              setPasswordError(null);
            }}
            leftSection={<IconCertificate size={16} />}
            onBrowse={() => void browseCert()}
          />
          {passwordError && (
            <PasswordInput
              label="Certificate password"
              description="Used for this check only; never stored."
              error={passwordError}
              autoComplete="off"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              data-testid="verify-password"
            />
          )}
          <Group justify="flex-end">
            <Button leftSection={<IconShieldCheck size={16} />} onClick={() => void run(path, certPath, password)} loading={running} disabled={!path.trim()}>
              Verify
            </Button>
          </Group>
        </Stack>
      </div>

      {error && (
        <Alert color="red" icon={<IconAlertCircle size={18} />} title="Cannot verify this file" data-testid="verify-error">
          {error.message}
        </Alert>
      )}
      {outcome && <VerifyReportView report={outcome.report} inspect={outcome.inspect} inspectError={outcome.inspectError} />}
    </Stack>
  );
}
