// App-wide preferences (theme, preview target, layer library), kept in the user's config
// folder beside the recent services, so they survive restarts in Electron and in browser
// mode alike (a browser's localStorage is per origin, and browser mode's port changes every
// run). The file is written atomically and checked on every read: a field that is missing
// or does not pass the schema takes its default, a file that is not JSON gives all defaults.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appSettings, type AppSettings } from '../../../shared/contract';
import { writeFileAtomic } from '../fs/atomic-write';

export const DEFAULT_SETTINGS: AppSettings = Object.freeze({ theme: 'auto', previewTarget: 'v9', layerLibrary: '' });

export const SETTINGS_FILE = 'settings.json';

/** Keeps each field that passes its schema; the others take their defaults. */
export function settingsFrom(data: unknown): AppSettings {
  const out: AppSettings = { ...DEFAULT_SETTINGS };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return out;
  const record = data as Record<string, unknown>;
  const shape = appSettings.shape;
  for (const key of Object.keys(shape) as (keyof AppSettings)[]) {
    const parsed = shape[key].safeParse(record[key]);
    if (parsed.success) (out as Record<string, unknown>)[key] = parsed.data;
  }
  return out;
}

export class AppSettingsStore {
  /** Writes are serialised, so two quick changes never lose one another. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly dir: string) {}

  get file(): string {
    return join(this.dir, SETTINGS_FILE);
  }

  async get(): Promise<AppSettings> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return { ...DEFAULT_SETTINGS };
    }
    try {
      return settingsFrom(JSON.parse(text));
    } catch {
      return { ...DEFAULT_SETTINGS };
    }
  }

  /** Applies `patch` (already validated) and answers with every setting. */
  set(patch: Partial<AppSettings>): Promise<AppSettings> {
    const next = this.queue.then(async () => {
      const merged = settingsFrom({ ...(await this.get()), ...patch });
      await mkdir(this.dir, { recursive: true });
      await writeFileAtomic(this.file, `${JSON.stringify(merged, null, 2)}\n`);
      return merged;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
