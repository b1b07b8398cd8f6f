// Where `layer list` and `layer remove` look: --library and --workspace, else the app's
// settings (the same layer library the preview uses, the Layers screen's workspace), and the
// app's recent services, so the CLI sees the same dependants as the app.
import { resolve } from 'node:path';
import { AppSettingsStore } from '../../core/settings/app-settings';
import { RecentServices, settingsDir } from '../../core/settings/recent-services';
import { UsageError, type CliIo } from '../io';
import type { KnownFolder } from '../../core/layers/catalog';

export interface CatalogPlace {
  library: string;
  workspace?: string;
  recent: KnownFolder[];
}

export async function catalogPlace(io: CliIo, values: { library?: string; workspace?: string }): Promise<CatalogPlace> {
  const dir = settingsDir(io.env);
  const settings = await new AppSettingsStore(dir).get();
  const library = values.library ?? (settings.layerLibrary || undefined);
  if (library === undefined) throw new UsageError('no layer library: give --library DIR (or choose one in the app)');
  const workspace = values.workspace ?? (settings.layerWorkspace || undefined);
  return {
    library: resolve(io.cwd, library),
    ...(workspace !== undefined ? { workspace: resolve(io.cwd, workspace) } : {}),
    recent: await new RecentServices(dir).list(),
  };
}

export const CATALOG_OPTIONS = { library: { type: 'string' }, workspace: { type: 'string' } } as const;
