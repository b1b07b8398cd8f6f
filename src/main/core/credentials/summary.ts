// What the certificate card shows: who, issued by whom, valid when, which key, and a role
// guessed from the file name (the role is not in the certificate, spec §4).
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import type { CertificateSummary } from '../../../shared/contract';
import { appError } from '../../../shared/errors';
import { curveName, loadCredentialFile, type LoadedCredentials } from './load';
import { nameValue, OID, rfc4514, serialHex, type ParsedCertificate } from './x509';

export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

export type CertificateStatus = CertificateSummary['status'];

export function certificateStatus(cert: ParsedCertificate, now = new Date()): CertificateStatus {
  const t = now.getTime();
  if (t < cert.notBefore.getTime()) return 'not-yet-valid';
  if (t > cert.notAfter.getTime()) return 'expired';
  if (cert.notAfter.getTime() - t <= EXPIRY_WARNING_DAYS * DAY_MS) return 'expires-soon';
  return 'valid';
}

const ROLES: [RegExp, string][] = [
  [/(^|[-_.])sp([-_.]|$)|service[-_ ]?provider/i, 'service provider'],
  [/(^|[-_.])oem([-_.]|$)/i, 'OEM'],
  [/(^|[-_.])fleet([-_.]|$)|fleet[-_ ]?owner/i, 'fleet owner'],
  [/(^|[-_.])admin([-_.]|$)/i, 'administrator'],
];

/** "service provider (guessed from the file name)" for aos-user-sp.p12 and so on; undefined when nothing matches. */
export function guessRole(file: string): string | undefined {
  const base = path.basename(file).replace(/\.(p12|pfx|pem|crt|cer|der|key)$/i, '');
  for (const [re, role] of ROLES) if (re.test(base)) return `${role} (guessed from the file name)`;
  return undefined;
}

export function keyTypeOf(cert: ParsedCertificate): string {
  try {
    const key = new X509Certificate(cert.der).publicKey;
    const d = key.asymmetricKeyDetails ?? {};
    switch (key.asymmetricKeyType) {
      case 'rsa':
        return `RSA ${d.modulusLength ?? ''}`.trim();
      case 'rsa-pss':
        return `RSA-PSS ${d.modulusLength ?? ''}`.trim();
      case 'ec':
        return `EC ${d.namedCurve ? curveName(d.namedCurve) : ''}`.trim();
      default:
        return key.asymmetricKeyType ? key.asymmetricKeyType.toUpperCase() : cert.publicKeyAlgorithm;
    }
  } catch {
    return cert.publicKeyAlgorithm === OID.rsaEncryption ? 'RSA' : cert.publicKeyAlgorithm === OID.ecPublicKey ? 'EC' : cert.publicKeyAlgorithm;
  }
}

export function summarizeCertificate(cert: ParsedCertificate, opts: { file?: string; now?: Date } = {}): CertificateSummary {
  const subject: CertificateSummary['subject'] = {};
  const cn = nameValue(cert.subject, OID.commonName);
  const o = nameValue(cert.subject, OID.organization);
  const ou = nameValue(cert.subject, OID.organizationalUnit);
  const email = nameValue(cert.subject, OID.emailAddress);
  if (cn !== undefined) subject.commonName = cn;
  if (o !== undefined) subject.organization = o;
  if (ou !== undefined) subject.organizationalUnit = ou;
  if (email !== undefined) subject.email = email;
  const summary: CertificateSummary = {
    subject,
    issuer: rfc4514(cert.issuer),
    serialNumber: serialHex(cert.serial),
    validFrom: cert.notBefore.toISOString(),
    validTo: cert.notAfter.toISOString(),
    keyType: keyTypeOf(cert),
    status: certificateStatus(cert, opts.now),
  };
  const role = opts.file ? guessRole(opts.file) : undefined;
  if (role) summary.roleGuess = role;
  return summary;
}

export function summarizeCredentials(creds: LoadedCredentials, file: string, now?: Date): CertificateSummary {
  return summarizeCertificate(creds.chain[0], { file, now });
}

/** The wizard's certificate card: reads a .p12 / PEM / DER file and summarises its leaf certificate. */
export async function describeCredentials(file: string, password?: string, now?: Date): Promise<CertificateSummary> {
  const creds = await loadCredentialFile(file, password);
  return summarizeCredentials(creds, file, now);
}

/** Expired or not-yet-valid certificates stop signing; returns a warning when expiry is near. */
export function checkValidityForSigning(cert: ParsedCertificate, source: string, now = new Date()): string | undefined {
  const status = certificateStatus(cert, now);
  const name = path.basename(source);
  if (status === 'expired') {
    throw appError('credentials', `The certificate in ${name} expired on ${cert.notAfter.toISOString()}: get a new one from the platform's key tool.`, { file: source });
  }
  if (status === 'not-yet-valid') {
    throw appError('credentials', `The certificate in ${name} is not valid before ${cert.notBefore.toISOString()}.`, { file: source });
  }
  if (status === 'expires-soon') {
    const days = Math.max(0, Math.ceil((cert.notAfter.getTime() - now.getTime()) / DAY_MS));
    return `The certificate in ${name} expires in ${days} day${days === 1 ? '' : 's'} (${cert.notAfter.toISOString()}).`;
  }
  return undefined;
}
