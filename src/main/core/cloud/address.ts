// Which cloud a bundle goes to: the --cloud / app setting override, else the domain the
// config names (v1 publish.url, v2 publish.domain), else the O of the user certificate's
// subject (the key tool writes the cloud domain there), else the default; always port 10000
// unless the override names another.
import { appError } from '../../../shared/errors';
import { nameValue, OID, type ParsedCertificate } from '../credentials/x509';
import { CLOUD_PORT, DEFAULT_CLOUD_DOMAIN } from './endpoints';

export type AddressSource = 'override' | 'config' | 'certificate' | 'default';

export interface CloudAddress {
  /** `https://host:port/`: what endpoint paths are resolved against. */
  base: string;
  host: string;
  port: number;
  source: AddressSource;
}

/** A host name or IP address as config.yaml may name it (no scheme, path or port). */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^\[[0-9A-Fa-f:.]+\]$/;

function address(host: string, port: number, source: AddressSource): CloudAddress {
  return { base: `https://${host}:${port}/`, host: host.replace(/^\[|\]$/g, ''), port, source };
}

/** Reads `--cloud https://HOST[:PORT]`; anything else (http, a path, credentials) is refused. */
export function parseCloudOverride(text: string): CloudAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw appError('invalid-input', `The cloud address "${text}" is not a URL; give https://HOST:PORT.`);
  }
  if (url.protocol !== 'https:') throw appError('invalid-input', `The cloud address must start with https:// (mutual TLS); got "${text}".`);
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw appError('invalid-input', `The cloud address names only https://HOST:PORT; got "${text}".`);
  }
  return address(url.hostname, url.port ? Number(url.port) : CLOUD_PORT, 'override');
}

export interface AddressInputs {
  override?: string;
  /** v1 publish.url or v2 publish.domain, from the config inside the bundle. */
  configDomain?: string;
  /** The leaf certificate used for mutual TLS. */
  certificate?: ParsedCertificate;
}

export function cloudAddress(inputs: AddressInputs): CloudAddress {
  if (inputs.override) return parseCloudOverride(inputs.override);
  const domain = inputs.configDomain?.trim();
  if (domain) {
    if (!HOST.test(domain)) throw appError('invalid-config', `The cloud domain in config.yaml must be a host name such as aoscloud.io; got "${domain}".`);
    return address(domain, CLOUD_PORT, 'config');
  }
  const o = inputs.certificate ? nameValue(inputs.certificate.subject, OID.organization)?.trim() : undefined;
  if (o && HOST.test(o)) return address(o, CLOUD_PORT, 'certificate');
  return address(DEFAULT_CLOUD_DOMAIN, CLOUD_PORT, 'default');
}

export function describeSource(a: CloudAddress): string {
  return {
    override: 'given with --cloud',
    config: 'from config.yaml',
    certificate: "from the certificate's organisation (O)",
    default: 'the default cloud',
  }[a.source];
}
