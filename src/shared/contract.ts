// The one API contract between the renderer and the main process. Every channel names its
// input and output schema; from this module come the TypeScript types, main's validation
// of every call, the preload's `window.api`, the browser-mode HTTP bridge and the typed
// fakes used by renderer tests. The renderer cannot tell Electron from browser mode.
import { z } from 'zod';
import type { AppError, Result } from './errors';

const diagnostic = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  message: z.string(),
  path: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  offset: z.number().int(),
  endOffset: z.number().int(),
});

/** An absolute or relative path as typed by a user; main resolves and checks it. */
const fsPath = z.string().min(1).max(4096);

export const srcEntry = z.object({
  /** Path relative to `src/`, POSIX separators. */
  path: z.string(),
  kind: z.enum(['file', 'directory', 'symlink', 'fifo', 'socket', 'char-device', 'block-device', 'other']),
  size: z.number(),
  /** Permission bits, e.g. 0o755. */
  mode: z.number().int(),
  /** For symlinks: the link text. */
  target: z.string().optional(),
  /** For symlinks whose target resolves outside src/. */
  escapes: z.boolean().optional(),
});

export const srcListing = z.object({
  entries: z.array(srcEntry),
  /** Entries found in total (entries may be capped for the UI). */
  total: z.number().int(),
  truncated: z.boolean(),
  totalBytes: z.number(),
  /** Paths of device files, fifos and sockets: the bundle refuses them. */
  special: z.array(z.string()),
});

export const serviceSnapshot = z.object({
  root: z.string(),
  configPath: z.string(),
  configText: z.string(),
  /** mtime of config.yaml when read, for the conflict check on save. */
  configMtimeMs: z.number(),
  diagnostics: z.array(diagnostic),
  src: srcListing,
});

export const certificateSummary = z.object({
  subject: z.object({
    commonName: z.string().optional(),
    organization: z.string().optional(),
    organizationalUnit: z.string().optional(),
    email: z.string().optional(),
  }),
  issuer: z.string(),
  serialNumber: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  keyType: z.string(),
  /** A guess from the file name, always labelled as a guess. */
  roleGuess: z.string().optional(),
  /** 'valid' | 'expired' | 'not-yet-valid' | 'expires-soon'. */
  status: z.enum(['valid', 'expired', 'not-yet-valid', 'expires-soon']),
});

export const recentService = z.object({ root: z.string(), name: z.string(), openedAt: z.string() });

const empty = z.object({}).strict();

