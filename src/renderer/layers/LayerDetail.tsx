// One layer image in detail: a catalog version or a file dropped or picked from anywhere.
// Its facts come from 'layers.inspect' (a job, cached by main); tabs show libraries, OS
// features, files and, for a catalog version, its dependants. SBOM export writes where the
// user chose; Remove version goes through the removal check.
import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Code, Group, Loader, Menu, Paper, Progress, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconFileExport, IconTrash, IconX } from '@tabler/icons-react';
import type { CatalogVersionView, LayerDependantView, LayerInspectionView } from '../../shared/contract';
import { useApi } from '../api/context';
import { runJob, type JobProgress } from '../api/jobs';
import { formatSize } from '../common/format';
import { notifyError, notifySuccess } from '../common/notify';
import { usePathPicker } from '../common/PathPicker';
import { useLastFolder } from '../common/use-last-folder';
import { baseName, folderOf } from '../common/paths';
import { DependantsList } from './DependantsList';
import { LayerFilesTree } from './LayerFilesTree';
import { LibrariesTable } from './LibrariesTable';

export type DetailTarget = { kind: 'catalog'; version: CatalogVersionView } | { kind: 'file'; path: string };

interface Props {
  target: DetailTarget;
  library: string;
  workspace?: string;
  onRemove: (version: CatalogVersionView) => void;
  onClose: () => void;
}


