// The layers of the image: the service rootfs (its digests computed in the background),
// the Aos layers configuration.layers requires (resolved against a local layer library when
// one is chosen), and the overlay a unit mounts as `/`.
import { useEffect, useState } from 'react';
import { ActionIcon, Badge, Button, Code, Group, Loader, Paper, Progress, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconFolderOpen, IconRefresh } from '@tabler/icons-react';
import type { OciPreviewView, RootfsLayerView } from '../../shared/contract';
import { formatSize } from '../common/format';
import { usePathPicker } from '../common/PathPicker';
import type { LibraryState, RootfsState } from './use-preview';

interface RequiredLayerView {
  unresolved: boolean;
  uid: string;
  rangeText: string;
  version?: string;
  digest?: string;
  diffId?: string;
  size?: number;
  known?: string[];
  index: number;
}

interface OverlayEntryView {
  kind: string;
  description: string;
  uid?: string;
  unresolved?: boolean;
}

export interface LayerLibraryProps {
  dir: string;
  state: LibraryState;
  onChange: (dir: string) => void;
  onRescan: () => void;
}

interface Props {
  preview: OciPreviewView;
  rootfs: RootfsState;
  onRefresh: () => void;
  onJump: (line: number, column: number) => void;
  library?: LayerLibraryProps;
}

export function LayerFilesTab({ preview, rootfs, onRefresh, onJump, library }: Props) {
  const layer: RootfsLayerView | null = rootfs.status === 'done' ? rootfs.layer : preview.rootfs;
  const required = (Array.isArray(preview.layers) ? preview.layers : []) as unknown as RequiredLayerView[];
  const overlay = (Array.isArray(preview.overlay) ? preview.overlay : []) as unknown as OverlayEntryView[];
  const layerTrace = (i: number) => preview.trace[`/manifest/v9/layers/${i + 1}`] ?? preview.trace[`/manifest/v8/layers/${i + 1}`];

  return (
    <Stack gap="md" p="sm" data-testid="layer-files">
      <Paper withBorder p="sm" radius="md">
        <Group justify="space-between" mb={6} wrap="nowrap">
          <div>
            <Text fw={600} size="sm">
              Service rootfs layer
            </Text>
            <Text size="xs" c="dimmed">
              layers[0]: src/ as tar+gzip, paths as in the container
            </Text>
          </div>
          <Group gap={6} wrap="nowrap">
            {rootfs.status === 'running' && (
              <Group gap={6} data-testid="rootfs-spinner">
                <Loader size={14} />
                <Text size="xs" c="dimmed">
                  computing…
                </Text>
              </Group>
            )}
            <Tooltip label="Recompute the rootfs layer from src/">
              <ActionIcon variant="default" aria-label="Recompute rootfs layer" onClick={onRefresh} disabled={rootfs.status === 'running'}>
                <IconRefresh size={16} />
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
        {rootfs.status === 'running' && rootfs.progress && rootfs.progress.total > 0 && (
          <Progress value={(100 * rootfs.progress.done) / rootfs.progress.total} size="xs" mb={6} aria-label="rootfs progress" />
        )}
        {rootfs.status === 'error' && (
          <Group gap={6} c="red" mb={6} wrap="nowrap">
            <IconAlertTriangle size={16} style={{ flex: 'none' }} />
            <Text size="sm">{rootfs.message}</Text>
          </Group>
        )}
        {layer ? (
          <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing="xs" fz="xs" data-testid="rootfs-layer">
            <Table.Tbody>
              <Row label="digest" value={<Code fz="xs" data-testid="rootfs-digest">{layer.digest}</Code>} />
              <Row label="diff_id" value={<Code fz="xs">{layer.diffId}</Code>} />
              <Row label="size" value={`${layer.size < 1024 ? `${layer.size} bytes` : `${formatSize(layer.size)} (${layer.size.toLocaleString()} bytes)`}, compressed`} />
              <Row label="files" value={String(layer.files)} />
            </Table.Tbody>
          </Table>
        ) : (
          rootfs.status !== 'error' && (
            <Text size="xs" c="dimmed">
              Until it is computed, the manifests show “computing…” where its digest goes.
            </Text>
          )
        )}
      </Paper>

      <div>
        <Text fw={600} size="sm" mb={4}>
          Required Aos layers
        </Text>
        {library && <LayerLibraryField {...library} />}
        {required.length === 0 ? (
          <Text size="sm" c="dimmed">
            None: configuration.layers is empty.
          </Text>
        ) : (
          <Stack gap={6}>
            {required.map((l, i) => {
              const trace = layerTrace(i);
              return (
                <Paper key={`${l.uid}-${l.index}`} withBorder p="xs" radius="sm" data-testid="required-layer">
                  <Group justify="space-between" wrap="nowrap" align="flex-start">
                    <div style={{ minWidth: 0 }}>
                      {l.unresolved ? (
                        <Group gap={6} wrap="nowrap">
                          <IconAlertTriangle size={15} color="var(--mantine-color-yellow-6)" style={{ flex: 'none' }} />
                          <Text size="sm" ff="monospace">
                            unresolved: {l.uid} {l.rangeText}
                          </Text>
                        </Group>
                      ) : (
                        <>
                          <Group gap={6} wrap="nowrap">
                            <IconCheck size={15} color="var(--mantine-color-teal-6)" style={{ flex: 'none' }} />
                            <Text size="sm" ff="monospace">
                              {l.uid} {l.version}
                            </Text>
                            <Text size="xs" c="dimmed">
                              ({l.rangeText})
                            </Text>
                          </Group>
                          <Text size="xs" c="dimmed" ff="monospace" truncate data-testid="required-layer-digest">
                            {l.digest}
                          </Text>
                        </>
                      )}
                      {l.unresolved && (
                        <Text size="xs" c="dimmed">
                          {l.known?.length ? `Known versions: ${l.known.join(', ')}` : 'The app knows no version of this layer, so its digest is unknown.'}
                        </Text>
                      )}
                    </div>
                    {trace?.line ? (
                      <Badge
                        variant="light"
                        size="sm"
                        style={{ cursor: 'pointer', flex: 'none' }}
                        onClick={() => onJump(trace.line ?? 0, trace.column ?? 1)}
                        title="Show in config.yaml"
                      >
                        config.yaml:{trace.line}
                      </Badge>
                    ) : null}
                  </Group>
                </Paper>
              );
            })}
          </Stack>
        )}
      </div>

      <div>
        <Text fw={600} size="sm" mb={4}>
          Root filesystem overlay <Text span size="xs" c="dimmed">(read-only, topmost first)</Text>
        </Text>
        <ol style={{ margin: 0, paddingLeft: 22 }} data-testid="overlay-order">
          {overlay.map((o, i) => (
            <li key={i}>
              <Text size="sm" c={o.unresolved ? 'yellow.7' : undefined}>
                {o.description}
              </Text>
            </li>
          ))}
        </ol>
      </div>
    </Stack>
  );
}