export const contract = {
  'app.info': {
    input: empty,
    output: z.object({
      version: z.string(),
      mode: z.enum(['electron', 'browser']),
      platform: z.string(),
      homeDir: z.string(),
      cwd: z.string(),
    }),
  },
  'recent.list': { input: empty, output: z.array(recentService) },
  'service.init': {
    input: z.object({
      dir: fsPath,
      name: z.string().max(200).optional(),
      cmd: z.string().max(4096).optional(),
      workingDir: z.string().max(4096).optional(),
      arch: z.string().max(64).optional(),
      /** The user's .p12, named in the config (by file name when it lies in meta/ or ~/.aos/security/). */
      pkcs12Path: fsPath.optional(),
    }).strict(),
    output: z.object({ root: z.string(), created: z.array(z.string()) }),
  },
  'service.open': { input: z.object({ dir: fsPath }).strict(), output: serviceSnapshot },
  /** Full validation with the checks that need the filesystem (credential and state files). */
  'config.validate': {
    input: z.object({ root: fsPath, text: z.string().max(4_000_000) }).strict(),
    output: z.object({ diagnostics: z.array(diagnostic) }),
  },
  'config.save': {
    input: z.object({
      root: fsPath,
      text: z.string().max(4_000_000),
      /** mtime the renderer read; a different mtime on disk means someone else changed the file. */
      expectedMtimeMs: z.number().optional(),
      force: z.boolean().optional(),
    }).strict(),
    output: z.object({ configMtimeMs: z.number(), diagnostics: z.array(diagnostic) }),
  },
  'src.list': { input: z.object({ root: fsPath }).strict(), output: srcListing },
  'src.addFiles': {
    input: z.object({
      root: fsPath,
      /** Folder inside src/ to add into ('' for src/ itself). */
      dir: z.string().max(4096),
      files: z.array(z.object({
        /** Relative path under `dir` (may contain folders, from a dropped folder). */
        path: z.string().min(1).max(4096),
        contentBase64: z.string(),
        executable: z.boolean().optional(),
      })).max(10_000),
    }).strict(),
    output: z.object({ added: z.array(z.string()), listing: srcListing }),
  },
  'src.copyIn': {
    input: z.object({ root: fsPath, dir: z.string().max(4096), sources: z.array(fsPath).min(1).max(1000) }).strict(),
    output: z.object({ added: z.array(z.string()), listing: srcListing }),
  },
  'src.mkdir': {
    input: z.object({ root: fsPath, path: z.string().min(1).max(4096) }).strict(),
    output: srcListing,
  },
  'fs.browse': {
    input: z.object({ path: z.string().max(4096).optional(), showFiles: z.boolean().optional(), extensions: z.array(z.string()).optional() }).strict(),
    output: z.object({
      path: z.string(),
      parent: z.string().nullable(),
      entries: z.array(z.object({ name: z.string(), kind: z.enum(['directory', 'file']), isService: z.boolean() })),
    }),
  },
  /** Native dialogs: Electron only. In browser mode they fail with 'unsupported' and the renderer uses fs.browse. */
  'dialog.openFolder': {
    input: z.object({ title: z.string().max(200).optional(), defaultPath: z.string().optional() }).strict(),
    output: z.object({ path: z.string().nullable() }),
  },
  'dialog.openFiles': {
    input: z.object({
      title: z.string().max(200).optional(),
      extensions: z.array(z.string()).optional(),
      multiple: z.boolean().optional(),
      folders: z.boolean().optional(),
    }).strict(),
    output: z.object({ paths: z.array(z.string()) }),
  },
  'credentials.describe': {
    input: z.object({ path: fsPath, password: z.string().max(1024).optional() }).strict(),
    output: certificateSummary,
  },
  'shell.showInFolder': { input: z.object({ path: fsPath }).strict(), output: z.object({}) },
} as const;

/** Events main pushes to the renderer (progress of long jobs). */
export const events = {
  'job.progress': z.object({
    jobId: z.string(),
    phase: z.string(),
    done: z.number(),
    total: z.number(),
    filesDone: z.number().optional(),
    filesTotal: z.number().optional(),
  }),
  /** An application-menu command (File > New service / Open service / Save); Electron only. */
  'menu.command': z.object({ command: z.enum(['new', 'open', 'save']) }),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type Input<C extends Channel> = z.input<Contract[C]['input']>;
export type Output<C extends Channel> = z.output<Contract[C]['output']>;
/** Input after validation (defaults applied), as handlers receive it. */
export type ValidInput<C extends Channel> = z.output<Contract[C]['input']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const channels = Object.keys(contract) as Channel[];
export const eventNames = Object.keys(events) as EventName[];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** What the preload (Electron) and the HTTP bridge (browser mode) both expose as `window.api`. */
export interface Api {
  invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Result<Output<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export type Diagnostic = z.output<typeof diagnostic>;
export type SrcEntry = z.output<typeof srcEntry>;
export type SrcListing = z.output<typeof srcListing>;
export type ServiceSnapshot = z.output<typeof serviceSnapshot>;
export type CertificateSummary = z.output<typeof certificateSummary>;
export type RecentService = z.output<typeof recentService>;
export type { AppError, Result };

/** Validates a call's input; the error names the offending field. */
export function parseInput<C extends Channel>(channel: C, input: unknown): Result<ValidInput<C>> {
  const parsed = contract[channel].input.safeParse(input ?? {});
  if (parsed.success) return { ok: true, value: parsed.data as ValidInput<C> };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length ? ` at ${issue.path.join('.')}` : '';
  return {
    ok: false,
    error: { code: 'invalid-input', message: `Invalid input for ${channel}${where}: ${issue?.message ?? 'rejected'}` },
  };
}
