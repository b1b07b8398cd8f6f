// The last step of Pack layer: what was written (digest, size, diff_id, the image's descriptor), and where
// the image goes next: a new layer bundle (the layer-bundle wizard with it prefilled), or the
// layer library (the catalog) as <library>/<uid>/<os>-<arch>-<version>.tar.gz.
import { useState } from 'react';
import { Alert, Button, Group, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconBooks, IconCheck, IconPackage } from '@tabler/icons-react';
import type { PackedLayerView } from '../../shared/contract';
import { useApi } from '../api/context';
import { errorOf } from '../api/errors';
import { useSettings } from '../app/settings';
import { CopyValue } from '../common/CopyValue';
import { PathField } from '../common/PathField';
import { usePathPicker } from '../common/PathPicker';
import { formatSize } from '../common/format';
import { notifyError } from '../common/notify';

interface Props {
  packed: PackedLayerView;
  onAddToBundle: (image: { file: string; version: string }) => void;
}

const UID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function PackResult({ packed, onAddToBundle }: Props) {
  const [catalogOpen, setCatalogOpen] = useState(false);
  return (
    <Stack gap="md" data-testid="pack-result">
      <Alert color="green" variant="light" icon={<IconCheck size={18} />} title="Layer packed">
        Written: <code>{packed.file}</code> and its descriptor <code>{packed.descriptorFile}</code>.
        {packed.supersededDescriptor && (
          <>
            {' '}
            Removed <code>{packed.supersededDescriptor}</code>: an older pack&apos;s descriptor of the image this one replaced.
          </>
        )}
      </Alert>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <div>
          <Text size="sm" fw={500}>
            Size
          </Text>
          <Text ff="monospace" data-testid="pack-size">
            {formatSize(packed.size)} ({packed.size} bytes)
          </Text>
        </div>
        <div>
          <Text size="sm" fw={500}>
            Platform
          </Text>
          <Text ff="monospace">
            {packed.os}/{packed.architecture}, version {packed.version}
          </Text>
        </div>
      </SimpleGrid>
      <div>
        <Text size="sm" fw={500}>
          Digest (sha256 of the .tar.gz)
        </Text>
        <CopyValue value={packed.digest} label="Copy digest" testId="pack-digest" />
      </div>
      <div>
        <Text size="sm" fw={500}>
          diff_id (sha256 of the uncompressed tar)
        </Text>
        <CopyValue value={packed.diffId} label="Copy diff_id" testId="pack-diff-id" />
      </div>
      <Group>
        <Button leftSection={<IconPackage size={16} />} onClick={() => onAddToBundle({ file: packed.file, version: packed.version })}>
          Add to a layer bundle
        </Button>
        <Button variant="light" leftSection={<IconBooks size={16} />} onClick={() => setCatalogOpen(true)} disabled={catalogOpen}>
          Add to the catalog
        </Button>
      </Group>
      {catalogOpen && <AddToCatalog file={packed.file} />}
    </Stack>
  );
}

function AddToCatalog({ file }: { file: string }) {
  const { call } = useApi();
  const picker = usePathPicker();
  const { settings, update } = useSettings();
  const [library, setLibrary] = useState(settings.layerLibrary);
  const [uid, setUid] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const uidError = !uid.trim() ? "Enter the layer's uid: the name services list in configuration.layers" : !UID_RE.test(uid.trim()) ? 'Letters, digits, dots, dashes and underscores; no spaces' : null;
  const libraryError = library.trim() ? null : 'Choose the layer library folder';

  const browse = async () => {
    try {
      const dir = await picker.pickFolder({ title: 'Pick the layer library folder', startPath: library || undefined });
      if (dir) setLibrary(dir);
    } catch (err) {
      notifyError('Cannot browse folders', err);
    }
  };
  const add = async () => {
    setTried(true);
    if (uidError || libraryError) return;
    setBusy(true);
    setError(null);
    try {
      const r = await call('layers.add', { file, library: library.trim(), uid: uid.trim() });
      setAdded(r.file);
      // The library the preview and the range picker read, when none was set yet.
      if (!settings.layerLibrary) update({ layerLibrary: library.trim() });
    } catch (err) {
      setError(errorOf(err).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="md" radius="md" data-testid="add-to-catalog">
      <Stack gap="sm">
        <Title order={4}>Add to the catalog</Title>
        <Text size="sm" c="dimmed">
          The image is copied into the layer library as <code>&lt;library&gt;/&lt;uid&gt;/&lt;its file name&gt;</code>, where
          the preview and the range picker find it.
        </Text>
        <PathField label="Layer library folder" value={library} error={tried ? libraryError : undefined} onChange={(e) => setLibrary(e.currentTarget.value)} onBrowse={() => void browse()} browseLabel="Choose folder…" disabled={added !== null} />
        <TextInput label="Layer uid" placeholder="e.g. aos-pylibs-layer" value={uid} error={tried ? uidError : undefined} onChange={(e) => setUid(e.currentTarget.value)} disabled={added !== null} />
        {error && (
          <Alert color="red" variant="light" title="Not added">
            {error}
          </Alert>
        )}
        {added ? (
          <Alert color="green" variant="light" icon={<IconCheck size={18} />} data-testid="catalog-added">
            Copied to <code>{added}</code>.
          </Alert>
        ) : (
          <Button w="fit-content" onClick={() => void add()} loading={busy}>
            Copy into the catalog
          </Button>
        )}
      </Stack>
    </Paper>
  );
}
