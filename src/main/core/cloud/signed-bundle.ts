// What a signed bundle file is uploaded as, read from the bundle itself (what is uploaded is
// what was signed): the outer archive is read with the strict readers (core/bundle/read.ts,
// on a worker thread, with the sha256 of the same bytes), its config.yaml gives the target —
// a v1 service version (service.tar.gz inside, service uid and version from publish) or a v2
// deployment bundle (batch.tar.gz inside, schemaVersion 2) — the cloud domain, and which
// credentials open the TLS connection. peekSignedBundle reads the same from the config.yaml
// at the start of the file alone, for a request opened before the whole read has ended.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { appError, fsFailure } from '../../../shared/errors';
import { getConfigValue, parseServiceConfig } from '../../../shared/service-config';
import { readBundleConfigFirst, type BundleMemberList } from '../bundle/read';
import type { CredentialFiles } from '../credentials/load';
import { resolveCredentialPath } from '../credentials/locate';
import { serviceVersionQuery, type EndpointName } from './endpoints';
import type { ChunkWatcher, FileIdentity } from './multipart';
import { isSendStopped, sendStoppedError, watchFile, watchSentBytes, type SentBytesWatch } from './sent-bytes';

export interface ItemRef {
  type?: string;
  codename?: string;
  version?: string;
}

export type UploadTarget =
  | { api: 'service-version'; endpoint: EndpointName & 'serviceVersionUpload'; query: Record<string, string>; filename: 'service.tar.gz'; serviceUid: string; version: string }
  | { api: 'deployment-bundle'; endpoint: EndpointName & 'deploymentBundleUpload'; query: Record<string, string>; filename: 'batch.tar.gz'; items: ItemRef[] };

/** Credential references as the config writes them (resolved later, next to the config). */
export type CredentialRefs = { kind: 'pkcs12'; ref: string; key: string } | { kind: 'pem'; keyRef: string; certRef: string; key: string };

export interface SignedBundle {
  file: string;
  size: number;
  sha256: string;
  target: UploadTarget;
  /** v1 publish.url, v2 publish.domain. */
  configDomain?: string;
  credentials?: CredentialRefs;
  /** The file as it was read (a later change of it shows in these). */
  stat?: FileIdentity;
}

export type { FileIdentity };

export const BUNDLE_CONTENT_TYPE = 'application/gzip';

async function statOf(file: string) {
  try {
    return await stat(file);
  } catch (e) {
    throw fsFailure(e, 'Cannot read the bundle', file);
  }
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);

/** What a request needs of a signed bundle, from its config.yaml (and its member names). */
export type UploadView = Pick<SignedBundle, 'target' | 'configDomain' | 'credentials'>;

/**
 * The target, domain and credentials a bundle's config.yaml names. `members` are the file
 * members' names when the whole bundle was read; without them (the config read from the
 * start of the file alone) the kind is told by the config's schemaVersion and the inner
 * archive's presence is left to the full read.
 */
function uploadViewOf(file: string, configBytes: Buffer, members?: ReadonlySet<string>): UploadView {
  const name = path.basename(file);
  const where = { file };
  const inConfig = { file: `${file} (config.yaml inside)` };
  const parsed = parseServiceConfig(configBytes.toString('utf8'));
  if (parsed.value === undefined || parsed.value === null || typeof parsed.value !== 'object') {
    throw appError('invalid-config', `The config.yaml inside ${name} does not parse.`, inConfig);
  }
  const get = (...keyPath: string[]) => getConfigValue(parsed.value, keyPath);
  const v2 = members?.has('batch.tar.gz') || Number(get('schemaVersion')) === 2;
  if (v2) {
    if (members && !members.has('batch.tar.gz')) throw appError('bundle', `${name} has a schemaVersion 2 config but no batch.tar.gz.`, where);
    const itemsRaw = get('items');
    const items: ItemRef[] = Array.isArray(itemsRaw)
      ? itemsRaw.map((it) => ({ type: text(getConfigValue(it, ['identity', 'type'])), codename: text(getConfigValue(it, ['identity', 'codename'])), version: text(getConfigValue(it, ['version'])) }))
      : [];
    return {
      target: { api: 'deployment-bundle', endpoint: 'deploymentBundleUpload', query: {}, filename: 'batch.tar.gz', items },
      configDomain: text(get('publish', 'domain')),
      credentials: credentialRefsOf(parsed.value, true),
    };
  }
  if (members && !members.has('service.tar.gz')) throw appError('bundle', `${name} holds neither service.tar.gz nor batch.tar.gz.`, where);
  const serviceUid = text(get('publish', 'service_uid'));
  const version = text(get('publish', 'version'));
  if (!serviceUid) throw appError('invalid-config', `The config.yaml inside ${name} has no publish.service_uid: the cloud needs the service's id (from its service page). Set it and sign again.`, { ...inConfig, path: 'publish.service_uid' });
  if (!version) throw appError('invalid-config', `The config.yaml inside ${name} has no publish.version. Set it and sign again.`, { ...inConfig, path: 'publish.version' });
  return {
    target: { api: 'service-version', endpoint: 'serviceVersionUpload', query: serviceVersionQuery(serviceUid, version), filename: 'service.tar.gz', serviceUid, version },
    configDomain: text(get('publish', 'url')),
    credentials: credentialRefsOf(parsed.value, false),
  };
}

