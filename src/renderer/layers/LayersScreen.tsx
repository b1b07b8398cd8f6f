// The Layers screen (issue 10): the layer library as a catalog (uid, versions,
// architectures, dependants), the folders it reads (the library, the same one the preview
// uses, and a workspace whose services and bundles count as dependants; both remembered in
// the settings), a detail of one version, and any layer image dropped or picked from
// elsewhere inspected the same way.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Badge, Box, Button, Code, Container, Group, Loader, Paper, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { IconArrowLeft, IconFileSearch, IconFolderOpen, IconRefresh, IconStack2, IconBoxMultiple } from '@tabler/icons-react';
import type { CatalogVersionView, LayerCatalogView } from '../../shared/contract';
import { placeText } from '../../shared/diagnostics';
import { useApi } from '../api/context';
import { runJob } from '../api/jobs';
import { useSettings } from '../app/settings';
import { formatSize, monoInput } from '../common/format';
import { folderOf } from '../common/paths';
import { usePathPicker } from '../common/PathPicker';
import { ThemeToggle } from '../common/ThemeToggle';
import { useLastFolder } from '../common/use-last-folder';
import { droppedBundle } from '../verify/dropped-file';
import { VerifyDropOverlay } from '../verify/VerifyDropOverlay';
import { notifyError } from '../common/notify';
import { LayerDetail, type DetailTarget } from './LayerDetail';
import { RemoveVersionModal } from './RemoveVersionModal';

