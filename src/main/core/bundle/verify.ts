// verify: structure, hashes, sizes, kid format, and the signature when a certificate is
// given; every failure names the member or field. inspect: what is inside, for people.
import { X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { appError, AppFailure, fsFailure } from '../../../shared/errors';
import { computeKid } from '../credentials/kid';
import { loadCredentialFile, type LoadedCredentials } from '../credentials/load';
import { parseBundleConfig, type ConfigSummary } from './config';
import { parsePackageSign, sha3Hex, verifyPackageSignSignature, type ParsedPackageSign } from './jws';
import { readBundleContents, type BundleContents, type InnerListing, type MemberInfo } from './read';

export interface VerifyCheck {
  /** Stable id, e.g. 'member.config.yaml', 'hash.service.tar.gz', 'signature'. */
  id: string;
  ok: boolean;
  message: string;
  /** The bundle member concerned: 'config.yaml', 'service.tar.gz', 'package.sign', 'service.tar.gz:config.yaml'... */
  member?: string;
  /** The package.sign field concerned: 'header.kid', 'payload.data[0].hash', 'signature'... */
  field?: string;
}

export interface SignerInfo {
  kid: string;
  /** Issuer RFC 4514 string decoded from the kid. */
  issuer?: string;
  serial?: string;
}

export interface VerifyReport {
  ok: boolean;
  bundle: string;
  checks: VerifyCheck[];
  failures: VerifyCheck[];
  /** Whether the RS256 signature was checked (a certificate was given). */
  signatureChecked: boolean;
  signer?: SignerInfo;
  members: MemberInfo[];
}

export interface VerifyOptions {
  /** Certificate to check the signature and kid with: PEM / DER certificate, or .p12; or loaded credentials. */
  cert?: string | LoadedCredentials;
  password?: string;
  signal?: AbortSignal;
}

const REQUIRED = ['config.yaml', 'service.tar.gz', 'package.sign'] as const;
const isFileType = (t: string) => t === 'File';

async function ensureReadable(file: string): Promise<void> {
  let st;
  try {
    st = await fs.stat(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw appError('not-found', `Bundle not found: ${file}`, { file });
    throw fsFailure(e, 'Cannot read the bundle', file);
  }
  if (!st.isFile()) throw appError('bundle', `${file} is not a regular file.`, { file });
}

function signerOf(parsed: ParsedPackageSign | undefined): SignerInfo | undefined {
  if (!parsed?.kid) return undefined;
  return { kid: parsed.kid, issuer: parsed.signer?.issuer, serial: parsed.signer?.serial };
}

/** The checks that depend on package.sign and the digests only (also usable on loose files). */
export function checkPackageSign(
  parsed: ParsedPackageSign,
  actual: {
    config?: { hash: string; size: number };
    /** The inner archive's digest (service.tar.gz or batch.tar.gz: the one parsed.inner names). */
    inner?: { hash: string; size: number };
    /** The v1 spelling of `inner`. */
    service?: { hash: string; size: number };
  },
): VerifyCheck[] {
  const checks: VerifyCheck[] = [];
  for (const p of parsed.problems) {
    checks.push({ id: `package.sign.${p.field}`, ok: false, member: 'package.sign', field: p.field, message: p.message });
  }
  if (!parsed.problems.some((p) => p.field === 'header.kid')) {
    checks.push({ id: 'kid.format', ok: true, member: 'package.sign', field: 'header.kid', message: `kid names ${parsed.signer?.issuer} serial ${parsed.signer?.serial}` });
  }
  const data = Array.isArray(parsed.payload.data) ? (parsed.payload.data as { name?: unknown }[]) : [];
  for (const name of ['config.yaml', parsed.inner] as const) {
    const claimed = parsed.members[name];
    const got = name === 'config.yaml' ? actual.config : (actual.inner ?? actual.service);
    if (!claimed || !got) continue;
    const i = data.findIndex((d) => d && d.name === name);
    if (claimed.hash !== got.hash) {
      checks.push({ id: `hash.${name}`, ok: false, member: name, field: `payload.data[${i}].hash`, message: `${name}: SHA3-512 does not match package.sign (signed ${claimed.hash.slice(0, 16)}…, found ${got.hash.slice(0, 16)}…)` });
    } else checks.push({ id: `hash.${name}`, ok: true, member: name, field: `payload.data[${i}].hash`, message: `${name}: SHA3-512 matches` });
    if (claimed.size !== got.size) {
      checks.push({ id: `size.${name}`, ok: false, member: name, field: `payload.data[${i}].size`, message: `${name}: size ${got.size} bytes, package.sign says ${claimed.size}` });
    } else checks.push({ id: `size.${name}`, ok: true, member: name, field: `payload.data[${i}].size`, message: `${name}: size matches (${got.size} bytes)` });
  }
  return checks;
}

function checkSignature(parsed: ParsedPackageSign, creds: LoadedCredentials): VerifyCheck[] {
  const leaf = creds.chain[0];
  const checks: VerifyCheck[] = [];
  const expectedKid = computeKid(leaf);
  if (parsed.kid !== expectedKid) {
    checks.push({
      id: 'kid.certificate',
      ok: false,
      member: 'package.sign',
      field: 'header.kid',
      message: `kid does not name the given certificate (expected ${Buffer.from(expectedKid, 'base64').toString('utf8')})`,
    });
  } else checks.push({ id: 'kid.certificate', ok: true, member: 'package.sign', field: 'header.kid', message: 'kid names the given certificate' });
  const publicKey = new X509Certificate(leaf.der).publicKey;
  if (publicKey.asymmetricKeyType !== 'rsa') {
    checks.push({ id: 'signature', ok: false, member: 'package.sign', field: 'signature', message: `The given certificate has a ${publicKey.asymmetricKeyType} key; RS256 needs RSA.` });
  } else if (!verifyPackageSignSignature(parsed, publicKey)) {
    checks.push({ id: 'signature', ok: false, member: 'package.sign', field: 'signature', message: 'RS256 signature does not verify with the given certificate' });
  } else checks.push({ id: 'signature', ok: true, member: 'package.sign', field: 'signature', message: 'RS256 signature verifies with the given certificate' });
  return checks;
}

function structureChecks(contents: BundleContents, file: string): VerifyCheck[] {
  const checks: VerifyCheck[] = [];
  const base = path.basename(file);
  for (const p of contents.problems) checks.push({ id: 'archive', ok: false, member: base, message: `${base}: ${p}` });
  const byName = new Map<string, MemberInfo[]>();
  for (const m of contents.members) byName.set(m.name, [...(byName.get(m.name) ?? []), m]);
  for (const name of REQUIRED) {
    const found = byName.get(name) ?? [];
    if (found.length === 0) checks.push({ id: `member.${name}`, ok: false, member: name, message: `${name} is missing from the bundle` });
    else if (found.length > 1) checks.push({ id: `member.${name}`, ok: false, member: name, message: `${name} appears ${found.length} times in the bundle` });
    else if (!isFileType(found[0].type)) checks.push({ id: `member.${name}`, ok: false, member: name, message: `${name} is a ${found[0].type}, not a regular file` });
    else checks.push({ id: `member.${name}`, ok: true, member: name, message: `${name} present` });
  }
  for (const m of contents.members) {
    if (m.name === '' && m.type === 'Directory') continue;
    if ((REQUIRED as readonly string[]).includes(m.name)) continue;
    checks.push({ id: 'member.unexpected', ok: false, member: m.name, message: `unexpected member ${m.stored} in the bundle` });
  }
  for (const o of contents.oversized) {
    checks.push({ id: `member.${o.name}`, ok: false, member: o.name, message: `${o.name} is ${o.size} bytes, more than the ${o.limit} bytes a real one can have: not read, so nothing it claims is checked` });
  }
  return checks;
}

function innerChecks(inner: InnerListing | undefined, outerConfig: Buffer | undefined): VerifyCheck[] {
  if (!inner) return [];
  const checks: VerifyCheck[] = [];
  const m = 'service.tar.gz';
  for (const p of inner.problems) checks.push({ id: 'inner.archive', ok: false, member: m, message: `service.tar.gz: ${p}` });
  if (!inner.configBytes) checks.push({ id: 'inner.config.yaml', ok: false, member: `${m}:config.yaml`, message: 'service.tar.gz has no config.yaml' });
  else if (outerConfig && !inner.configBytes.equals(outerConfig)) {
    checks.push({ id: 'inner.config.yaml', ok: false, member: `${m}:config.yaml`, message: 'config.yaml inside service.tar.gz differs from the bundle\'s config.yaml' });
  } else checks.push({ id: 'inner.config.yaml', ok: true, member: `${m}:config.yaml`, message: 'config.yaml inside service.tar.gz is byte-identical' });
  if (!inner.hasService) checks.push({ id: 'inner.service', ok: false, member: `${m}:service/`, message: 'service.tar.gz has no service/ folder' });
  else checks.push({ id: 'inner.service', ok: true, member: `${m}:service/`, message: `service.tar.gz holds ${inner.files} files` });
  for (const u of inner.unexpected) checks.push({ id: 'inner.unexpected', ok: false, member: `${m}:${u}`, message: `unexpected entry ${u} in service.tar.gz` });
  if (outerConfig) {
    try {
      const cfg = parseBundleConfig(outerConfig.toString('utf8'), 'config.yaml', '/');
      if (cfg.state.required && !inner.hasDefaultState) {
        checks.push({ id: 'inner.default_state.dat', ok: false, member: `${m}:default_state.dat`, message: 'configuration.state.required is set but service.tar.gz has no default_state.dat' });
      }
    } catch (e) {
      const msg = e instanceof AppFailure ? e.error.message : String(e);
      checks.push({ id: 'config', ok: false, member: 'config.yaml', message: `config.yaml: ${msg}` });
    }
  }
  return checks;
}

export async function verifyBundle(bundlePath: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const file = path.resolve(bundlePath);
  await ensureReadable(file);
  const creds = typeof opts.cert === 'string' ? await loadCredentialFile(path.resolve(opts.cert), opts.password) : opts.cert;
  const contents = await readBundleContents(file, { listLimit: 0, signal: opts.signal });
  const checks = structureChecks(contents, file);
  let parsed: ParsedPackageSign | undefined;
  if (contents.packageSign) {
    parsed = parsePackageSign(contents.packageSign.toString('latin1'));
    checks.push(
      ...checkPackageSign(parsed, {
        config: contents.configBytes ? { hash: sha3Hex(contents.configBytes), size: contents.configBytes.length } : undefined,
        service: contents.service ? { hash: contents.service.sha3_512, size: contents.service.size } : undefined,
      }),
    );
    if (creds && !parsed.problems.some((p) => p.field === 'package.sign')) checks.push(...checkSignature(parsed, creds));
  }
  const signatureChecked = checks.some((c) => c.id === 'signature');
  // Asked to check the signature and could not: that is a failure, never a quiet skip.
  if (creds && !checks.some((c) => c.id === 'signature')) {
    checks.push({ id: 'signature', ok: false, member: 'package.sign', field: 'signature', message: 'signature not checked: package.sign is missing or unreadable' });
  }
  checks.push(...innerChecks(contents.inner, contents.configBytes));
  const failures = checks.filter((c) => !c.ok);
  return {
    ok: failures.length === 0,
    bundle: file,
    checks,
    failures,
    signatureChecked,
    signer: signerOf(parsed),
    members: contents.members,
  };
}

export interface InspectReport {
  bundle: string;
  size: number;
  members: MemberInfo[];
  config?: ConfigSummary;
  configError?: string;
  signer?: SignerInfo;
  /** package.sign's claims. */
  signed?: { name: string; hash: string; size: number }[];
  service?: {
    size: number;
    sha3_512: string;
    files: number;
    directories: number;
    symlinks: number;
    bytes: number;
    /** First entries of the inner archive (capped). */
    entries: MemberInfo[];
    truncated: boolean;
  };
  problems: string[];
}

export async function inspectBundle(bundlePath: string, opts: { listLimit?: number } = {}): Promise<InspectReport> {
  const file = path.resolve(bundlePath);
  await ensureReadable(file);
  const size = (await fs.stat(file)).size;
  const contents = await readBundleContents(file, { listLimit: opts.listLimit ?? 1000 });
  const report: InspectReport = { bundle: file, size, members: contents.members, problems: [...contents.problems] };
  for (const o of contents.oversized) report.problems.push(`${o.name} is ${o.size} bytes, more than the ${o.limit} bytes a real one can have: not read`);
  if (contents.configBytes) {
    try {
      report.config = parseBundleConfig(contents.configBytes.toString('utf8'), 'config.yaml', '/').summary;
    } catch (e) {
      report.configError = e instanceof AppFailure ? e.error.message : String(e);
    }
  }
  if (contents.packageSign) {
    const parsed = parsePackageSign(contents.packageSign.toString('latin1'));
    report.signer = signerOf(parsed);
    report.signed = Object.values(parsed.members).map((m) => ({ name: m!.name, hash: m!.hash, size: m!.size }));
    report.problems.push(...parsed.problems.map((p) => `package.sign ${p.field}: ${p.message}`));
  }
  if (contents.service && contents.inner) {
    const i = contents.inner;
    report.service = {
      size: contents.service.size,
      sha3_512: contents.service.sha3_512,
      files: i.files,
      directories: i.directories,
      symlinks: i.symlinks,
      bytes: i.bytes,
      entries: i.entries,
      truncated: i.truncated,
    };
    report.problems.push(...i.problems.map((p) => `service.tar.gz: ${p}`));
  }
  return report;
}
