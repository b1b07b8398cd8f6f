// "Who am I" (the app's account card, `aos-bundle whoami`): which credentials and cloud a
// service or deployment bundle folder names (or the files the user chose), then users/me.
// One use-case for both, so the card and the CLI can never tell a user different things.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { appError } from '../../../shared/errors';
import { parseServiceConfig } from '../../../shared/service-config';
import type { CredentialFiles } from '../credentials/load';
import { readConfigFile } from '../service-tree/config-file';
import { describeSource, type AddressSource } from './address';
import type { CallOptions, CloudClient } from './client';
import { configDomainOf, credentialRefsOf, resolveCredentialRefs } from './signed-bundle';

/** Everything a connection needs, no secret (the outbox keeps the same per entry). */
export interface CloudDestination {
  credentials: CredentialFiles;
  caFile?: string;
  /** `https://HOST:PORT` override (--cloud, the app's setting). */
  cloud?: string;
  /** v1 publish.url / v2 publish.domain. */
  configDomain?: string;
}

export interface WhoamiRequest extends CallOptions {
  /** A service folder (meta/config.yaml) or a deployment bundle folder (config.yaml). */
  folder?: string;
  /** Chosen files; they replace the credentials the folder's config names. */
  credentials?: CredentialFiles;
  caFile?: string;
  cloud?: string;
  homeDir?: string;
  connect: (destination: CloudDestination) => Promise<CloudClient>;
}

export interface WhoamiResult {
  username?: string;
  email?: string;
  role?: string;
  /** The cloud's host (the domain) and the base URL used. */
  host: string;
  base: string;
  source: AddressSource;
  /** Where the address came from, in words ("from config.yaml"). */
  sourceText: string;
  credentials: CredentialFiles;
  /** The whole answer, unknown fields kept. */
  raw: Record<string, unknown>;
}

/** The credentials and cloud domain a folder's config names (`credentials` overrides them). */
export async function destinationOfFolder(folder: string | undefined, credentials: CredentialFiles | undefined, homeDir?: string): Promise<{ credentials: CredentialFiles; configDomain?: string }> {
  const dir = folder === undefined ? undefined : path.resolve(folder);
  const serviceConfig = dir !== undefined && existsSync(path.join(dir, 'meta', 'config.yaml'));
  const bundleConfig = dir !== undefined && !serviceConfig && existsSync(path.join(dir, 'config.yaml'));
  // Chosen files and a folder that is no service: the folder's config.yaml is not read.
  if (dir === undefined || (!serviceConfig && (credentials || !bundleConfig))) {
    if (credentials) return { credentials };
    throw appError('invalid-input', `${dir ?? 'No folder'} holds no config.yaml naming credentials: give --pkcs12 FILE or --key FILE --cert FILE.`);
  }
  const { text, configPath } = serviceConfig ? await readConfigFile(dir) : { text: await readFile(path.join(dir, 'config.yaml'), 'utf8'), configPath: path.join(dir, 'config.yaml') };
  const value = parseServiceConfig(text).value;
  return {
    configDomain: configDomainOf(value),
    credentials: credentials ?? (await resolveCredentialRefs(credentialRefsOf(value, !serviceConfig), path.dirname(configPath), homeDir)),
  };
}

export async function whoami(r: WhoamiRequest): Promise<WhoamiResult> {
  const found = await destinationOfFolder(r.folder, r.credentials, r.homeDir);
  const client = await r.connect({ ...found, caFile: r.caFile, cloud: r.cloud });
  const me = await client.me({ signal: r.signal });
  const address = client.connection.address;
  return {
    username: me.username,
    email: me.email,
    role: me.role,
    host: address.host,
    base: address.base,
    source: address.source,
    sourceText: describeSource(address),
    credentials: found.credentials,
    raw: me.raw,
  };
}
