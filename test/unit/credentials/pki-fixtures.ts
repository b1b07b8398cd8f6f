// Test PKI made at test time: a CA and user certificates (node-forge), keys from node:crypto
// (much faster than forge's pure-JS key generation), PKCS#12 files in several encryptions.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';

export interface TestIdentity {
  key: forge.pki.rsa.PrivateKey;
  keyPem: string;
  cert: forge.pki.Certificate;
  certPem: string;
}

export type Attrs = { name?: string; shortName?: string; type?: string; value: string }[];

export function rsaKeyPem(bits = 1024): string {
  return generateKeyPairSync('rsa', { modulusLength: bits }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
}

export function makeCert(opts: {
  subject: Attrs;
  issuer?: Attrs;
  serialHex?: string;
  issuerKey?: forge.pki.rsa.PrivateKey;
  notBefore?: Date;
  notAfter?: Date;
  ca?: boolean;
  bits?: number;
  /** subjectAltName entries: a server certificate's host names and IP addresses. */
  altNames?: { dns?: string[]; ip?: string[] };
}): TestIdentity {
  const keyPem = rsaKeyPem(opts.bits ?? 1024);
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const pub = forge.pki.setRsaPublicKey(key.n, key.e);
  const cert = forge.pki.createCertificate();
  cert.publicKey = pub;
  cert.serialNumber = opts.serialHex ?? '01';
  cert.validity.notBefore = opts.notBefore ?? new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = opts.notAfter ?? new Date(Date.now() + 365 * 86_400_000);
  cert.setSubject(opts.subject);
  cert.setIssuer(opts.issuer ?? opts.subject);
  const extensions: unknown[] = [];
  if (opts.ca) extensions.push({ name: 'basicConstraints', cA: true });
  if (opts.altNames) {
    const altNames = [...(opts.altNames.dns ?? []).map((value) => ({ type: 2, value })), ...(opts.altNames.ip ?? []).map((ip) => ({ type: 7, ip }))];
    extensions.push({ name: 'subjectAltName', altNames });
  }
  if (extensions.length) cert.setExtensions(extensions);
  cert.sign(opts.issuerKey ?? key, forge.md.sha256.create());
  return { key, keyPem, cert, certPem: forge.pki.certificateToPem(cert) };
}

export const CA_SUBJECT: Attrs = [
  { shortName: 'CN', value: 'Test SP Issuing CA' },
  { shortName: 'O', value: 'Test' },
  { shortName: 'OU', value: 'Aos' },
];

export function makeTestPki(opts: { notBefore?: Date; notAfter?: Date; serialHex?: string } = {}): { ca: TestIdentity; user: TestIdentity } {
  const ca = makeCert({ subject: CA_SUBJECT, ca: true, serialHex: '0A' });
  const user = makeCert({
    subject: [
      { shortName: 'CN', value: 'jane' },
      { shortName: 'O', value: 'aoscloud.io' },
      { shortName: 'OU', value: 'Acme Services' },
      { name: 'emailAddress', value: 'jane@example.com' },
    ],
    issuer: CA_SUBJECT,
    issuerKey: ca.key,
    serialHex: opts.serialHex ?? '62B17649000AD78B',
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
  });
  return { ca, user };
}

/** PKCS#12 bytes. password null = no encryption and no MAC; '' = the platform's empty password. */
export function p12(id: TestIdentity, chain: forge.pki.Certificate[], password: string | null, algorithm: '3des' | 'aes256' | 'aes128' = 'aes256'): Buffer {
  const asn1 = forge.pkcs12.toPkcs12Asn1(id.key, [id.cert, ...chain], password as string, { algorithm, friendlyName: 'aos-user' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

/** `openssl pkcs12 -export` with extra args (e.g. -legacy); throws when openssl cannot. */
export async function opensslP12(dir: string, keyPem: string, certPem: string, password: string, extra: string[] = []): Promise<Buffer> {
  const k = path.join(dir, `k-${Math.random().toString(36).slice(2)}.pem`);
  const c = path.join(dir, `c-${Math.random().toString(36).slice(2)}.pem`);
  const o = path.join(dir, `o-${Math.random().toString(36).slice(2)}.p12`);
  await fs.writeFile(k, keyPem);
  await fs.writeFile(c, certPem);
  execFileSync('openssl', ['pkcs12', '-export', ...extra, '-inkey', k, '-in', c, '-out', o, '-passout', `pass:${password}`], { stdio: 'pipe' });
  return fs.readFile(o);
}

export async function tempDir(prefix = 'bs-test-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}