function LayerLibraryField({ dir, state, onChange, onRescan }: LayerLibraryProps) {
  const picker = usePathPicker();
  const [draft, setDraft] = useState(dir);
  useEffect(() => setDraft(dir), [dir]);
  const commit = () => {
    if (draft.trim() !== dir) onChange(draft);
  };
  const browse = async () => {
    const picked = await picker.pickFolder({ title: 'Layer library folder', startPath: dir || undefined });
    if (picked) onChange(picked);
  };
  return (
    <Paper withBorder p="xs" radius="sm" mb={6} data-testid="layer-library">
      <Group gap={6} wrap="nowrap" align="flex-end">
        <TextInput
          style={{ flex: 1, minWidth: 0 }}
          size="xs"
          label="Layer library"
          description="A folder of layer images: <uid>/<os>-<arch>-<version>.tar.gz"
          placeholder="No folder: required layers stay unresolved"
          value={draft}
          onChange={(e) => setDraft(e.currentTarget.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
          }}
        />
        <Button size="xs" variant="default" leftSection={<IconFolderOpen size={14} />} onClick={() => void browse()}>
          Browse
        </Button>
        <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} onClick={onRescan} disabled={!dir || state.status === 'running'}>
          Rescan
        </Button>
      </Group>
      <div data-testid="layer-library-status">
        {state.status === 'running' && (
          <Group gap={6} mt={4}>
            <Loader size={12} />
            <Text size="xs" c="dimmed">
              scanning…{state.progress && state.progress.filesTotal ? ` ${state.progress.filesDone ?? 0}/${state.progress.filesTotal} files` : ''}
            </Text>
          </Group>
        )}
        {state.status === 'error' && (
          <Text size="xs" c="red" mt={4}>
            {state.message}
          </Text>
        )}
        {state.status === 'done' && (
          <>
            <Text size="xs" c="dimmed" mt={4}>
              {state.scan.layers} layer{state.scan.layers === 1 ? '' : 's'}, {state.scan.versions} image{state.scan.versions === 1 ? '' : 's'}. The highest version inside each range is
              assumed, as the cloud is expected to pick it.
            </Text>
            {state.scan.problems.map((p) => (
              <Text key={p.file} size="xs" c="yellow.8" data-testid="layer-library-problem">
                {p.file}: {p.message}
              </Text>
            ))}
          </>
        )}
      </div>
    </Paper>
  );
}

function Row({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <Table.Tr>
      <Table.Td w={64} c="dimmed" style={{ verticalAlign: 'top' }}>
        {label}
      </Table.Td>
      <Table.Td style={{ wordBreak: 'break-all' }}>{value}</Table.Td>
    </Table.Tr>
  );
}
