// Handlers for who-am-I and the outbox: thin calls into core/cloud (whoami) and core/outbox
// (list, push, retry, remove), the use-cases the CLI runs. They share the run's CloudContext
// (cloud-handlers.ts: the outbox, and the credential session in which a protected key is
// opened once and kept in main's memory only) and its OutboxPusher, which pushes what waits
// when the cloud answers again and serialises "Push now" with that.
import type { EventPayload } from '../../shared/contract';
import { appError } from '../../shared/errors';
import { connectCloud, DEFAULT_RETRY, whoami, type CloudClient, type CloudDestination } from '../core/cloud';
import { describeFiles } from '../core/cloud/identity';
import type { CredentialFiles } from '../core/credentials';
import { OutboxPusher, type ConnectHow } from '../core/outbox';
import type { AppSettingsStore } from '../core/settings/app-settings';
import { entryView, type CloudContext } from './cloud-handlers';
import type { Handlers } from './handlers';
import type { JobRegistry } from './jobs';

type OutboxChannels = 'cloud.whoami' | 'outbox.list' | 'outbox.push' | 'outbox.retry' | 'outbox.remove';

/** The app's cloud settings: what the CLI's --cloud and --ca give. */
async function cloudSettingsOf(settings: AppSettingsStore): Promise<{ cloud?: string; caFile?: string }> {
  const s = (await settings.get()).cloud;
  return { cloud: s?.url || undefined, caFile: s?.caFile || undefined };
}

/**
 * Where a destination goes in this app: the settings fill in what it leaves open. Only what is
 * filled in is added, so a destination the settings do not change is the very same one.
 */
async function destinationIn<D extends CloudDestination>(settings: AppSettingsStore, destination: D): Promise<D> {
  const s = await cloudSettingsOf(settings);
  return {
    ...destination,
    ...(destination.caFile === undefined && s.caFile !== undefined ? { caFile: s.caFile } : {}),
    ...(destination.cloud === undefined && s.cloud !== undefined ? { cloud: s.cloud } : {}),
  };
}

/** A client for a destination through the run's session; the settings fill in what the destination leaves open. */
async function connect(ctx: CloudContext, settings: AppSettingsStore, given: CloudDestination, how: ConnectHow = {}): Promise<CloudClient> {
  const destination = await destinationIn(settings, given);
  return connectCloud({
    credentials: destination.credentials,
    password: how.password,
    session: ctx.session,
    caFile: destination.caFile,
    cloud: destination.cloud,
    configDomain: destination.configDomain,
    retry: how.quick ? { ...(ctx.retry ?? DEFAULT_RETRY), tries: 1 } : ctx.retry,
  });
}

/** What the pusher tells the screens: an entry's new state, or its bytes sent while it uploads. */
export type OutboxChanged = (payload: EventPayload<'outbox.changed'>) => void;

/** The run's pusher; queuing (outbox.add, an upload that ended queued) wakes it. Each entry it moves goes out as 'outbox.changed'. */
export function createPusher(ctx: CloudContext, settings: AppSettingsStore, changed?: OutboxChanged): OutboxPusher {
  const pusher = new OutboxPusher({
    outbox: ctx.outbox,
    pollIntervalMs: ctx.pollIntervalMs,
    connect: (e, how) => connect(ctx, settings, e.destination, how),
    roles: ctx.roles,
    destinationOf: (e) => destinationIn(settings, e.destination),
    onEntry: (e, p) =>
      changed?.({
        entry: entryView(e),
        ...(p ? { progress: { sent: p.sent, total: p.total, ...(Number.isFinite(p.rate) ? { rate: p.rate } : {}), ...(p.secondsLeft !== undefined && Number.isFinite(p.secondsLeft) ? { secondsLeft: p.secondsLeft } : {}) } } : {}),
      }),
  });
  ctx.onQueued = () => void pusher.wake();
  return pusher;
}

function chosenCredentials(input: { pkcs12Path?: string; keyPath?: string; certPath?: string }, resolvePath: (p: string) => string): CredentialFiles | undefined {
  if (input.pkcs12Path && (input.keyPath || input.certPath)) throw appError('invalid-input', 'Give either a PKCS#12 file or a key and a certificate, not both.');
  if (input.pkcs12Path) return { kind: 'pkcs12', path: resolvePath(input.pkcs12Path) };
  if (!input.keyPath !== !input.certPath) throw appError('invalid-input', 'A key and a certificate go together.');
  if (input.keyPath && input.certPath) return { kind: 'pem', keyPath: resolvePath(input.keyPath), certPath: resolvePath(input.certPath) };
  return undefined;
}

export function createOutboxHandlers(ctx: CloudContext, pusher: OutboxPusher, settings: AppSettingsStore, jobs: JobRegistry, resolvePath: (p: string) => string): Pick<Handlers, OutboxChannels> {
  const { outbox } = ctx;
  return {
    'cloud.whoami': async (input) => {
      const me = await whoami({
        folder: input.root && resolvePath(input.root),
        credentials: chosenCredentials(input, resolvePath),
        ...(await cloudSettingsOf(settings)),
        homeDir: ctx.homeDir,
        connect: (d) => connect(ctx, settings, d, { password: input.password }),
      });
      ctx.roles.remember(me.credentials, me.role);
      // A key just opened may be what queued entries were waiting for.
      if (pusher.status().state === 'needs-password') void pusher.wake();
      return { username: me.username, email: me.email, role: me.role, host: me.host, base: me.base, source: me.source, credentials: describeFiles(me.credentials) };
    },
    'outbox.list': async () => ({
      dir: outbox.dir,
      entries: await Promise.all((await outbox.list()).map(async (e) => entryView(e, await outbox.interrupted(e)))),
      auto: pusher.status(),
    }),
    'outbox.push': async ({ ids, password }) => {
      const { jobId } = jobs.start('outbox.push', async (signal, report) => {
        const results = await pusher.push({ ids, password, signal, onProgress: (e, p) => report({ phase: 'uploading', done: p.sent, total: p.total, rate: p.rate, ...(p.secondsLeft !== undefined ? { secondsLeft: p.secondsLeft } : {}), message: e.id }) });
        return { results: results.map((r) => ({ id: r.id, state: r.state, message: r.message, alreadyThere: r.alreadyThere, skipped: r.skipped, skipReason: r.skipReason, error: r.error })) };
      });
      return { jobId };
    },
    'outbox.retry': async ({ id }) => {
      const entry = await outbox.retry(id);
      // Retry is the user naming this entry: one refused for its role is sent by itself (a
      // push of everything leaves it alone, role-refusal.ts); any other waits for the automatic push.
      if (entry.roleRefusal) void pusher.push({ ids: [id] }).catch(() => undefined);
      else void pusher.wake();
      return entryView(entry);
    },
    'outbox.remove': async ({ id, confirmed }) => {
      await outbox.remove(id, { force: confirmed });
      return { removed: id };
    },
  };
}
