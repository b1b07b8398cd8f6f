// What the cloud commands (upload, go, whoami, outbox push) share: their options, the
// credentials they name, a connector that opens credentials once per run (asking for a
// password as sign does, never from argv), progress on a terminal and the result lines.
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { appError } from '../../shared/errors';
import { readBundleConfig } from '../core/bundle';
import { defaultBundleFile } from '../core/bundle/sign';
import { connectCloud, CredentialSession, DEFAULT_RETRY, type CloudClient, type RetryPolicy } from '../core/cloud';
import type { CredentialFiles } from '../core/credentials';
import { Outbox, credentialsDirOf, defaultOutboxDir, type OutboxDestination, type OutboxEntry, type PushResult } from '../core/outbox';
import { UsageError, type CliIo } from './io';
import { PASSWORD_OPTIONS, withPassword, type PasswordSource } from './password';
import { progressLine, type ProgressLine } from './progress';

export const CLOUD_OPTIONS = {
  ca: { type: 'string' },
  cloud: { type: 'string' },
  json: { type: 'boolean' },
  /** Attempts per call for connection failures and 502/503/504 (default 5). */
  tries: { type: 'string' },
  ...PASSWORD_OPTIONS,
} as const;

export const IDENTITY_OPTIONS = {
  pkcs12: { type: 'string' },
  key: { type: 'string' },
  cert: { type: 'string' },
} as const;

export interface CloudValues {
  ca?: string;
  cloud?: string;
  json?: boolean;
  pkcs12?: string;
  key?: string;
  cert?: string;
}

export const homeOf = (io: CliIo): string => io.env.HOME || homedir();

/** --pkcs12 FILE or --key FILE --cert FILE; undefined when neither (the config's are used). */
export function credentialsFromOptions(values: CloudValues, io: CliIo): CredentialFiles | undefined {
  if (values.pkcs12 !== undefined && (values.key !== undefined || values.cert !== undefined)) throw new UsageError('give either --pkcs12 FILE or --key FILE --cert FILE, not both');
  if (values.pkcs12 !== undefined) return { kind: 'pkcs12', path: path.resolve(io.cwd, values.pkcs12) };
  if ((values.key === undefined) !== (values.cert === undefined)) throw new UsageError('--key and --cert go together');
  if (values.key !== undefined && values.cert !== undefined) return { kind: 'pem', keyPath: path.resolve(io.cwd, values.key), certPath: path.resolve(io.cwd, values.cert) };
  return undefined;
}

export function caFileOf(values: CloudValues, io: CliIo): string | undefined {
  return values.ca === undefined ? undefined : path.resolve(io.cwd, values.ca);
}

/** The outbox the app uses too (BUNDLE_STUDIO_CONFIG_DIR / XDG_CONFIG_HOME apply). */
export function outboxOf(io: CliIo): Outbox {
  return new Outbox(defaultOutboxDir({ ...io.env, HOME: homeOf(io) }));
}

/**
 * Opens an entry's credentials once per run: a protected file's password is asked (or read
 * from --password-env / --password-file) the first time, the opened key kept in memory.
 */
/** --tries N: 1 to 20. */
export function retryPolicyOf(values: { tries?: string }): RetryPolicy {
  if (values.tries === undefined) return DEFAULT_RETRY;
  const tries = Number(values.tries);
  if (!Number.isInteger(tries) || tries < 1 || tries > 20) throw new UsageError(`--tries takes a whole number from 1 to 20, got "${values.tries}"`);
  return { ...DEFAULT_RETRY, tries };
}

export function connector(io: CliIo, source: PasswordSource, log: (line: string) => void, retry: RetryPolicy = DEFAULT_RETRY): (destination: OutboxDestination) => Promise<CloudClient> {
  const session = new CredentialSession();
  let password = source.password;
  return (destination) =>
    withPassword(io, { ...source, password }, async (typed) => {
      const client = await connectCloud({
        credentials: destination.credentials,
        password: typed,
        session,
        caFile: destination.caFile,
        cloud: destination.cloud,
        configDomain: destination.configDomain,
        retry,
        log,
      });
      password = typed;
      return client;
    });
}

