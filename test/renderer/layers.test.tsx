// The Layers screen: the catalog from 'layers.catalog', a version's detail tabs (libraries
// searchable and sortable with their sources, OS features, files with whiteouts,
// dependants), and Remove version: refused with the dependants shown, or confirmed with the
// files named and exactly those sent back.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { JobChannel, JobResult, LayerCatalogView, LayerInspectionView, LayerRemovalPlanView } from '../../src/shared/contract';
import type { FakeApi } from '../../src/renderer/api/fake';
import { LayersScreen } from '../../src/renderer/layers/LayersScreen';
import { renderWithApi } from './render';

const version = (v: string, dependants: number) => ({ uid: 'pylibs', version: v, os: 'linux', architecture: 'amd64', file: `/lib/pylibs/linux-amd64-${v}.tar.gz`, size: 2048, dependants });
const CATALOG: LayerCatalogView = {
  library: '/lib',
  workspace: '/work',
  layers: [{ uid: 'pylibs', folder: '/lib/pylibs', versions: [version('1.1.0', 1), version('1.0.0', 0)], architectures: ['amd64'], dependants: 1 }],
  consumers: { services: 1, bundles: 0 },
  problems: [],
};
const REPORT: LayerInspectionView = {
  source: '/lib/pylibs/linux-amd64-1.1.0.tar.gz',
  form: 'oci-layer',
  digest: 'sha256:abc',
  size: 2048,
  files: { count: 3, bytes: 300, folders: [] },
  whiteouts: [{ path: '.wh.gone', hides: 'gone', kind: 'whiteout' }],
  whiteoutsTruncated: false,
  libraries: [
    { name: 'zlib1g', version: '1:1.2.13', kind: 'dpkg', source: 'var/lib/dpkg/status' },
    { name: 'left-pad', version: '1.3.0', kind: 'npm', source: 'usr/lib/node_modules/left-pad/package.json' },
    { name: 'requests', version: '2.31.0', kind: 'python-dist-info', source: 'usr/lib/python3/requests-2.31.0.dist-info/METADATA' },
  ],
  librariesTruncated: false,
  osFeatures: ['left-pad', 'requests', 'zlib1g'],
  problems: [],
  entries: [
    { path: 'usr', type: 'directory', size: 0 },
    { path: 'usr/lib', type: 'directory', size: 0 },
    { path: 'usr/lib/a.so', type: 'file', size: 300 },
    { path: '.wh.gone', type: 'file', size: 0 },
  ],
  entriesTruncated: false,
};
const DEPENDANT = { kind: 'service' as const, root: '/work/svc', configPath: '/work/svc/meta/config.yaml', name: 'svc', from: 'workspace' as const, range: '1.0.0 ≤ v < 2.0.0', architecture: 'amd64', line: 5 };

function setup(plans: Record<string, LayerRemovalPlanView>, extra: { pathForFile?: (f: File) => string | null } = {}) {
  const holder: { api?: FakeApi } = {};
  let n = 0;
  const job = <C extends JobChannel>(value: JobResult<C>) => () => {
    const jobId = `job-${++n}`;
    setTimeout(() => holder.api!.emit('job.done', { jobId, ok: true, value }), 0);
    return { jobId };
  };
  const rendered = renderWithApi(<LayersScreen onBack={() => undefined} />, {
    'settings.get': () => ({ theme: 'light', previewTarget: 'v9', layerLibrary: '/lib', layerWorkspace: '/work' }),
    'settings.set': (p) => ({ theme: 'light', previewTarget: 'v9', layerLibrary: '/lib', ...p }),
    'layers.catalog': job<'layers.catalog'>(CATALOG),
    'layers.inspect': job<'layers.inspect'>(REPORT),
    'layers.dependants': ({ version: v }) => ({ dependants: v === '1.1.0' ? [DEPENDANT] : [] }),
    'layers.removePlan': ({ version: v }) => plans[v],
    'layers.remove': ({ confirmedFiles }) => ({ removed: confirmedFiles, removedLayer: false }),
  }, extra);
  holder.api = rendered.api;
  return rendered;
}

const REFUSED: LayerRemovalPlanView = { allowed: false, message: 'Not removed: 1 service selects pylibs 1.1.0 (linux/amd64) today.', dependants: [DEPENDANT], files: [], removesLayer: false, layerFolder: '/lib/pylibs' };
const ALLOWED: LayerRemovalPlanView = { allowed: true, message: 'No known service or bundle selects pylibs 1.0.0.', dependants: [], files: ['/lib/pylibs/linux-amd64-1.0.0.tar.gz'], removesLayer: false, layerFolder: '/lib/pylibs' };

// jsdom has no layout: give the Files tree's scroller a viewport (the virtual list reads clientHeight).
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600);
});
afterEach(() => vi.restoreAllMocks());

