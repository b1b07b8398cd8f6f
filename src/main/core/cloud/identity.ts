// The client side of mutual TLS: the same credential files signing reads (PKCS#12, also
// password-protected, or a PEM key + certificate chain), turned into what node:tls takes.
// The key stays in memory only. A session keeps what it has opened, so a protected file's
// password is asked once per session (app run or CLI process) and never stored anywhere:
// what is kept is the decrypted key object, not the password.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import tls from 'node:tls';
import type { FileIdentity } from './multipart';
import { appError, fsFailure } from '../../../shared/errors';
import { loadCredentials, type CredentialFiles, type LoadedCredentials } from '../credentials/load';
import type { ParsedCertificate } from '../credentials/x509';
import { pemBlocks } from '../credentials/x509';

export interface TlsIdentity {
  /** PKCS#8 PEM of the private key (memory only). */
  key: string;
  /** Leaf first, then the chain, as PEM. */
  cert: string;
  leaf: ParsedCertificate;
  source: string;
}

function derToPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

export function tlsIdentityOf(creds: LoadedCredentials): TlsIdentity {
  if (!creds.privateKey) {
    throw appError('credentials', `${path.basename(creds.source)} holds no private key: mutual TLS needs the key that belongs to the certificate.`, { file: creds.source });
  }
  return {
    key: creds.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    cert: creds.chain.map((c) => derToPem(c.der)).join(''),
    leaf: creds.chain[0],
    source: creds.source,
  };
}

export function describeFiles(files: CredentialFiles): string {
  return files.kind === 'pkcs12' ? files.path : `${files.keyPath} + ${files.certPath}`;
}

/**
 * Inode, size and mtime of each credential file (the PKCS#12, or key then certificate); null
 * where one cannot be read. Another certificate copied over a file changes its stamp: the
 * session opens it again, and a role refusal kept against the old stamp is lifted.
 */
export function credentialFileStamps(files: CredentialFiles): Promise<(FileIdentity | null)[]> {
  const paths = files.kind === 'pkcs12' ? [files.path] : [files.keyPath, files.certPath];
  return Promise.all(paths.map((p) => stat(p).then((st) => ({ ino: st.ino, size: st.size, mtimeMs: st.mtimeMs }), () => null)));
}

/** Credentials opened in this session, by file. */
export class CredentialSession {
  private readonly opened = new Map<string, { stamp: string; identity: TlsIdentity }>();

  /**
   * Opens `files` (with `password` when given); later calls for the same files need none. A
   * file replaced since it was opened (another certificate copied over it) is opened again:
   * what is sent is what the file holds now (a role refusal is lifted by a new file, and the
   * new one must be what goes out), and a protected new file asks for its password.
   */
  async identity(files: CredentialFiles, password?: string): Promise<TlsIdentity> {
    const key = describeFiles(files);
    // Taken before the read: a file changed during it is seen changed by the next call.
    const stamp = JSON.stringify(await credentialFileStamps(files));
    const known = this.opened.get(key);
    if (known && known.stamp === stamp) return known.identity;
    const identity = tlsIdentityOf(await loadCredentials(files, password));
    this.opened.set(key, { stamp, identity });
    return identity;
  }

  /** Forgets every opened key (e.g. the app's "lock" or a changed file). */
  clear(): void {
    this.opened.clear();
  }
}

/**
 * Which certificate authorities the client trusts for the server: the CA file the user gave
 * (on-premise and test clouds), else the system's (Node's own store, plus the operating
 * system's where this runtime can read it). Verification is never turned off.
 */
export async function trustedCas(caFile?: string): Promise<string[] | undefined> {
  if (caFile) {
    let text: string;
    try {
      text = (await readFile(caFile)).toString('latin1');
    } catch (e) {
      throw fsFailure(e, 'Cannot read the CA file', caFile);
    }
    const blocks = pemBlocks(text).filter((b) => /CERTIFICATE$/.test(b.label));
    if (blocks.length === 0) throw appError('credentials', `The CA file ${caFile} holds no PEM certificate.`, { file: caFile });
    return blocks.map((b) => derToPem(b.der));
  }
  const withSystem = (tls as unknown as { getCACertificates?: (kind: string) => string[] }).getCACertificates;
  if (withSystem) return [...withSystem('default'), ...withSystem('system')];
  return undefined; // node:tls's default store
}