/** Retry lines go to stderr, above the progress line. */
export function retryLog(io: CliIo, line: ProgressLine): (text: string) => void {
  return (text) => {
    line.clear();
    io.stderr(`retry: ${text}\n`);
  };
}

export function uploadProgress(io: CliIo): { line: ProgressLine; onProgress: (entry: OutboxEntry, p: { sent: number; total: number }) => void } {
  const line = progressLine(io);
  // Bytes handed to the connection ("sent"), not what the cloud has read: once all are written,
  // only the cloud's answer says it has the bundle, and the line says it waits for that.
  return {
    line,
    onProgress: (_e, p) => line.update({ label: 'sent', done: p.sent, total: p.total, ...(p.total > 0 && p.sent >= p.total ? { note: 'waiting for the cloud\u2019s answer…' } : {}) }),
  };
}

export interface BundleLocation {
  file: string;
  /** Where relative credential paths of the bundle's config are looked up. */
  configDir: string;
}

/**
 * BUNDLE or DIR as the platform's tool takes them: a signed file; a service folder (its
 * default service.tar.gz, credentials next to meta/config.yaml); or a folder holding a
 * signed service.tar.gz or batch.tar.gz.
 */
export async function locateBundle(arg: string | undefined, io: CliIo): Promise<BundleLocation> {
  const target = path.resolve(io.cwd, arg ?? '.');
  if (!existsSync(target)) throw appError('not-found', `${target} does not exist.`);
  if (statSync(target).isFile()) {
    return { file: target, configDir: credentialsDirOf(target) };
  }
  const meta = path.join(target, 'meta');
  if (existsSync(path.join(meta, 'config.yaml'))) {
    // Where sign puts it: <build.package_folder>/service.tar.gz.
    const file = defaultBundleFile(await readBundleConfig(target));
    if (!existsSync(file)) throw appError('not-found', `No signed bundle at ${file}: run \`aos-bundle sign\` first (or \`aos-bundle go\` to sign and upload).`, { file });
    return { file, configDir: meta };
  }
  for (const name of ['batch.tar.gz', 'service.tar.gz']) {
    const file = path.join(target, name);
    if (existsSync(file)) return { file, configDir: target };
  }
  throw appError('not-found', `${target} holds no service tree (meta/config.yaml) and no signed service.tar.gz or batch.tar.gz.`);
}

/** Human lines of a push result. */
export function resultLines(entry: OutboxEntry, r: PushResult | undefined): string {
  const lines = [`outbox: ${entry.id}`, `state: ${entry.state}`];
  if (entry.remoteId !== undefined) lines.push(`cloud-id: ${entry.remoteId}`);
  if (r?.message) lines.push(`message: ${r.message}`);
  const next = followHint(entry);
  if (next) lines.push(`next: ${next}`);
  return `${lines.join('\n')}\n`;
}

/**
 * A deployment bundle left uploaded or processing (not followed: no --wait) is not done yet:
 * the cloud still builds it, and only following it says how that ends.
 */
export function followHint(entry: Pick<OutboxEntry, 'id' | 'state' | 'target'>): string | undefined {
  if (entry.target.api !== 'deployment-bundle' || (entry.state !== 'uploaded' && entry.state !== 'processing')) return undefined;
  return `the cloud is still processing it; \`aos-bundle outbox push --wait ${entry.id}\` follows it to done (or error) and shows its build_info.`;
}

export function resultJson(entry: OutboxEntry, r: PushResult | undefined, ok: boolean): string {
  return `${JSON.stringify({ ok, id: entry.id, state: entry.state, message: r?.message, alreadyThere: r?.alreadyThere ?? false, remoteId: entry.remoteId, answer: r?.answer ?? entry.answer, error: r?.error, history: entry.history }, null, 2)}\n`;
}

/** done is success; so is uploaded/processing when not waiting for processing. */
export function succeeded(state: OutboxEntry['state'], waited: boolean): boolean {
  return state === 'done' || (!waited && (state === 'uploaded' || state === 'processing'));
}
