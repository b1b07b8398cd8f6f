// The few config.yaml keys the signer needs, read with the `yaml` package directly.
// A stop-gap adapter: src/shared/service-config (parseServiceConfig / checkServiceConfig) is
// the real reader and validator; once it is ready, the sign step should refuse on its error
// diagnostics first and this module only maps values. Reads: build.symlinks,
// build.source_folder, build.package_folder, build.sign_pkcs12 / sign_key / sign_certificate
// and configuration.state.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import { appError, type Location } from '../../../shared/errors';

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

export function configPathOf(root: string): string {
  return path.join(root, 'meta', 'config.yaml');
}

function truthy(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return /^(true|yes|on|y)$/i.test(v.trim());
  return false;
}

/** Parses config text into the signer's view. Throws 'invalid-config' with the line of the offending key. */
export function parseBundleConfig(text: string, configPath: string, root = path.dirname(path.dirname(configPath))): Omit<BundleConfig, 'configBytes'> {
  const lineCounter = new LineCounter();
  const doc: Document.Parsed = parseDocument(text, { lineCounter, prettyErrors: false });
  const loc = (keyPath: (string | number)[]): Location => {
    const node = doc.getIn(keyPath, true) as { range?: [number, number, number] } | undefined;
    const location: Location = { file: configPath, path: keyPath.join('.') };
    if (node && node.range) {
      const pos = lineCounter.linePos(node.range[0]);
      location.line = pos.line;
      location.column = pos.col;
    }
    return location;
  };
  if (doc.errors.length) {
    const e = doc.errors[0];
    const pos = lineCounter.linePos(e.pos[0]);
    throw appError('invalid-config', `config.yaml does not parse: ${e.message.split('\n')[0]}`, { file: configPath, line: pos.line, column: pos.col });
  }
  if (!isMap(doc.contents)) throw appError('invalid-config', 'config.yaml is not a mapping of sections.', { file: configPath, line: 1 });
  const get = (keyPath: string[]): unknown => doc.getIn(keyPath);
  const str = (keyPath: string[]): string | undefined => {
    const v = get(keyPath);
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string' && typeof v !== 'number') throw appError('invalid-config', `${keyPath.join('.')} must be a string.`, loc(keyPath));
    return String(v);
  };

  const symlinksRaw = str(['build', 'symlinks']) ?? 'copy';
  if (symlinksRaw !== 'copy' && symlinksRaw !== 'delete' && symlinksRaw !== 'raise') {
    throw appError('invalid-config', `build.symlinks must be copy, delete or raise (found "${symlinksRaw}").`, loc(['build', 'symlinks']));
  }
  const sourceFolder = path.resolve(root, str(['build', 'source_folder']) ?? 'src');
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

export async function readBundleConfig(root: string): Promise<BundleConfig> {
  const configPath = configPathOf(root);
  let configBytes: Buffer;
  try {
    configBytes = await fs.readFile(configPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw appError('not-a-service', `No meta/config.yaml in ${root}.`, { file: configPath });
    throw appError('io', `Cannot read ${configPath}: ${code ?? (e as Error).message}`, { file: configPath });
  }
  return { ...parseBundleConfig(configBytes.toString('utf8'), configPath, root), configBytes };
}
