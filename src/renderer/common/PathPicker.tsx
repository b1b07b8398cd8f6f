// Asking the user for a folder or a file: the native dialog in Electron, the in-app
// browser (fs.browse) where the native dialog answers 'unsupported' (browser mode). A file
// to write comes from the native save dialog together with main's grant for it (what lets
// main write there even outside the service folder); the in-app browser gives no grant.
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { useApi } from '../api/context';
import { isApiError } from '../api/errors';
import { FolderBrowserModal, type BrowseRequest } from './FolderBrowserModal';
import { joinPath } from './paths';

export interface PathPicker {
  pickFolder(options: { title: string; startPath?: string }): Promise<string | null>;
  pickFile(options: { title: string; extensions?: string[]; startPath?: string }): Promise<string | null>;
  /** A file to write: `grant` only when the user chose it in the native save dialog. */
  pickSaveFile(options: { title: string; defaultName: string; extensions?: string[]; startPath?: string }): Promise<PickedSaveFile | null>;
}

export interface PickedSaveFile {
  path: string;
  /** Main's proof that the user chose this path in a native save dialog. */
  grant?: string;
}

const PathPickerContext = createContext<PathPicker | null>(null);

export function PathPickerProvider({ children }: { children: ReactNode }) {
  const { call } = useApi();
  const [request, setRequest] = useState<BrowseRequest | null>(null);
  const resolveRef = useRef<((path: string | null) => void) | null>(null);

  const browseInApp = useCallback((req: BrowseRequest) => {
    resolveRef.current?.(null);
    setRequest(req);
    return new Promise<string | null>((resolve) => {
      resolveRef.current = resolve;
    });
  }, []);

  const picker = useMemo<PathPicker>(
    () => ({
      async pickFolder({ title, startPath }) {
        try {
          return (await call('dialog.openFolder', { title, defaultPath: startPath })).path;
        } catch (err) {
          if (!isApiError(err, 'unsupported')) throw err;
          return browseInApp({ mode: 'folder', title, startPath });
        }
      },
      async pickFile({ title, extensions, startPath }) {
        try {
          const { paths } = await call('dialog.openFiles', { title, extensions, multiple: false, ...(startPath ? { defaultPath: startPath } : {}) });
          return paths[0] ?? null;
        } catch (err) {
          if (!isApiError(err, 'unsupported')) throw err;
          return browseInApp({ mode: 'file', title, extensions, startPath });
        }
      },
      async pickSaveFile({ title, defaultName, extensions, startPath }) {
        try {
          const { path, grant } = await call('dialog.saveFile', { title, extensions, ...(startPath ? { defaultPath: joinPath(startPath, defaultName) } : {}) });
          return path === null ? null : { path, ...(grant ? { grant } : {}) };
        } catch (err) {
          if (!isApiError(err, 'unsupported')) throw err;
          const folder = await browseInApp({ mode: 'folder', title, startPath });
          return folder === null ? null : { path: joinPath(folder, defaultName) };
        }
      },
    }),
    [call, browseInApp],
  );

  const done = (path: string | null) => {
    resolveRef.current?.(path);
    resolveRef.current = null;
    setRequest(null);
  };

  return (
    <PathPickerContext.Provider value={picker}>
      {children}
      <FolderBrowserModal request={request} onDone={done} />
    </PathPickerContext.Provider>
  );
}

export function usePathPicker(): PathPicker {
  const picker = useContext(PathPickerContext);
  if (!picker) throw new Error('usePathPicker outside <PathPickerProvider>');
  return picker;
}