/** `onPackLayer`: the Pack layer wizard (whose result can go into this catalog). */
export function LayersScreen({ onBack, onPackLayer }: { onBack: () => void; onPackLayer?: () => void }) {
  const client = useApi();
  const picker = usePathPicker();
  const { settings, update } = useSettings();
  const lastLibrary = useLastFolder('layerLibrary');
  const lastWorkspace = useLastFolder('layerWorkspace');
  const lastInspect = useLastFolder('layerInspect');
  const library = settings.layerLibrary;
  const workspace = settings.layerWorkspace || undefined;
  const [catalog, setCatalog] = useState<LayerCatalogView | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [detail, setDetail] = useState<DetailTarget | null>(null);
  const [removing, setRemoving] = useState<CatalogVersionView | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    setCatalog(null);
    setError(null);
    if (!library) return;
    const abort = new AbortController();
    setLoading(true);
    runJob(client, 'layers.catalog', { library, ...(workspace ? { workspace } : {}) }, { signal: abort.signal })
      .then(setCatalog, (e: unknown) => {
        if (!abort.signal.aborted) setError((e as Error).message);
      })
      .finally(() => !abort.signal.aborted && setLoading(false));
    return () => abort.abort();
  }, [client, library, workspace, generation]);

  const refresh = useCallback(() => setGeneration((g) => g + 1), []);

  const chooseLibrary = async () => {
    const dir = await picker.pickFolder({ title: 'Choose the layer library', startPath: library || lastLibrary.folder });
    if (!dir) return;
    lastLibrary.remember(folderOf(dir));
    setDetail(null);
    update({ layerLibrary: dir });
  };
  const chooseWorkspace = async () => {
    const dir = await picker.pickFolder({ title: 'Choose the workspace (services and bundles)', startPath: workspace || lastWorkspace.folder });
    if (!dir) return;
    lastWorkspace.remember(folderOf(dir));
    update({ layerWorkspace: dir });
  };
  const inspectFile = async () => {
    const file = await picker.pickFile({ title: 'Inspect a layer image', extensions: ['gz', 'tar', 'tgz'], startPath: lastInspect.folder });
    if (!file) return;
    lastInspect.remember(folderOf(file));
    setDetail({ kind: 'file', path: file });
  };
  const onDrop = (file: File) => {
    const dropped = droppedBundle(file, client.api);
    if ('path' in dropped) setDetail({ kind: 'file', path: dropped.path });
    else notifyError('Cannot inspect a dropped file here', new Error(`The browser does not tell where “${dropped.name}” is on disk: use Inspect a file… instead.`));
  };

  const open = (v: CatalogVersionView) => setDetail({ kind: 'catalog', version: v });
  const selected = detail?.kind === 'catalog' ? detail.version.file : undefined;

  return (
    <Box component="main" pb="xl">
      <Group justify="space-between" p="md">
        <Button variant="subtle" leftSection={<IconArrowLeft size={16} />} onClick={onBack}>
          Start
        </Button>
        <ThemeToggle />
      </Group>
      <Container size={1100}>
        <Stack gap="lg">
          <Group justify="space-between">
            <Group gap="sm">
              <IconStack2 size={28} aria-hidden />
              <Title order={1}>Layers</Title>
            </Group>
            <Group gap="sm">
              {onPackLayer && (
                <Button variant="default" leftSection={<IconBoxMultiple size={16} />} onClick={onPackLayer}>
                  Pack layer…
                </Button>
              )}
              <Button variant="default" leftSection={<IconFileSearch size={16} />} onClick={() => void inspectFile()}>
                Inspect a file…
              </Button>
            </Group>
          </Group>
          <Text c="dimmed" size="sm">
            The layer library is the catalog: one folder per layer uid holding its images <Code>&lt;os&gt;-&lt;arch&gt;-&lt;version&gt;.tar.gz</Code>. A version&apos;s dependants are the recent services and the
            services and layer bundles in the workspace whose range selects it today.
            {/* Only the desktop app learns a dropped file's path; browser mode has no drop target here. */}
            {typeof client.api.pathForFile === 'function' && ' Drop a layer image anywhere here to inspect it.'}
          </Text>

          <Paper withBorder p="md" radius="md">
            <Stack gap="sm">
              <Group align="flex-end" wrap="nowrap">
                <TextInput label="Layer library" readOnly value={library} placeholder="No library chosen" style={{ flex: 1 }} styles={monoInput} />
                <Button variant="default" leftSection={<IconFolderOpen size={16} />} onClick={() => void chooseLibrary()}>
                  Choose library…
                </Button>
              </Group>
              <Group align="flex-end" wrap="nowrap">
                <TextInput label="Workspace (services and bundles that use layers)" readOnly value={workspace ?? ''} placeholder="Recent services only" style={{ flex: 1 }} styles={monoInput} />
                <Button variant="default" leftSection={<IconFolderOpen size={16} />} onClick={() => void chooseWorkspace()}>
                  Choose workspace…
                </Button>
                <Button variant="subtle" leftSection={<IconRefresh size={16} />} onClick={refresh} disabled={!library}>
                  Refresh
                </Button>
              </Group>
            </Stack>
          </Paper>

          <Paper withBorder p="md" radius="md" component="section" aria-label="Catalog">
            <Title order={2} size="h3" mb="sm">
              Catalog
            </Title>
            {!library && <Text c="dimmed">Choose the layer library folder to see its layers.</Text>}
            {loading && (
              <Group gap="xs">
                <Loader size="xs" />
                <Text size="sm">Reading the catalog…</Text>
              </Group>
            )}
            {error && (
              <Alert color="red" title="Could not read the catalog">
                {error}
              </Alert>
            )}
            {catalog && (
              <Stack gap="sm">
                <Text size="sm" c="dimmed">
                  {catalog.layers.length} layer{catalog.layers.length === 1 ? '' : 's'}; dependants from {catalog.consumers.services} service{catalog.consumers.services === 1 ? '' : 's'} and {catalog.consumers.bundles} bundle
                  {catalog.consumers.bundles === 1 ? '' : 's'} read.
                </Text>
                {catalog.layers.length === 0 ? (
                  <Text>This folder holds no layer images.</Text>
                ) : (
                  <Table data-testid="catalog" highlightOnHover>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Layer</Table.Th>
                        <Table.Th>Version</Table.Th>
                        <Table.Th>Architecture</Table.Th>
                        <Table.Th>Size</Table.Th>
                        <Table.Th>Dependants</Table.Th>
                        <Table.Th>
                          <VisuallyHidden>Open</VisuallyHidden>
                        </Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {catalog.layers.flatMap((l) =>
                        l.versions.map((v, i) => (
                          <Table.Tr key={v.file} data-testid="catalog-row" data-selected={selected === v.file || undefined}>
                            <Table.Td>
                              {i === 0 && (
                                <Stack gap={0}>
                                  <Text fw={600}>{l.uid}</Text>
                                  <Text size="xs" c="dimmed">
                                    {l.versions.length} version{l.versions.length === 1 ? '' : 's'} · {l.architectures.join(', ')} · {l.dependants} dependant{l.dependants === 1 ? '' : 's'}
                                  </Text>
                                </Stack>
                              )}
                            </Table.Td>
                            <Table.Td>
                              <Code>{v.version}</Code>
                            </Table.Td>
                            <Table.Td>
                              {v.os}/{v.architecture}
                            </Table.Td>
                            <Table.Td>{formatSize(v.size)}</Table.Td>
                            <Table.Td>
                              <Badge variant="light" color={v.dependants > 0 ? 'orange' : 'gray'}>
                                {v.dependants === 0 ? 'none' : v.dependants}
                              </Badge>
                            </Table.Td>
                            <Table.Td>
                              <Button size="xs" variant={selected === v.file ? 'filled' : 'default'} onClick={() => open(v)} aria-label={`Open ${l.uid} ${v.version} ${v.architecture}`}>
                                Open
                              </Button>
                            </Table.Td>
                          </Table.Tr>
                        )),
                      )}
                    </Table.Tbody>
                  </Table>
                )}
                {catalog.problems.length > 0 && (
                  <Alert color="yellow" title="Not read or not matched">
                    {catalog.problems.map((p) => (
                      <Text size="sm" key={p.file + p.message} data-testid="catalog-problem">
                        <Code>{placeText(p)}</Code>: {p.message}
                      </Text>
                    ))}
                  </Alert>
                )}
              </Stack>
            )}
          </Paper>

          {detail && (
            <LayerDetail
              key={detail.kind === 'catalog' ? detail.version.file : detail.path}
              target={detail}
              library={library}
              workspace={workspace}
              onRemove={setRemoving}
              onClose={() => setDetail(null)}
            />
          )}
        </Stack>
      </Container>
      <RemoveVersionModal
        target={removing}
        library={library}
        workspace={workspace}
        onClose={() => setRemoving(null)}
        onRemoved={() => {
          setRemoving(null);
          setDetail(null);
          refresh();
        }}
      />
      <VerifyDropOverlay disabled={removing !== null} onFile={onDrop} label="Drop a layer image to inspect it" icon={<IconFileSearch size={48} />} testId="layer-drop-overlay" />
    </Box>
  );
}
