// 'service.watch' / 'service.unwatch': one core watcher (core/service-tree/watch.ts) per open
// service view, its reports sent as 'service.changed' events. The registry is bounded (a
// renderer that never unwatches cannot pile up watchers) and is emptied when the window
// closes or the server stops, like running jobs.
import { randomUUID } from 'node:crypto';
import type { EventPayload } from '../../shared/contract';
import { parseServiceConfig } from '../../shared/service-config';
import { sourceFolderOf } from '../core/service-tree/build-settings';
import { readServiceConfig } from '../core/service-tree/open';
import { watchServiceFolder, type ServiceChange, type ServiceWatcher } from '../core/service-tree/watch';
import { detectFolderKind } from '../core/deployment-bundle/folder-kind';
import { readDeploymentConfigFile } from '../core/deployment-bundle/config-file';
import type { Handlers } from './handlers';

/** Open service views watched at once; the oldest watch stops when one more starts. */
export const MAX_WATCHES = 8;

export interface WatchRegistryOptions {
  max?: number;
  debounceMs?: number;
}

export class ServiceWatches {
  /** Insertion order is age: the oldest first. */
  private readonly watches = new Map<string, { root: string; watcher: ServiceWatcher }>();

  constructor(
    private readonly emit: (payload: EventPayload<'service.changed'>) => void,
    private readonly options: WatchRegistryOptions = {},
  ) {}

  /**
   * Starts watching the service tree or deployment bundle in `dir` (absolute); the baseline is
   * config.yaml as it is now. A bundle is watched whole (config.yaml and the credentials at
   * its root as 'config' / 'meta', every file below as 'src'): each referenced image lies inside it.
   */
  async start(dir: string): Promise<string> {
    const kind = await detectFolderKind(dir);
    const watchId = randomUUID();
    const root = kind.root;
    const onChange = (changes: ServiceChange[]) => this.emit({ watchId, root, changes });
    let watcher: ServiceWatcher;
    if (kind.kind === 'deployment-bundle') {
      const config = await readDeploymentConfigFile(root);
      watcher = watchServiceFolder({
        root,
        srcDir: root,
        configDir: root,
        readConfigText: async () => (await readDeploymentConfigFile(root)).text,
        configText: config.text,
        debounceMs: this.options.debounceMs,
        onChange,
      });
    } else {
      const config = await readServiceConfig(dir);
      const srcDir = sourceFolderOf(config.root, parseServiceConfig(config.text).value);
      watcher = watchServiceFolder({ root, srcDir, configText: config.text, debounceMs: this.options.debounceMs, onChange });
    }
    this.watches.set(watchId, { root, watcher });
    const max = this.options.max ?? MAX_WATCHES;
    for (const id of this.watches.keys()) {
      if (this.watches.size <= max) break;
      this.stop(id);
    }
    // Answer once the folders are watched, so a change the caller makes next is reported.
    await watcher.ready;
    return watchId;
  }

  stop(watchId: string): boolean {
    const watch = this.watches.get(watchId);
    if (!watch) return false;
    watch.watcher.close();
    this.watches.delete(watchId);
    return true;
  }

  /** The window closed or the server stops: nobody follows the events any more. */
  stopAll(): number {
    const n = this.watches.size;
    for (const id of [...this.watches.keys()]) this.stop(id);
    return n;
  }

  /** The app read or is writing this config.yaml text for `root`: its watchers do not report it. */
  noteConfig(root: string, text: string): void {
    for (const w of this.watches.values()) if (w.root === root) w.watcher.noteConfig(text);
  }

  get size(): number {
    return this.watches.size;
  }
}

export function createWatchHandlers(watches: ServiceWatches, resolvePath: (p: string) => string): Pick<Handlers, 'service.watch' | 'service.unwatch'> {
  return {
    'service.watch': async ({ root }) => ({ watchId: await watches.start(resolvePath(root)) }),
    'service.unwatch': async ({ watchId }) => ({ stopped: watches.stop(watchId) }),
  };
}
