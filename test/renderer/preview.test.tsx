import { act, configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Input, OciPreviewView } from '../../src/shared/contract';
import { CONFIG, snapshotOf } from './fixtures';
import { buildPreview } from '../../src/main/core/oci';
import { parseServiceConfig } from '../../src/shared/service-config';
import { deferred, realPreview, ROOTFS, rootfsStarted } from './preview-support';
import { renderService, yamlView } from './service-helpers';

// jsdom renders the whole service view slowly when the suite runs in parallel.
configure({ asyncUtilTimeout: 5000 });

function openPreview(handlers: Parameters<typeof renderService>[1] = {}, config = CONFIG) {
  const rendered = renderService(snapshotOf(config), {
    'preview.build': (input) => realPreview(input),
    'preview.rootfs': () => rootfsStarted(),
    ...handlers,
  });
  fireEvent.click(screen.getByTestId('preview-toggle'));
  return rendered;
}

const panel = () => screen.getByTestId('preview-panel');
const tab = (name: string) => within(panel()).getByRole('tab', { name: new RegExp(`^${name}`) });
const line = (pointer: string) => panel().querySelector(`[data-pointer="${pointer}"]`) as HTMLElement | null;

describe('OCI preview panel', () => {
  it('renders every tab from the preview', async () => {
    const { api } = openPreview();
    // Image config is the first tab shown.
    await waitFor(() => expect(line('/imageConfig/config/Entrypoint/0')).toHaveTextContent('"python3"'));
    expect(line('/imageConfig/config/Cmd/0')).toHaveTextContent('"/usr/bin/services/hello.py"');
    expect(line('/imageConfig/architecture')).toHaveTextContent('"amd64"');
    expect(api.callsTo('preview.build')[0]).toMatchObject({ root: '/home/jane/services/hello-world', text: CONFIG });

    fireEvent.click(tab('Manifest'));
    await waitFor(() => expect(screen.getByTestId('preview-tab-manifest')).toHaveTextContent('org.opencontainers.image.ref.name'));
    expect(screen.getByTestId('preview-tab-manifest')).toHaveTextContent('aosItemConfig');

    fireEvent.click(tab('Runtime spec'));
    await waitFor(() => expect(line('/runtimeSpec/v9/process/args/0')).toHaveTextContent('"python3"'));
    expect(screen.getByTestId('preview-tab-runtime')).toHaveTextContent('AOS_ITEM_ID=0c6bd4d2-6e7f-4b6e-9b1a-1f2c3d4e5f60');

    fireEvent.click(tab('Layer files'));
    expect(screen.getByTestId('layer-files')).toHaveTextContent('unresolved: aos-pylibs-layer 1.0.0 ≤ v < 2.0.0');
    expect(within(screen.getByTestId('overlay-order')).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'generated mount points (/run/aos/runtime/preview-instance-0/mounts)',
      'the service rootfs (layers[0], from src/)',
      'unresolved: aos-pylibs-layer 1.0.0 ≤ v < 2.0.0',
      'whiteouts hiding the host root except /bin, /sbin, /lib, /lib64, /usr',
      'host /',
    ]);

    fireEvent.click(tab('Warnings'));
    expect(screen.getAllByTestId('preview-warning').map((w) => w.textContent).join('\n')).toMatch(/Entrypoint is ignored/);
  });

  it('swaps aosItemConfig (v9) for aosService (v8)', async () => {
    const { api } = openPreview();
    fireEvent.click(await waitFor(() => tab('Service config')));
    await waitFor(() => expect(line('/itemConfig/runtimes/0/codename')).toHaveTextContent('"crun"'));
    expect(screen.getByRole('region', { name: /aosItemConfig/ })).toBeInTheDocument();

    fireEvent.click(within(panel()).getByText('v8'));
    await waitFor(() => expect(line('/serviceConfig/runners/0')).toHaveTextContent('"crun"'));
    expect(api.callsTo('settings.set')).toEqual([{ previewTarget: 'v8' }]);
    expect(line('/itemConfig/runtimes/0/codename')).toBeNull();
    expect(screen.getByRole('region', { name: /aosService/ })).toBeInTheDocument();

    fireEvent.click(tab('Manifest'));
    expect(screen.getByTestId('preview-tab-manifest')).toHaveTextContent('"aosService"');
    expect(screen.getByTestId('preview-tab-manifest')).not.toHaveTextContent('aosItemConfig');
    fireEvent.click(tab('Runtime spec'));
    expect(screen.getByTestId('preview-tab-runtime')).toHaveTextContent('AOS_SERVICE_ID=');
  });

  it("starts with the target and the layer library kept in main's settings", async () => {
    const { api } = openPreview({
      'settings.get': () => ({ theme: 'auto', previewTarget: 'v8', layerLibrary: '/srv/layers' }),
      'layers.scan': () => ({ jobId: 'scan-1' }),
    });
    await waitFor(() => expect(api.callsTo('layers.scan')).toEqual([{ dir: '/srv/layers' }]));
    fireEvent.click(await waitFor(() => tab('Service config')));
    await waitFor(() => expect(line('/serviceConfig/runners/0')).toHaveTextContent('"crun"'));
    expect(api.callsTo('preview.build').at(-1)).toMatchObject({ layerLibrary: '/srv/layers' });
    expect(api.callsTo('settings.set')).toEqual([]);
  });

  it('rebuilds with the text being typed and ignores answers that arrive late', async () => {
    const answers: { input: Input<'preview.build'>; answer: ReturnType<typeof deferred<OciPreviewView>> }[] = [];
    const { api } = openPreview({
      'preview.build': (input) => {
        const answer = deferred<OciPreviewView>();
        answers.push({ input, answer });
        return answer.promise;
      },
    });
    await waitFor(() => expect(answers).toHaveLength(1));
    await act(async () => answers[0].answer.resolve(realPreview(answers[0].input)));
    await waitFor(() => expect(line('/imageConfig/config/Entrypoint/0')).toHaveTextContent('"python3"'));

    const cmd = screen.getByLabelText('Start command cmd');
    fireEvent.change(cmd, { target: { value: 'node /srv/old.js' } });
    await waitFor(() => expect(answers).toHaveLength(2));
    expect(answers[1].input.text).toContain('cmd: node /srv/old.js');
    fireEvent.change(cmd, { target: { value: '/usr/bin/env ruby /srv/new.rb' } });
    await waitFor(() => expect(answers).toHaveLength(3));
    expect(answers[2].input.text).toContain('cmd: /usr/bin/env ruby /srv/new.rb');

    // The newest answer comes first; the older one, arriving after it, is dropped.
    await act(async () => answers[2].answer.resolve(realPreview(answers[2].input)));
    await waitFor(() => expect(line('/imageConfig/config/Entrypoint/0')).toHaveTextContent('"/usr/bin/env"'));
    await act(async () => answers[1].answer.resolve(realPreview(answers[1].input)));
    await new Promise((r) => setTimeout(r, 80));
    expect(line('/imageConfig/config/Entrypoint/0')).toHaveTextContent('"/usr/bin/env"');
    expect(line('/imageConfig/config/Cmd/1')).toHaveTextContent('"/srv/new.rb"');
    expect(api.callsTo('preview.build')).toHaveLength(3);
  });

  it('shows the config.yaml line a clicked field came from and selects it', async () => {
    openPreview();
    await waitFor(() => expect(line('/imageConfig/config/Cmd')).not.toBeNull());
    const cmdLine = line('/imageConfig/config/Cmd')!;
    expect(cmdLine).toHaveAttribute('data-inferred');
    expect(within(cmdLine).getByText('inferred')).toBeInTheDocument();
    fireEvent.click(cmdLine);

    const source = screen.getByTestId('preview-source');
    expect(source).toHaveTextContent('config.yaml:17');
    expect(source).toHaveTextContent('configuration.cmd');
    expect(source).toHaveTextContent('inferred');
    expect(line('/imageConfig/config/Cmd')).toHaveAttribute('data-selected');
    await waitFor(() => expect(screen.getByRole('tab', { name: 'YAML' })).toHaveAttribute('aria-selected', 'true'));
    await waitFor(() => {
      const view = yamlView();
      const { from, to } = view.state.selection.main;
      expect(view.state.doc.lineAt(from).number).toBe(17);
      expect(view.state.sliceDoc(from, to)).toBe('python3 /usr/bin/services/hello.py');
    });
  });

  it('rebuilds with the node parameters the user sets', async () => {
    const { api } = openPreview();
    await waitFor(() => expect(line('/runtimeSpec/v9/process/args/0') ?? line('/imageConfig/os')).not.toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Node parameters' }));
    const dmips = await screen.findByLabelText('Node max DMIPS');
    expect(dmips).toHaveAttribute('placeholder', '10000 (default)');
    fireEvent.change(dmips, { target: { value: '20000' } });
    fireEvent.change(screen.getByLabelText('CPU count'), { target: { value: '4' } });
    fireEvent.change(screen.getByLabelText('Instance id'), { target: { value: 'inst-7' } });
    await waitFor(() => expect(api.callsTo('preview.build').at(-1)?.node).toEqual({ maxDMIPS: 20000, cpuCount: 4, instanceId: 'inst-7' }));
    fireEvent.click(tab('Runtime spec'));
    await waitFor(() => expect(screen.getByTestId('preview-tab-runtime')).toHaveTextContent('/run/aos/runtime/inst-7/rootfs'));
  });

  it('computes the rootfs layer in the background: a spinner, then its digest', async () => {
    let rootfs: typeof ROOTFS | null = null;
    const { api } = openPreview({
      'preview.build': (input) => realPreview(input, rootfs),
      'preview.rootfs': () => rootfsStarted('rootfs-7'),
    });
    fireEvent.click(await waitFor(() => tab('Layer files')));
    expect(await screen.findByTestId('rootfs-spinner')).toBeInTheDocument();
    await waitFor(() => expect(api.callsTo('preview.rootfs')).toEqual([{ root: '/home/jane/services/hello-world' }]));
    const builds = api.callsTo('preview.build').length;

    rootfs = ROOTFS;
    act(() => {
      api.emit('job.progress', { jobId: 'rootfs-7', phase: 'rootfs', done: 50, total: 100 });
      api.emit('job.done', { jobId: 'other-job', ok: true, value: {} });
    });
    expect(screen.getByTestId('rootfs-spinner')).toBeInTheDocument();
    act(() => api.emit('job.done', { jobId: 'rootfs-7', ok: true, value: ROOTFS }));

    await waitFor(() => expect(screen.queryByTestId('rootfs-spinner')).toBeNull());
    expect(screen.getByTestId('rootfs-digest')).toHaveTextContent(ROOTFS.digest);
    expect(screen.getByTestId('rootfs-layer')).toHaveTextContent(ROOTFS.diffId);
    // The preview is rebuilt so that the manifests carry the digest.
    await waitFor(() => expect(api.callsTo('preview.build').length).toBeGreaterThan(builds));
    fireEvent.click(tab('Manifest'));
    await waitFor(() => expect(line('/manifest/v9/layers/0')?.nextSibling?.nextSibling).toHaveTextContent(ROOTFS.digest));

    // The refresh button starts it again.
    fireEvent.click(tab('Layer files'));
    fireEvent.click(screen.getByRole('button', { name: 'Recompute rootfs layer' }));
    await waitFor(() => expect(api.callsTo('preview.rootfs')).toHaveLength(2));
  });

  it('shows where a config diagnostic lands in the output', async () => {
    openPreview({}, CONFIG.replace('workingDir: /', 'workingDir: app'));
    const landing = await screen.findAllByTestId('diagnostic-landing');
    const texts = landing.map((l) => l.textContent);
    expect(texts).toContain('Image config › config.WorkingDir');
    expect(texts).toContain('Runtime spec › process.cwd');
    fireEvent.click(landing.find((l) => l.textContent === 'Runtime spec › process.cwd')!);
    await waitFor(() => expect(tab('Runtime spec')).toHaveAttribute('aria-selected', 'true'));
    const cwd = line('/runtimeSpec/v9/process/cwd')!;
    expect(cwd).toHaveAttribute('data-problem', 'error');
    expect(cwd).toHaveAttribute('data-selected');
  });

  it('a container service (crun) without cmd: an error beside the preview and a warning in it', async () => {
    const noCmd = CONFIG.replace('  cmd: python3 /usr/bin/services/hello.py\n', '');
    openPreview({}, noCmd);
    const diagnostic = await screen.findByText(/configuration\.cmd is not set: .*crun and runc refuse/, { selector: '[data-testid="diagnostics"] *' });
    expect(diagnostic.closest('[data-testid="diagnostic"]')).toHaveTextContent('configuration.cmd');
    fireEvent.click(tab('Warnings'));
    await waitFor(() => expect(screen.getAllByTestId('preview-warning').map((w) => w.textContent).join('\n')).toMatch(/no-cmd/));
  });

  it('a VM runner (xrun) without cmd: no error and no warning', async () => {
    const noCmd = CONFIG.replace('  cmd: python3 /usr/bin/services/hello.py\n', '').replace('runner: crun', 'runner: xrun');
    openPreview({}, noCmd);
    fireEvent.click(await waitFor(() => tab('Warnings')));
    await waitFor(() => expect(within(panel()).queryByText('Building the preview…')).toBeNull());
    expect(screen.queryAllByTestId('preview-warning').map((w) => w.textContent).join('\n')).not.toMatch(/no-cmd/);
    expect(within(screen.getByTestId('diagnostics')).queryByText(/configuration\.cmd is not set/)).toBeNull();
  });

  it('resolves required layers from a layer library folder once it is scanned', async () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    let scanned = false;
    const catalogue = {
      'aos-pylibs-layer': [
        { version: '1.4.0', digest, size: 155, diffId: `sha256:${'cd'.repeat(32)}` },
        { version: '2.0.0', digest: `sha256:${'ef'.repeat(32)}`, size: 155, diffId: `sha256:${'01'.repeat(32)}` },
      ],
    };
    const { api } = openPreview({
      'preview.build': (input) =>
        input.layerLibrary && scanned
          ? (JSON.parse(JSON.stringify({ ...buildPreview(parseServiceConfig(input.text), { layerCatalogue: catalogue }), rootfs: null })) as OciPreviewView)
          : realPreview(input),
      'dialog.openFolder': () => ({ path: '/home/jane/layers' }),
      'layers.scan': () => ({ jobId: 'scan-1' }),
    });
    fireEvent.click(await waitFor(() => tab('Layer files')));
    expect(await screen.findByTestId('layer-files')).toHaveTextContent('unresolved: aos-pylibs-layer 1.0.0 ≤ v < 2.0.0');

    fireEvent.click(within(screen.getByTestId('layer-library')).getByRole('button', { name: 'Browse' }));
    await waitFor(() => expect(api.callsTo('layers.scan')).toEqual([{ dir: '/home/jane/layers' }]));
    // Remembered in main's settings (browser mode's localStorage would forget it next run).
    expect(api.callsTo('settings.set')).toEqual([{ layerLibrary: '/home/jane/layers' }]);
    await waitFor(() => expect(screen.getByTestId('layer-library-status')).toHaveTextContent('scanning'));

    scanned = true;
    act(() => api.emit('job.done', { jobId: 'scan-1', ok: true, value: { dir: '/home/jane/layers', layers: 1, versions: 2, problems: [{ file: '/home/jane/layers/x/bad.tar.gz', message: 'Not a valid gzip file.' }] } }));
    await waitFor(() => expect(screen.getByTestId('required-layer-digest')).toHaveTextContent(digest));
    expect(screen.getByTestId('required-layer')).toHaveTextContent('aos-pylibs-layer 1.4.0');
    expect(screen.getByTestId('layer-files')).not.toHaveTextContent('unresolved:');
    expect(screen.getByTestId('layer-library-status')).toHaveTextContent('1 layer, 2 images');
    expect(screen.getByTestId('layer-library-problem')).toHaveTextContent('bad.tar.gz');
    expect(api.callsTo('preview.build').at(-1)).toMatchObject({ layerLibrary: '/home/jane/layers' });

    // Rescan runs the job again.
    fireEvent.click(within(screen.getByTestId('layer-library')).getByRole('button', { name: 'Rescan' }));
    await waitFor(() => expect(api.callsTo('layers.scan')).toHaveLength(2));
  });
  it('exports with the layer library the preview uses, as the CLI does', async () => {
    const { api } = openPreview({
      'settings.get': () => ({ theme: 'auto', previewTarget: 'v9', layerLibrary: '/home/jane/layers' }),
      'layers.scan': () => ({ jobId: 'scan-1' }),
      'dialog.openFolder': () => ({ path: '/home/jane/export' }),
      'preview.export': () => ({ jobId: 'export-1' }),
    });
    await waitFor(() => expect(api.callsTo('layers.scan')).toEqual([{ dir: '/home/jane/layers' }]));
    fireEvent.click(within(panel()).getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(api.callsTo('preview.export')).toHaveLength(1));
    expect(api.callsTo('preview.export')[0]).toEqual({ root: '/home/jane/services/hello-world', target: 'v9', outDir: '/home/jane/export', layerLibrary: '/home/jane/layers' });
    act(() => api.emit('job.done', { jobId: 'export-1', ok: true, value: { outDir: '/home/jane/export', target: 'v9', written: ['a', 'b'], warnings: [], layerProblems: [] } }));
  });

  it('proposes a new sub-folder before exporting into a folder that is not empty, remembers the folder, and shows the export in its folder', async () => {
    const { api } = openPreview({
      'settings.get': () => ({ theme: 'auto', previewTarget: 'v9', layerLibrary: '' }),
      'settings.set': (patch) => ({ theme: 'auto', previewTarget: 'v9', layerLibrary: '', ...patch }),
      'dialog.openFolder': () => ({ path: '/home/jane/export' }),
      'fs.browse': () => ({ path: '/home/jane/export', parent: '/home/jane', entries: [{ name: 'hello-world-oci-v9', kind: 'directory' as const, isService: false }] }),
      'preview.export': () => ({ jobId: 'export-1' }),
      'shell.showInFolder': () => ({}),
    });
    fireEvent.click(within(panel()).getByRole('button', { name: 'Export' }));
    // Beside the service folder, not in it.
    await waitFor(() => expect(api.callsTo('dialog.openFolder')).toHaveLength(1));
    expect(api.callsTo('dialog.openFolder')[0].defaultPath).toBe('/home/jane/services');
    const modal = await screen.findByRole('dialog', { name: 'Export into a new folder' });
    expect(modal).toHaveTextContent('This folder is not empty');
    expect(within(modal).getByLabelText('New folder')).toHaveValue('hello-world-oci-v9-2');
    expect(api.callsTo('preview.export')).toEqual([]);
    expect(api.callsTo('settings.set')).toContainEqual({ lastFolders: { export: '/home/jane/export' } });
    fireEvent.click(within(modal).getByRole('button', { name: 'Export into hello-world-oci-v9-2' }));
    await waitFor(() => expect(api.callsTo('preview.export')).toHaveLength(1));
    expect(api.callsTo('preview.export')[0].outDir).toBe('/home/jane/export/hello-world-oci-v9-2');
    act(() => api.emit('job.done', { jobId: 'export-1', ok: true, value: { outDir: '/home/jane/export/hello-world-oci-v9-2', target: 'v9', written: ['a', 'b'], warnings: [], layerProblems: [] } }));
    const done = await screen.findByTestId('export-done');
    fireEvent.click(within(done).getByRole('button', { name: 'Show in folder' }));
    await waitFor(() => expect(api.callsTo('shell.showInFolder')).toEqual([{ path: '/home/jane/export/hello-world-oci-v9-2' }]));
  });

  it('starts the next export where the last one went', async () => {
    const { api } = openPreview({
      'settings.get': () => ({ theme: 'auto', previewTarget: 'v9', layerLibrary: '', lastFolders: { export: '/srv/exports' } }),
      'dialog.openFolder': () => ({ path: null }),
    });
    await waitFor(() => expect(api.callsTo('settings.get')).toHaveLength(1));
    await act(async () => undefined); // its answer is in the store
    fireEvent.click(within(panel()).getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(api.callsTo('dialog.openFolder')).toHaveLength(1));
    expect(api.callsTo('dialog.openFolder')[0].defaultPath).toBe('/srv/exports');
  });

  it('never exports into the service folder itself without asking', async () => {
    const { api } = openPreview({
      'dialog.openFolder': () => ({ path: '/home/jane/services/hello-world' }),
      'fs.browse': () => ({ path: '/home/jane/services/hello-world', parent: '/home/jane/services', entries: [{ name: 'meta', kind: 'directory' as const, isService: false }] }),
    });
    fireEvent.click(within(panel()).getByRole('button', { name: 'Export' }));
    const modal = await screen.findByRole('dialog', { name: 'Export into a new folder' });
    expect(modal).toHaveTextContent('This is the service folder');
    expect(within(modal).getByLabelText('New folder')).toHaveValue('hello-world-oci-v9');
    expect(api.callsTo('preview.export')).toEqual([]);
  });
});

