// verify: structure, hashes, sizes, kid format, and the signature when a certificate is
// given; every failure names the member or field. inspect: what is inside, for people.
import { X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { appError, AppFailure, fsFailure } from '../../../shared/errors';
import { computeKid } from '../credentials/kid';
import { loadCredentialFile, type LoadedCredentials } from '../credentials/load';
import { parseBundleConfig, type ConfigSummary } from './config';
import { checkDeploymentConfig, parseDeploymentConfig } from '../../../shared/deployment-config';
import { ArchiveError } from '../archive/archive-error';
import { EntryTree } from '../archive/entry-tree';
import { parseBatchConfig } from './batch-config';
import { normalRef, within } from './batch-contents';
import { parsePackageSign, sha3Hex, verifyPackageSignSignature, type InnerArchiveName, type ParsedPackageSign } from './jws';
import { BUNDLE_KIND_OF, readBundleContents, type BundleContents, type BundleKind, type InnerListing, type MemberInfo } from './read';

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
  /** What the bundle is, told by its inner archive: a v1 service bundle (service.tar.gz) or a deployment bundle (batch.tar.gz). */
  kind: BundleKind;
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

const requiredMembers = (inner: InnerArchiveName) => ['config.yaml', inner, 'package.sign'];

/** The inner archive a bundle holds (the first met), else service.tar.gz: what its kind is judged by. */
function innerNameOf(contents: BundleContents): InnerArchiveName {
  return contents.innerName ?? (contents.members.some((m) => m.name === 'batch.tar.gz') ? 'batch.tar.gz' : 'service.tar.gz');
}
const isFileType = (t: string) => t === 'File';

const BUNDLE_MEMBERS = new Set(['config.yaml', 'package.sign', 'service.tar.gz', 'batch.tar.gz']);

/**
 * A gzip'd tar with none of a signed bundle's members (a layer image, a rootfs archive) is
 * not judged as a service bundle with every member missing: it is named for what it is not.
 */
function refuseNonBundle(file: string, contents: BundleContents): void {
  // An archive that could not be read at all keeps its own, more exact, failure.
  if (contents.members.length === 0 || contents.members.some((m) => BUNDLE_MEMBERS.has(m.name))) return;
  throw appError(
    'bundle',
    `${file} is not a signed bundle: it holds none of config.yaml, package.sign, service.tar.gz or batch.tar.gz (a layer image or another archive?)`,
    { file },
  );
}

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
  const REQUIRED = requiredMembers(innerNameOf(contents));
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
    if (REQUIRED.includes(m.name)) continue;
    checks.push({ id: 'member.unexpected', ok: false, member: m.name, message: `unexpected member ${m.stored} in the bundle` });
  }
  for (const o of contents.oversized) {
    checks.push({ id: `member.${o.name}`, ok: false, member: o.name, message: `${o.name} is ${o.size} bytes, more than the ${o.limit} bytes a real one can have: not read, so nothing it claims is checked` });
  }
  return checks;
}

function innerConfigCheck(m: InnerArchiveName, inner: InnerListing, outerConfig: Buffer | undefined): VerifyCheck {
  if (!inner.configBytes) return { id: 'inner.config.yaml', ok: false, member: `${m}:config.yaml`, message: `${m} has no config.yaml` };
  if (outerConfig && !inner.configBytes.equals(outerConfig)) {
    return { id: 'inner.config.yaml', ok: false, member: `${m}:config.yaml`, message: `config.yaml inside ${m} differs from the bundle's config.yaml` };
  }
  return { id: 'inner.config.yaml', ok: true, member: `${m}:config.yaml`, message: `config.yaml inside ${m} is byte-identical` };
}

/**
 * batch.tar.gz against the config.yaml it carries: every referenced file and folder present
 * (files with their SHA-256), and nothing config.yaml does not reference (an entry is
 * config.yaml, a referenced path, a folder holding one, or inside a referenced folder).
 */
