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
// gzip writer keeps at most `cores` + 3 blocks and recycles them, and each delivery is
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
import { InPlaceOuter } from './outer-in-place';
import { BlockGzip, type GzipSink } from './parallel-gzip';
import { USTAR_MAX_SIZE } from './tar';
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
  /**
   * Inner archive size above which the one-pass writer gives way to the two-pass one
   * (default: the ustar size limit, 8 GiB - 1; tests set it low to take the other path).
   */
  onePassLimit?: number;
}

export interface SignResult {
  path: string;
  size: number;
  /** SHA-256 of the bundle file (what the outbox and the cloud see). */
  sha256: string;
  warnings: string[];
  /** The inner archive (service.tar.gz or batch.tar.gz): its size and SHA3-512 as package.sign holds them. */
  inner: { name: InnerArchiveName; size: number; sha3_512: string };
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
 * The sink of a block gzip writer: counts the compressed stream, writes it to a new file
 * (flags 'wx'), one writev per delivery, and digests it: SHA3-512 on a worker thread (`sha3`)
 * while this thread writes and computes the SHA-256, so the slow digest overlaps compression
 * instead of following it. Each call returns once the bytes are written, which is what lets
 * the writer recycle its blocks and holds it back (backpressure) when the disk or the digest
 * is slower than compression.
 */
class DigestingFile {
  readonly sha256?: ReturnType<typeof createHash>;
  size = 0;
  private constructor(
    private readonly fh: FileHandle,
    private readonly sha3: HashThread | undefined,
    withSha256: boolean,
    private readonly onBytes?: (n: number) => void,
  ) {
    if (withSha256) this.sha256 = createHash('sha256');
  }

  static async create(file: string, digests: { sha3?: HashThread; sha256?: boolean }, onBytes?: (n: number) => void): Promise<DigestingFile> {
    return new DigestingFile(await fs.open(file, 'wx'), digests.sha3, digests.sha256 === true, onBytes);
  }

  readonly write = async (chunks: Buffer[]): Promise<void> => {
    // The write runs on the thread pool meanwhile; the chunks are only read.
    const written = writeAll(this.fh, chunks);
    try {
      for (const c of chunks) {
        const room = this.sha3?.update(c);
        if (room) await room;
        this.sha256?.update(c);
        this.size += c.length;
      }
    } finally {
      await written;
    }
    this.onBytes?.(this.size);
  };

  close(): Promise<void> {
    return this.fh.close();
  }
}

/**
 * Streams a tar into a block gzip writer whose output goes to `sink`. The tar's staging buffer
 * is reused (each chunk is copied into a gzip block before the next is read), so the input
 * side allocates nothing per chunk.
 */
async function gzipTarTo(parts: ArchivePart[], archive: ArchiveOptions, gzip: { level: number }, sink: GzipSink): Promise<void> {
  const gz = new BlockGzip({ level: gzip.level }, sink);
  for await (const chunk of tarStream(parts, { ...archive, reuseBuffer: true })) await gz.write(chunk);
  await gz.end();
}

async function removeQuietly(p: string): Promise<void> {
  await fs.rm(p, { force: true }).catch(() => undefined);
  untrackTemp(p);
}

/** The one-pass writer gave up: the inner archive outgrew a ustar size field (8 GiB). */
class InnerTooLargeForOnePass extends Error {}

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
  options: Pick<CommonSignOptions, 'signal' | 'mtime' | 'outerGzipLevel' | 'onePassLimit'>;
}

/** Where the inner archive goes while it is written, and how the outer archive is made of it. */
interface OuterWriter {
  /** The inner BlockGzip's sink. */
  innerSink: GzipSink;
  /** Size of the inner archive so far. */
  innerSize(): number;
  /** Ends the inner archive's file (if any); called on success and failure. */
  closeInner(): Promise<void>;
  /** Writes the outer archive's remaining parts; resolves its size and SHA-256. */
  finish(packageSign: Buffer, onBytes: (done: number, total: number) => void): Promise<{ size: number; sha256: string }>;
  /** Closes what is open (temp files are removed by the caller). */
  close(): Promise<void>;
}

/**
 * Level 0 (the default): the inner archive is compressed straight into the outer temp file
 * (outer-in-place.ts); the outer SHA-256 is read back at the end.
 */
