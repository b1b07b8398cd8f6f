// Handlers for the cloud and the outbox: thin calls into core/cloud (whoami) and
// core/outbox (list, add, push, retry, remove), the same use-cases the CLI runs. One
// CloudContext per app run holds the credential session (a protected key's password is
// asked once and the opened key kept in main's memory only), the outbox and its pusher.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Output } from '../../shared/contract';
import { appError } from '../../shared/errors';
import { connectCloud, CredentialSession, DEFAULT_RETRY, whoami, type CloudClient, type CloudDestination } from '../core/cloud';
import { describeFiles } from '../core/cloud/identity';
import type { CredentialFiles } from '../core/credentials';
import { defaultOutboxDir, describeTarget, entryName, Outbox, OutboxPusher, uploadBundleFile, type ConnectHow, type OutboxEntry } from '../core/outbox';
import type { AppSettingsStore } from '../core/settings/app-settings';
import type { Handlers } from './handlers';
import type { JobRegistry } from './jobs';

type CloudChannels = 'cloud.whoami' | 'outbox.list' | 'outbox.add' | 'outbox.push' | 'outbox.retry' | 'outbox.remove';

/** The app's cloud: one per run, shared by every handler that talks to the cloud (whoami, push, upload). */
export class CloudContext {
  readonly session = new CredentialSession();
  readonly outbox: Outbox;
  readonly pusher: OutboxPusher;

  constructor(
    private readonly settings: AppSettingsStore,
    opts: { outboxDir?: string; env?: NodeJS.ProcessEnv } = {},
  ) {
    this.outbox = new Outbox(opts.outboxDir ?? defaultOutboxDir(opts.env));
    this.pusher = new OutboxPusher({ outbox: this.outbox, connect: (e, how) => this.connect(e.destination, how) });
  }

  /** The app's cloud settings: what the CLI's --cloud and --ca give. */
  async cloudSettings(): Promise<{ cloud?: string; caFile?: string }> {
    const s = (await this.settings.get()).cloud;
    return { cloud: s?.url || undefined, caFile: s?.caFile || undefined };
  }

  /** A client for a destination; the settings fill in what the destination leaves open. */
  async connect(destination: CloudDestination, how: ConnectHow = {}): Promise<CloudClient> {
    const s = await this.cloudSettings();
    return connectCloud({
      credentials: destination.credentials,
      password: how.password,
      session: this.session,
      caFile: destination.caFile ?? s.caFile,
      cloud: destination.cloud ?? s.cloud,
      configDomain: destination.configDomain,
      retry: how.quick ? { ...DEFAULT_RETRY, tries: 1 } : DEFAULT_RETRY,
    });
  }
}

/** The folder whose config names the credentials of a signed file (a service's meta/, a bundle's own folder). */
function configDirFor(file: string, root?: string): string {
  const dir = root ?? path.dirname(file);
  return existsSync(path.join(dir, 'meta', 'config.yaml')) ? path.join(dir, 'meta') : dir;
}

export function entryView(e: OutboxEntry): Output<'outbox.retry'> {
  return {
    id: e.id,
    name: entryName(e),
    source: e.source,
    kind: e.target.api === 'service-version' ? 'service' : 'deployment',
    size: e.size,
    sha256: e.sha256,
    target: describeTarget(e),
    cloud: e.destination.cloud ?? e.destination.configDomain,
    state: e.state,
    remoteId: e.remoteId,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    history: e.history,
  };
}

function chosenCredentials(input: { pkcs12Path?: string; keyPath?: string; certPath?: string }, resolvePath: (p: string) => string): CredentialFiles | undefined {
  if (input.pkcs12Path && (input.keyPath || input.certPath)) throw appError('invalid-input', 'Give either a PKCS#12 file or a key and a certificate, not both.');
  if (input.pkcs12Path) return { kind: 'pkcs12', path: resolvePath(input.pkcs12Path) };
  if (!input.keyPath !== !input.certPath) throw appError('invalid-input', 'A key and a certificate go together.');
  if (input.keyPath && input.certPath) return { kind: 'pem', keyPath: resolvePath(input.keyPath), certPath: resolvePath(input.certPath) };
  return undefined;
}

export function createCloudHandlers(cloud: CloudContext, jobs: JobRegistry, resolvePath: (p: string) => string, homeDir: string): Pick<Handlers, CloudChannels> {
  const { outbox, pusher } = cloud;
  return {
    'cloud.whoami': async (input) => {
      const me = await whoami({
        folder: input.root && resolvePath(input.root),
        credentials: chosenCredentials(input, resolvePath),
        ...(await cloud.cloudSettings()),
        homeDir,
        connect: (d) => cloud.connect(d, { password: input.password }),
      });
      // A key just opened may be what queued entries were waiting for.
      if (pusher.status().state === 'needs-password') void pusher.wake();
      return { username: me.username, email: me.email, role: me.role, host: me.host, base: me.base, source: me.source, credentials: describeFiles(me.credentials) };
    },
    'outbox.list': async () => ({ dir: outbox.dir, entries: (await outbox.list()).map(entryView), auto: pusher.status() }),
    'outbox.add': async ({ file, root }) => {
      const abs = resolvePath(file);
      const { entry } = await uploadBundleFile({
        outbox,
        file: abs,
        configDir: configDirFor(abs, root && resolvePath(root)),
        homeDir,
        ...(await cloud.cloudSettings()),
        queueOnly: true,
        connect: (e) => cloud.connect(e.destination),
      });
      void pusher.wake();
      return entryView(entry);
    },
    'outbox.push': async ({ ids, password }) =>
      jobs.start('outbox.push', async (signal, report) => {
        const results = await pusher.push({ ids, password, signal, onProgress: (e, p) => report({ phase: `upload ${e.id}`, done: p.sent, total: p.total }) });
        return { results: results.map((r) => ({ id: r.id, state: r.state, message: r.message, alreadyThere: r.alreadyThere, skipped: r.skipped, error: r.error })) };
      }),
    'outbox.retry': async ({ id }) => {
      const entry = await outbox.retry(id);
      void pusher.wake();
      return entryView(entry);
    },
    'outbox.remove': async ({ id, confirmed }) => {
      await outbox.remove(id, { force: confirmed });
      return { removed: id };
    },
  };
}
