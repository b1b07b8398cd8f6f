// Builds the signed v1 service bundle (spec §3) in one streaming pass:
//   walk src/ → tar → gzip -6 → SHA3-512 + size → temp file (the inner archive)
//   then package.sign, then tar of the three members → gzip -0 → SHA-256 + SHA3-512 → temp
//   file, renamed onto the output at the very end. Failure or cancel removes the temp files.
//
// Reproducibility: entries sorted (UTF-8 byte order, depth-first), mtime BUNDLE_MTIME (0),
// owner 0:0 with no user/group names, modes 0755 (dirs, executables) / 0644 / 0777 (links),
// no pax times, gzip header with no name, mtime 0 and OS byte 255 ("unknown"), deflate in
// fixed 1 MiB blocks (independent of core count) with incompressible ranges stored, decided
// from the bytes alone (incompressible.ts). The same inputs give the same bytes with the same
// zlib (the Node/Electron runtime's); RSA PKCS#1 v1.5 signatures are deterministic, so the
// outer archive is reproducible too.
//
// Memory does not depend on the tree: the tar writer reuses one 1 MiB staging buffer, the
// gzip writer keeps at most `cores` + 2 blocks (and their zlib outputs) and recycles them,
// and each delivery is written before the next is accepted (backpressure from the disk).
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { escapingSymlink } from '../archive/entry-tree';
import { AppFailure, appError, fsFailure } from '../../../shared/errors';
import { computeKid } from '../credentials/kid';
import { loadCredentialFile, loadCredentials, requireRsaSigningKey, type CredentialFiles, type LoadedCredentials } from '../credentials/load';
import { resolveCredentialPath } from '../credentials/locate';
import { checkValidityForSigning } from '../credentials/summary';
import { makeFolder } from '../fs/make-folder';
import { assertReplaceableOutput, fileKindOf } from '../fs/output-target';
import { removeStaleTemps, tempPathFor, trackTemp, untrackTemp } from '../fs/temp-files';
import { BUNDLE_MTIME, scanTree, tarStream, type ArchiveOptions, type ArchivePart } from './archive';
import { readBundleConfig, type BundleConfig } from './config';
import { createPackageSign, sha3Hex } from './jws';
import { BlockGzip, GZIP_OS_BYTE } from './parallel-gzip';
import { writeAll } from './write-all';

export const INNER_GZIP_LEVEL = 6;
/**
 * The outer archive holds the already-compressed inner archive: gzip's lowest level, 0
 * (stored deflate blocks), costs next to nothing, where level 1 spends ~20 ms per MB to save
 * typically well under 1 % on a gzip -6 payload. Any valid level is accepted by the cloud.
 */
export const OUTER_GZIP_LEVEL = 0;
export { GZIP_OS_BYTE };

/** Where a bundle goes without an explicit output: service.tar.gz in build.package_folder. */
export const defaultBundleFile = (config: Pick<BundleConfig, 'packageFolder'>): string => path.join(config.packageFolder, 'service.tar.gz');

export type SignPhase = 'scan' | 'archive' | 'sign' | 'package' | 'done';

export interface SignProgress {
  phase: SignPhase;
  /** Bytes done in this phase. */
  done: number;
  /** Bytes to do in this phase. */
  total: number;
  filesDone: number;
  filesTotal: number;
}

export interface SignOptions {
  /** The service root (the folder holding meta/config.yaml). */
  root: string;
  /** Output file; default <build.package_folder>/service.tar.gz. */
  outFile?: string;
  /**
   * Overrides the credentials named in config.yaml: a .p12 / PEM file path, a key +
   * certificate pair, or credentials already loaded.
   */
  credentials?: string | CredentialFiles | LoadedCredentials;
  password?: string;
  signal?: AbortSignal;
  onProgress?: (p: SignProgress) => void;
  /** Home folder for the ~/.aos/security lookup (tests). */
  homeDir?: string;
  /** The time used for the certificate validity check (tests). */
  now?: Date;
  /** Entry mtime in seconds (default BUNDLE_MTIME = 0), e.g. SOURCE_DATE_EPOCH. */
  mtime?: number;
  /**
   * gzip level of the outer archive (default OUTER_GZIP_LEVEL = 0, stored).
   */
  outerGzipLevel?: number;
  /** Minimum interval between progress callbacks within a phase, in ms (default 100). */
  progressIntervalMs?: number;
}