function batchChecks(inner: InnerListing, outerConfig: Buffer | undefined): VerifyCheck[] {
  const m = 'batch.tar.gz';
  const checks: VerifyCheck[] = inner.problems.map((p) => ({ id: 'inner.archive', ok: false, member: m, message: `${m}: ${p}` }));
  checks.push(innerConfigCheck(m, inner, outerConfig));
  const config = outerConfig ?? inner.configBytes;
  if (!config || !inner.paths || !inner.files256) return checks;
  const text = config.toString('utf8');
  // The rules validate and sign apply: a config they refuse (a merge key, a path that is not a
  // string, no schemaVersion 2) could name other files to another reader than to this one.
  for (const d of checkDeploymentConfig(text).diagnostics) {
    if (d.severity !== 'error') continue;
    checks.push({ id: 'config.rules', ok: false, member: 'config.yaml', ...(d.path ? { field: d.path } : {}), message: `config.yaml:${d.line}:${d.column}: ${d.message}` });
  }
  let references;
  try {
    references = parseBatchConfig(text, 'config.yaml', '/').references;
  } catch (e) {
    checks.push({ id: 'config', ok: false, member: 'config.yaml', message: `config.yaml: ${e instanceof AppFailure ? e.error.message : String(e)}` });
    return checks;
  }
  const files = new Set<string>();
  const folders: string[] = [];
  /** Every path a reference names, present or not, of the right type or not: reported once, by its reference. */
  const named = new Set<string>();
  for (const ref of references) {
    const n = normalRef(ref.path, ref.kind, ref.written);
    if ('why' in n) {
      checks.push({ id: 'inner.reference', ok: false, member: 'config.yaml', field: ref.key, message: `config.yaml: ${ref.key} "${ref.written}" ${n.why}` });
      continue;
    }
    if (n.rel === 'config.yaml') {
      checks.push({ id: 'inner.reference', ok: false, member: 'config.yaml', field: ref.key, message: `config.yaml: ${ref.key} names config.yaml itself, not an image` });
      continue;
    }
    named.add(n.rel);
    const type = inner.paths.get(n.rel);
    const member = `${m}:${n.rel}`;
    const want = ref.kind === 'file' ? 'File' : 'Directory';
    if (type === undefined) {
      checks.push({ id: 'inner.reference', ok: false, member, field: ref.key, message: `${n.rel} is referenced by config.yaml (${ref.key}) but missing from ${m}` });
    } else if (type !== want) {
      checks.push({ id: 'inner.reference', ok: false, member, field: ref.key, message: `${n.rel} in ${m} is a ${type}; config.yaml (${ref.key}) names a ${ref.kind}` });
    } else if (ref.kind === 'file') {
      const f = inner.files256.get(n.rel);
      files.add(n.rel);
      checks.push({ id: 'inner.reference', ok: true, member, field: ref.key, message: `${n.rel} present (${f?.size ?? 0} bytes, sha256 ${f?.sha256 ?? '?'})` });
    } else {
      folders.push(n.rel);
      const escape = linkLeavingFolder(inner, n.rel);
      if (escape) checks.push({ id: 'inner.link', ok: false, member: `${m}:${escape.path}`, field: ref.key, message: `${escape.message} (config.yaml ${ref.key} makes ${n.rel}/ a root file system of its own)` });
      const count = [...inner.files256.keys()].filter((p) => within(n.rel, p)).length;
      checks.push({ id: 'inner.reference', ok: true, member, field: ref.key, message: `${n.rel}/ present (${count} file${count === 1 ? '' : 's'})` });
    }
  }
  const parents = new Set<string>();
  for (const p of [...files, ...folders]) for (let i = p.indexOf('/'); i !== -1; i = p.indexOf('/', i + 1)) parents.add(p.slice(0, i));
  const reported: string[] = [];
  for (const [p, type] of inner.paths) {
    if (p === '' || p === 'config.yaml' || named.has(p) || parents.has(p)) continue;
    if (folders.some((f) => within(f, p)) || reported.some((r) => within(r, p))) continue;
    reported.push(p);
    checks.push({ id: 'inner.unexpected', ok: false, member: `${m}:${p}`, message: `unexpected ${type === 'Directory' ? 'folder' : 'entry'} ${p} in ${m}: config.yaml does not reference it` });
  }
  return checks;
}

