// Watching one open service folder, so the app shows what happens on disk when it happens
// and not only at save time: files changing in the source folder (the tree refreshes),
// files appearing in meta/ (credentials: the certificate card refreshes), and config.yaml
// written by someone else (the "changed on disk" bar).
//
// Folders of the source folder are watched one by one on Linux (see watchSource), natively
// recursively elsewhere.
//
// Bursts (an editor's save, a `cp -r`, a git checkout) are debounced and coalesced into one
// report per kind. config.yaml is judged by its content: the watcher keeps a hash of what
// the app last read or wrote (noteConfig), so the app's own save, or a `touch`, reports
// nothing. meta/ is watched as a folder, so an atomic save (temp file renamed over
// config.yaml) is seen, and so are the temp files, which are ignored.
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { opendir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { readConfigFile } from './config-file';
import { CONFIG_FILE, metaDirOf } from './layout';

export type ServiceChangeKind = 'config' | 'src' | 'meta';

export interface ServiceChange {
  kind: ServiceChangeKind;
  /**
   * What changed, POSIX separators: for 'src' relative to the source folder ('' for the
   * folder itself), for 'meta' and 'config' file names in meta/. At most MAX_PATHS.
   */
  paths: string[];
}

export interface WatchServiceOptions {
  /** The service root, absolute. */
  root: string;
  /** The source folder, absolute (build.source_folder; default <root>/src). */
  srcDir: string;
  /** Called once per quiet period with what changed, config first. */
  onChange: (changes: ServiceChange[]) => void;
  /** The config.yaml text the app holds as "on disk" (read or saved); undefined: read it now. */
  configText?: string;
  /** Quiet time after the last event before reporting (ms). */
  debounceMs?: number;
  /** A report goes out at the latest this long after the first event of a burst (ms). */
  maxDelayMs?: number;
  /** Watch each folder of the source folder on its own (default on Linux, and where recursive watching is missing). */
  perFolder?: boolean;
  /**
   * The folder holding config.yaml and the credentials (default <root>/meta), and how to read
   * config.yaml's text (default meta/config.yaml's reader): a deployment bundle keeps both at
   * its root, and its "source folder" is the bundle folder, where every referenced image lies.
   */
  configDir?: string;
  readConfigText?: () => Promise<string>;
}

export interface ServiceWatcher {
  /** The app read or is about to write this config.yaml text: a change to it is not news. */
  noteConfig(text: string): void;
  /** Stops every watch and timer; no report comes afterwards. */
  close(): void;
  /** Settles once the initial config.yaml hash is known (tests wait for it). */
  readonly ready: Promise<void>;
}

export const MAX_PATHS = 50;
const DEFAULT_DEBOUNCE_MS = 120;
const DEFAULT_MAX_DELAY_MS = 1000;
/** Most folders of the source folder watched one by one (each costs an inotify watch on Linux). */
const MAX_FOLDERS = 4000;

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');
/** `.config.yaml.<pid>.<hex>.tmp` and the like: writeFileAtomic's temp files. */
const isTempName = (name: string) => name.startsWith('.') && name.endsWith('.tmp');
const posix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

export function watchServiceFolder(options: WatchServiceOptions): ServiceWatcher {
  const { root, srcDir, onChange } = options;
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  const metaDir = options.configDir ?? metaDirOf(root);
  const readConfigText = options.readConfigText ?? (async () => (await readConfigFile(root)).text);
  const watchers = new Set<FSWatcher>();
  const pending = { src: new Set<string>(), meta: new Set<string>(), config: false };
  let knownConfigHash: string | null = options.configText === undefined ? null : hashOf(options.configText);
  let timer: NodeJS.Timeout | undefined;
  let firstEventAt = 0;
  let closed = false;
  let flushing: Promise<void> = Promise.resolve();

  const configReady =
    options.configText === undefined
      ? readConfigText().then(
          (text) => void (knownConfigHash ??= hashOf(text)),
          () => undefined,
        )
      : Promise.resolve();

  const schedule = () => {
    if (closed) return;
    const now = Date.now();
    if (!timer) firstEventAt = now;
    clearTimeout(timer);
    // Quiet time, but never later than maxDelay after the burst began (a build writing
    // files for minutes still refreshes the tree now and then).
    const wait = Math.max(0, Math.min(debounceMs, firstEventAt + maxDelayMs - now));
    timer = setTimeout(() => {
      timer = undefined;
      flushing = flushing.then(flush);
    }, wait);
  };

  const add = (set: Set<string>, path: string) => {
    if (set.size < MAX_PATHS) set.add(path);
  };

  async function flush(): Promise<void> {
    if (closed) return;
    const src = [...pending.src];
    const meta = [...pending.meta];
    const configTouched = pending.config;
    pending.src.clear();
    pending.meta.clear();
    pending.config = false;
    const changes: ServiceChange[] = [];
    if (configTouched && (await configChanged())) changes.push({ kind: 'config', paths: [CONFIG_FILE] });
    if (meta.length) changes.push({ kind: 'meta', paths: meta.sort() });
    if (src.length) changes.push({ kind: 'src', paths: src.sort() });
    if (changes.length && !closed) onChange(changes);
  }

  /** True when config.yaml's content differs from what the app last knew (then it knows it). */
  async function configChanged(): Promise<boolean> {
    await ready;
    let hash: string | null;
    try {
      hash = hashOf(await readConfigText());
    } catch {
      hash = null; // gone or unreadable: that is a change too
    }
    if (hash === knownConfigHash) return false;
    knownConfigHash = hash;
    return true;
  }

  const track = (w: FSWatcher) => {
    watchers.add(w);
    // A watched folder that disappears errors on some platforms: stop that watch only.
    w.on('error', () => {
      w.close();
      watchers.delete(w);
    });
    return w;
  };

  const tryWatch = (dir: string, recursive: boolean, listener: (name: string | null) => void): FSWatcher | null => {
    try {
      return track(watch(dir, { recursive, persistent: false }, (_event, name) => listener(name === null ? null : String(name))));
    } catch (e) {
      if (recursive && (e as NodeJS.ErrnoException).code === 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM') throw e;
      return null; // missing folder (src/ not created yet), no permission
    }
  };

  // meta/: config.yaml and the credentials beside it.
  tryWatch(metaDir, false, (name) => {
    if (name === null) {
      pending.config = true;
    } else if (name === CONFIG_FILE) {
      pending.config = true;
    } else if (!isTempName(name)) {
      add(pending.meta, posix(name));
    } else {
      return;
    }
    schedule();
  });

  const onSrc = (dir: string) => (name: string | null) => {
    add(pending.src, name === null ? '' : posix(relative(srcDir, join(dir, name))));
    schedule();
  };

  // Linux watches one folder per inotify watch anyway, and Node's recursive mode there walks
  // the whole tree synchronously at start (seconds for 100 000 files, the main process
  // frozen meanwhile): watch the folders ourselves, asynchronously, files never one by one.
  const perFolder = options.perFolder ?? process.platform === 'linux';
  let recursiveWatch: FSWatcher | null = null;
  function watchSource(): Promise<void> {
    if (closed) return Promise.resolve();
    if (!perFolder) {
      if (recursiveWatch) return Promise.resolve();
      try {
        recursiveWatch = tryWatch(srcDir, true, onSrc(srcDir));
        return Promise.resolve();
      } catch {
        // No recursive watching on this platform: one watch per folder.
      }
    }
    return watchTree(srcDir);
  }

  /** Folders watched one by one, with the inode seen (a folder removed and made again is watched anew). */
  const folders = new Map<string, { watcher: FSWatcher; ino: number }>();
  function folderListener(dir: string) {
    const report = onSrc(dir);
    return (name: string | null) => {
      report(name);
      if (name !== null) void watchTree(join(dir, name));
    };
  }
  function unwatchBelow(dir: string): void {
    for (const [path, f] of folders) {
      if (path !== dir && !path.startsWith(dir + sep)) continue;
      f.watcher.close();
      watchers.delete(f.watcher);
      folders.delete(path);
    }
  }
  /** Watches `dir` (when it is a folder not watched yet) and every folder below it. */
  async function watchTree(dir: string): Promise<void> {
    if (closed) return;
    let st;
    try {
      st = await stat(dir);
    } catch {
      return unwatchBelow(dir); // gone
    }
    // From here to folders.set nothing awaits, so two calls for one folder cannot both watch it.
    if (closed || !st.isDirectory()) return;
    const known = folders.get(dir);
    if (known?.ino === st.ino) return;
    if (known) unwatchBelow(dir);
    if (folders.size >= MAX_FOLDERS) return;
    const watcher = tryWatch(dir, false, folderListener(dir));
    if (!watcher) return;
    folders.set(dir, { watcher, ino: st.ino });
    await watchSubfolders(dir);
  }
  async function watchSubfolders(dir: string): Promise<void> {
    let handle;
    try {
      handle = await opendir(dir);
    } catch {
      return;
    }
    for await (const d of handle) {
      if (closed) return;
      if (d.isDirectory()) await watchTree(join(dir, d.name));
    }
  }

  // Ready once the folders that exist now are watched: a change made after that is seen.
  const ready = Promise.all([configReady, watchSource()]).then(() => undefined);
  // The service root, for a source folder created (or removed) after opening.
  if (dirname(srcDir) === root) {
    tryWatch(root, false, (name) => {
      if (name !== basename(srcDir)) return;
      add(pending.src, '');
      void watchSource();
      schedule();
    });
  }

  return {
    ready,
    noteConfig(text) {
      knownConfigHash = hashOf(text);
    },
    close() {
      closed = true;
      clearTimeout(timer);
      for (const w of watchers) w.close();
      watchers.clear();
      folders.clear();
    },
  };
}
