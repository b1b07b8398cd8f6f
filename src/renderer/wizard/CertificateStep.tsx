// Step 3: which certificate signs and uploads. Picking a .p12 shows whose it is, so the
// user notices a wrong file (another user's, an OEM one, an expired one) before signing.
import { Button, Group, Loader, Stack, Text, TextInput } from '@mantine/core';
import { IconCertificate, IconFileSearch } from '@tabler/icons-react';
import { usePathPicker } from '../common/PathPicker';
import { folderOf } from '../common/paths';
import { useLastFolder } from '../common/use-last-folder';
import { notifyError } from '../common/notify';
import { CertificateCard } from './CertificateCard';
import { CertificateProblem } from './CertificateProblem';
import { useCertificateSummary, useDefaultCertificate } from './use-certificate-summary';
import { DEFAULT_PKCS12, type NewServiceForm } from './wizard-form';

export function CertificateStep({ form, homeDir }: { form: NewServiceForm; homeDir?: string }) {
  const picker = usePathPicker();
  const lastCertificate = useLastFolder('certificate');
  const path = form.getValues().pkcs12Path.trim();
  const { summary, error, loading, unlock } = useCertificateSummary(path);
  const defaultFound = useDefaultCertificate(homeDir, DEFAULT_PKCS12);


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

      {path && error && <CertificateProblem key={path} error={error} unlock={(pw) => void unlock(pw)} loading={loading} saidUnderField={!!form.errors.pkcs12Path} />}
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
