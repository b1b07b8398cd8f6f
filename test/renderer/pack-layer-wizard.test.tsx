// The Pack layer wizard, step by step: the rootfs and parent steps, the version and
// architecture checks at their fields, the dry-run preview ('layers.plan') with counts, sizes
// and whiteouts marked, the pack job with its progress and Cancel (the wizard says no layer
// was written only once main reports the job cancelled), the result with digest, size and
// diff_id, and "Add to a layer bundle" (the layer-bundle wizard with the image prefilled) or
// "Add to the catalog".
import userEvent from '@testing-library/user-event';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LayerPlanView, PackedLayerView } from '../../src/shared/contract';
import { renderApp } from './app-harness';

const errorOf = (input: HTMLElement) => input.closest('.mantine-InputWrapper-root')?.querySelector('.mantine-InputWrapper-error')?.textContent ?? null;
const click = (name: string) => fireEvent.click(screen.getByRole('button', { name }));

const PLAN: LayerPlanView = {
  file: '/home/jane/build/linux-arm64-1.2.0.tar.gz',
  added: { paths: [{ path: '/usr/lib/python3/requests/__init__.py', type: 'file', size: 2048 }], count: 1, bytes: 2048, truncated: false },
  changed: { paths: [{ path: '/etc/motd', type: 'file', size: 12 }], count: 1, bytes: 12, truncated: false },
  deleted: {
    paths: [
      { path: '/etc/old.conf', type: 'file', size: 5, by: 'whiteout' },
      { path: '/usr/share/doc', type: 'directory', size: 4096, by: 'opaque' },
    ],
    count: 2,
    bytes: 4101,
    truncated: false,
  },
  converted: [],
  entries: 9,
  files: 2,
  bytes: 2060,
  warnings: [],
};

const PACKED: PackedLayerView = {
  file: '/home/jane/build/linux-arm64-1.2.0.tar.gz',
  descriptorFile: '/home/jane/build/linux-arm64-1.2.0.layer.json',
  digest: `sha256:${'a'.repeat(64)}`,
  size: 4321,
  diffId: `sha256:${'b'.repeat(64)}`,
  os: 'linux',
  architecture: 'arm64',
  version: '1.2.0',
};

async function toPreview() {
  const folders = ['/home/jane/build/base'];
  const result = renderApp({
    'dialog.openFolder': () => ({ path: folders.shift() ?? null }),
    'layers.plan': () => ({ jobId: 'plan-1' }),
    'layers.pack': () => ({ jobId: 'pack-1' }),
    'job.cancel': () => ({ cancelled: true }),
    'job.status': () => ({ state: 'running' }),
    'layers.add': ({ library, uid }) => ({ file: `${library}/${uid}/linux-arm64-1.2.0.tar.gz` }),
  });
  fireEvent.click(await screen.findByText('Pack layer'));
  // Step 1: the rootfs is required.
  click('Next');
  expect(errorOf(screen.getByLabelText('Root filesystem folder'))).toMatch(/Choose the root filesystem/);
  fireEvent.change(screen.getByLabelText('Root filesystem folder'), { target: { value: '/home/jane/build/rootfs' } });
  click('Next');
  // Step 2: optional parents, base first.
  expect(await screen.findByTestId('no-parent')).toHaveTextContent('every file of the root filesystem goes into the layer');
  click('Add parent folder…');
  await waitFor(() => expect(screen.getAllByTestId('pack-parent')).toHaveLength(1));
  expect(screen.getByTestId('pack-parent')).toHaveTextContent('base');
  expect(screen.getByTestId('pack-parent')).toHaveTextContent('/home/jane/build/base');
  click('Next');
  // Step 3: strict SemVer and an architecture.
  fireEvent.change(screen.getByLabelText('Version'), { target: { value: 'v1.2' } });
  click('Preview');
  expect(errorOf(screen.getByLabelText('Version'))).toMatch(/strict SemVer/);
  expect(errorOf(screen.getByTestId('pack-architecture'))).toMatch(/Choose the architecture/);
  expect(result.api.callsTo('layers.plan')).toEqual([]);
  fireEvent.change(screen.getByLabelText('Version'), { target: { value: '1.2.0' } });
  fireEvent.click(screen.getByTestId('pack-architecture'));
  fireEvent.click(await screen.findByRole('option', { name: 'arm64' }));
  // The output folder followed the rootfs: beside it.
  expect(screen.getByLabelText('Output folder')).toHaveValue('/home/jane/build');
  expect(screen.getByTestId('pack-file-name')).toHaveTextContent('/home/jane/build/linux-arm64-1.2.0.tar.gz');
  click('Preview');
  await waitFor(() => expect(result.api.callsTo('layers.plan')).toHaveLength(1));
  return result;
}