export interface SignResult {
  path: string;
  size: number;
  sha256: string;
  sha3_512: string;
  warnings: string[];
  /** The inner archive's digest as written into package.sign. */
  inner: { size: number; sha3_512: string };
  kid: string;
  files: number;
}

/**
 * The sink of a block gzip writer: digests and counts the compressed stream and writes it to
 * a new file (flags 'wx'), one writev per delivery. Each call returns once the bytes are
 * written, which is what lets the writer recycle its blocks and holds it back (backpressure)
 * when the disk is slower than compression.
 */
class DigestingFile {
  readonly sha3 = createHash('sha3-512');
  readonly sha256?: ReturnType<typeof createHash>;
  size = 0;
  private constructor(
    private readonly fh: FileHandle,
    withSha256: boolean,
    private readonly onBytes?: (n: number) => void,
  ) {
    if (withSha256) this.sha256 = createHash('sha256');
  }

  static async create(file: string, withSha256: boolean, onBytes?: (n: number) => void): Promise<DigestingFile> {
    return new DigestingFile(await fs.open(file, 'wx'), withSha256, onBytes);
  }

  readonly write = async (chunks: Buffer[]): Promise<void> => {
    for (const c of chunks) {
      this.sha3.update(c);
      this.sha256?.update(c);
      this.size += c.length;
    }
    await writeAll(this.fh, chunks);
    this.onBytes?.(this.size);
  };

  close(): Promise<void> {
    return this.fh.close();
  }
}

/**
 * Streams a tar into a block gzip writer whose output goes to `out`. The tar's staging buffer
 * is reused (each chunk is copied into a gzip block before the next is read), so the input
 * side allocates nothing per chunk.
 */
async function gzipTarTo(parts: ArchivePart[], archive: ArchiveOptions, gzip: { level: number }, out: DigestingFile): Promise<void> {
  const gz = new BlockGzip({ level: gzip.level }, out.write);
  for await (const chunk of tarStream(parts, { ...archive, reuseBuffer: true })) await gz.write(chunk);
  await gz.end();
}

