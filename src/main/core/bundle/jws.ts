// package.sign (spec §3): a compact JWS, RS256, over the SHA3-512 digests and sizes of the
// inner archive (service.tar.gz in a v1 service bundle, batch.tar.gz in a schemaVersion 2
// deployment bundle) and of config.yaml. Signed and verified with node:crypto.
import { createHash, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { decodeKid, type DecodedKid } from '../credentials/kid';
import { findJsonAmbiguity } from './json-keys';

/** The inner archive of each kind of signed bundle: the only difference in the container. */
export type InnerArchiveName = 'service.tar.gz' | 'batch.tar.gz';
export const INNER_ARCHIVE_NAMES: readonly InnerArchiveName[] = ['service.tar.gz', 'batch.tar.gz'];

export interface SignedMember {
  name: InnerArchiveName | 'config.yaml';
  /** SHA3-512, 128 lower-case hex characters. */
  hash: string;
  size: number;
}

export function sha3Hex(data: Buffer): string {
  return createHash('sha3-512').update(data).digest('hex');
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export interface PackageSignInput {
  kid: string;
  /** The inner archive; `name` defaults to service.tar.gz. */
  inner?: { name?: InnerArchiveName; hash: string; size: number };
  /** The v1 spelling of `inner` (service.tar.gz). */
  service?: { hash: string; size: number };
  config: { hash: string; size: number };
  privateKey: KeyObject;
}

/** Builds the JWT text (no trailing newline). Key order and spacing match the platform's tool. */
export function createPackageSign(opts: PackageSignInput): string {
  const inner = opts.inner ?? opts.service;
  if (!inner) throw new TypeError('createPackageSign needs the inner archive digest');
  const header = JSON.stringify({ alg: 'RS256', kid: opts.kid, typ: 'JWT' });
  const payload = JSON.stringify({
    data: [
      { name: opts.inner?.name ?? 'service.tar.gz', hash: inner.hash, size: inner.size },
      { name: 'config.yaml', hash: opts.config.hash, size: opts.config.size },
    ],
  });
  const signingInput = `${b64url(header)}.${b64url(payload)}`;
  const signature = cryptoSign('sha256', Buffer.from(signingInput, 'ascii'), opts.privateKey);
  return `${signingInput}.${b64url(signature)}`;
}

export interface ParsedPackageSign {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
  kid?: string;
  signer?: DecodedKid;
  /** The inner archive this package.sign was read as covering. */
  inner: InnerArchiveName;
  /** Members by name, when the payload has the expected shape. */
  members: Partial<Record<SignedMember['name'], SignedMember>>;
  /** Problems found, each naming the field. Empty means well-formed. */
  problems: { field: string; message: string }[];
}

const B64URL = /^[A-Za-z0-9_-]*$/;

/** base64url without padding whose unused low bits are zero: one text for one byte string. */
function isCanonicalBase64url(part: string): boolean {
  return B64URL.test(part) && part.length % 4 !== 1 && Buffer.from(part, 'base64url').toString('base64url') === part;
}

/** The header parameters the platform's tool writes; others (jwk, x5u, b64...) could make another verifier use another key or payload. */
const HEADER_KEYS = new Set(['alg', 'kid', 'typ']);

function decodeJsonPart(part: string, field: string, problems: ParsedPackageSign['problems']): Record<string, unknown> {
  if (!isCanonicalBase64url(part)) {
    problems.push({ field, message: `package.sign ${field} is not canonical base64url` });
    return {};
  }
  const bytes = Buffer.from(part, 'base64url');
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) {
    problems.push({ field, message: `package.sign ${field} is not valid UTF-8` });
    return {};
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const ambiguity = findJsonAmbiguity(text);
      if (ambiguity !== undefined) {
        problems.push({ field, message: `package.sign ${field}: ${ambiguity} (verifiers could read it differently)` });
        return {};
      }
      return v as Record<string, unknown>;
    }
  } catch {
    /* reported below */
  }
  problems.push({ field, message: `package.sign ${field} is not a JSON object` });
  return {};
}

/** Which inner archive a payload lists: batch.tar.gz when it names that and not service.tar.gz. */
function innerNamed(payload: Record<string, unknown>): InnerArchiveName {
  const names = Array.isArray(payload.data) ? payload.data.map((d: unknown) => (d && typeof d === 'object' ? (d as { name?: unknown }).name : undefined)) : [];
  return names.includes('batch.tar.gz') && !names.includes('service.tar.gz') ? 'batch.tar.gz' : 'service.tar.gz';
}

/**
 * Parses and checks the shape of package.sign: three parts, header fields, kid format, payload
 * entries. `opts.inner` is the inner archive the bundle holds (verify knows it from the outer
 * members); a payload naming the other one is a problem. Without it, the payload says.
 */
