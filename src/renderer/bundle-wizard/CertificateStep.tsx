// Step 5: the certificate publish.tlsKey names, which signs the bundle and authenticates the
// upload. Only OEM users upload layers and components: a certificate that looks like a
// service provider's gets a warning. Offline the role is only a guess from the file name
// (until the account card has asked the cloud: then the cloud's role replaces the guess)
// (deployment-bundle.md §5), and the warning says so.
import { Alert, Group, Stack, Text, Loader } from '@mantine/core';
import { IconAlertTriangle, IconCertificate } from '@tabler/icons-react';
import type { CertificateSummary } from '../../shared/contract';
import { PathField } from '../common/PathField';
import { usePathPicker } from '../common/PathPicker';
import { notifyError } from '../common/notify';
import { CertificateCard } from '../wizard/CertificateCard';
import { CertificateProblem } from '../wizard/CertificateProblem';
import { useCertificateSummary, useDefaultCertificate } from '../wizard/use-certificate-summary';
import { uploadGate } from '../../shared/cloud-roles';
import { AccountCard } from '../cloud/AccountCard';
import { RoleBadge } from '../cloud/RoleBadge';
import { useKnownWhoami } from '../cloud/role-store';
import { DEFAULT_OEM_PKCS12, type ItemType, type NewBundleForm } from './bundle-form';

/** True when the certificate's guessed role is a service provider's (the only other role). */
export function looksLikeServiceProvider(summary: CertificateSummary): boolean {
  return /service provider|\bsp\b/i.test(summary.roleGuess ?? '');
}

function RoleWarning({ summary, type, file }: { summary: CertificateSummary; type: ItemType; file: string }) {
  // Once the cloud has said the role (the account card below), it replaces the guess.
  const me = useKnownWhoami(file);
  if (type === 'service') return null;
  if (me?.role) {
    const gate = uploadGate('deployment', me.role);
    return (
      <Stack gap={6} data-testid="role-known">
        <RoleBadge kind="deployment" role={me.role} />
        {gate.allowed && <Text size="sm">{gate.reason}</Text>}
      </Stack>
    );
  }
  if (!looksLikeServiceProvider(summary)) return null;
  return (
    <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title="This looks like a service provider's certificate" data-testid="role-warning">
      <Text size="sm">
        Only OEM users upload {type === 'layer' ? 'layers' : 'components'}; the cloud would refuse this bundle from a service provider.
        This is a guess from the file name: Check account below asks the cloud whose role the certificate has.
      </Text>
    </Alert>
  );
}

export function CertificateStep({ form, homeDir }: { form: NewBundleForm; homeDir?: string }) {
  const picker = usePathPicker();
  const values = form.getValues();
  const path = values.tlsKey.trim();
  const { summary, error, loading, unlock } = useCertificateSummary(path);
  const defaultFound = useDefaultCertificate(homeDir, DEFAULT_OEM_PKCS12);

  const browse = async () => {
    try {
      const file = await picker.pickFile({ title: 'Pick your OEM certificate (.p12)', extensions: ['p12', 'pfx'] });
      if (file) form.setFieldValue('tlsKey', file);
    } catch (err) {
      notifyError('Cannot browse files', err);
    }
  };

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        publish.tlsKey: the PKCS#12 from the platform's key tool signs the bundle and authenticates the upload. Leave the field
        empty to keep the default name <code>{DEFAULT_OEM_PKCS12}</code>, looked up beside config.yaml and in{' '}
        <code>~/.aos/security/</code>.
      </Text>
      <PathField
        label="Certificate file"
        description="A PKCS#12 file (.p12 or .pfx)."
        placeholder={DEFAULT_OEM_PKCS12}
        rightSection={loading ? <Loader size="xs" /> : null}
        onBrowse={() => void browse()}
        {...form.getInputProps('tlsKey')}
      />
      {path && error && <CertificateProblem key={path} error={error} unlock={(pw) => void unlock(pw)} loading={loading} saidUnderField={!!form.errors.tlsKey} />}
      {path && summary && (
        <>
          <CertificateCard summary={summary} />
          <RoleWarning summary={summary} type={values.type} file={path} />
          <AccountCard request={{ pkcs12Path: path }} />
        </>
      )}
      {!path && defaultFound && (
        <Stack gap={6}>
          <Group gap={6}>
            <IconCertificate size={16} />
            <Text size="sm">
              Found <code>{defaultFound.path}</code>:
            </Text>
          </Group>
          <CertificateCard summary={defaultFound.summary} />
          <RoleWarning summary={defaultFound.summary} type={values.type} file={defaultFound.path} />
          <AccountCard request={{ pkcs12Path: defaultFound.path }} />
        </Stack>
      )}
    </Stack>
  );
}
