// Saving a config editor's text (a service's meta/config.yaml, a layer bundle's config.yaml):
// one flow for both views. A field that refused its input blocks the save (writing the text
// would say "Saved" for less than is shown); a file changed on disk since it was read asks
// Overwrite / Reload / Cancel; the app's guard (switching away, the Save shortcut) and the
// window's unload warning see the latest state.
import { useCallback, useEffect, useImperativeHandle, useState, type RefObject } from 'react';
import { countBySeverity, type Diagnostic } from '../../shared/diagnostics';
import { isApiError } from '../api/errors';
import { notifyError, notifySuccess } from '../common/notify';
import type { ConfigDocument, ConfigSnapshot } from './use-config-document';

/** What the app asks of the open editor before it leaves it. */
export interface ServiceGuard {
  isDirty(): boolean;
  /** Resolves true when the config is on disk afterwards. */
  save(): Promise<boolean>;
}

export type ConflictChoice = 'overwrite' | 'reload' | 'cancel';

export interface ConfigSaveOptions {
  doc: ConfigDocument;
  guardRef: RefObject<ServiceGuard | null>;
  /** Writes `text` unless the file changed since `expectedMtimeMs` (then a `conflict` error), or whatever it is with `force`. */
  write(input: { root: string; text: string; expectedMtimeMs: number; force?: true }): Promise<{ configMtimeMs: number; diagnostics: Diagnostic[] }>;
  /** config.yaml as it is on disk now (Reload after a conflict). */
  read(): Promise<ConfigSnapshot>;
  /** The words of a save refusal as this view names its file. */
  refusalText?: (refusal: string) => string;
  /** After the file holds what the editor shows: saved, or reloaded from disk. */
  onInSync?: () => void;
}

export function useConfigSave({ doc, guardRef, write, read, refusalText = (r) => r, onInSync }: ConfigSaveOptions) {
  const [saving, setSaving] = useState(false);
  /** While the conflict question is open: answers it. */
  const [conflict, setConflict] = useState<((choice: ConflictChoice) => void) | null>(null);

  const save = useCallback(
    async (force = false): Promise<boolean> => {
      const refused = doc.saveRefusal();
      if (refused) {
        notifyError('Not saved', new Error(refusalText(refused)));
        return false;
      }
      setSaving(true);
      const text = doc.text;
      try {
        const result = await write({ root: doc.root, text, expectedMtimeMs: doc.saved.mtimeMs, ...(force ? { force: true } : {}) });
        doc.markSaved(text, result.configMtimeMs, result.diagnostics);
        onInSync?.();
        const { errors } = countBySeverity(result.diagnostics);
        notifySuccess('Saved', errors ? `config.yaml saved with ${errors} ${errors === 1 ? 'error' : 'errors'} to fix.` : 'config.yaml saved.');
        return true;
      } catch (err) {
        if (isApiError(err, 'conflict')) {
          setSaving(false);
          const choice = await new Promise<ConflictChoice>((resolve) => setConflict(() => resolve));
          setConflict(null);
          if (choice === 'overwrite') return save(true);
          if (choice === 'reload') {
            try {
              doc.reload(await read());
              onInSync?.();
            } catch (reloadErr) {
              notifyError('Cannot reload config.yaml', reloadErr);
            }
          }
          return false;
        }
        notifyError('Cannot save config.yaml', err);
        return false;
      } finally {
        setSaving(false);
      }
    },
    [doc, write, read, refusalText, onInSync],
  );

  // The app's guard and the Save shortcut see the latest state through this handle.
  useImperativeHandle(guardRef, () => ({ isDirty: () => doc.dirty, save: () => save() }), [doc.dirty, save]);
  useEffect(() => () => void (guardRef.current = null), [guardRef]);

  // Closing the window or reloading the page with unsaved edits asks first.
  useEffect(() => {
    if (!doc.dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [doc.dirty]);

  return { save, saving, conflict };
}
