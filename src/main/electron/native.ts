// Native dialogs and "show in folder", owned by main: the renderer asks through the
// contract (dialog.openFolder, dialog.openFiles, dialog.saveFile, shell.showInFolder) and only gets paths
// back. Implements NativeDialogs from src/main/api/handlers.ts with Electron's dialog and
// shell passed in as parameters.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Output, ValidInput } from '../../shared/contract';
import { appError } from '../../shared/errors';

export interface OpenDialogOptionsLike {
  title?: string;
  defaultPath?: string;
  properties?: Array<'openFile' | 'openDirectory' | 'multiSelections' | 'createDirectory' | 'showHiddenFiles'>;
  filters?: Array<{ name: string; extensions: string[] }>;
}

export interface SaveDialogOptionsLike {
  title?: string;
  defaultPath?: string;
  filters?: Array<{ name: string; extensions: string[] }>;
  properties?: Array<'createDirectory' | 'showOverwriteConfirmation'>;
}

export interface ShellLike {
  showItemInFolder(fullPath: string): void;
}

export interface NativeDialogDeps<W> {
  dialog: {
    showOpenDialog(window: W, options: OpenDialogOptionsLike): Promise<{ canceled: boolean; filePaths: string[] }>;
    showSaveDialog(window: W, options: SaveDialogOptionsLike): Promise<{ canceled: boolean; filePath?: string }>;
  };
  shell: ShellLike;
  /** The window the dialog is modal to. */
  getWindow: () => W | null | undefined;
}

/** Builds the dialog options for dialog.openFiles; pure, for tests. */
export function openFilesDialogOptions(input: ValidInput<'dialog.openFiles'>): OpenDialogOptionsLike {
  const properties: NonNullable<OpenDialogOptionsLike['properties']> = [input.folders ? 'openDirectory' : 'openFile'];
  if (input.multiple) properties.push('multiSelections');
  const extensions = (input.extensions ?? []).map((e) => e.replace(/^\*?\./, '')).filter((e) => /^[\w.-]{1,32}$/.test(e));
  return {
    ...(input.title ? { title: input.title } : {}),
    ...(input.defaultPath && path.isAbsolute(input.defaultPath) ? { defaultPath: input.defaultPath } : {}),
    properties,
    ...(extensions.length && !input.folders
      ? { filters: [{ name: extensions.map((e) => `.${e}`).join(', '), extensions }, { name: 'All files', extensions: ['*'] }] }
      : {}),
  };
}

export function openFolderDialogOptions(input: ValidInput<'dialog.openFolder'>): OpenDialogOptionsLike {
  return {
    ...(input.title ? { title: input.title } : {}),
    ...(input.defaultPath && path.isAbsolute(input.defaultPath) ? { defaultPath: input.defaultPath } : {}),
    properties: ['openDirectory', 'createDirectory'],
  };
}

export function saveFileDialogOptions(input: ValidInput<'dialog.saveFile'>): SaveDialogOptionsLike {
  const extensions = (input.extensions ?? []).map((e) => e.replace(/^\*?\./, '')).filter((e) => /^[\w.-]{1,32}$/.test(e));
  return {
    ...(input.title ? { title: input.title } : {}),
    ...(input.defaultPath && path.isAbsolute(input.defaultPath) ? { defaultPath: input.defaultPath } : {}),
    ...(extensions.length ? { filters: [{ name: extensions.map((e) => `.${e}`).join(', '), extensions }, { name: 'All files', extensions: ['*'] }] } : {}),
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
}

export function createNativeDialogs<W>(deps: NativeDialogDeps<W>) {
  const show = async (options: OpenDialogOptionsLike) => {
    const window = deps.getWindow();
    if (!window) throw appError('unsupported', 'No application window to show the dialog on.');
    return deps.dialog.showOpenDialog(window, options);
  };
  return {
    async openFolder(input: ValidInput<'dialog.openFolder'>): Promise<Output<'dialog.openFolder'>> {
      const result = await show(openFolderDialogOptions(input));
      return { path: result.canceled ? null : (result.filePaths[0] ?? null) };
    },
    async openFiles(input: ValidInput<'dialog.openFiles'>): Promise<Output<'dialog.openFiles'>> {
      const result = await show(openFilesDialogOptions(input));
      return { paths: result.canceled ? [] : result.filePaths };
    },
    /** Only a path the user chose here can become a write grant (see WriteGrants). */
    async saveFile(input: ValidInput<'dialog.saveFile'>): Promise<{ path: string | null }> {
      const window = deps.getWindow();
      if (!window) throw appError('unsupported', 'No application window to show the dialog on.');
      const result = await deps.dialog.showSaveDialog(window, saveFileDialogOptions(input));
      return { path: result.canceled || !result.filePath ? null : result.filePath };
    },
    async showInFolder(target: string): Promise<void> {
      if (!path.isAbsolute(target)) throw appError('invalid-input', 'showInFolder needs an absolute path.');
      await fs.stat(target); // ENOENT becomes 'not-found'
      deps.shell.showItemInFolder(path.normalize(target));
    },
  };
}