async function inPlaceWriter(c: SignedContainer, outerTmp: string, mtime: number, sha3: HashThread, limit: number): Promise<OuterWriter> {
  trackTemp(outerTmp);
  const fh = await fs.open(outerTmp, 'wx');
  let closed = false;
  const close = async () => {
    if (!closed) {
      closed = true;
      await fh.close();
    }
  };
  try {
    const outer = await InPlaceOuter.start({ fh, configBytes: c.configBytes, innerName: `./${c.inner.name}`, mtime });
    return {
      innerSink: async (chunks) => {
        // The write runs on the thread pool while the chunks are handed to the hash worker.
        const written = outer.innerSink(chunks);
        try {
          for (const chunk of chunks) {
            const room = sha3.update(chunk);
            if (room) await room;
          }
        } finally {
          await written;
        }
        if (outer.innerSize > limit) throw new InnerTooLargeForOnePass();
      },
      innerSize: () => outer.innerSize,
      closeInner: async () => undefined,
      finish: async (packageSign, onBytes) => {
        const size = await outer.finish(packageSign);
        await close();
        // Read back and hashed by the hash worker, which is done with the inner archive by now.
        onBytes(0, size);
        const sha256 = await sha3.hashFile(outerTmp, size, 'sha256');
        onBytes(size, size);
        return { size, sha256 };
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Other outer levels (and inner archives above 8 GiB): the inner archive goes to a temp file
 * of its own, then the outer archive is a second tar + gzip pass that reads it back.
 */
async function twoPassWriter(c: SignedContainer, innerTmp: string, outerTmp: string, mtime: number, sha3: HashThread): Promise<OuterWriter> {
  trackTemp(innerTmp);
  const inner = await DigestingFile.create(innerTmp, { sha3 });
  let innerClosed = false;
  const closeInner = async () => {
    if (!innerClosed) {
      innerClosed = true;
      await inner.close();
    }
  };
  let outer: DigestingFile | undefined;
  return {
    innerSink: inner.write,
    innerSize: () => inner.size,
    closeInner,
    finish: async (packageSign, onBytes) => {
      await closeInner();
      const total = inner.size + c.configBytes.length + packageSign.length;
      trackTemp(outerTmp);
      outer = await DigestingFile.create(outerTmp, { sha256: true }, (n) => onBytes(Math.min(n, total), total));
      try {
        await gzipTarTo(
          [
            { kind: 'directory', name: './' },
            { kind: 'bytes', name: './config.yaml', data: c.configBytes },
            { kind: 'file', name: `./${c.inner.name}`, path: innerTmp },
            { kind: 'bytes', name: './package.sign', data: packageSign },
          ],
          { mtime, signal: c.options.signal },
          { level: c.options.outerGzipLevel ?? OUTER_GZIP_LEVEL },
          outer.write,
        );
      } finally {
        await outer.close();
      }
      await removeQuietly(innerTmp);
      return { size: outer.size, sha256: outer.sha256!.digest('hex') };
    },
    close: closeInner,
  };
}

/**
 * Writes the signed container. The output is checked (never a device, FIFO, folder or link),
 * its folder made, leftovers of signers that died removed (those of live ones kept); on any
 * failure or cancel no temp file is left and the output is untouched.
 */
export async function writeSignedBundle(c: SignedContainer): Promise<SignResult> {
  const { outFile } = c;
  await assertReplaceableOutput(outFile);
  try {
    await makeFolder(path.dirname(outFile));
  } catch (e) {
    throw fsFailure(e, 'Cannot create the output folder', path.dirname(outFile), { file: outFile });
  }
  await removeStaleTemps(outFile);
  const onePass = (c.options.outerGzipLevel ?? OUTER_GZIP_LEVEL) === 0 && InPlaceOuter.fits(0, `./${c.inner.name}`);
  if (onePass) {
    try {
      return await writeOnce(c, true);
    } catch (e) {
      if (!(e instanceof InnerTooLargeForOnePass)) throw e;
    }
  }
  return writeOnce(c, false);
}

async function writeOnce(c: SignedContainer, onePass: boolean): Promise<SignResult> {
  const { outFile, configBytes, emit } = c;
  const signal = c.options.signal;
  const mtime = c.options.mtime ?? BUNDLE_MTIME;
  const innerTmp = tempPathFor(outFile, 'inner');
  const outerTmp = tempPathFor(outFile);
  const sha3 = new HashThread(['sha3-512']);
  let writer: OuterWriter | undefined;

  try {
    writer = onePass ? await inPlaceWriter(c, outerTmp, mtime, sha3, c.options.onePassLimit ?? USTAR_MAX_SIZE) : await twoPassWriter(c, innerTmp, outerTmp, mtime, sha3);
    // 1. Inner archive.
    const { files: filesTotal, bytes: bytesTotal } = c.inner;
    emit({ phase: 'archive', done: 0, total: bytesTotal, filesDone: 0, filesTotal }, true);
    let filesDone = 0;
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
        writer.innerSink,
      );
    } finally {
      await writer.closeInner();
    }
    emit({ phase: 'archive', done: bytesTotal, total: bytesTotal, filesDone, filesTotal }, true);
    const inner = { name: c.inner.name, size: writer.innerSize(), sha3_512: (await sha3.digest())[0] };

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

    // 3. Outer archive (the rest of it, in place; or all of it, from the inner temp file).
    emit({ phase: 'package', done: 0, total: inner.size, filesDone, filesTotal }, true);
    const outer = await writer.finish(Buffer.from(jwt, 'ascii'), (done, total) => emit({ phase: 'package', done, total, filesDone, filesTotal }));
    if (signal?.aborted) throw cancelledFailure();
    // Checked again at the last moment: something may have been put there meanwhile.
    await assertReplaceableOutput(outFile);
    await fs.rename(outerTmp, outFile);
    untrackTemp(outerTmp);
    emit({ phase: 'done', done: outer.size, total: outer.size, filesDone, filesTotal }, true);
    return { path: outFile, size: outer.size, sha256: outer.sha256, warnings: c.warnings, inner, kid: c.key.kid, files: filesDone };
  } catch (e) {
    await writer?.close().catch(() => undefined);
    await removeQuietly(innerTmp);
    await removeQuietly(outerTmp);
    if (e instanceof InnerTooLargeForOnePass) throw e;
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
