// Handlers for uploading to the cloud: thin calls into the use-case `aos-bundle upload` runs
// (core/outbox uploadBundleFile: into the outbox, then pushed), so the app and the CLI can
// never differ. What the handlers of one app run share lives in a CloudContext: the outbox
// and the credential session, in which a protected PKCS#12 is opened once (its password is
// given with the first call that needs it and is never kept; the opened key is, in memory).
import path from 'node:path';
import type { OutboxEntryView, UploadResult } from '../../shared/contract';
import { connectCloud, CredentialSession, describeTarget, type CloudClient, type RetryPolicy } from '../core/cloud';
import { credentialsDirOf, KnownRoles, Outbox, uploadBundleFile, type OutboxEntry, type PushResult } from '../core/outbox';
import { buildInfoText } from '../core/cloud/upload';
import { describeFiles } from '../core/cloud/identity';
import type { DeploymentBundleStatus } from '../core/cloud/client';
import type { Handlers } from './handlers';
import type { JobProgress, JobRegistry } from './jobs';

export interface CloudContext {
  outbox: Outbox;
  session: CredentialSession;
  /** What users/me told this run of each certificate's role: a push of everything sends an entry refused for its role again once it allows it. */
  roles: KnownRoles;
  homeDir: string;
  pollIntervalMs?: number;
  retry?: RetryPolicy;
  /** An entry was queued or an upload ended: the automatic push looks at the outbox again. */
  onQueued?: () => void;
}

/** One per app run: the outbox in the app's config folder (the CLI's too) and one credential session. */
export function createCloudContext(configDir: string, homeDir: string, opts: Pick<CloudContext, 'pollIntervalMs' | 'retry'> = {}): CloudContext {
  return { outbox: new Outbox(path.join(configDir, 'outbox')), session: new CredentialSession(), roles: new KnownRoles(), homeDir, ...opts };
}

/** Opens an entry's credentials through the session (`password` only needed the first time). */
export function connectorOf(ctx: CloudContext, password?: string, log?: (line: string) => void): (entry: Pick<OutboxEntry, 'destination'>) => Promise<CloudClient> {
  return (entry) =>
    connectCloud({
      credentials: entry.destination.credentials,
      password,
      session: ctx.session,
      caFile: entry.destination.caFile,
      cloud: entry.destination.cloud,
      configDomain: entry.destination.configDomain,
      retry: ctx.retry,
      log,
    });
}

/** `interrupted`: Outbox.interrupted's answer, where the caller asked it (the outbox listing). */
export function entryView(entry: OutboxEntry, interrupted = false): OutboxEntryView {
  return {
    id: entry.id,
    source: entry.source,
    sha256: entry.sha256,
    size: entry.size,
    kind: entry.target.api === 'service-version' ? 'service' : 'deployment',
    ...(entry.target.api === 'deployment-bundle' ? { itemTypes: entry.target.items.map((i) => i.type ?? '') } : {}),
    what: describeTarget(entry),
    state: entry.state,
    ...(entry.held ? { held: true } : {}),
    ...(interrupted ? { interrupted: true } : {}),
    ...(entry.remoteId !== undefined ? { remoteId: entry.remoteId } : {}),
    ...(entry.destination.cloud ? { cloud: entry.destination.cloud } : {}),
    credentials: describeFiles(entry.destination.credentials),
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
    history: entry.history.map((h) => ({ at: h.at, state: h.state, message: h.message })),
  };
}

const ENDED_WELL: ReadonlySet<string> = new Set(['done', 'uploaded', 'processing']);

function uploadResultOf(entry: OutboxEntry, result: PushResult): UploadResult {
  const status = entry.target.api === 'deployment-bundle' && (entry.state === 'done' || entry.state === 'failed') ? (entry.answer as DeploymentBundleStatus | undefined) : undefined;
  const buildInfo = status && typeof status === 'object' ? buildInfoText(status) : '';
  const failed = result.error && !ENDED_WELL.has(entry.state);
  return {
    entry: entryView(entry),
    message: result.message,
    alreadyThere: result.alreadyThere ?? false,
    ...(buildInfo ? { buildInfo } : {}),
    ...(failed && result.error
      ? { failure: { code: result.error.code, message: result.error.message, ...(result.status !== undefined ? { status: result.status } : {}), fields: result.fields ?? [] } }
      : entry.state === 'failed'
        ? { failure: { code: 'rejected' as const, message: result.message, fields: [] } }
        : {}),
  };
}

type CloudChannels = 'cloud.upload' | 'outbox.add';

export function createCloudHandlers(jobs: JobRegistry, resolvePath: (p: string) => string, ctx: CloudContext): Pick<Handlers, CloudChannels> {
  return {
    'cloud.upload': async ({ path: file, root, cloud, caFile, password, follow }) => {
      const bundle = resolvePath(file);
      const { jobId, finished } = jobs.start('cloud.upload', async (signal, report) => {
        let last: JobProgress | undefined;
        let moved = false;
        const send = (p: JobProgress) => {
          last = p;
          report(p);
        };
        const { entry, result } = await uploadBundleFile({
          outbox: ctx.outbox,
          file: bundle,
          configDir: credentialsDirOf(bundle, root && resolvePath(root)),
          homeDir: ctx.homeDir,
          caFile: caFile && resolvePath(caFile),
          cloud,
          follow,
          pollIntervalMs: ctx.pollIntervalMs,
          signal,
          connect: connectorOf(ctx, password, (line) => send({ ...(last ?? { phase: 'uploading', done: 0, total: 0 }), message: line })),
          onProgress: (_e, p) => send({ phase: 'uploading', done: p.sent, total: p.total, rate: p.rate, ...(p.secondsLeft !== undefined ? { secondsLeft: p.secondsLeft } : {}) }),
          // A state change passes the registry's throttle whole (done = total) except 'uploading',
          // which the byte counts that follow it describe.
          onChange: (e) => {
            moved = true;
            send({ phase: e.state, done: e.state === 'uploading' ? 0 : e.size, total: e.size, message: e.history.at(-1)?.message });
          },
        });
        const view = uploadResultOf(entry, result ?? { id: entry.id, state: entry.state, message: entry.history.at(-1)?.message ?? '' });
        // The same bytes, done before: nothing went out this time, so the panel must not say "Uploaded".
        if (!moved && entry.state === 'done') {
          const where = entry.destination.cloud ? ` at ${entry.destination.cloud}` : '';
          return { ...view, alreadyThere: true, message: `These bytes are outbox entry ${entry.id}, done${where} since ${entry.history.at(-1)?.at ?? entry.updatedAt}: nothing was sent again (remove the entry in the Outbox to send them once more).` };
        }
        return view;
      });
      // An upload the network stopped is queued: the automatic push takes over from here.
      void finished.then(() => ctx.onQueued?.());
      return { jobId };
    },
    'outbox.add': async ({ path: file, root, cloud, caFile }) => {
      const bundle = resolvePath(file);
      const { entry } = await uploadBundleFile({
        outbox: ctx.outbox,
        file: bundle,
        configDir: credentialsDirOf(bundle, root && resolvePath(root)),
        homeDir: ctx.homeDir,
        caFile: caFile && resolvePath(caFile),
        cloud,
        queueOnly: true,
        connect: connectorOf(ctx),
      });
      ctx.onQueued?.();
      return entryView(entry);
    },
  };
}