export function parsePackageSign(text: string, opts: { inner?: InnerArchiveName } = {}): ParsedPackageSign {
  const problems: ParsedPackageSign['problems'] = [];
  const members: ParsedPackageSign['members'] = {};
  let innerName: InnerArchiveName = opts.inner ?? 'service.tar.gz';
  if (/\s$/.test(text)) problems.push({ field: 'package.sign', message: 'package.sign ends with whitespace (expected no trailing newline)' });
  else {
    const bad = text.search(/[^A-Za-z0-9_.-]/);
    if (bad !== -1) {
      // Named after the part that holds it, as the other checks of that part are.
      const part = ['header', 'payload', 'signature'][text.slice(0, bad).split('.').length - 1] ?? 'package.sign';
      problems.push({ field: part, message: `package.sign holds characters outside base64url and dots (in its ${part})` });
    }
  }
  const parts = text.trim().split('.');
  if (parts.length !== 3) {
    problems.push({ field: 'package.sign', message: `package.sign is not a compact JWS (${parts.length} parts, expected 3)` });
    return { header: {}, payload: {}, signingInput: '', signature: Buffer.alloc(0), inner: innerName, members, problems };
  }
  const header = decodeJsonPart(parts[0], 'header', problems);
  const payload = decodeJsonPart(parts[1], 'payload', problems);
  innerName = opts.inner ?? innerNamed(payload);
  if (!isCanonicalBase64url(parts[2]) || parts[2] === '') problems.push({ field: 'signature', message: 'package.sign signature is not canonical base64url' });
  for (const key of Object.keys(header)) {
    if (!HEADER_KEYS.has(key) && key !== 'crit') problems.push({ field: `header.${key}`, message: `header.${key} is not a parameter the platform writes (alg, kid, typ): refused` });
  }
  if (header.alg !== 'RS256') problems.push({ field: 'header.alg', message: `header.alg is ${JSON.stringify(header.alg)}, expected "RS256"` });
  // RFC 7515 §4.1.11: a verifier must refuse extensions it does not understand, and this
  // one understands none.
  if (header.crit !== undefined) {
    const names = Array.isArray(header.crit) ? header.crit.map(String).join(', ') : JSON.stringify(header.crit);
    problems.push({ field: 'header.crit', message: `header.crit names extensions this verifier does not understand (${names})` });
  }
  if (header.typ !== undefined && header.typ !== 'JWT') problems.push({ field: 'header.typ', message: `header.typ is ${JSON.stringify(header.typ)}, expected "JWT"` });
  let signer: DecodedKid | undefined;
  const kidCheck = decodeKid(header.kid);
  if (kidCheck.ok) signer = kidCheck.value;
  else problems.push({ field: 'header.kid', message: kidCheck.reason });

  const data = payload.data;
  if (!Array.isArray(data)) {
    if (Object.keys(payload).length) problems.push({ field: 'payload.data', message: 'payload.data is not a list' });
  } else {
    data.forEach((item: unknown, i) => {
      const it = item as Record<string, unknown>;
      const field = `payload.data[${i}]`;
      if (!it || typeof it !== 'object') return problems.push({ field, message: `${field} is not an object` });
      if (it.name !== innerName && it.name !== 'config.yaml') {
        return problems.push({ field: `${field}.name`, message: `${field}.name ${JSON.stringify(it.name)} is not ${innerName} or config.yaml` });
      }
      if (typeof it.hash !== 'string' || !/^[0-9a-f]{128}$/.test(it.hash)) {
        problems.push({ field: `${field}.hash`, message: `${field}.hash (${it.name}) is not a SHA3-512 hex digest` });
      }
      if (typeof it.size !== 'number' || !Number.isSafeInteger(it.size) || it.size < 0) {
        problems.push({ field: `${field}.size`, message: `${field}.size (${it.name}) is not a byte count` });
      }
      const name = it.name as SignedMember['name'];
      if (members[name]) problems.push({ field, message: `${name} is listed twice in payload.data` });
      members[name] = { name, hash: String(it.hash), size: Number(it.size) };
    });
    for (const name of [innerName, 'config.yaml'] as const) {
      if (!members[name]) problems.push({ field: 'payload.data', message: `payload.data has no entry for ${name}` });
    }
  }
  return {
    header,
    payload,
    signingInput: `${parts[0]}.${parts[1]}`,
    signature: Buffer.from(parts[2], 'base64url'),
    kid: typeof header.kid === 'string' ? header.kid : undefined,
    signer,
    inner: innerName,
    members,
    problems,
  };
}

/** RS256 signature check with node:crypto (the public key from the signer's certificate). */
export function verifyPackageSignSignature(parsed: ParsedPackageSign, publicKey: KeyObject): boolean {
  try {
    return cryptoVerify('sha256', Buffer.from(parsed.signingInput, 'ascii'), publicKey, parsed.signature);
  } catch {
    return false;
  }
}
