// The signer's view of config.yaml: the few keys signing needs, read through
// src/shared/service-config (the one reader and validator of the schema) so that values and
// positions agree with what `validate`, the editor and the form report. Reads:
// build.symlinks, build.source_folder, build.package_folder, build.sign_pkcs12 / sign_key /
// sign_certificate and configuration.state, plus a few values for summaries.
//
// parseBundleConfig only throws on what it cannot map (it also reads configs inside bundles
// made by other tools, for verify and inspect); signing refuses any schema error first
// (readBundleConfig with `refuseErrors`).
import path from 'node:path';
import type { Diagnostic, KeyPath } from '../../../shared/diagnostics';
import { appError, type AppFailure, type Location } from '../../../shared/errors';
import { checkServiceConfig, getConfigValue, locate, parseServiceConfig, type ParsedServiceConfig } from '../../../shared/service-config';
import { sourceFolderOf } from '../service-tree/build-settings';
import { readConfigFile } from '../service-tree/config-file';

export type SymlinkPolicy = 'copy' | 'delete' | 'raise';

export type SigningRef =
  | { kind: 'pkcs12'; ref: string; location: Location }
  | { kind: 'pem'; keyRef: string; certRef: string; location: Location; certLocation: Location };

export interface BundleConfig {
  root: string;
  configPath: string;
  /** The file's exact bytes: the bundle ships byte-identical copies. */
  configBytes: Buffer;
  symlinks: SymlinkPolicy;
  /** Absolute source folder (build.source_folder, default src). */
  sourceFolder: string;
  /** Absolute output folder (build.package_folder, default the service root). */
  packageFolder: string;
  signing?: SigningRef;
  state: { required: boolean; filename: string; location?: Location };
  /** A few values for summaries (inspect). */
  summary: ConfigSummary;
}

export interface ConfigSummary {
  version?: string;
  serviceUid?: string;
  url?: string;
  cmd?: string | string[];
  arch?: string;
  os?: string;
  stateRequired?: boolean;
}

function truthy(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return /^(true|yes|on|y)$/i.test(v.trim());
  return false;
}

/** Where a key path is in the file (its value, else its key), as an error Location. */
function locationOf(parsed: ParsedServiceConfig, configPath: string, keyPath: KeyPath): Location {
  const location: Location = { file: configPath, path: keyPath.join('.') };
  const at = locate(parsed, keyPath, 'value');
  if (at) {
    location.line = at.line;
    location.column = at.column;
  }
  return location;
}

/** The error of the first error diagnostic, positioned: what signing refuses with. */
export function configErrorOf(diagnostics: readonly Diagnostic[], configPath: string): AppFailure | undefined {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return undefined;
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length === 2 ? '' : 's'})` : '';
  return appError('invalid-config', `${first.message}${more}`, {
    file: configPath,
    line: first.line,
    column: first.column,
    ...(first.path ? { path: first.path } : {}),
  });
}

/** Parses config text into the signer's view. Throws 'invalid-config' with the line of the offending key. */
export function parseBundleConfig(text: string, configPath: string, root = path.dirname(path.dirname(configPath))): Omit<BundleConfig, 'configBytes'> {
  const parsed = parseServiceConfig(text);
  const first = parsed.syntax.find((d) => d.severity === 'error');
  if (first || parsed.value === undefined) {
    throw appError('invalid-config', `config.yaml does not parse: ${first?.message ?? 'YAML syntax error'}`, {
      file: configPath,
      line: first?.line ?? 1,
      column: first?.column ?? 1,
    });
  }
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw appError('invalid-config', 'config.yaml is not a mapping of sections.', { file: configPath, line: 1 });
  }
  const loc = (keyPath: KeyPath) => locationOf(parsed, configPath, keyPath);
  const get = (keyPath: KeyPath): unknown => getConfigValue(value, keyPath);
  const str = (keyPath: KeyPath): string | undefined => {
    const v = get(keyPath);
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string' && typeof v !== 'number') throw appError('invalid-config', `${keyPath.join('.')} must be a string.`, loc(keyPath));
    return String(v);
  };

  const symlinksRaw = str(['build', 'symlinks']) ?? 'copy';
  if (symlinksRaw !== 'copy' && symlinksRaw !== 'delete' && symlinksRaw !== 'raise') {
    throw appError('invalid-config', `build.symlinks must be copy, delete or raise (found "${symlinksRaw}").`, loc(['build', 'symlinks']));
  }
  const sourceFolder = sourceFolderOf(root, value);
  const packageFolder = path.resolve(root, str(['build', 'package_folder']) ?? '.');

  let signing: SigningRef | undefined;
  const p12 = str(['build', 'sign_pkcs12']);
  const key = str(['build', 'sign_key']);
  const cert = str(['build', 'sign_certificate']);
  if (p12 && (key || cert)) {
    throw appError('invalid-config', 'Give either build.sign_pkcs12 or build.sign_key + build.sign_certificate, not both.', loc(['build', 'sign_pkcs12']));
  }
  if (p12) signing = { kind: 'pkcs12', ref: p12, location: loc(['build', 'sign_pkcs12']) };
  else if (key || cert) {
    if (!key) throw appError('invalid-config', 'build.sign_certificate needs build.sign_key.', loc(['build', 'sign_certificate']));
    if (!cert) throw appError('invalid-config', 'build.sign_key needs build.sign_certificate.', loc(['build', 'sign_key']));
    signing = { kind: 'pem', keyRef: key, certRef: cert, location: loc(['build', 'sign_key']), certLocation: loc(['build', 'sign_certificate']) };
  }

  const stateNode = get(['configuration', 'state']);
  let state: BundleConfig['state'] = { required: false, filename: 'state.dat' };
  if (stateNode !== undefined && stateNode !== null) {
    const required = truthy(get(['configuration', 'state', 'required']));
    const filename = str(['configuration', 'state', 'filename']) ?? 'state.dat';
    state = { required, filename, location: loc(['configuration', 'state', 'filename']) };
    if (required && (filename.includes('/') || filename.includes('\\') || filename === '..' || filename === '.')) {
      throw appError('invalid-config', `configuration.state.filename must be a file name in meta/ (found "${filename}").`, loc(['configuration', 'state', 'filename']));
    }
  }

  const cmd = get(['configuration', 'cmd']);
  const summary: ConfigSummary = {
    version: str(['publish', 'version']),
    serviceUid: str(['publish', 'service_uid']),
    url: str(['publish', 'url']),
    cmd: typeof cmd === 'string' ? cmd : Array.isArray(cmd) ? cmd.map(String) : undefined,
    arch: str(['build', 'arch']),
    os: str(['build', 'os']),
    stateRequired: state.required,
  };
  for (const k of Object.keys(summary) as (keyof ConfigSummary)[]) if (summary[k] === undefined) delete summary[k];
  return { root, configPath, symlinks: symlinksRaw, sourceFolder, packageFolder, signing, state, summary };
}

export interface ReadBundleConfigOptions {
  /**
   * Refuse a config with any error diagnostic of the schema (checkServiceConfig), with an
   * 'invalid-config' failure positioned on the first error. Signing sets it.
   */
  refuseErrors?: boolean;
}

export async function readBundleConfig(root: string, opts: ReadBundleConfigOptions = {}): Promise<BundleConfig> {
  // The same reader as validate and open: the same size cap and file checks.
  const { configPath, bytes: configBytes, text } = await readConfigFile(root);
  if (opts.refuseErrors) {
    const refused = configErrorOf(checkServiceConfig(text).diagnostics, configPath);
    if (refused) throw refused;
  }
  return { ...parseBundleConfig(text, configPath, root), configBytes };
}
