// The app's settings (theme, preview target, layer library) live in main ('settings.get',
// 'settings.set'), in the user's config folder: a browser-mode page has a new origin (port)
// every run, so its localStorage would forget them. One store per window holds the current
// values; React reads it through useSettings, and Mantine's colour scheme through a
// colour-scheme manager backed by the same store.
import { createContext, useContext, useEffect, useSyncExternalStore, type ReactNode } from 'react';
import type { MantineColorScheme, MantineColorSchemeManager } from '@mantine/core';
import type { Api, AppSettings } from '../../shared/contract';
import { ApiError } from '../api/errors';

export const DEFAULT_APP_SETTINGS: AppSettings = Object.freeze({ theme: 'auto', previewTarget: 'v9', layerLibrary: '' });

export class SettingsStore {
  private value: AppSettings;
  private readonly listeners = new Set<(settings: AppSettings) => void>();
  /** Keys changed here since the window opened: a late 'settings.get' answer does not undo them. */
  private readonly changed = new Set<keyof AppSettings>();
  private loading: Promise<void> | null = null;

  constructor(private readonly api: Pick<Api, 'invoke'>, initial?: AppSettings) {
    this.value = initial ?? DEFAULT_APP_SETTINGS;
    if (initial) this.loading = Promise.resolve();
  }

  get = (): AppSettings => this.value;

  /** Asks main once; without an answer the defaults stay (and changes last for this window only). */
  load(): Promise<void> {
    this.loading ??= this.api.invoke('settings.get', {}).then(
      (result) => {
        if (!result.ok) return;
        const next: AppSettings = { ...result.value };
        for (const key of this.changed) (next as Record<string, unknown>)[key] = this.value[key];
        this.publish(next);
      },
      () => undefined,
    );
    return this.loading;
  }

  update = (patch: Partial<AppSettings>): void => {
    const keys = (Object.keys(patch) as (keyof AppSettings)[]).filter((k) => patch[k] !== undefined && patch[k] !== this.value[k]);
    if (keys.length === 0) return;
    const changes = Object.fromEntries(keys.map((k) => [k, patch[k]])) as Partial<AppSettings>;
    for (const k of keys) this.changed.add(k);
    this.publish({ ...this.value, ...changes });
    void this.api.invoke('settings.set', changes).catch(() => undefined);
  };

  /** Saves `patch` and waits for main's answer: rejects with the ApiError of a setting main refused (nothing changes then). */
  save = async (patch: Partial<AppSettings>): Promise<AppSettings> => {
    const result = await this.api.invoke('settings.set', patch);
    if (!result.ok) throw new ApiError(result.error);
    for (const k of Object.keys(patch) as (keyof AppSettings)[]) this.changed.add(k);
    this.publish(result.value);
    return result.value;
  };

  subscribe = (listener: (settings: AppSettings) => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  private publish(next: AppSettings): void {
    this.value = next;
    for (const listener of [...this.listeners]) listener(next);
  }
}

/** Mantine's colour scheme, read from and written to the settings store. */
export function settingsColorSchemeManager(store: SettingsStore): MantineColorSchemeManager {
  let off: (() => void) | null = null;
  return {
    get: () => store.get().theme,
    set: (value: MantineColorScheme) => store.update({ theme: value }),
    subscribe: (onUpdate) => {
      off?.();
      off = store.subscribe((s) => onUpdate(s.theme));
    },
    unsubscribe: () => {
      off?.();
      off = null;
    },
    clear: () => store.update({ theme: 'auto' }),
  };
}

const SettingsContext = createContext<SettingsStore | null>(null);

export function SettingsProvider({ store, children }: { store: SettingsStore; children: ReactNode }) {
  useEffect(() => void store.load(), [store]);
  return <SettingsContext.Provider value={store}>{children}</SettingsContext.Provider>;
}

export function useSettings(): { settings: AppSettings; update: (patch: Partial<AppSettings>) => void } {
  const { settings, update } = useSettingsStore();
  return { settings, update };
}

/** As useSettings, and `current()` reads the store now (not the value of this render). */
export function useSettingsStore(): { settings: AppSettings; update: (patch: Partial<AppSettings>) => void; save: SettingsStore['save']; current: () => AppSettings } {
  const store = useContext(SettingsContext);
  if (!store) throw new Error('useSettings outside <SettingsProvider>');
  const settings = useSyncExternalStore(store.subscribe, store.get);
  return { settings, update: store.update, save: store.save, current: store.get };
}
