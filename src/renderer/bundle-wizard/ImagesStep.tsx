// Step 3: the item's images, one row per architecture. Layer and component images are
// prepared .tar.gz files, dropped (desktop app) or picked; a service's image is its rootfs
// folder. A file named <os>-<arch>-<version>.tar.gz prefills its row.
import { useState, type DragEvent } from 'react';
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconAlertCircle, IconFilePlus, IconFolderPlus, IconUpload } from '@tabler/icons-react';
import { useApi } from '../api/context';
import { usePathPicker } from '../common/PathPicker';
import { notifyError } from '../common/notify';
import { dragHasFiles, pathOfDroppedFile } from '../verify/dropped-file';
import { rowKey, targetDir, type ImageRow, type NewBundleForm } from './bundle-form';
import { imagePlacement, rowFromPath } from './image-placement';
import { ImageRowFields } from './ImageRowFields';

export function ImagesStep({ form }: { form: NewBundleForm }) {
  const { api } = useApi();
  const picker = usePathPicker();
  const values = form.getValues();
  const rows = values.images;
  const service = values.type === 'service';
  const [dragOver, setDragOver] = useState(false);
  const [dropNote, setDropNote] = useState<string | null>(null);
  const acceptsDrops = typeof api.pathForFile === 'function';

  const add = (path: string, kind: ImageRow['kind']) => {
    if (form.getValues().images.some((r) => r.source === path)) return;
    form.insertListItem('images', { ...rowFromPath(path, kind), key: rowKey() });
    form.clearFieldError('images');
  };

  const pickFile = async () => {
    try {
      const file = await picker.pickFile({ title: 'Pick a layer image (.tar.gz)', extensions: ['gz', 'tgz'], startPath: values.parent || undefined });
      if (file) add(file, 'file');
    } catch (err) {
      notifyError('Cannot browse files', err);
    }
  };
  const pickFolder = async () => {
    try {
      const folder = await picker.pickFolder({ title: 'Pick the rootfs folder of one architecture', startPath: values.parent || undefined });
      if (folder) add(folder, 'folder');
    } catch (err) {
      notifyError('Cannot browse folders', err);
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragOver(false);
    const refused: string[] = [];
    for (const file of Array.from(e.dataTransfer.files)) {
      const path = pathOfDroppedFile(file, api);
      if (!path) refused.push(file.name);
      else if (!/\.(tar\.gz|tgz)$/i.test(path)) setDropNote(`${file.name} is not a .tar.gz file: a layer image is a gzip'd tar.`);
      else add(path, 'file');
    }
    if (refused.length) {
      setDropNote(`The browser does not tell Bundle Studio where ${refused.join(', ')} ${refused.length === 1 ? 'is' : 'are'} on disk; pick ${refused.length === 1 ? 'it' : 'them'} with Add image file… instead.`);
    }
  };

  const bundleDir = targetDir(values);
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {service
          ? 'A service built from folders has one rootfs folder per architecture.'
          : 'One image per architecture (and variant, and os). A file named like linux-arm64-1.0.0.tar.gz fills in its os and architecture; check them below.'}{' '}
        Images outside the bundle folder are copied into it when the bundle is created.
      </Text>
      <div
        onDragOver={(e) => {
          if (!acceptsDrops || !dragHasFiles(e)) return;
          e.preventDefault();
          setDragOver(true);
        }}
        onDragLeave={() => setDragOver(false)}
        onDrop={onDrop}
        data-testid="image-drop-zone"
        style={{
          border: `2px dashed ${dragOver ? 'var(--mantine-primary-color-filled)' : 'var(--mantine-color-default-border)'}`,
          borderRadius: 'var(--mantine-radius-md)',
          padding: 'var(--mantine-spacing-md)',
        }}
      >
        <Group justify="center" gap="sm">
          {acceptsDrops && !service && (
            <Group gap={6} c="dimmed">
              <IconUpload size={18} />
              <Text size="sm">Drop .tar.gz files here, or</Text>
            </Group>
          )}
          {!service && (
            <Button variant="light" leftSection={<IconFilePlus size={16} />} onClick={() => void pickFile()}>
              Add image file…
            </Button>
          )}
          {service && (
            <Button variant="light" leftSection={<IconFolderPlus size={16} />} onClick={() => void pickFolder()}>
              Add rootfs folder…
            </Button>
          )}
        </Group>
      </div>
      {dropNote && (
        <Alert color="yellow" variant="light" withCloseButton onClose={() => setDropNote(null)} closeButtonLabel="Dismiss">
          {dropNote}
        </Alert>
      )}
      {rows.map((row, index) => (
        <ImageRowFields
          key={row.key}
          row={row}
          index={index}
          placement={imagePlacement(row, bundleDir, values.codename)}
          itemVersion={values.version}
          onChange={(patch) => form.replaceListItem('images', index, { ...row, ...patch })}
          onRemove={() => form.removeListItem('images', index)}
        />
      ))}
      {form.errors.images && (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} data-testid="images-error">
          {form.errors.images}
        </Alert>
      )}
    </Stack>
  );
}
