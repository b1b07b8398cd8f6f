// A dropped file is only useful here if we learn where it lives on disk: verification
// reads the bundle by path in the main process. Older Electron put that path on File;
// current Electron needs webUtils.getPathForFile in the preload, and a plain browser
// never tells. Without a path the user is asked to pick the file instead.

import type { Api } from '../../shared/contract';

export type DroppedBundle = { path: string } | { name: string; reason: string };

/** The file's path from the desktop app's preload, or from older Electron's File.path. */
export function pathOfDroppedFile(file: File, api?: Pick<Api, 'pathForFile'>): string | null {
  const fromPreload = api?.pathForFile?.(file);
  if (fromPreload) return fromPreload;
  const path = (file as File & { path?: unknown }).path;
  return typeof path === 'string' && path.length > 0 ? path : null;
}

export function droppedBundle(file: File, api?: Pick<Api, 'pathForFile'>): DroppedBundle {
  const path = pathOfDroppedFile(file, api);
  if (path) return { path };
  return {
    name: file.name,
    reason: `“${file.name}” was dropped, but the browser does not tell Bundle Studio where the file is on disk, and verifying reads it by path. Pick it with Browse… instead.`,
  };
}

/** True when a drag carries files (not text or a link). */
export function dragHasFiles(e: { dataTransfer: DataTransfer | null }): boolean {
  return Array.from(e.dataTransfer?.types ?? []).includes('Files');
}
