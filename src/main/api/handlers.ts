// The main-process side of the API contract: one handler per channel, each a thin call
// into the core modules. Electron's IPC and browser mode's HTTP server both reach these
// through `dispatch`, which validates the channel and the input first.
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { contract, isChannel, parseInput, type Channel, type EventName, type EventPayload, type Output, type ValidInput } from '../../shared/contract';
import { appError, toAppError, type Result } from '../../shared/errors';
import { parseServiceConfig } from '../../shared/service-config';
import { describeCredentials } from '../core/credentials';
import { browseFolder } from '../core/service-tree/browse';
import { sourceFolderOf } from '../core/service-tree/build-settings';
import { initServiceTree } from '../core/service-tree/init';
import { diagnoseServiceConfig, openServiceTree, readServiceConfig } from '../core/service-tree/open';
import { saveServiceConfig } from '../core/service-tree/save';
import { addFiles, copyIntoSource, makeSourceFolder, requireSourceFolderInService } from '../core/service-tree/src-edit';
import { listSourceFolder } from '../core/service-tree/src-listing';
import { deleteInSrc, newFileInSrc, renameInSrc } from '../core/service-tree/src-manage';
import { WriteGrants } from '../core/fs/write-grants';
import { AppSettingsStore } from '../core/settings/app-settings';
import { RecentServices, settingsDir } from '../core/settings/recent-services';
import { createFolderIn } from '../core/fs/new-folder';
import { APP_VERSION } from '../version';
import { JobRegistry } from './jobs';
import { createPreviewHandlers } from './preview-handlers';
import { createSigningHandlers } from './signing-handlers';
import { createDeploymentHandlers } from './deployment-handlers';
import { createLayerPackHandlers } from './layer-pack-handlers';
import { createLayerHandlers } from './layer-handlers';
import { createWatchHandlers, ServiceWatches } from './watch-handlers';
import { createCloudContext, createCloudHandlers } from './cloud-handlers';
import { createOutboxHandlers, createPusher } from './outbox-handlers';
import { checkCloudSettings, type RetryPolicy } from '../core/cloud';

export type HandlerInput<C extends Channel> = ValidInput<C>;
export type Handlers = { [C in Channel]: (input: HandlerInput<C>) => Promise<Output<C>> };

/** The handlers plus what their owner (the Electron shell, the browser-mode server) controls. */
export type ApiHandlers = Handlers & {
  /** Cancels every running job: the window closed or the server stops. Returns how many. */
  cancelJobs(): number;
  /** Stops every 'service.watch' watcher: the window closed or the server stops. Returns how many. */
  stopWatches(): number;
};

/** What only the Electron shell can do; browser mode leaves it out. */
export interface NativeDialogs {
  openFolder(input: HandlerInput<'dialog.openFolder'>): Promise<Output<'dialog.openFolder'>>;
  openFiles(input: HandlerInput<'dialog.openFiles'>): Promise<Output<'dialog.openFiles'>>;
  /** A native save dialog: the chosen path, or null when cancelled. */
  saveFile(input: HandlerInput<'dialog.saveFile'>): Promise<{ path: string | null }>;
  showInFolder(path: string): Promise<void>;
}

export interface ApiContext {
  mode: 'electron' | 'browser';
  dialogs?: NativeDialogs;
  emit?: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  homeDir?: string;
  /** Folder for app settings (recent services). */
  settingsDir?: string;
  cwd?: string;
  /** Moves a file or folder to the system trash (the desktop app's shell.trashItem); browser mode has none. */
  trash?: (path: string) => Promise<void>;
  /** How often a v2 upload asks the cloud how processing goes (default 3 s; tests go faster). */
  cloudPollIntervalMs?: number;
  /** Tries and backoff for connection failures and 502/503/504 (default core/cloud DEFAULT_RETRY). */
  cloudRetry?: RetryPolicy;
}

