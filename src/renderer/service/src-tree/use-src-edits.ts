// Renaming, moving, deleting and new files in src/ (src.rename, src.delete, src.newFile).
// Every call answers with the fresh listing. How a delete goes depends on where the app
// runs: the desktop app moves to the system trash, browser mode (no trash) deletes
// permanently, and the confirmation says which before anything happens.
import { useCallback, useRef, useState } from 'react';
import type { SrcListing } from '../../../shared/contract';
import { useApi } from '../../api/context';
import { notifyError, notifySuccess } from '../../common/notify';

export type DeleteMode = 'trash' | 'permanent';

export function useSrcEdits(root: string, setListing: (listing: SrcListing) => void) {
  const { call } = useApi();
  const [busy, setBusy] = useState(false);
  /** Null until app.info answers: the delete confirmation waits for it rather than guess. */
  const [deleteMode, setDeleteMode] = useState<DeleteMode | null>(null);

  const asked = useRef(false);
  /** Asks main where it runs, once, when a delete is first considered (not on every mount). */
  const prepareDelete = useCallback(() => {
    if (asked.current) return;
    asked.current = true;
    call('app.info', {}).then(
      (info) => setDeleteMode(info.mode === 'electron' ? 'trash' : 'permanent'),
      () => setDeleteMode('permanent'),
    );
  }, [call]);

  const run = useCallback(async <T,>(what: string, job: () => Promise<T>): Promise<T | null> => {
    setBusy(true);
    try {
      return await job();
    } catch (err) {
      notifyError(what, err);
      return null;
    } finally {
      setBusy(false);
    }
  }, []);

  /** Renames or moves; the new path, or null when refused (the reason shown). */
  const rename = useCallback(
    (from: string, to: string) =>
      run(`Cannot move ${from}`, async () => {
        const result = await call('src.rename', { root, from, to });
        setListing(result.listing);
        return result.path;
      }),
    [call, root, run, setListing],
  );

  const remove = useCallback(
    (path: string, mode: DeleteMode) =>
      run(`Cannot delete ${path}`, async () => {
        const result = await call('src.delete', { root, path, mode });
        setListing(result.listing);
        notifySuccess(result.trashed ? 'Moved to the trash' : 'Deleted permanently', path);
        return result.trashed;
      }),
    [call, root, run, setListing],
  );

  const newFile = useCallback(
    (path: string) =>
      run('Cannot create the file', async () => {
        const result = await call('src.newFile', { root, path });
        setListing(result.listing);
        return result.path;
      }),
    [call, root, run, setListing],
  );

  return { busy, deleteMode, prepareDelete, rename, remove, newFile };
}
