// "Preview" of a deployment bundle: per item and image, the OCI descriptor a unit reads
// (digest, size, diff_id, platform, media type), as `aos-bundle preview` prints it. Main
// computes it ('deployment.preview', the CLI's use-case) from the bundle on disk; it reads
// every image, so it runs when asked, with progress, and can be cancelled.
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Code, Group, Progress, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { IconAlertCircle, IconInfoCircle, IconPlayerPlay } from '@tabler/icons-react';
import type { DeploymentPreview } from '../../shared/contract';
import { useApi } from '../api/context';
import { errorOf } from '../api/errors';
import { runJob } from '../api/jobs';
import { formatSize } from '../common/format';

interface Props {
  root: string;
  dirty: boolean;
  /** Changes after each save: an earlier result no longer describes the bundle. */
  savedVersion: number;
}

export function BundlePreviewPanel({ root, dirty, savedVersion }: Props) {
  const client = useApi();
  const [preview, setPreview] = useState<DeploymentPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const stop = useRef<AbortController | null>(null);

  useEffect(() => {
    setPreview(null);
    return () => stop.current?.abort();
  }, [root, savedVersion]);

  const run = () => {
    stop.current?.abort();
    const controller = new AbortController();
    stop.current = controller;
    setError(null);
    setProgress(0);
    runJob(client, 'deployment.preview', { root }, { signal: controller.signal, onProgress: (p) => setProgress(p.total > 0 ? (100 * p.done) / p.total : 0) }).then(
      (value) => {
        setPreview(value);
        setProgress(null);
      },
      (err) => {
        setProgress(null);
        if (errorOf(err).code !== 'cancelled') setError(errorOf(err).message);
      },
    );
  };

  return (
    <Stack gap="sm" h="100%" data-testid="bundle-preview">
      <Group justify="space-between" px="xs">
        <Text fw={600} size="sm">
          What a unit sees (deployment bundle)
        </Text>
        {progress === null ? (
          <Button size="compact-xs" variant="subtle" leftSection={<IconPlayerPlay size={14} />} onClick={run}>
            {preview ? 'Compute again' : 'Compute descriptors'}
          </Button>
        ) : (
          <Button size="compact-xs" variant="subtle" color="red" onClick={() => stop.current?.abort()}>
            Cancel
          </Button>
        )}
      </Group>
      {progress !== null && <Progress value={progress} size="sm" aria-label="Reading the images" />}
      {dirty && (
        <Alert color="orange" variant="light" p="xs" icon={<IconInfoCircle size={16} />}>
          <Text size="xs">This describes config.yaml on disk. Save to preview your changes.</Text>
        </Alert>
      )}
      {error && (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={16} />} title="No preview">
          <Text size="xs">{error}</Text>
        </Alert>
      )}
      {!preview && progress === null && !error && (
        <Text size="xs" c="dimmed" px="xs">
          Reads every image of the bundle: digest, size and diff_id of each layer, and the platform a unit matches.
        </Text>
      )}
      {preview && (
        <ScrollArea style={{ flex: 1 }} type="auto" viewportProps={{ tabIndex: 0, 'aria-label': 'Deployment bundle preview' }}>
          <Stack gap="md" px="xs">
            {preview.items.map((item) => (
              <Stack key={`${item.type}:${item.codename}`} gap={4} data-testid="preview-item">
                <Text size="sm" fw={500}>
                  {item.type} {item.codename} {item.version}
                </Text>
                {item.images.map((image) => {
                  const p = image.descriptor.platform;
                  return (
                    <Table key={image.key} fz="xs" withTableBorder aria-label={`Descriptor of ${image.source}`} data-testid="preview-image">
                      <Table.Tbody>
                        <Row name="image" value={`${image.source}${image.kind === 'rootfs' ? ' (rootfs layer built from the folder)' : ''}`} />
                        <Row name="mediaType" value={image.descriptor.mediaType} />
                        <Row name="digest" value={image.descriptor.digest} />
                        <Row name="size" value={`${image.descriptor.size} (${formatSize(image.descriptor.size)})`} />
                        {image.diffId && <Row name="diff_id" value={image.diffId} />}
                        <Row name="platform" value={`${p.architecture}${p.variant ? `/${p.variant}` : ''} ${p.os}${p['os.version'] ? `, os.version ${p['os.version']}` : ''}`} />
                      </Table.Tbody>
                    </Table>
                  );
                })}
                {item.notes.map((note) => (
                  <Text key={note} size="xs" c="dimmed">
                    {note}
                  </Text>
                ))}
              </Stack>
            ))}
          </Stack>
        </ScrollArea>
      )}
    </Stack>
  );
}

function Row({ name, value }: { name: string; value: string }) {
  return (
    <Table.Tr>
      <Table.Td style={{ whiteSpace: 'nowrap', width: '1%' }}>{name}</Table.Td>
      <Table.Td style={{ wordBreak: 'break-all' }}>
        <Code fz="xs">{value}</Code>
      </Table.Td>
    </Table.Tr>
  );
}
