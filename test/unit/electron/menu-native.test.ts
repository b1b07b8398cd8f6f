import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate, type MenuItemTemplate } from '../../../src/main/electron/menu';
import { createNativeDialogs, openFilesDialogOptions, openFolderDialogOptions, saveFileDialogOptions } from '../../../src/main/electron/native';

function flatten(items: MenuItemTemplate[]): MenuItemTemplate[] {
  return items.flatMap((i) => [i, ...flatten(i.submenu ?? [])]);
}

describe('application menu', () => {
  it('File menu sends new/open/save to the renderer with accelerators', () => {
    const send = vi.fn();
    const template = buildMenuTemplate({ platform: 'linux', send });
    const file = template.find((m) => m.label === '&File')!;
    const byAccel = new Map(file.submenu!.filter((i) => i.accelerator).map((i) => [i.accelerator, i]));
    byAccel.get('CmdOrCtrl+N')!.click!();
    byAccel.get('CmdOrCtrl+O')!.click!();
    byAccel.get('CmdOrCtrl+S')!.click!();
    expect(send.mock.calls).toEqual([['new'], ['open'], ['save']]);
    expect(file.submenu!.some((i) => i.role === 'quit')).toBe(true);
  });

  it('has an app menu on macOS and developer tools only when asked', () => {
    expect(buildMenuTemplate({ platform: 'darwin', send: () => undefined })[0].role).toBe('appMenu');
    const roles = (developer: boolean) => flatten(buildMenuTemplate({ platform: 'linux', send: () => undefined, developer })).map((i) => i.role);
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(true)).toContain('toggleDevTools');
    expect(roles(false)).toContain('paste');
  });
});

describe('native dialogs', () => {
  it('builds dialog options from the contract input', () => {
    expect(openFolderDialogOptions({ title: 'Pick', defaultPath: '/home' })).toEqual({ title: 'Pick', defaultPath: '/home', properties: ['openDirectory', 'createDirectory'] });
    expect(openFolderDialogOptions({ defaultPath: 'relative' })).toEqual({ properties: ['openDirectory', 'createDirectory'] });
    expect(openFilesDialogOptions({ extensions: ['.p12', 'pfx', 'bad ext'], multiple: true })).toMatchObject({
      properties: ['openFile', 'multiSelections'],
      filters: [{ extensions: ['p12', 'pfx'] }, { extensions: ['*'] }],
    });
    expect(openFilesDialogOptions({ folders: true })).toEqual({ properties: ['openDirectory'] });
    // The picker starts in the folder last used for the same purpose; a relative path is not a place.
    expect(openFilesDialogOptions({ defaultPath: '/srv/bundles' })).toEqual({ defaultPath: '/srv/bundles', properties: ['openFile'] });
    expect(openFilesDialogOptions({ defaultPath: 'bundles' })).toEqual({ properties: ['openFile'] });
  });

  it('returns the chosen paths, or nothing when cancelled', async () => {
    const window = { id: 1 };
    const showOpenDialog = vi
      .fn()
      .mockResolvedValueOnce({ canceled: false, filePaths: ['/a'] })
      .mockResolvedValueOnce({ canceled: true, filePaths: [] })
      .mockResolvedValueOnce({ canceled: false, filePaths: ['/x', '/y'] })
      .mockResolvedValueOnce({ canceled: true, filePaths: ['/ignored'] });
    const dialogs = createNativeDialogs({ dialog: { showOpenDialog, showSaveDialog: vi.fn() }, shell: { showItemInFolder: vi.fn() }, getWindow: () => window });
    expect(await dialogs.openFolder({})).toEqual({ path: '/a' });
    expect(await dialogs.openFolder({})).toEqual({ path: null });
    expect(await dialogs.openFiles({ multiple: true })).toEqual({ paths: ['/x', '/y'] });
    expect(await dialogs.openFiles({})).toEqual({ paths: [] });
    expect(showOpenDialog.mock.calls[0][0]).toBe(window);
  });

  it('builds save dialog options and returns the chosen file, or null when cancelled', async () => {
    expect(saveFileDialogOptions({ title: 'Save', defaultPath: '/srv/service.tar.gz', extensions: ['tar.gz', 'bad ext'] })).toEqual({
      title: 'Save',
      defaultPath: '/srv/service.tar.gz',
      filters: [{ name: '.tar.gz', extensions: ['tar.gz'] }, { name: 'All files', extensions: ['*'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
    expect(saveFileDialogOptions({ defaultPath: 'relative.tar.gz' })).toEqual({ properties: ['createDirectory', 'showOverwriteConfirmation'] });
    const window = { id: 1 };
    const showSaveDialog = vi
      .fn()
      .mockResolvedValueOnce({ canceled: false, filePath: '/out/b.tar.gz' })
      .mockResolvedValueOnce({ canceled: true, filePath: '/ignored' })
      .mockResolvedValueOnce({ canceled: false, filePath: '' });
    const dialogs = createNativeDialogs({ dialog: { showOpenDialog: vi.fn(), showSaveDialog }, shell: { showItemInFolder: vi.fn() }, getWindow: () => window });
    expect(await dialogs.saveFile({})).toEqual({ path: '/out/b.tar.gz' });
    expect(await dialogs.saveFile({})).toEqual({ path: null });
    expect(await dialogs.saveFile({})).toEqual({ path: null });
    expect(showSaveDialog.mock.calls[0][0]).toBe(window);
    const windowless = createNativeDialogs({ dialog: { showOpenDialog: vi.fn(), showSaveDialog }, shell: { showItemInFolder: vi.fn() }, getWindow: () => null });
    await expect(windowless.saveFile({})).rejects.toMatchObject({ error: { code: 'unsupported' } });
  });

  it('shows existing absolute paths in their folder only', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'bs-native-'));
    try {
      const file = path.join(tmp, 'bundle.tar.gz');
      writeFileSync(file, 'x');
      const showItemInFolder = vi.fn();
      const dialogs = createNativeDialogs({ dialog: { showOpenDialog: vi.fn(), showSaveDialog: vi.fn() }, shell: { showItemInFolder }, getWindow: () => null });
      await dialogs.showInFolder(file);
      expect(showItemInFolder).toHaveBeenCalledExactlyOnceWith(file);
      await expect(dialogs.showInFolder('relative/path')).rejects.toMatchObject({ error: { code: 'invalid-input' } });
      await expect(dialogs.showInFolder(path.join(tmp, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(dialogs.openFolder({})).rejects.toMatchObject({ error: { code: 'unsupported' } });
      expect(showItemInFolder).toHaveBeenCalledTimes(1);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