describe('while the rootfs layer is not computed', { timeout: 20_000 }, () => {
  it('shows "computing…" where its digest goes, never the zero stand-in, then the real digest', async () => {
    let rootfs: typeof ROOTFS | null = null;
    const { api } = openPreview({
      'preview.build': (input) => realPreview(input, rootfs),
      'preview.rootfs': () => rootfsStarted('rootfs-9'),
    });
    await waitFor(() => expect(line('/imageConfig/rootfs/diff_ids/0')).toHaveTextContent('computing…'));
    expect(panel()).not.toHaveTextContent('sha256:0000000000');
    fireEvent.click(tab('Manifest'));
    await waitFor(() => expect(screen.getByTestId('preview-tab-manifest')).toHaveTextContent('aosItemConfig'));
    for (const p of ['/manifest/v9/layers/0/digest', '/manifest/v9/layers/0/size', '/manifest/v9/config/digest', '/index/manifests/0/digest']) {
      expect(line(p)).toHaveTextContent('computing…');
    }
    expect(panel()).not.toHaveTextContent('sha256:0000000000');

    rootfs = ROOTFS;
    act(() => api.emit('job.done', { jobId: 'rootfs-9', ok: true, value: ROOTFS }));
    await waitFor(() => expect(line('/manifest/v9/layers/0/digest')).toHaveTextContent(ROOTFS.digest));
    expect(screen.queryAllByTestId('pending-value')).toEqual([]);
  });

  it('says "not computed" when computing it failed', async () => {
    const { api } = openPreview({ 'preview.rootfs': () => rootfsStarted('rootfs-err') });
    await waitFor(() => expect(line('/imageConfig/rootfs/diff_ids/0')).toHaveTextContent('computing…'));
    await waitFor(() => expect(api.callsTo('preview.rootfs')).toHaveLength(1));
    act(() => api.emit('job.done', { jobId: 'rootfs-err', ok: false, error: { code: 'bundle', message: 'src/dev/tty0 is a char-device' } }));
    await waitFor(() => expect(line('/imageConfig/rootfs/diff_ids/0')).toHaveTextContent('not computed'));
    expect(panel()).not.toHaveTextContent('sha256:0000000000');
  });
});
