// The JWT `kid` of package.sign (spec §3): standard base64, with padding, of
// `<issuer of the leaf as an RFC 4514 string>:<serial in upper-case hex, even length>`.
import { parseCertificateDer, rfc4514, serialHex, type ParsedCertificate } from './x509';

export function kidText(cert: ParsedCertificate): string {
  return `${rfc4514(cert.issuer)}:${serialHex(cert.serial)}`;
}

/** The kid for a leaf certificate (parsed, or as DER). */
export function computeKid(cert: ParsedCertificate | Buffer): string {
  const parsed = Buffer.isBuffer(cert) ? parseCertificateDer(cert) : cert;
  return Buffer.from(kidText(parsed), 'utf8').toString('base64');
}

export interface DecodedKid {
  issuer: string;
  serial: string;
}

export type KidCheck = { ok: true; value: DecodedKid } | { ok: false; reason: string };

/** Checks the kid's format (standard padded base64 of "issuer:EVENHEX") and decodes it. */
export function decodeKid(kid: unknown): KidCheck {
  if (typeof kid !== 'string' || kid === '') return { ok: false, reason: 'kid is missing or not a string' };
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(kid) || kid.length % 4 !== 0) {
    return { ok: false, reason: 'kid is not standard base64 with padding' };
  }
  const buf = Buffer.from(kid, 'base64');
  if (buf.toString('base64') !== kid) return { ok: false, reason: 'kid is not canonical base64' };
  const text = buf.toString('utf8');
  if (Buffer.from(text, 'utf8').compare(buf) !== 0) return { ok: false, reason: 'kid does not decode to UTF-8 text' };
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return { ok: false, reason: `kid "${text}" is not "<issuer>:<serial>"` };
  const issuer = text.slice(0, colon);
  const serial = text.slice(colon + 1);
  if (!/^(?:[0-9A-F]{2})+$/.test(serial)) {
    return { ok: false, reason: `kid serial "${serial}" is not upper-case hex of even length` };
  }
  if (!/^[^=,]+=/.test(issuer)) return { ok: false, reason: `kid issuer "${issuer}" is not an RFC 4514 name` };
  return { ok: true, value: { issuer, serial } };
}
