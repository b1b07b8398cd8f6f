// The one signing pipeline of both kinds of bundle (spec service-bundle.md §3, deployment-
// bundle.md §3). What differs between a v1 service bundle and a schemaVersion 2 deployment
// bundle is the inner archive's name and its content list; the container is the same:
//   inner parts → tar → gzip -6 → SHA3-512 + size → temp file
//   then package.sign over the inner archive and config.yaml, then the outer tar
//   (./, ./config.yaml, ./<inner>, ./package.sign) → gzip -0 → SHA-256 + SHA3-512 → temp
//   file, renamed onto the output at the very end. Failure or cancel removes the temp files.
//
// Reproducibility: entries as the caller lists them (sorted), mtime BUNDLE_MTIME (0),
// owner 0:0 with no user/group names, normalised modes, no pax times, gzip header with no
// name, mtime 0 and OS byte 255, deflate in fixed 1 MiB blocks (independent of core count),
// incompressible ranges stored, decided from the bytes alone. RSA PKCS#1 v1.5 signatures are
// deterministic, so the outer archive is reproducible too.
//
// Memory does not depend on the tree: the tar writer reuses one 1 MiB staging buffer, the
// gzip writer keeps at most `cores` + 2 blocks and recycles them, and each delivery is
// written before the next is accepted (backpressure from the disk).
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { AppFailure, appError, fsFailure } from '../../../shared/errors';
import { computeKid } from '../credentials/kid';
import { loadCredentialFile, loadCredentials, requireRsaSigningKey, type CredentialFiles, type LoadedCredentials } from '../credentials/load';
import { checkValidityForSigning } from '../credentials/summary';
import { makeFolder } from '../fs/make-folder';
import { assertReplaceableOutput } from '../fs/output-target';
import { removeStaleTemps, tempPathFor, trackTemp, untrackTemp } from '../fs/temp-files';
import { BUNDLE_MTIME, tarStream, type ArchiveOptions, type ArchivePart } from './archive';
import { createPackageSign, sha3Hex, type InnerArchiveName } from './jws';
import { HashThread } from './hash-thread';
import { BlockGzip } from './parallel-gzip';
import { writeAll } from './write-all';

export const INNER_GZIP_LEVEL = 6;
/**
 * The outer archive holds the already-compressed inner archive: gzip's lowest level, 0
 * (stored deflate blocks), costs next to nothing, where level 1 spends ~20 ms per MB to save
 * typically well under 1 % on a gzip -6 payload. Any valid level is accepted by the cloud.
 */
export const OUTER_GZIP_LEVEL = 0;

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

/** What every sign use-case takes besides the folder, whatever the bundle's kind. */
export interface CommonSignOptions {
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
  /** gzip level of the outer archive (default OUTER_GZIP_LEVEL = 0, stored). */
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

export type ProgressEmitter = (p: SignProgress, force?: boolean) => void;

/** Progress callbacks at most every `progressIntervalMs` within a phase; `force` for phase edges. */
export function progressEmitter(opts: Pick<CommonSignOptions, 'onProgress' | 'progressIntervalMs'>): ProgressEmitter {
  const interval = opts.progressIntervalMs ?? 100;
  let lastEmit = 0;
  return (p, force = false) => {
    if (!opts.onProgress) return;
    const t = Date.now();
    if (!force && t - lastEmit < interval) return;
    lastEmit = t;
    opts.onProgress(p);
  };
}

export const cancelledFailure = (): AppFailure => appError('cancelled', 'Cancelled.');

/**
 * The signing credentials: the caller's override (a path, a file pair, or loaded ones), else
 * those config.yaml names (`fromConfig`, which knows where that kind of config looks).
 */
export async function signingCredentials(opts: Pick<CommonSignOptions, 'credentials' | 'password'>, fromConfig: () => Promise<LoadedCredentials>): Promise<LoadedCredentials> {
  const c = opts.credentials;
  if (c && typeof c === 'object' && 'chain' in c) return c;
  if (typeof c === 'string') return loadCredentialFile(path.resolve(c), opts.password);
  if (c) return loadCredentials(c, opts.password);
  return fromConfig();
}

/** The signing key, refused unless RSA (RS256), with the expiry warning, and its kid. */
export function signingKeyOf(creds: LoadedCredentials, now: Date, warnings: string[]) {
  const key = requireRsaSigningKey(creds);
  const soon = checkValidityForSigning(key.leaf, key.source, now);
  if (soon) warnings.push(soon);
  return { key, kid: computeKid(key.leaf) };
}

/**
 * The sink of a block gzip writer: digests and counts the compressed stream and writes it to
 * a new file (flags 'wx'), one writev per delivery. SHA3-512 is computed on a worker thread
 * (`sha3`, shared by the inner and the outer archive, one after the other) while this thread
 * writes and computes the SHA-256: the slow digest overlaps compression instead of following
 * it. Each call returns once the bytes are written, which is what lets the writer recycle its
 * blocks and holds it back (backpressure) when the disk or the digest is slower than
 * compression.
 */
class DigestingFile {
  readonly sha256?: ReturnType<typeof createHash>;
  size = 0;
  private constructor(
    private readonly fh: FileHandle,
    private readonly sha3: HashThread,
    withSha256: boolean,
    private readonly onBytes?: (n: number) => void,
  ) {
    if (withSha256) this.sha256 = createHash('sha256');
  }

  static async create(file: string, sha3: HashThread, withSha256: boolean, onBytes?: (n: number) => void): Promise<DigestingFile> {
    return new DigestingFile(await fs.open(file, 'wx'), sha3, withSha256, onBytes);
  }