/**
 * What the request for a bundle needs, from the config.yaml at the start of the file alone
 * (a few KB read): undefined when the start does not tell (readSignedBundle then decides).
 * Nothing here says the bundle is signed or whole: a request opened from it holds back its
 * end until readSignedBundle has passed the same file (core/outbox/upload-file.ts).
 */
export async function peekSignedBundle(file: string, opts: { signal?: AbortSignal } = {}): Promise<UploadView | undefined> {
  let config: Buffer | undefined;
  try {
    config = await readBundleConfigFirst(file, opts);
  } catch {
    if (opts.signal?.aborted) throw appError('cancelled', 'Cancelled.');
    return undefined;
  }
  if (!config) return undefined;
  try {
    return uploadViewOf(file, config);
  } catch {
    return undefined; // the full read reports it, after the bundle's own problems
  }
}

/**
 * Reads a signed bundle whole with the strict readers: every member, that package.sign is
 * there, config.yaml, and the sha256 the outbox records, in one pass over the file on the
 * check worker (watchFile: the readers a send's bytes go through), so the thread that sends
 * the bundle meanwhile does nothing else.
 */
export async function readSignedBundle(file: string, opts: { signal?: AbortSignal } = {}): Promise<SignedBundle> {
  let read;
  // The file's identity (inode, size, mtime) is taken before and after the read: a file
  // replaced or rewritten meanwhile is refused, so the hash and the members are of the file as
  // it stands (the outbox links that very inode and the upload checks it is the file it sent).
  const before = await statOf(file);
  try {
    read = await watchFile('members', file, opts.signal);
  } catch (e) {
    if (isSendStopped(e) || opts.signal?.aborted) throw appError('cancelled', 'Cancelled.');
    throw fsFailure(e, 'Cannot read the bundle', file);
  }
  const bundle = signedBundleOf(file, read.members!, read.sha256, { ino: before.ino, size: before.size, mtimeMs: before.mtimeMs });
  const st = await statOf(file);
  if (st.ino !== before.ino || st.size !== before.size || st.mtimeMs !== before.mtimeMs) throw appError('bundle', `${path.basename(file)} changed while it was read: try again once it is written.`, { file });
  return bundle;
}

/** What the strict read of a bundle's bytes says of it as a signed bundle to upload, or why it is not one. */
function signedBundleOf(file: string, contents: BundleMemberList, sha256: string, identity: FileIdentity): SignedBundle {
  const name = path.basename(file);
  const where = { file };
  if (contents.problems.length) throw appError('bundle', `${name} is not a readable signed bundle: ${contents.problems[0]}.`, where);
  const members = new Set(contents.members.filter((m) => m.type === 'File').map((m) => m.name));
  if (!members.has('package.sign')) throw appError('bundle', `${name} holds no package.sign: only signed bundles are uploaded (sign it first).`, where);
  if (!contents.configBytes) throw appError('bundle', `${name} holds no config.yaml.`, where);
  const view = uploadViewOf(file, contents.configBytes, members);
  return { file, size: identity.size, sha256, ...view, stat: identity };
}

/**
 * The check of a new bundle made of the very bytes its upload sends (core/outbox/upload-file.ts):
 * `watcher` is given to the send (UploadOptions.watch). The first attempt that sends every
 * byte is read whole on a worker (the members, package.sign, config.yaml and the sha256, as
 * readSignedBundle), and `result` says what it found; a later attempt (a retry) is only hashed,
 * for the caller to compare with the checked sha256. giveUp() once no attempt will come:
 * without a verdict, `result` then rejects with sendStoppedError (isSendStopped).
 */