async function removeQuietly(p: string): Promise<void> {
  await fs.rm(p, { force: true }).catch(() => undefined);
  untrackTemp(p);
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

async function resolveCredentials(opts: SignOptions, config: BundleConfig): Promise<LoadedCredentials> {
  const c = opts.credentials;
  if (c && typeof c === 'object' && 'chain' in c) return c;
  if (typeof c === 'string') return loadCredentialFile(path.resolve(c), opts.password);
  if (c) return loadCredentials(c, opts.password);
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
  const interval = opts.progressIntervalMs ?? 100;
  let lastEmit = 0;
  const emit = (p: SignProgress, force = false) => {
    if (!opts.onProgress) return;
    const t = Date.now();
    if (!force && t - lastEmit < interval) return;
    lastEmit = t;
    opts.onProgress(p);
  };
  const cancelled = () => appError('cancelled', 'Cancelled.');
  if (signal?.aborted) throw cancelled();

  // 1. Config (refused on any schema error) and credentials: fail early, before any byte is written.
  const config = await readBundleConfig(root, { refuseErrors: true });
  const creds = await resolveCredentials(opts, config);
  const key = requireRsaSigningKey(creds);
  const soon = checkValidityForSigning(key.leaf, key.source, opts.now ?? new Date());
  if (soon) warnings.push(soon);
  const kid = computeKid(key.leaf);

  const outFile = path.resolve(opts.outFile ?? defaultBundleFile(config));
  if (isInside(outFile, config.sourceFolder)) {
    throw appError('invalid-config', `The output ${outFile} would be inside the source folder ${config.sourceFolder}.`, {
      file: config.configPath,
      path: 'build.package_folder',
    });
  }
  let statePath: string | undefined;
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

  // The output: never onto a device, FIFO, folder or link; its folder made; leftovers of
  // signers that died (SIGKILL, power cut) removed, those of live ones left alone.
  await assertReplaceableOutput(outFile);
  try {
    await makeFolder(path.dirname(outFile));
  } catch (e) {
    throw fsFailure(e, 'Cannot create the output folder', path.dirname(outFile), { file: outFile });
  }
  await removeStaleTemps(outFile);
  const innerTmp = tempPathFor(outFile, 'inner');
  const outerTmp = tempPathFor(outFile);

  try {
    // 3. Inner archive.
    const filesTotal = scan.files + (statePath ? 1 : 0);
    const stateSize = statePath ? (await fs.stat(statePath)).size : 0;
    const bytesTotal = scan.bytes + stateSize;
    emit({ phase: 'archive', done: 0, total: bytesTotal, filesDone: 0, filesTotal }, true);
    const innerParts: ArchivePart[] = [
      { kind: 'directory', name: './' },
      { kind: 'bytes', name: './config.yaml', data: config.configBytes },
      { kind: 'tree', name: './service/', root: config.sourceFolder, symlinks: config.symlinks },
    ];
    if (statePath) innerParts.push({ kind: 'file', name: './default_state.dat', path: statePath });
    let filesDone = 0;
    trackTemp(innerTmp);
    const innerOut = await DigestingFile.create(innerTmp, false);
    try {
      await gzipTarTo(
        innerParts,
        {
          mtime: opts.mtime ?? BUNDLE_MTIME,
          signal,
          onFile: (p) => {
            filesDone = p.files;
            emit({ phase: 'archive', done: p.bytes, total: bytesTotal, filesDone: p.files, filesTotal });
          },
        },
        { level: INNER_GZIP_LEVEL },
        innerOut,
      );
    } finally {
      await innerOut.close();
    }
    emit({ phase: 'archive', done: bytesTotal, total: bytesTotal, filesDone, filesTotal }, true);
    const inner = { size: innerOut.size, sha3_512: innerOut.sha3.digest('hex') };

    // 4. package.sign.
    emit({ phase: 'sign', done: 0, total: 1, filesDone, filesTotal }, true);
    const jwt = createPackageSign({
      kid,
      service: { hash: inner.sha3_512, size: inner.size },
      config: { hash: sha3Hex(config.configBytes), size: config.configBytes.length },
      privateKey: key.privateKey,
    });
    emit({ phase: 'sign', done: 1, total: 1, filesDone, filesTotal }, true);
    if (signal?.aborted) throw cancelled();

    // 5. Outer archive.
    const outerTotal = inner.size + config.configBytes.length + jwt.length;
    emit({ phase: 'package', done: 0, total: outerTotal, filesDone, filesTotal }, true);
    trackTemp(outerTmp);
    const outerOut = await DigestingFile.create(outerTmp, true, (n) => emit({ phase: 'package', done: Math.min(n, outerTotal), total: outerTotal, filesDone, filesTotal }));
    try {
      await gzipTarTo(
        [
          { kind: 'directory', name: './' },
          { kind: 'bytes', name: './config.yaml', data: config.configBytes },
          { kind: 'file', name: './service.tar.gz', path: innerTmp },
          { kind: 'bytes', name: './package.sign', data: Buffer.from(jwt, 'ascii') },
        ],
        { mtime: opts.mtime ?? BUNDLE_MTIME, signal },
        { level: opts.outerGzipLevel ?? OUTER_GZIP_LEVEL },
        outerOut,
      );
    } finally {
      await outerOut.close();
    }
    await removeQuietly(innerTmp);
    if (signal?.aborted) throw cancelled();
    // Checked again at the last moment: something may have been put there meanwhile.
    await assertReplaceableOutput(outFile);
    await fs.rename(outerTmp, outFile);
    untrackTemp(outerTmp);
    emit({ phase: 'done', done: outerTotal, total: outerTotal, filesDone, filesTotal }, true);
    return {
      path: outFile,
      size: outerOut.size,
      sha256: outerOut.sha256!.digest('hex'),
      sha3_512: outerOut.sha3.digest('hex'),
      warnings,
      inner,
      kid,
      files: filesDone,
    };
  } catch (e) {
    await removeQuietly(innerTmp);
    await removeQuietly(outerTmp);
    if (signal?.aborted) throw cancelled();
    if (e instanceof AppFailure) throw e;
    // Name the file people know: the output rather than its hidden temp, else the input read.
    const err = e as NodeJS.ErrnoException & { dest?: string };
    const failed = err.dest ?? err.path;
    const ours = failed === undefined || failed === innerTmp || failed === outerTmp || failed === outFile;
    throw ours ? fsFailure(e, 'Cannot write the bundle', outFile) : fsFailure(e, 'Cannot read', failed);
  }
}
