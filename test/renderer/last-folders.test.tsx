// Path pickers start in the folder last used for the same purpose, kept by main in the
// settings (settings.lastFolders through settings.get / settings.set), never localStorage.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from './app-harness';
import { snapshotOf } from './fixtures';
import { renderService } from './service-helpers';
import { P12, SUMMARY } from './sign-fixtures';

// The whole app in jsdom, on a machine other jobs share: a wide time limit.
const SLOW = { timeout: 240_000 };

const SETTINGS = { theme: 'auto' as const, previewTarget: 'v9' as const, layerLibrary: '' };

describe('last-folder memory', () => {
  it('"Open" starts where the last opened service was and remembers the new place', SLOW, async () => {
    const { api } = renderApp({
      'settings.get': () => ({ ...SETTINGS, lastFolders: { open: '/srv/old-services', export: '/srv/exports' } }),
      'settings.set': (patch) => ({ ...SETTINGS, ...patch }),
      'dialog.openFolder': () => ({ path: '/srv/services/hello-world' }),
      'service.open': () => snapshotOf(),
    });
    await waitFor(() => expect(api.callsTo('settings.get')).toHaveLength(1));
    await act(async () => undefined);
    fireEvent.click(screen.getByText('Open service or layer bundle'));
    await screen.findByTestId('service-name');
    expect(api.callsTo('dialog.openFolder')).toEqual([{ title: 'Open a service or layer bundle folder', defaultPath: '/srv/old-services' }]);
    expect(api.callsTo('settings.set')).toEqual([{ lastFolders: { open: '/srv/services', export: '/srv/exports' } }]);
  });

  it('the sign step\'s "Save as…" starts in the folder of the last bundle saved as, and remembers it', SLOW, async () => {
    const { api } = renderService(snapshotOf(), {
      'settings.get': () => ({ ...SETTINGS, lastFolders: { signOutput: '/srv/bundles' } }),
      'settings.set': (patch) => ({ ...SETTINGS, ...patch }),
      'credentials.forService': () => ({ file: P12, summary: SUMMARY }),
      'dialog.saveFile': () => ({ path: '/srv/releases/hello.tar.gz', grant: 'grant-1' }),
    });
    await waitFor(() => expect(api.callsTo('settings.get')).toHaveLength(1));
    await act(async () => undefined);
    fireEvent.click(screen.getByTestId('open-sign'));
    const drawer = await screen.findByRole('dialog', { name: /Sign the service bundle/ });
    await within(drawer).findByTestId('signer-card');
    fireEvent.click(within(drawer).getByRole('button', { name: 'Save as…' }));
    await waitFor(() => expect(within(drawer).getByLabelText(/Output file/)).toHaveValue('/srv/releases/hello.tar.gz'));
    expect(api.callsTo('dialog.saveFile')).toEqual([{ title: 'Save the signed bundle', extensions: ['tar.gz'], defaultPath: '/srv/bundles/service.tar.gz' }]);
    expect(api.callsTo('settings.set')).toEqual([{ lastFolders: { signOutput: '/srv/releases' } }]);
  });

  it('the native file dialog starts in the folder of the bundle picked last', SLOW, async () => {
    const { api } = renderApp({
      'settings.get': () => ({ ...SETTINGS, lastFolders: { verify: '/srv/bundles' } }),
      'settings.set': (patch) => ({ ...SETTINGS, ...patch }),
      'dialog.openFiles': () => ({ paths: [] }),
    });
    await waitFor(() => expect(api.callsTo('settings.get')).toHaveLength(1));
    await act(async () => undefined);
    fireEvent.click(screen.getByText('Verify bundle'));
    const modal = await screen.findByRole('dialog', { name: /Verify a bundle/ });
    fireEvent.click(within(modal).getAllByRole('button', { name: 'Browse…' })[0]);
    await waitFor(() => expect(api.callsTo('dialog.openFiles')).toHaveLength(1));
    expect(api.callsTo('dialog.openFiles')[0]).toMatchObject({ defaultPath: '/srv/bundles' });
  });
});
