// Step 3: which certificate signs and uploads. Picking a .p12 shows whose it is, so the
// user notices a wrong file (another user's, an OEM one, an expired one) before signing.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Group, Loader, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { IconCertificate, IconFileSearch } from '@tabler/icons-react';
import type { CertificateSummary } from '../../shared/contract';
import { useApi } from '../api/context';
import { errorOf } from '../api/errors';
import type { AppError } from '../../shared/errors';
import { usePathPicker } from '../common/PathPicker';
import { folderOf, joinPath } from '../common/paths';
import { useLastFolder } from '../common/use-last-folder';
import { notifyError } from '../common/notify';
import { CertificateCard } from './CertificateCard';
import { DEFAULT_PKCS12, type NewServiceForm } from './wizard-form';

export function CertificateStep({ form, homeDir }: { form: NewServiceForm; homeDir?: string }) {
  const { call } = useApi();
  const picker = usePathPicker();
  const lastCertificate = useLastFolder('certificate');
  const path = form.getValues().pkcs12Path.trim();
  const [summary, setSummary] = useState<CertificateSummary | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [password, setPassword] = useState('');
  const [loading, setLoading] = useState(false);
  const [defaultFound, setDefaultFound] = useState<{ path: string; summary: CertificateSummary } | null>(null);
  const latest = useRef(0);

  const describe = useCallback(async (file: string, pw?: string) => {
    const ticket = ++latest.current;
    setLoading(true);
    try {
      const result = await call('credentials.describe', { path: file, ...(pw ? { password: pw } : {}) });
      if (ticket !== latest.current) return;
      setSummary(result);
      setError(null);
    } catch (err) {
      if (ticket !== latest.current) return;
      setSummary(null);
      setError(errorOf(err));
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }, [call]);

  // Describe whatever the path field holds, once the user stops typing.
  useEffect(() => {
    setSummary(null);
    setError(null);
    setPassword('');
    if (!path || !/\.(p12|pfx)$/i.test(path)) return;
    const timer = setTimeout(() => void describe(path), 350);
    return () => clearTimeout(timer);
  }, [path, describe]);

  // With no file picked, show whose the default certificate in ~/.aos/security/ is, if any.
  useEffect(() => {
    if (!homeDir) return;
    const file = joinPath(joinPath(joinPath(homeDir, '.aos'), 'security'), DEFAULT_PKCS12);
    call('credentials.describe', { path: file }).then(
      (s) => setDefaultFound({ path: file, summary: s }),
      () => setDefaultFound(null),
    );
  }, [call, homeDir]);

  const browse = async () => {
    try {
      const file = await picker.pickFile({ title: 'Pick your certificate (.p12)', extensions: ['p12', 'pfx'], startPath: lastCertificate.folder });
      if (file) {
        lastCertificate.remember(folderOf(file));
        form.setFieldValue('pkcs12Path', file);
      }
    } catch (err) {
      notifyError('Cannot browse files', err);
    }
  };

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        The service provider certificate from the platform's key tool signs the bundle (and authenticates uploads to the cloud). Leave
        the field empty to keep the template's default name <code>{DEFAULT_PKCS12}</code>, looked up in <code>meta/</code>{' '}
        and <code>~/.aos/security/</code>.
      </Text>
      <Group align="flex-start" gap="xs" wrap="nowrap">
        <TextInput
          style={{ flex: 1 }}
          label="Certificate file"
          description="A PKCS#12 file (.p12 or .pfx)."
          placeholder={DEFAULT_PKCS12}
          rightSection={loading ? <Loader size="xs" /> : null}
          {...form.getInputProps('pkcs12Path')}
        />
        <Button variant="default" mt={44} leftSection={<IconFileSearch size={16} />} onClick={() => void browse()}>
          Browse…
        </Button>
      </Group>

      {path && error?.code === 'wrong-password' && (
        <Group align="flex-end" gap="xs">
          <PasswordInput
            style={{ flex: 1 }}
            label="Certificate password"
            description="Only used to read the certificate; it is never stored. Signing needs a file with an empty password."
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), void describe(path, password))}
          />
          <Button onClick={() => void describe(path, password)} loading={loading}>
            Unlock
          </Button>
        </Group>
      )}
      {/* Next's own check already says the file is missing, under the field. */}
      {path && error && !form.errors.pkcs12Path && (
        <Alert color={error.code === 'wrong-password' ? 'yellow' : 'red'} title="Cannot read this certificate">
          {error.message}
        </Alert>
      )}
      {path && summary && <CertificateCard summary={summary} />}

      {!path && defaultFound && (
        <Stack gap={6}>
          <Group gap={6}>
            <IconCertificate size={16} />
            <Text size="sm">
              Found <code>{defaultFound.path}</code>:
            </Text>
          </Group>
          <CertificateCard summary={defaultFound.summary} />
        </Stack>
      )}
    </Stack>
  );
}