describe('Pack layer wizard', () => {
  it('sends the OS features typed in (each once) with the dry run and the pack', async () => {
    const result = renderApp({
      'layers.plan': () => ({ jobId: 'plan-1' }),
      'layers.pack': () => ({ jobId: 'pack-1' }),
      'job.status': () => ({ state: 'running' }),
    });
    fireEvent.click(await screen.findByText('Pack layer'));
    fireEvent.change(await screen.findByLabelText('Root filesystem folder'), { target: { value: '/home/jane/build/rootfs' } });
    click('Next');
    await screen.findByTestId('no-parent');
    click('Next');
    fireEvent.click(screen.getByTestId('pack-architecture'));
    fireEvent.click(await screen.findByRole('option', { name: 'amd64' }));
    const features = screen.getByRole('combobox', { name: 'OS features' });
    for (const f of ['python3-requests', 'libssl3', 'python3-requests']) await userEvent.type(features, `${f}{Enter}`);
    click('Preview');
    await waitFor(() => expect(result.api.callsTo('layers.plan')).toHaveLength(1));
    expect(result.api.callsTo('layers.plan')[0]).toMatchObject({ architecture: 'amd64', osFeatures: ['python3-requests', 'libssl3'] });
    act(() => result.api.emit('job.done', { jobId: 'plan-1', ok: true, value: PLAN }));
    await screen.findByTestId('plan-preview');
    click('Pack layer');
    await waitFor(() => expect(result.api.callsTo('layers.pack')).toHaveLength(1));
    expect(result.api.callsTo('layers.pack')[0]).toMatchObject({ osFeatures: ['python3-requests', 'libssl3'] });
  });

  it('asks the dry run with the fields as given and shows added, changed and deleted with whiteouts marked', async () => {
    const { api } = await toPreview();
    expect(api.callsTo('layers.plan')[0]).toEqual({ rootfs: '/home/jane/build/rootfs', parents: ['/home/jane/build/base'], version: '1.2.0', architecture: 'arm64', os: 'linux', outDir: '/home/jane/build' });
    expect(screen.getByRole('button', { name: 'Pack layer' })).toBeDisabled();
    act(() => api.emit('job.done', { jobId: 'plan-1', ok: true, value: PLAN }));
    const preview = await screen.findByTestId('plan-preview');
    expect(preview).toHaveTextContent('Nothing is written yet');
    expect(screen.getByRole('tab', { name: /Added/ })).toHaveTextContent('Added (2.0 KiB)1');
    expect(screen.getByRole('tab', { name: /Deleted/ })).toHaveTextContent('2');
    expect(screen.getByTestId('plan-added')).toHaveTextContent('/usr/lib/python3/requests/__init__.py');
    fireEvent.click(screen.getByRole('tab', { name: /Deleted/ }));
    const deleted = await screen.findByTestId('plan-deleted');
    const rows = within(deleted).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('/etc/old.conf');
    expect(rows[0]).toHaveTextContent('.wh.');
    expect(rows[1]).toHaveTextContent('/usr/share/doc/');
    expect(rows[1]).toHaveTextContent('.wh..wh..opq');
  });

  it('packs with a progress bar, and says no layer was written only after main reports the cancel', async () => {
    const { api } = await toPreview();
    act(() => api.emit('job.done', { jobId: 'plan-1', ok: true, value: PLAN }));
    await screen.findByTestId('plan-preview');
    click('Pack layer');
    await waitFor(() => expect(api.callsTo('layers.pack')).toHaveLength(1));
    act(() => api.emit('job.progress', { jobId: 'pack-1', phase: 'pack', done: 1024, total: 2048, filesDone: 1, filesTotal: 2 }));
    expect(await screen.findByTestId('pack-progress')).toHaveTextContent('Packing: 1.0 KiB of 2.0 KiB, 1 of 2 files');
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '50');
    click('Cancel');
    await waitFor(() => expect(api.callsTo('job.cancel')).toEqual([{ jobId: 'pack-1' }]));
    expect(screen.queryByText('No layer was written.')).toBeNull();
    act(() => api.emit('job.done', { jobId: 'pack-1', ok: false, error: { code: 'cancelled', message: 'Cancelled.' } }));
    expect(await screen.findByText('No layer was written.')).toBeInTheDocument();
    expect(screen.getByTestId('plan-preview')).toBeInTheDocument();
  });

  it('shows digest, size and diff_id, and opens the layer-bundle wizard with the image prefilled', async () => {
    const { api } = await toPreview();
    act(() => api.emit('job.done', { jobId: 'plan-1', ok: true, value: PLAN }));
    await screen.findByTestId('plan-preview');
    click('Pack layer');
    await waitFor(() => expect(api.callsTo('layers.pack')).toHaveLength(1));
    act(() => api.emit('job.done', { jobId: 'pack-1', ok: true, value: PACKED }));
    expect(await screen.findByTestId('pack-digest')).toHaveTextContent(PACKED.digest);
    expect(screen.getByTestId('pack-diff-id')).toHaveTextContent(PACKED.diffId);
    expect(screen.getByTestId('pack-size')).toHaveTextContent('4321 bytes');
    click('Add to a layer bundle');
    expect(await screen.findByRole('heading', { name: 'New layer bundle' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText('Parent folder')).toHaveValue('/home/jane/services'));
    fireEvent.change(screen.getByLabelText('Bundle folder name'), { target: { value: 'pylibs-bundle' } });
    click('Next');
    expect(await screen.findByLabelText('Version')).toHaveValue('1.2.0');
    fireEvent.change(screen.getByLabelText('Codename'), { target: { value: 'pylibs' } });
    click('Next');
    // The packed image is the item's image, its platform read from the file name.
    expect(await screen.findByText(PACKED.file, { exact: false })).toBeInTheDocument();
    expect(screen.getByLabelText('Architecture of image 1')).toHaveValue('arm64');
  });

  it("names the image's own descriptor, and an older layer.json the pack removed because it described the image replaced", async () => {
    const { api } = await toPreview();
    act(() => api.emit('job.done', { jobId: 'plan-1', ok: true, value: PLAN }));
    await screen.findByTestId('plan-preview');
    click('Pack layer');
    await waitFor(() => expect(api.callsTo('layers.pack')).toHaveLength(1));
    act(() => api.emit('job.done', { jobId: 'pack-1', ok: true, value: { ...PACKED, supersededDescriptor: '/home/jane/build/layer.json' } }));
    const result = await screen.findByTestId('pack-result');
    expect(result).toHaveTextContent('its descriptor /home/jane/build/linux-arm64-1.2.0.layer.json');
    expect(result).toHaveTextContent("Removed /home/jane/build/layer.json: an older pack's descriptor of the image this one replaced.");
  });

  it('adds the image to the catalog under the uid asked for', async () => {
    const { api } = await toPreview();
    act(() => api.emit('job.done', { jobId: 'plan-1', ok: true, value: PLAN }));
    await screen.findByTestId('plan-preview');
    click('Pack layer');
    await waitFor(() => expect(api.callsTo('layers.pack')).toHaveLength(1));
    act(() => api.emit('job.done', { jobId: 'pack-1', ok: true, value: PACKED }));
    fireEvent.click(await screen.findByRole('button', { name: 'Add to the catalog' }));
    click('Copy into the catalog');
    expect(errorOf(screen.getByLabelText('Layer uid'))).toMatch(/Enter the layer's uid/);
    expect(errorOf(screen.getByLabelText('Layer library folder'))).toMatch(/Choose the layer library folder/);
    fireEvent.change(screen.getByLabelText('Layer library folder'), { target: { value: '/srv/layers' } });
    fireEvent.change(screen.getByLabelText('Layer uid'), { target: { value: 'pylibs' } });
    click('Copy into the catalog');
    expect(await screen.findByTestId('catalog-added')).toHaveTextContent('/srv/layers/pylibs/linux-arm64-1.2.0.tar.gz');
    expect(api.callsTo('layers.add')).toEqual([{ file: PACKED.file, library: '/srv/layers', uid: 'pylibs' }]);
  });
});
