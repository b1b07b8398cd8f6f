// Settings come from main (settings.get) and go back to it (settings.set), not localStorage:
// browser mode's page has a new origin every run.
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SettingsStore } from '../../src/renderer/app/settings';
import { createFakeApi } from '../../src/renderer/api/fake';
import type { AppSettings } from '../../src/shared/contract';
import { renderApp } from './app-harness';
import { deferred } from './preview-support';

const scheme = () => document.documentElement.getAttribute('data-mantine-color-scheme');

describe('app settings', () => {
  it('opens in the theme main keeps, and the theme toggle stores the new one with settings.set', async () => {
    const { api } = renderApp({
      'settings.get': () => ({ theme: 'dark', previewTarget: 'v9', layerLibrary: '' }),
      'settings.set': (patch) => ({ theme: 'dark', previewTarget: 'v9', layerLibrary: '', ...patch }),
    });
    await waitFor(() => expect(scheme()).toBe('dark'));
    fireEvent.click(await screen.findByRole('button', { name: 'Toggle color scheme' }));
    await waitFor(() => expect(api.callsTo('settings.set')).toEqual([{ theme: 'light' }]));
    expect(scheme()).toBe('light');
    expect(localStorage.length).toBe(0);
  });

  it('a change made before settings.get answers is kept, and not sent twice', async () => {
    const answer = deferred<AppSettings>();
    const api = createFakeApi({ 'settings.get': () => answer.promise, 'settings.set': () => answer.promise });
    const store = new SettingsStore(api);
    void store.load();
    store.update({ previewTarget: 'v8' });
    store.update({ previewTarget: 'v8' });
    answer.resolve({ theme: 'dark', previewTarget: 'v9', layerLibrary: '/srv/layers' });
    await store.load();
    expect(store.get()).toEqual({ theme: 'dark', previewTarget: 'v8', layerLibrary: '/srv/layers' });
    expect(api.callsTo('settings.set')).toEqual([{ previewTarget: 'v8' }]);
  });
});