export function createApiHandlers(context: ApiContext): ApiHandlers {
  const home = context.homeDir ?? homedir();
  const configDir = context.settingsDir ?? settingsDir();
  const recent = new RecentServices(configDir);
  const settings = new AppSettingsStore(configDir);
  const cwd = context.cwd ?? process.cwd();
  const srcDirOf = async (root: string) => {
    const config = await readServiceConfig(root);
    return sourceFolderOf(config.root, parseServiceConfig(config.text).value);
  };
  /** The source folder for a write: it must lie inside the service folder (src-edit.ts). */
  const writableSrcDirOf = async (root: string) => {
    const config = await readServiceConfig(root);
    const src = sourceFolderOf(config.root, parseServiceConfig(config.text).value);
    await requireSourceFolderInService(config.root, src, config.configPath);
    return src;
  };
  const resolvePath = (p: string) => abs(cwd, p);
  const jobs = new JobRegistry({
    progress: (jobId, p) => context.emit?.('job.progress', { jobId, ...p }),
    done: (jobId, outcome) => context.emit?.('job.done', outcome.ok ? { jobId, ok: true, value: outcome.value } : { jobId, ok: false, error: outcome.error }),
  });
  const watches = new ServiceWatches((payload) => context.emit?.('service.changed', payload));
  const unsupported = (what: string) =>
    appError('unsupported', `${what} needs the desktop app; in browser mode use the in-app browser instead.`);

  // What the user chose in a native save dialog; only such a path lets bundle.sign write
  // outside the service folder, and layers.sbom over an existing file.
  const grants = new WriteGrants();
  // One outbox and one credential session for the app's run: a key opened for an upload stays
  // open (in memory) for the next, so a password is asked once.
  const cloud = createCloudContext(configDir, home, { pollIntervalMs: context.cloudPollIntervalMs, retry: context.cloudRetry });
  // Entries left waiting (or "uploading" by a crash) are pushed as soon as the cloud answers.
  const pusher = createPusher(cloud, settings, (payload) => context.emit?.('outbox.changed', payload));
  void pusher.wake();

  return {
    ...createSigningHandlers(jobs, resolvePath, home, grants),
    ...createPreviewHandlers(jobs, resolvePath, home),
    ...createDeploymentHandlers(jobs, resolvePath, recent, home, grants, watches),
    ...createLayerPackHandlers(jobs, resolvePath),
    ...createLayerHandlers(jobs, resolvePath, recent, grants),
    ...createCloudHandlers(jobs, resolvePath, cloud),
    'job.cancel': async ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    'job.status': async ({ jobId }) => jobs.status(jobId),
    ...createWatchHandlers(watches, resolvePath),
    ...createOutboxHandlers(cloud, pusher, settings, jobs, resolvePath),
    cancelJobs: () => jobs.cancelAll(),
    stopWatches: () => watches.stopAll(),
    'settings.get': () => settings.get(),
    'settings.set': async (patch) => {
      // A saved cloud URL and CA file always work as such (checked here, as the CLI checks --cloud and --ca).
      if (patch.cloud) await checkCloudSettings({ url: patch.cloud.url, caFile: patch.cloud.caFile && abs(cwd, patch.cloud.caFile) });
      const next = await settings.set(patch.cloud?.caFile ? { ...patch, cloud: { ...patch.cloud, caFile: abs(cwd, patch.cloud.caFile) } } : patch);
      if (patch.cloud) void pusher.wake();
      return next;
    },
    'app.info': async () => ({ version: APP_VERSION, mode: context.mode, platform: process.platform, homeDir: home, cwd }),
    'recent.list': () => recent.list(),
    'recent.remove': ({ root }) => recent.remove(root),
    'service.init': async (input) => {
      const result = await initServiceTree({ ...input, dir: abs(cwd, input.dir), pkcs12Path: input.pkcs12Path && abs(cwd, input.pkcs12Path), homeDir: home });
      return result;
    },
    'service.open': async ({ dir }) => {
      const snapshot = await openServiceTree(abs(cwd, dir), home);
      watches.noteConfig(snapshot.root, snapshot.configText);
      await recent.remember(snapshot.root, new Date(), 'service');
      return snapshot;
    },
    'config.validate': async ({ root, text }) => ({ diagnostics: diagnoseServiceConfig(text, abs(cwd, root), home).diagnostics }),
    'config.save': async ({ root, text, expectedMtimeMs, force }) => {
      // The app's own write is not a change "on disk" for the watchers of this service.
      watches.noteConfig(abs(cwd, root), text);
      const saved = await saveServiceConfig(abs(cwd, root), text, { expectedMtimeMs, force });
      return { configMtimeMs: saved.configMtimeMs, diagnostics: diagnoseServiceConfig(text, abs(cwd, root), home).diagnostics };
    },
    'src.list': async ({ root }) => listSourceFolder(await srcDirOf(abs(cwd, root))),
    'src.addFiles': async ({ root, dir, files }) => {
      const src = await writableSrcDirOf(abs(cwd, root));
      const added = await addFiles(src, dir, files.map((f) => ({ path: f.path, content: Buffer.from(f.contentBase64, 'base64'), executable: f.executable })));
      return { added, listing: await listSourceFolder(src) };
    },
    'src.copyIn': async ({ root, dir, sources }) => {
      const src = await writableSrcDirOf(abs(cwd, root));
      const added = await copyIntoSource(src, dir, sources.map((s) => abs(cwd, s)));
      return { added, listing: await listSourceFolder(src) };
    },
    'src.mkdir': async ({ root, path }) => {
      const src = await writableSrcDirOf(abs(cwd, root));
      await makeSourceFolder(src, path);
      return listSourceFolder(src);
    },
    'src.rename': async ({ root, from, to }) => {
      const src = await writableSrcDirOf(abs(cwd, root));
      const path = await renameInSrc(src, from, to);
      return { path, listing: await listSourceFolder(src) };
    },
    'src.delete': async ({ root, path, mode }) => {
      if (mode === 'trash' && !context.trash) throw appError('unsupported', 'There is no system trash in browser mode; delete permanently instead.');
      const src = await writableSrcDirOf(abs(cwd, root));
      const { trashed } = await deleteInSrc(src, path, mode === 'trash' ? { trash: context.trash } : {});
      return { trashed, listing: await listSourceFolder(src) };
    },
    'src.newFile': async ({ root, path }) => {
      const src = await writableSrcDirOf(abs(cwd, root));
      const added = await newFileInSrc(src, path);
      return { path: added, listing: await listSourceFolder(src) };
    },
    'fs.browse': async ({ path, showFiles, extensions }) => browseFolder(path ? abs(cwd, path) : home, { showFiles, extensions }),
    'dialog.openFolder': async (input) => {
      if (!context.dialogs) throw unsupported('A native folder dialog');
      return context.dialogs.openFolder(input);
    },
    'dialog.openFiles': async (input) => {
      if (!context.dialogs) throw unsupported('A native file dialog');
      return context.dialogs.openFiles(input);
    },
    'dialog.saveFile': async (input) => {
      if (!context.dialogs) throw unsupported('A native save dialog');
      const { path } = await context.dialogs.saveFile(input);
      return { path, grant: path === null ? null : grants.grant(path) };
    },
    'fs.mkdir': async ({ parent, name }) => ({ path: await createFolderIn(abs(cwd, parent), name) }),
    'credentials.describe': async ({ path, password }) => describeCredentials(abs(cwd, path), password),
    'shell.showInFolder': async ({ path }) => {
      if (!context.dialogs) throw unsupported('Showing a file in its folder');
      await context.dialogs.showInFolder(abs(cwd, path));
      return {};
    },
  };
}

/** Paths from the renderer or the CLI are taken relative to the folder the app runs in. */
function abs(cwd: string, path: string): string {
  return resolve(cwd, path);
}

/**
 * Runs one call: unknown channels and invalid input are refused before any handler runs;
 * whatever a handler throws comes back as an AppError value, never as a stack trace.
 */
export async function dispatch(handlers: Handlers, channel: unknown, input: unknown): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    return { ok: false, error: { code: 'invalid-input', message: `Unknown API method: ${String(channel).slice(0, 100)}` } };
  }
  const parsed = parseInput(channel, input);
  if (!parsed.ok) return parsed;
  try {
    const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
    const value = await handler(parsed.value);
    // Outputs are checked too, so a handler bug shows up here and not as a confusing UI state.
    const checked = contract[channel].output.safeParse(value);
    if (!checked.success) return { ok: false, error: { code: 'internal', message: `The ${channel} result did not match the contract.` } };
    return { ok: true, value: checked.data };
  } catch (err) {
    return { ok: false, error: toAppError(err) };
  }
}
