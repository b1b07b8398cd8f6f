// Settings for the cloud, the app's `--cloud` and `--ca`: a URL overriding the address that
// config and certificate name (on-premise and test clouds) and the CA file the server is
// checked against. The URL is checked as it is typed; main checks both again (a readable PEM
// certificate) before it saves, and what it refuses is shown at its field.
import { useEffect, useState } from 'react';
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useSettingsStore } from '../app/settings';
import { errorOf } from '../api/errors';
import { PathField } from '../common/PathField';
import { usePathPicker } from '../common/PathPicker';
import { monoInput } from '../common/format';

/** What the renderer can tell of a cloud URL by itself; main has the last word. */
export function cloudUrlProblem(text: string): string | null {
  if (text.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return 'Not a URL: give https://HOST:PORT.';
  }
  if (url.protocol !== 'https:') return 'The cloud is reached over https:// (mutual TLS).';
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) return 'Only https://HOST:PORT, with no path.';
  return null;
}

export function CloudSettingsModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { settings, save } = useSettingsStore();
  const picker = usePathPicker();
  const [url, setUrl] = useState('');
  const [caFile, setCaFile] = useState('');
  const [errors, setErrors] = useState<{ url?: string; caFile?: string; other?: string }>({});
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!opened) return;
    setUrl(settings.cloud?.url ?? '');
    setCaFile(settings.cloud?.caFile ?? '');
    setErrors({});
  }, [opened]); // eslint-disable-line react-hooks/exhaustive-deps

  const urlProblem = cloudUrlProblem(url);
  const submit = async () => {
    if (urlProblem) return;
    setSaving(true);
    setErrors({});
    try {
      await save({ cloud: { ...(url.trim() ? { url: url.trim() } : {}), ...(caFile.trim() ? { caFile: caFile.trim() } : {}) } });
      onClose();
    } catch (err) {
      const e = errorOf(err);
      const field = e.location?.path;
      setErrors(field === 'cloud.url' ? { url: e.message } : field === 'cloud.caFile' || e.code === 'not-found' ? { caFile: e.message } : { other: e.message });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Cloud settings" size="lg">
      <Stack gap="md">
        <TextInput
          label="Cloud URL"
          description="Overrides the address that the bundle's config.yaml (publish.url or publish.domain) or else your certificate's organisation names, like aos-bundle --cloud. Empty: that address (port 10000)."
          placeholder="https://aoscloud.io:10000"
          value={url}
          onChange={(e) => setUrl(e.currentTarget.value)}
          error={urlProblem ?? errors.url}
          styles={monoInput}
        />
        <PathField
          label="Certificate authority (CA) file"
          description="A PEM file with the certificate authority of an on-premise or test cloud, like aos-bundle --ca. Empty: the system's certificate authorities."
          placeholder="/path/to/cloud-ca.pem"
          value={caFile}
          onChange={(e) => setCaFile(e.currentTarget.value)}
          error={errors.caFile}
          onBrowse={async () => {
            const picked = await picker.pickFile({ title: 'Choose the cloud\'s CA file', extensions: ['pem', 'crt', 'cer'] });
            if (picked) setCaFile(picked);
          }}
        />
        {errors.other && (
          <Text size="sm" c="red">
            {errors.other}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => void submit()} loading={saving} disabled={urlProblem !== null}>
            Save
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
