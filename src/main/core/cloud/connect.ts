// A CloudClient for given credentials: opens them (through the session, so a password is
// asked once), picks the server's trust (CA file or the system's) and the address.
import type { CredentialFiles } from '../credentials/load';
import { cloudAddress } from './address';
import { CloudClient, type CloudConnection } from './client';
import type { Timeouts } from './http';
import { CredentialSession, trustedCas } from './identity';
import type { RetryPolicy } from './retry';

export interface ConnectOptions {
  credentials: CredentialFiles;
  password?: string;
  session: CredentialSession;
  /** A CA file for the server (on-premise, test clouds); else the system's CAs. */
  caFile?: string;
  /** `https://HOST:PORT`, overriding the address from config and certificate. */
  cloud?: string;
  /** v1 publish.url / v2 publish.domain. */
  configDomain?: string;
  timeouts?: Timeouts;
  retry?: RetryPolicy;
  log?: CloudConnection['log'];
}

export async function connectCloud(o: ConnectOptions): Promise<CloudClient> {
  const identity = await o.session.identity(o.credentials, o.password);
  const address = cloudAddress({ override: o.cloud, configDomain: o.configDomain, certificate: identity.leaf });
  return new CloudClient({ address, identity, ca: await trustedCas(o.caFile), timeouts: o.timeouts, retry: o.retry, log: o.log });
}
