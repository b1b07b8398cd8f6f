// Builds the signed v1 service bundle (spec §3): the service's config, source tree policies
// and default state, then the container every kind of bundle shares (sign-pipeline.ts) with
// service.tar.gz as its inner archive:
//   ./, ./config.yaml, ./service/ + the source tree, ./default_state.dat when required.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { escapingSymlink } from '../archive/entry-tree';
import { appError, fsFailure } from '../../../shared/errors';
import { loadCredentials, type LoadedCredentials } from '../credentials/load';
import { resolveCredentialPath } from '../credentials/locate';
import { fileKindOf } from '../fs/output-target';
import { scanTree, type ArchivePart } from './archive';
import { readBundleConfig, type BundleConfig } from './config';
import { GZIP_OS_BYTE } from './parallel-gzip';
import { cancelledFailure, progressEmitter, signingCredentials, signingKeyOf, writeSignedBundle, type CommonSignOptions, type SignResult } from './sign-pipeline';

export { INNER_GZIP_LEVEL, OUTER_GZIP_LEVEL } from './sign-pipeline';
export type { SignPhase, SignProgress, SignResult, CommonSignOptions } from './sign-pipeline';
export { GZIP_OS_BYTE };

/** Where a bundle goes without an explicit output: service.tar.gz in build.package_folder. */
export const defaultBundleFile = (config: Pick<BundleConfig, 'packageFolder'>): string => path.join(config.packageFolder, 'service.tar.gz');

export interface SignOptions extends CommonSignOptions {
  /** The service root (the folder holding meta/config.yaml). */
  root: string;
  /** Output file; default <build.package_folder>/service.tar.gz. */
  outFile?: string;
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The credentials config.yaml names (build.sign_pkcs12, or sign_key + sign_certificate): next to it, then ~/.aos/security. */
async function configCredentials(opts: SignOptions, config: BundleConfig): Promise<LoadedCredentials> {
  const s = config.signing;
  const configDir = path.dirname(config.configPath);
  if (!s) {
    throw appError('invalid-config', 'config.yaml names no signing credentials: set build.sign_pkcs12 (or build.sign_key and build.sign_certificate).', {
      file: config.configPath,
      path: 'build',
    });
  }
  if (s.kind === 'pkcs12') {
    const p = await resolveCredentialPath(s.ref, { configDir, homeDir: opts.homeDir, location: s.location });
    return loadCredentials({ kind: 'pkcs12', path: p }, opts.password);
  }
  const keyPath = await resolveCredentialPath(s.keyRef, { configDir, homeDir: opts.homeDir, location: s.location });
  const certPath = await resolveCredentialPath(s.certRef, { configDir, homeDir: opts.homeDir, location: s.certLocation });
  return loadCredentials({ kind: 'pem', keyPath, certPath }, opts.password);
}

export async function signServiceBundle(opts: SignOptions): Promise<SignResult> {
  const root = path.resolve(opts.root);
  const signal = opts.signal;
  const warnings: string[] = [];
  const emit = progressEmitter(opts);
  if (signal?.aborted) throw cancelledFailure();

  // 1. Config (refused on any schema error) and credentials: fail early, before any byte is written.
  const config = await readBundleConfig(root, { refuseErrors: true });
  const creds = await signingCredentials(opts, () => configCredentials(opts, config));
  const key = signingKeyOf(creds, opts.now ?? new Date(), warnings);

  const outFile = path.resolve(opts.outFile ?? defaultBundleFile(config));
  if (isInside(outFile, config.sourceFolder)) {
    throw appError('invalid-config', `The output ${outFile} would be inside the source folder ${config.sourceFolder}.`, {
      file: config.configPath,
      path: 'build.package_folder',
    });
  }
  let statePath: string | undefined;
  let stateSize = 0;
  if (config.state.required) {
    statePath = path.join(path.dirname(config.configPath), config.state.filename);
    const where = config.state.location ?? { file: config.configPath, path: 'configuration.state' };
    let st;
    try {
      st = await fs.stat(statePath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw appError('invalid-config', `configuration.state.required is set but ${statePath} does not exist.`, where);
      throw fsFailure(e, 'Cannot read the default state', statePath, where);
    }
    if (!st.isFile()) throw appError('invalid-config', `configuration.state.required is set but ${statePath} is a ${fileKindOf(st)}, not a regular file.`, where);
    stateSize = st.size;
  }

  // 2. Scan: totals for progress, and the policy checks that must name every offender.
  emit({ phase: 'scan', done: 0, total: 0, filesDone: 0, filesTotal: 0 }, true);
  const scan = await scanTree(config.sourceFolder, { signal });
  if (scan.special.length) {
    throw appError(
      'bundle',
      `Device files, fifos and sockets cannot go into a bundle; remove them from ${config.sourceFolder}: ` +
        scan.special.map((s) => `${s.path} (${s.kind})`).join(', '),
      { file: config.sourceFolder },
    );
  }
  if (scan.notUtf8.length) {
    throw appError(
      'bundle',
      `File names in ${config.sourceFolder} that are not UTF-8 (a bundle stores UTF-8 names; rename them): ${scan.notUtf8.join(', ')}`,
      { file: path.join(config.sourceFolder, scan.notUtf8[0]) },
    );
  }
  if (scan.symlinks.length && config.symlinks === 'raise') {
    throw appError(
      'bundle',
      `build.symlinks is "raise" and the source folder holds ${scan.symlinks.length} symlink${scan.symlinks.length === 1 ? '' : 's'}: ` +
        scan.symlinks.map((s) => `${s.path} -> ${s.target}`).join(', '),
      { file: config.configPath, path: 'build.symlinks' },
    );
  }
  const escaping = config.symlinks === 'copy' ? scan.symlinks.filter((l) => l.escapes) : [];
  const chained = config.symlinks === 'copy' && !escaping.length ? escapingSymlink(scan.symlinks) : undefined;
  if (chained) {
    // Each link stays inside alone, but followed through the others one leads out.
    throw appError(
      'bundle',
      `A symlink in ${config.sourceFolder} leads above the service root through other symlinks, which a bundle may not hold: ${chained.path} -> ${chained.target}. ` +
        'Point it inside the root, or set build.symlinks to delete.',
      { file: path.join(config.sourceFolder, chained.path), path: 'build.symlinks' },
    );
  }
  if (escaping.length) {
    // The verifier refuses a bundle whose links climb above the service root; so does sign.
    throw appError(
      'bundle',
      `${escaping.length === 1 ? 'A symlink' : `${escaping.length} symlinks`} in ${config.sourceFolder} point${escaping.length === 1 ? 's' : ''} above the service root ` +
        `(the container's /), which a bundle may not hold: ${escaping.map((s) => `${s.path} -> ${s.target}`).join(', ')}. ` +
        'Point them inside the root, or set build.symlinks to delete.',
      { file: config.configPath, path: 'build.symlinks' },
    );
  }

  const innerParts: ArchivePart[] = [
    { kind: 'directory', name: './' },
    { kind: 'bytes', name: './config.yaml', data: config.configBytes },
    { kind: 'tree', name: './service/', root: config.sourceFolder, symlinks: config.symlinks },
  ];
  if (statePath) innerParts.push({ kind: 'file', name: './default_state.dat', path: statePath });
  return writeSignedBundle({
    outFile,
    configBytes: config.configBytes,
    inner: { name: 'service.tar.gz', parts: innerParts, files: scan.files + (statePath ? 1 : 0), bytes: scan.bytes + stateSize },
    key,
    warnings,
    emit,
    options: opts,
  });
}
