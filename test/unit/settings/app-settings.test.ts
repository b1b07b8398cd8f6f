import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppSettingsStore, DEFAULT_SETTINGS, SETTINGS_FILE } from '../../../src/main/core/settings/app-settings';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest();

describe('app settings', () => {
  it('answers the defaults before anything is stored', async () => {
    expect(await new AppSettingsStore(join(tmp.path, 'none')).get()).toEqual({ theme: 'auto', previewTarget: 'v9', layerLibrary: '' });
  });

  it('stores changes in settings.json and reads them back from a new store', async () => {
    const dir = join(tmp.path, 'config');
    expect(await new AppSettingsStore(dir).set({ theme: 'dark' })).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
    expect(await new AppSettingsStore(dir).set({ previewTarget: 'v8' })).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', previewTarget: 'v8' });
    expect(await new AppSettingsStore(dir).get()).toEqual({ theme: 'dark', previewTarget: 'v8', layerLibrary: '' });
    expect(JSON.parse(await readFile(join(dir, SETTINGS_FILE), 'utf8'))).toEqual({ theme: 'dark', previewTarget: 'v8', layerLibrary: '' });
    // Written atomically: no temp file left beside it.
    expect(await readdir(dir)).toEqual([SETTINGS_FILE]);
  });

  it('loses no change when several come at once', async () => {
    const store = new AppSettingsStore(tmp.path);
    await Promise.all([store.set({ theme: 'light' }), store.set({ previewTarget: 'v8' }), store.set({ layerLibrary: '/srv/layers' })]);
    expect(await new AppSettingsStore(tmp.path).get()).toEqual({ theme: 'light', previewTarget: 'v8', layerLibrary: '/srv/layers' });
  });

  it('falls back to defaults for a corrupt file, and per field for wrong values', async () => {
    const file = join(tmp.path, SETTINGS_FILE);
    const store = new AppSettingsStore(tmp.path);
    await writeFile(file, '{"theme": "dark",');
    expect(await store.get()).toEqual(DEFAULT_SETTINGS);
    await writeFile(file, '[1, 2]');
    expect(await store.get()).toEqual(DEFAULT_SETTINGS);
    await writeFile(file, JSON.stringify({ theme: 'purple', previewTarget: 'v8', layerLibrary: 42, extra: true }));
    expect(await store.get()).toEqual({ theme: 'auto', previewTarget: 'v8', layerLibrary: '' });
    // The next change writes a clean file.
    await store.set({ theme: 'dark' });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ theme: 'dark', previewTarget: 'v8', layerLibrary: '' });
  });
});