/**
 * The first link inside a referenced folder that leaves it: the folder's entries replayed into
 * a tree rooted there, so a symlink (absolute ones read from the folder, as the container
 * reads them; chains followed) or a hard link to outside it is refused, as signing refuses it.
 */
function linkLeavingFolder(inner: InnerListing, folder: string): { path: string; message: string } | undefined {
  const tree = new EntryTree({ linkRoot: folder });
  let last = folder;
  try {
    for (const e of inner.treeEntries ?? []) {
      if (!within(folder, e.path)) continue;
      last = e.path;
      tree.add(e);
    }
    tree.finish();
  } catch (e) {
    if (e instanceof ArchiveError) return { path: e.entry ?? last, message: e.message };
    throw e;
  }
  return undefined;
}

function innerChecks(name: InnerArchiveName, inner: InnerListing | undefined, outerConfig: Buffer | undefined): VerifyCheck[] {
  if (!inner) return [];
  if (name === 'batch.tar.gz') return batchChecks(inner, outerConfig);
  const checks: VerifyCheck[] = [];
  const m = 'service.tar.gz';
  for (const p of inner.problems) checks.push({ id: 'inner.archive', ok: false, member: m, message: `service.tar.gz: ${p}` });
  checks.push(innerConfigCheck(m, inner, outerConfig));
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
  refuseNonBundle(file, contents);
  const checks = structureChecks(contents, file);
  const innerName = innerNameOf(contents);
  let parsed: ParsedPackageSign | undefined;
  if (contents.packageSign) {
    parsed = parsePackageSign(contents.packageSign.toString('latin1'), { inner: innerName });
    checks.push(
      ...checkPackageSign(parsed, {
        config: contents.configBytes ? { hash: sha3Hex(contents.configBytes), size: contents.configBytes.length } : undefined,
        inner: contents.service ? { hash: contents.service.sha3_512, size: contents.service.size } : undefined,
      }),
    );
    if (creds && !parsed.problems.some((p) => p.field === 'package.sign')) checks.push(...checkSignature(parsed, creds));
  }
  const signatureChecked = checks.some((c) => c.id === 'signature');
  // Asked to check the signature and could not: that is a failure, never a quiet skip.
  if (creds && !checks.some((c) => c.id === 'signature')) {
    checks.push({ id: 'signature', ok: false, member: 'package.sign', field: 'signature', message: 'signature not checked: package.sign is missing or unreadable' });
  }
  checks.push(...innerChecks(innerName, contents.inner, contents.configBytes));
  const failures = checks.filter((c) => !c.ok);
  return {
    ok: failures.length === 0,
    bundle: file,
    kind: BUNDLE_KIND_OF[innerName],
    checks,
    failures,
    signatureChecked,
    signer: signerOf(parsed),
    members: contents.members,
  };
}

/** One item of a deployment bundle's config.yaml, for people. */
export interface BatchItemSummary {
  type?: string;
  codename?: string;
  version?: string;
  /** The images' architectures, as written (e.g. 'amd64', 'arm/v7'). */
  architectures: string[];
}

/** The inner archive of a bundle, summarised. */
export interface InnerSummary {
  size: number;
  sha3_512: string;
  files: number;
  directories: number;
  symlinks: number;
  bytes: number;
  /** First entries of the inner archive (capped). */
  entries: MemberInfo[];
  truncated: boolean;
}

