// Adding to src/: by dialog (paths: src.copyIn), by drop or page picker (contents:
// src.addFiles), new folders (src.mkdir). Every call answers with the fresh listing; changes
// made by other programs come through `refresh` (the service view calls it when the folder
// watch reports src/).
import { useCallback, useRef, useState } from 'react';
import type { ServiceSnapshot, SrcListing } from '../../shared/contract';
import { useApi } from '../api/context';
import { isApiError } from '../api/errors';
import { notifyError, notifySuccess } from '../common/notify';
import { joinSrcPath } from '../common/paths';
import { batches, readBase64, type PickedFile } from './src-tree/read-dropped-files';

export function useSrcTree(snapshot: ServiceSnapshot) {
  const { call } = useApi();
  const root = snapshot.root;
  const [listing, setListing] = useState<SrcListing>(snapshot.src);
  const [busy, setBusy] = useState(false);
  const refreshing = useRef<{ again: boolean } | null>(null);

  const run = useCallback(async (what: string, job: () => Promise<string[] | null>) => {
    setBusy(true);
    try {
      const added = await job();
      if (added?.length) notifySuccess(`Added to src/`, added.length === 1 ? added[0] : `${added.length} entries`);
    } catch (err) {
      notifyError(what, err);
    } finally {
      setBusy(false);
    }
  }, []);

  const addPicked = useCallback(
    (dir: string, files: PickedFile[]) =>
      run('Cannot add the files', async () => {
        const added: string[] = [];
        for (const group of batches(files)) {
          const payload = await Promise.all(group.map(async (f) => ({ path: f.path, contentBase64: await readBase64(f.file) })));
          const result = await call('src.addFiles', { root, dir, files: payload });
          added.push(...result.added);
          setListing(result.listing);
        }
        return added;
      }),
    [call, root, run],
  );

  /**
   * True when the native dialog handled it (or was cancelled); false where there is none.
   * `confirm` sees the chosen paths before anything is copied (the destination shown).
   */
  const addByDialog = useCallback(
    async (dir: string, folders: boolean, confirm: (paths: string[]) => Promise<boolean> = async () => true): Promise<boolean> => {
      let paths: string[];
      try {
        ({ paths } = await call('dialog.openFiles', { title: folders ? 'Add folders to src/' : 'Add files to src/', multiple: true, folders }));
      } catch (err) {
        if (isApiError(err, 'unsupported')) return false;
        notifyError('Cannot open the file dialog', err);
        return true;
      }
      if (paths.length && (await confirm(paths))) {
        await run('Cannot copy into src/', async () => {
          const result = await call('src.copyIn', { root, dir, sources: paths });
          setListing(result.listing);
          return result.added;
        });
      }
      return true;
    },
    [call, root, run],
  );

  const mkdir = useCallback(
    (dir: string, name: string) =>
      run('Cannot create the folder', async () => {
        const path = joinSrcPath(dir, name);
        setListing(await call('src.mkdir', { root, path }));
        return [path];
      }),
    [call, root, run],
  );

  /**
   * Lists src/ again. One listing at a time: a burst of reports while one runs gives one
   * more afterwards. An unchanged folder keeps the same listing object (the preview
   * recomputes the rootfs layer only for a new one).
   */
  const refresh = useCallback(async () => {
    if (refreshing.current) {
      refreshing.current.again = true;
      return;
    }
    const state = { again: true };
    refreshing.current = state;
    try {
      while (state.again) {
        state.again = false;
        const fresh = await call('src.list', { root });
        setListing((prev) => (sameListing(prev, fresh) ? prev : fresh));
      }
    } catch (err) {
      notifyError('Cannot list src/ again', err);
    } finally {
      refreshing.current = null;
    }
  }, [call, root]);

  return { listing, setListing, busy, addPicked, addByDialog, mkdir, refresh };
}

function sameListing(a: SrcListing, b: SrcListing): boolean {
  return a.total === b.total && a.totalBytes === b.totalBytes && JSON.stringify(a) === JSON.stringify(b);
}