  readonly write = async (chunks: Buffer[]): Promise<void> => {
    // The write runs on the thread pool meanwhile; the chunks are only read.
    const written = writeAll(this.fh, chunks);
    try {
      for (const c of chunks) {
        const room = this.sha3.update(c);
        if (room) await room;
        this.sha256?.update(c);
        this.size += c.length;
      }
    } finally {
      await written;
    }
    this.onBytes?.(this.size);
  };

  /** The SHA3-512 of everything written (once all writes are done). */
  async sha3Hex(): Promise<string> {
    return (await this.sha3.digest())[0];
  }

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

export interface SignedContainer {
  outFile: string;
  /** config.yaml's exact bytes: the outer archive and package.sign carry them as they are. */
  configBytes: Buffer;
  inner: {
    name: InnerArchiveName;
    /** The inner archive's entries, in order (it starts with './' and './config.yaml'). */
    parts: ArchivePart[];
    /** File count and content bytes of `parts`, for progress. */
    files: number;
    bytes: number;
  };
  key: ReturnType<typeof signingKeyOf>;
  warnings: string[];
  emit: ProgressEmitter;
  options: Pick<CommonSignOptions, 'signal' | 'mtime' | 'outerGzipLevel'>;
}

/**
 * Writes the signed container. The output is checked (never a device, FIFO, folder or link),
 * its folder made, leftovers of signers that died removed (those of live ones kept); on any
 * failure or cancel neither temp file is left and the output is untouched.
 */
export async function writeSignedBundle(c: SignedContainer): Promise<SignResult> {
  const { outFile, configBytes, emit } = c;
  const signal = c.options.signal;
  const mtime = c.options.mtime ?? BUNDLE_MTIME;
  await assertReplaceableOutput(outFile);
  try {
    await makeFolder(path.dirname(outFile));
  } catch (e) {
    throw fsFailure(e, 'Cannot create the output folder', path.dirname(outFile), { file: outFile });
  }
  await removeStaleTemps(outFile);
  const innerTmp = tempPathFor(outFile, 'inner');
  const outerTmp = tempPathFor(outFile);
  const sha3 = new HashThread(['sha3-512']);

  try {
    // 1. Inner archive.
    const { files: filesTotal, bytes: bytesTotal } = c.inner;
    emit({ phase: 'archive', done: 0, total: bytesTotal, filesDone: 0, filesTotal }, true);
    let filesDone = 0;
    trackTemp(innerTmp);
    const innerOut = await DigestingFile.create(innerTmp, sha3, false);
    try {
      await gzipTarTo(
        c.inner.parts,
        {
          mtime,
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
    const inner = { size: innerOut.size, sha3_512: await innerOut.sha3Hex() };

    // 2. package.sign.
    emit({ phase: 'sign', done: 0, total: 1, filesDone, filesTotal }, true);
    const jwt = createPackageSign({
      kid: c.key.kid,
      inner: { name: c.inner.name, hash: inner.sha3_512, size: inner.size },
      config: { hash: sha3Hex(configBytes), size: configBytes.length },
      privateKey: c.key.key.privateKey,
    });
    emit({ phase: 'sign', done: 1, total: 1, filesDone, filesTotal }, true);
    if (signal?.aborted) throw cancelledFailure();

    // 3. Outer archive.
    const outerTotal = inner.size + configBytes.length + jwt.length;
    emit({ phase: 'package', done: 0, total: outerTotal, filesDone, filesTotal }, true);
    trackTemp(outerTmp);
    const outerOut = await DigestingFile.create(outerTmp, sha3, true, (n) => emit({ phase: 'package', done: Math.min(n, outerTotal), total: outerTotal, filesDone, filesTotal }));
    try {
      await gzipTarTo(
        [
          { kind: 'directory', name: './' },
          { kind: 'bytes', name: './config.yaml', data: configBytes },
          { kind: 'file', name: `./${c.inner.name}`, path: innerTmp },
          { kind: 'bytes', name: './package.sign', data: Buffer.from(jwt, 'ascii') },
        ],
        { mtime, signal },
        { level: c.options.outerGzipLevel ?? OUTER_GZIP_LEVEL },
        outerOut,
      );
    } finally {
      await outerOut.close();
    }
    const outerSha3 = await outerOut.sha3Hex();
    await removeQuietly(innerTmp);
    if (signal?.aborted) throw cancelledFailure();
    // Checked again at the last moment: something may have been put there meanwhile.
    await assertReplaceableOutput(outFile);
    await fs.rename(outerTmp, outFile);
    untrackTemp(outerTmp);
    emit({ phase: 'done', done: outerTotal, total: outerTotal, filesDone, filesTotal }, true);
    return {
      path: outFile,
      size: outerOut.size,
      sha256: outerOut.sha256!.digest('hex'),
      sha3_512: outerSha3,
      warnings: c.warnings,
      inner,
      kid: c.key.kid,
      files: filesDone,
    };
  } catch (e) {
    await removeQuietly(innerTmp);
    await removeQuietly(outerTmp);
    if (signal?.aborted) throw cancelledFailure();
    if (e instanceof AppFailure) throw e;
    // Name the file people know: the output rather than its hidden temp, else the input read.
    const err = e as NodeJS.ErrnoException & { dest?: string };
    const failed = err.dest ?? err.path;
    const ours = failed === undefined || failed === innerTmp || failed === outerTmp || failed === outFile;
    throw ours ? fsFailure(e, 'Cannot write the bundle', outFile) : fsFailure(e, 'Cannot read', failed);
  } finally {
    await sha3.close();
  }
}
