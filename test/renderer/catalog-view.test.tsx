// The range picker's catalog view: for a service's configuration.layers range, every version
// of the layer in the layer library, the highest match marked as the one assumed selected, and
// why the others do not match; it follows the range as it is edited.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { LayerCatalogView } from '../../src/shared/contract';
import { forgetCatalogVersions } from '../../src/renderer/common/use-catalog-versions';
import { snapshotOf } from './fixtures';
import { renderService } from './service-helpers';

const version = (v: string, architecture = 'amd64') => ({ uid: 'aos-pylibs-layer', version: v, os: 'linux', architecture, file: `/srv/layers/aos-pylibs-layer/linux-${architecture}-${v}.tar.gz`, size: 10, dependants: 0 });

const CATALOG: LayerCatalogView = {
  library: '/srv/layers',
  layers: [
    {
      uid: 'aos-pylibs-layer',
      folder: '/srv/layers/aos-pylibs-layer',
      versions: [version('2.0.0'), version('1.5.0'), version('1.5.0', 'arm64'), version('1.0.0-rc.1')],
      architectures: ['amd64', 'arm64'],
      dependants: 0,
    },
  ],
  consumers: { services: 0, bundles: 0 },
  problems: [],
};

afterEach(() => forgetCatalogVersions());

function statuses() {
  return within(screen.getByTestId('catalog-matches'))
    .getAllByRole('row')
    .slice(1)
    .map((r) => { const cells = (r as HTMLTableRowElement).cells; return `${cells[0].textContent} ${cells[1].textContent} ${r.getAttribute('data-status')}`; });
}

describe('range picker catalog view', () => {
  it('lists the library versions of the layer, marks the highest match selected and says why others do not match', { timeout: 180_000 }, async () => {
    const { api } = renderService(snapshotOf(), {
      'settings.get': () => ({ theme: 'light', previewTarget: 'v9', layerLibrary: '/srv/layers' }),
      'layers.catalog': () => ({ jobId: 'cat-1' }),
    });
    fireEvent.click(screen.getByRole('tab', { name: 'Layers' }));
    await waitFor(() => expect(api.callsTo('layers.catalog')).toEqual([{ library: '/srv/layers' }]));
    expect(screen.getByTestId('catalog-view')).toHaveTextContent('Reading the layer library /srv/layers');
    act(() => api.emit('job.done', { jobId: 'cat-1', ok: true, value: CATALOG }));
    await waitFor(() => expect(screen.getByTestId('catalog-matches')).toBeInTheDocument(), { timeout: 10_000 });
    // The fixture's range is 1.0.0 ≤ v < 2.0.0 and its build.arch x86 (amd64).
    expect(statuses()).toEqual(['2.0.0 amd64 outside-range', '1.5.0 amd64 selected', '1.5.0 arm64 architecture', '1.0.0-rc.1 amd64 prerelease']);
    const view = screen.getByTestId('catalog-view');
    expect(view).toHaveTextContent('Bundle Studio assumes the highest matching one');
    expect(view).toHaveTextContent('a pre-release of 1.0.0: by SemVer precedence it comes before 1.0.0');
    expect(view).toHaveTextContent('for arm64; the architecture here is amd64');

    // Widening the range moves the selection.
    fireEvent.change(screen.getByLabelText('Maximum version maxVersion'), { target: { value: '3.0.0' } });
    await waitFor(() => expect(statuses()[0]).toBe('2.0.0 amd64 selected'), { timeout: 10_000 });
    expect(statuses()[1]).toBe('1.5.0 amd64 matches');
  });

  it('says how to get a catalog view when no layer library is set', async () => {
    renderService();
    fireEvent.click(screen.getByRole('tab', { name: 'Layers' }));
    expect(await screen.findByTestId('catalog-view')).toHaveTextContent('Choose a layer library');
  });
});