export interface InspectReport {
  bundle: string;
  /** What the bundle is, told by its inner archive (service.tar.gz or batch.tar.gz). */
  kind: BundleKind;
  size: number;
  members: MemberInfo[];
  /** v1: the service config's summary. */
  config?: ConfigSummary;
  /** Deployment bundles: the items config.yaml declares. */
  items?: BatchItemSummary[];
  configError?: string;
  signer?: SignerInfo;
  /** package.sign's claims. */
  signed?: { name: string; hash: string; size: number }[];
  /** v1: service.tar.gz. */
  service?: InnerSummary;
  /** Deployment bundles: batch.tar.gz. */
  batch?: InnerSummary;
  problems: string[];
}

function itemsOf(text: string): BatchItemSummary[] {
  const parsed = parseDeploymentConfig(text);
  const items = (parsed.value as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items)) return [];
  const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
  return items.map((raw: unknown) => {
    const item = (raw ?? {}) as { identity?: { type?: unknown; codename?: unknown }; version?: unknown; images?: unknown };
    const images = Array.isArray(item.images) ? (item.images as { archInfo?: { architecture?: unknown; variant?: unknown } }[]) : [];
    const summary: BatchItemSummary = {
      architectures: images.map((i) => [str(i?.archInfo?.architecture) ?? '?', str(i?.archInfo?.variant)].filter(Boolean).join('/')),
    };
    const type = str(item.identity?.type);
    const codename = str(item.identity?.codename);
    const version = str(item.version);
    if (type !== undefined) summary.type = type;
    if (codename !== undefined) summary.codename = codename;
    if (version !== undefined) summary.version = version;
    return summary;
  });
}

export async function inspectBundle(bundlePath: string, opts: { listLimit?: number } = {}): Promise<InspectReport> {
  const file = path.resolve(bundlePath);
  await ensureReadable(file);
  const size = (await fs.stat(file)).size;
  const contents = await readBundleContents(file, { listLimit: opts.listLimit ?? 1000 });
  refuseNonBundle(file, contents);
  const innerName = innerNameOf(contents);
  const kind = BUNDLE_KIND_OF[innerName];
  const report: InspectReport = { bundle: file, kind, size, members: contents.members, problems: [...contents.problems] };
  for (const o of contents.oversized) report.problems.push(`${o.name} is ${o.size} bytes, more than the ${o.limit} bytes a real one can have: not read`);
  if (contents.configBytes && kind === 'deployment-bundle') {
    const text = contents.configBytes.toString('utf8');
    const syntax = parseDeploymentConfig(text).syntax.find((d) => d.severity === 'error');
    if (syntax) report.configError = `config.yaml does not parse: ${syntax.message} (line ${syntax.line})`;
    else report.items = itemsOf(text);
  } else if (contents.configBytes) {
    try {
      report.config = parseBundleConfig(contents.configBytes.toString('utf8'), 'config.yaml', '/').summary;
    } catch (e) {
      report.configError = e instanceof AppFailure ? e.error.message : String(e);
    }
  }
  if (contents.packageSign) {
    const parsed = parsePackageSign(contents.packageSign.toString('latin1'), { inner: innerName });
    report.signer = signerOf(parsed);
    report.signed = Object.values(parsed.members).map((m) => ({ name: m!.name, hash: m!.hash, size: m!.size }));
    report.problems.push(...parsed.problems.map((p) => `package.sign ${p.field}: ${p.message}`));
  }
  if (contents.service && contents.inner) {
    const i = contents.inner;
    report[kind === 'service' ? 'service' : 'batch'] = {
      size: contents.service.size,
      sha3_512: contents.service.sha3_512,
      files: i.files,
      directories: i.directories,
      symlinks: i.symlinks,
      bytes: i.bytes,
      entries: i.entries,
      truncated: i.truncated,
    };
    report.problems.push(...i.problems.map((p) => `${innerName}: ${p}`));
  }
  return report;
}
