// Each path picker starts in the folder last used for the same purpose (export, open,
// sign's "Save as…", ...). The folders are kept by main in the app settings
// (settings.lastFolders), not in localStorage, so browser mode remembers them too.
import { useCallback } from 'react';
import type { AppSettings } from '../../shared/contract';
import { useSettingsStore } from '../app/settings';

export type FolderPurpose = keyof NonNullable<AppSettings['lastFolders']>;

export function useLastFolder(purpose: FolderPurpose): { folder: string | undefined; remember: (folder: string) => void } {
  const { settings, update, current } = useSettingsStore();
  const remember = useCallback(
    (folder: string) => {
      // The latest settings, not this render's: two purposes remembered in a row keep both.
      const last = current().lastFolders;
      if (folder && last?.[purpose] !== folder) update({ lastFolders: { ...last, [purpose]: folder } });
    },
    [update, current, purpose],
  );
  return { folder: settings.lastFolders?.[purpose] || undefined, remember };
}