export interface SentBundleCheck {
  readonly result: Promise<SignedBundle>;
  watcher(): ChunkWatcher;
  giveUp(): void;
}

export function checkWhileSending(file: string): SentBundleCheck {
  let resolve!: (b: SignedBundle) => void;
  let reject!: (e: Error) => void;
  const result = new Promise<SignedBundle>((res, rej) => ((resolve = res), (reject = rej)));
  result.catch(() => undefined);
  let settled = false;
  const settle = (f: () => void) => {
    if (settled) return;
    settled = true;
    f();
  };
  // Started now, for the first attempt: the worker starts beside the credentials and the handshake.
  let early: SentBytesWatch | undefined = watchSentBytes('members', file);
  let checked = false;
  return {
    result,
    watcher() {
      if (checked) return watchSentBytes('sha256', file);
      const watch = early ?? watchSentBytes('members', file);
      early = undefined;
      watch.verdict.then(
        (v) => {
          checked = true;
          settle(() => {
            try {
              resolve(signedBundleOf(file, v.members!, v.sha256, v.file));
            } catch (e) {
              reject(e as Error);
            }
          });
        },
        (e: Error) => {
          // A send stopped mid-way leaves the check to the next attempt; anything else is the check's failure.
          if (!isSendStopped(e)) settle(() => reject(fsFailure(e, 'Cannot read the bundle', file)));
        },
      );
      return watch;
    },
    giveUp() {
      early?.stop();
      early = undefined;
      settle(() => reject(sendStoppedError()));
    },
  };
}

/**
 * Which credentials open the TLS connection, as a config names them: v2 publish.tlsKey; v1
 * publish.tls_pkcs12 or tls_key + tls_certificate, else the signing ones (the same user).
 */
export function credentialRefsOf(config: unknown, v2: boolean): CredentialRefs | undefined {
  const get = (...keyPath: string[]) => text(getConfigValue(config, keyPath));
  if (v2) {
    const tlsKey = get('publish', 'tlsKey');
    return tlsKey ? { kind: 'pkcs12', ref: tlsKey, key: 'publish.tlsKey' } : undefined;
  }
  const tlsP12 = get('publish', 'tls_pkcs12');
  const tlsKey = get('publish', 'tls_key');
  const tlsCert = get('publish', 'tls_certificate');
  const signP12 = get('build', 'sign_pkcs12');
  const signKey = get('build', 'sign_key');
  const signCert = get('build', 'sign_certificate');
  if (tlsP12) return { kind: 'pkcs12', ref: tlsP12, key: 'publish.tls_pkcs12' };
  if (tlsKey && tlsCert) return { kind: 'pem', keyRef: tlsKey, certRef: tlsCert, key: 'publish.tls_key' };
  if (signP12) return { kind: 'pkcs12', ref: signP12, key: 'build.sign_pkcs12' };
  if (signKey && signCert) return { kind: 'pem', keyRef: signKey, certRef: signCert, key: 'build.sign_key' };
  return undefined;
}

/** The cloud domain a config names: v2 publish.domain, v1 publish.url. */
export function configDomainOf(config: unknown): string | undefined {
  const v2 = Number(getConfigValue(config, ['schemaVersion'])) === 2;
  return text(getConfigValue(config, ['publish', v2 ? 'domain' : 'url']));
}

/**
 * Where the config's credential paths are looked up: relative ones next to the service's
 * config.yaml (meta/ of the service the bundle was signed from) and then in ~/.aos/security.
 */
export async function resolveCredentialRefs(refs: CredentialRefs | undefined, configDir: string, homeDir?: string): Promise<CredentialFiles> {
  if (!refs) {
    throw appError('credentials', 'The bundle\'s config.yaml names no TLS credentials (publish.tls_pkcs12, tls_key + tls_certificate, or tlsKey): give them with --pkcs12 FILE or --key FILE --cert FILE.');
  }
  if (refs.kind === 'pkcs12') return { kind: 'pkcs12', path: await resolveCredentialPath(refs.ref, { configDir, homeDir, location: { file: 'config.yaml', path: refs.key } }) };
  return {
    kind: 'pem',
    keyPath: await resolveCredentialPath(refs.keyRef, { configDir, homeDir, location: { file: 'config.yaml', path: refs.key } }),
    certPath: await resolveCredentialPath(refs.certRef, { configDir, homeDir, location: { file: 'config.yaml', path: refs.key } }),
  };
}