describe('Layers screen', () => {
  it('lists the catalog with versions, architectures and dependants', async () => {
    setup({});
    const table = await screen.findByTestId('catalog', {}, { timeout: 15000 });
    const rows = within(table).getAllByTestId('catalog-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('pylibs');
    expect(rows[0]).toHaveTextContent('2 versions · amd64 · 1 dependant');
    expect(rows[0]).toHaveTextContent('1.1.0');
    expect(rows[1]).toHaveTextContent('none');
  });

  it('shows a version in tabs: libraries searchable and sortable with their source, OS features, files with whiteouts, dependants', async () => {
    const user = userEvent.setup();
    setup({});
    await user.click(await screen.findByRole('button', { name: 'Open pylibs 1.1.0 amd64' }, { timeout: 15000 }));
    const table = await screen.findByTestId('libraries', {}, { timeout: 15000 });
    const names = () => within(table).getAllByTestId('library-row').map((r) => r.querySelector('td')!.textContent);
    expect(names()).toEqual(['left-pad', 'requests', 'zlib1g']);
    expect(within(table).getAllByTestId('library-row')[0]).toHaveTextContent('npm package.jsonusr/lib/node_modules/left-pad/package.json');
    await user.click(within(table).getByRole('button', { name: 'Library' }));
    expect(names()).toEqual(['zlib1g', 'requests', 'left-pad']);
    expect(within(table).getByRole('columnheader', { name: /Library/ })).toHaveAttribute('aria-sort', 'descending');
    await user.click(within(table).getByRole('button', { name: 'Fact from' }));
    expect(names()).toEqual(['zlib1g', 'left-pad', 'requests']);
    await user.type(screen.getByLabelText('Search libraries'), 'dist-info');
    expect(names()).toEqual(['requests']);
    expect(screen.getByText('1 of 3 libraries')).toBeInTheDocument();

    await user.click(screen.getByRole('tab', { name: /OS features/ }));
    expect(within(await screen.findByTestId('os-features')).getAllByText(/left-pad|requests|zlib1g/)).toHaveLength(3);

    await user.click(screen.getByRole('tab', { name: /Files/ }));
    const tree = await screen.findByRole('tree', { name: 'Files of the layer' });
    expect(within(tree).getByText('whiteout: hides gone')).toBeInTheDocument();
    expect(within(tree).queryByText('a.so')).toBeNull();
    fireEvent.click(within(tree).getByText('usr'));
    fireEvent.click(within(tree).getByText('lib'));
    expect(within(tree).getByText('a.so')).toBeInTheDocument();

    await user.click(screen.getByRole('tab', { name: /Dependants/ }));
    const deps = await screen.findByTestId('dependants');
    expect(deps).toHaveTextContent('svc');
    expect(deps).toHaveTextContent('/work/svc/meta/config.yaml:5');
  });

  it('Remove version refused: shows the dependants and offers no delete', async () => {
    const user = userEvent.setup();
    const { api } = setup({ '1.1.0': REFUSED });
    await user.click(await screen.findByRole('button', { name: 'Open pylibs 1.1.0 amd64' }, { timeout: 15000 }));
    await user.click(await screen.findByRole('button', { name: 'Remove version' }));
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByTestId('removal-refused')).toHaveTextContent('Not removed');
    expect(within(dialog).getByTestId('dependants')).toHaveTextContent('svc');
    expect(within(dialog).queryByRole('button', { name: /Delete/ })).toBeNull();
    expect(api.callsTo('layers.remove')).toEqual([]);
  });

  it('Remove version allowed: names the files, and sends exactly them back', async () => {
    const user = userEvent.setup();
    const { api } = setup({ '1.0.0': ALLOWED });
    await user.click(await screen.findByRole('button', { name: 'Open pylibs 1.0.0 amd64' }, { timeout: 15000 }));
    await user.click(await screen.findByRole('button', { name: 'Remove version' }));
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByTestId('removal-files')).toHaveTextContent('/lib/pylibs/linux-amd64-1.0.0.tar.gz');
    await user.click(within(dialog).getByRole('button', { name: 'Delete 1 file' }));
    await waitFor(() => expect(api.callsTo('layers.remove')).toEqual([expect.objectContaining({ uid: 'pylibs', version: '1.0.0', architecture: 'amd64', confirmedFiles: ALLOWED.files })]));
  });

  it('inspects a layer image dropped anywhere on the screen (desktop app), as a file outside the catalog', async () => {
    const { api } = setup({}, { pathForFile: () => '/downloads/linux-arm64-3.0.0.tar.gz' });
    await screen.findByTestId('catalog', {}, { timeout: 15000 });
    const drag = (type: string, files: File[] = []) => {
      const event = new Event(type, { bubbles: true, cancelable: true });
      Object.assign(event, { dataTransfer: { types: ['Files'], files, dropEffect: 'copy' } });
      return event;
    };
    act(() => void document.dispatchEvent(drag('dragenter')));
    expect(screen.getByTestId('layer-drop-overlay')).toHaveTextContent('Drop a layer image to inspect it');
    act(() => void document.dispatchEvent(drag('drop', [new File(['x'], 'linux-arm64-3.0.0.tar.gz')])));
    await waitFor(() => expect(api.callsTo('layers.inspect')).toEqual([{ path: '/downloads/linux-arm64-3.0.0.tar.gz' }]));
    expect(await screen.findByText('not in the catalog')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Remove version' })).toBeNull();
    expect(screen.queryByTestId('layer-drop-overlay')).toBeNull();
  });

  it('offers dropping a layer image only where a drop works: the desktop app, not browser mode', async () => {
    const desktop = setup({}, { pathForFile: () => null });
    await screen.findByTestId('catalog', {}, { timeout: 15000 });
    expect(screen.getByText(/Drop a layer image anywhere here to inspect it\./)).toBeInTheDocument();
    desktop.unmount();
    setup({});
    await screen.findByTestId('catalog', {}, { timeout: 15000 });
    expect(screen.getByText(/The layer library is the catalog/)).toBeInTheDocument();
    expect(screen.queryByText(/Drop a layer image/)).toBeNull();
  });
});