export function LayerDetail({ target, library, workspace, onRemove, onClose }: Props) {
  const api = useApi();
  const picker = usePathPicker();
  const lastSbom = useLastFolder('sbom');
  const path = target.kind === 'catalog' ? target.version.file : target.path;
  const [report, setReport] = useState<LayerInspectionView | null>(null);
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dependants, setDependants] = useState<LayerDependantView[] | null>(null);
  const [exporting, setExporting] = useState(false);

  useEffect(() => {
    setReport(null);
    setError(null);
    setProgress(null);
    const abort = new AbortController();
    runJob(api, 'layers.inspect', { path }, { signal: abort.signal, onProgress: setProgress }).then(setReport, (e: unknown) => {
      if (!abort.signal.aborted) setError((e as Error).message);
    });
    return () => abort.abort();
  }, [api, path]);

  useEffect(() => {
    setDependants(null);
    if (target.kind !== 'catalog') return;
    const v = target.version;
    let live = true;
    api.call('layers.dependants', { library, ...(workspace ? { workspace } : {}), uid: v.uid, version: v.version, architecture: v.architecture, os: v.os }).then(
      (r) => live && setDependants(r.dependants),
      () => live && setDependants([]),
    );
    return () => {
      live = false;
    };
  }, [api, target, library, workspace]);

  const exportSbom = async (format: 'cyclonedx' | 'spdx') => {
    // A catalog image's name (<os>-<arch>-<version>) is the same for every layer: its uid comes first, so SBOMs of several layers saved side by side do not collide.
    const image = baseName(path).replace(/\.tar(\.gz)?$/, '');
    const stem = target.kind === 'catalog' ? `${target.version.uid}-${image}` : image;
    const picked = await picker.pickSaveFile({ title: 'Save the SBOM', defaultName: `${stem}.${format === 'cyclonedx' ? 'cdx' : 'spdx'}.json`, extensions: ['json'], startPath: lastSbom.folder ?? folderOf(path) });
    if (!picked) return;
    setExporting(true);
    try {
      const r = await runJob(api, 'layers.sbom', { path, format, outFile: picked.path, ...(picked.grant ? { outGrant: picked.grant } : {}) });
      lastSbom.remember(folderOf(r.path));
      notifySuccess('SBOM saved', `${r.path}: ${r.components} components (${format === 'cyclonedx' ? 'CycloneDX 1.6' : 'SPDX 2.3'}).`);
    } catch (e) {
      notifyError('SBOM not saved', e);
    } finally {
      setExporting(false);
    }
  };

  const title = target.kind === 'catalog' ? `${target.version.uid} ${target.version.version}` : baseName(path);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={`Layer ${title}`}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <div>
            <Group gap="xs">
              <Title order={2} size="h3">
                {title}
              </Title>
              {target.kind === 'catalog' ? (
                <Badge variant="light">
                  {target.version.os}/{target.version.architecture}
                </Badge>
              ) : (
                <Badge variant="light" color="gray">
                  not in the catalog
                </Badge>
              )}
            </Group>
            <Text size="xs" c="dimmed" ff="monospace">
              {path}
            </Text>
          </div>
          <Group gap="xs">
            <Menu position="bottom-end">
              <Menu.Target>
                <Button variant="default" leftSection={<IconFileExport size={16} />} loading={exporting} disabled={!report || report.form === 'folder'}>
                  Export SBOM
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item onClick={() => void exportSbom('cyclonedx')}>CycloneDX 1.6 JSON</Menu.Item>
                <Menu.Item onClick={() => void exportSbom('spdx')}>SPDX 2.3 JSON</Menu.Item>
              </Menu.Dropdown>
            </Menu>
            {target.kind === 'catalog' && (
              <Button color="red" variant="light" leftSection={<IconTrash size={16} />} onClick={() => onRemove(target.version)}>
                Remove version
              </Button>
            )}
            <Button variant="subtle" leftSection={<IconX size={16} />} onClick={onClose}>
              Close
            </Button>
          </Group>
        </Group>

        {error && (
          <Alert color="red" icon={<IconAlertTriangle size={16} />} title="Could not read the layer">
            {error}
          </Alert>
        )}
        {!report && !error && (
          <Stack gap={4}>
            <Group gap="xs">
              <Loader size="xs" />
              <Text size="sm">Reading the layer…</Text>
            </Group>
            {progress && progress.total > 0 && <Progress value={(100 * progress.done) / progress.total} aria-label="Reading the layer" />}
          </Stack>
        )}
        {report && (
          <>
            <Group gap="lg">
              {report.digest && (
                <Text size="sm">
                  digest <Code>{report.digest}</Code>
                </Text>
              )}
              {report.size !== undefined && <Text size="sm">{formatSize(report.size)} compressed</Text>}
              <Text size="sm">
                {report.files.count} files, {formatSize(report.files.bytes)}
              </Text>
            </Group>
            {report.problems.length > 0 && (
              <Alert color="yellow" icon={<IconAlertTriangle size={16} />} title="Findings">
                {report.problems.map((p) => (
                  <Text size="sm" key={p}>
                    {p}
                  </Text>
                ))}
              </Alert>
            )}
            <Tabs defaultValue="libraries" keepMounted={false}>
              <Tabs.List>
                <Tabs.Tab value="libraries">Libraries ({report.libraries.length})</Tabs.Tab>
                <Tabs.Tab value="features">OS features ({report.osFeatures.length})</Tabs.Tab>
                <Tabs.Tab value="files">Files ({report.entries?.length ?? report.files.count})</Tabs.Tab>
                {target.kind === 'catalog' && <Tabs.Tab value="dependants">Dependants{dependants ? ` (${dependants.length})` : ''}</Tabs.Tab>}
              </Tabs.List>
              <Tabs.Panel value="libraries" pt="sm">
                <LibrariesTable libraries={report.libraries} truncated={report.librariesTruncated} />
              </Tabs.Panel>
              <Tabs.Panel value="features" pt="sm">
                {report.osFeatures.length === 0 ? (
                  <Text c="dimmed">No package names found.</Text>
                ) : (
                  <Stack gap="xs">
                    <Text size="sm" c="dimmed">
                      The package names the cloud lists as the layer&apos;s OS features (from dpkg, opkg, Python and npm facts).
                    </Text>
                    <Group gap={6} data-testid="os-features">
                      {report.osFeatures.map((f) => (
                        <Badge key={f} variant="outline" tt="none">
                          {f}
                        </Badge>
                      ))}
                    </Group>
                  </Stack>
                )}
              </Tabs.Panel>
              <Tabs.Panel value="files" pt="sm">
                <LayerFilesTree report={report} />
              </Tabs.Panel>
              {target.kind === 'catalog' && (
                <Tabs.Panel value="dependants" pt="sm">
                  <Stack gap="xs">
                    <Text size="sm" c="dimmed">
                      Services and bundle items that select this version today: the highest catalog version inside their range for their architecture (the app&apos;s assumption of what the cloud picks).
                    </Text>
                    {dependants ? <DependantsList dependants={dependants} /> : <Loader size="xs" aria-label="Finding dependants" />}
                  </Stack>
                </Tabs.Panel>
              )}
            </Tabs>
          </>
        )}
      </Stack>
    </Paper>
  );
}
