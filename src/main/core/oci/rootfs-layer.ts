// The service rootfs layer (manifest layers[0]): a tar+gzip of src/ with paths as in the
// container (`./usr/bin/...`, no `service/` prefix), built with the signed bundle's own
// reproducible tar writer (sorted, mtime 0, owner 0:0, normalised modes) and its block gzip
// writer (level 6 in fixed 1 MiB blocks on all cores, incompressible ranges stored: the bytes
// depend on the content only, never on core count or timing). One streaming pass: the
// uncompressed tar is hashed (diff_id) on its way into gzip while the compressed bytes are
// hashed (digest) and counted, and optionally written to a file.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { BUNDLE_MTIME, tarStream } from '../bundle/archive';
import { BlockGzip, GZIP_OS_BYTE } from '../bundle/parallel-gzip';
import { writeAll } from '../bundle/write-all';
import { appError } from '../../../shared/errors';
import type { SymlinkPolicy } from '../bundle/config';
import type { RootfsLayerInfo } from './types';

/** gzip's default level, as the platform's layer build (`gzip -n`) uses. */
export const LAYER_GZIP_LEVEL = 6;
/**
 * gzip header OS byte, pinned to 255 ("unknown") like the signed bundle does (zlib would write
 * the build platform there, 3 on Unix, 10 on Windows, and the digest must not vary).
 */
export const LAYER_GZIP_OS_BYTE = GZIP_OS_BYTE;

export interface RootfsLayerProgress {
  files: number;
  /** File content bytes read so far. */
  bytes: number;
}

export interface RootfsLayerOptions {
  signal?: AbortSignal;
  onProgress?: (p: RootfsLayerProgress) => void;
  /** build.symlinks; default `copy`. */
  symlinks?: SymlinkPolicy;
  /** Where to write the compressed blob; nothing is written when absent. */
  outFile?: string;
  /** Entry mtime in seconds; default the bundle's (0). */
  mtime?: number;
}

export interface RootfsLayer extends RootfsLayerInfo {
  /** Size of the uncompressed tar. */
  tarSize: number;
  files: number;
  /** Whiteout files found (`.wh.*`), relative to src/: the platform does not support them here. */
  whiteouts: string[];
}

/** A function that streams the reproducible tar of a folder: the one seam to the tar writer. */
export type FolderTarStream = (
  srcDir: string,
  opts: {
    signal?: AbortSignal;
    symlinks: SymlinkPolicy;
    mtime: number;
    onFile: (p: RootfsLayerProgress) => void;
    /** The consumer is done with each chunk before it asks for the next: the stream may reuse its buffer. */
    reuseBuffer?: boolean;
  },
) => AsyncIterable<Buffer>;

/** The bundle's tar writer, with the folder as the archive root `./` (as Yocto layers are). */
export const bundleFolderTar: FolderTarStream = (srcDir, opts) =>
  tarStream([{ kind: 'tree', name: './', root: srcDir, symlinks: opts.symlinks }], { mtime: opts.mtime, signal: opts.signal, onFile: opts.onFile, reuseBuffer: opts.reuseBuffer });

const cancelled = () => appError('cancelled', 'Cancelled.');

export async function buildRootfsLayer(srcDir: string, opts: RootfsLayerOptions = {}, tar: FolderTarStream = bundleFolderTar): Promise<RootfsLayer> {
  const symlinks = opts.symlinks ?? 'copy';
  let files = 0;
  const whiteoutsP = findWhiteouts(srcDir);
  const uncompressed = createHash('sha256');
  const compressed = createHash('sha256');
  let tarSize = 0;
  let size = 0;
  let fh: FileHandle | undefined;
  try {
    if (opts.outFile) fh = await fs.open(opts.outFile, 'wx');
    const out = fh;
    const gz = new BlockGzip({ level: LAYER_GZIP_LEVEL }, async (chunks) => {
      for (const c of chunks) {
        compressed.update(c);
        size += c.length;
      }
      if (out) await writeAll(out, chunks);
    });
    for await (const chunk of tar(srcDir, {
      signal: opts.signal,
      symlinks,
      mtime: opts.mtime ?? BUNDLE_MTIME,
      onFile: (p) => {
        files = p.files;
        opts.onProgress?.({ files: p.files, bytes: p.bytes });
      },
      // Each chunk is hashed and copied into a gzip block before the next is asked for.
      reuseBuffer: true,
    })) {
      if (opts.signal?.aborted) throw cancelled();
      uncompressed.update(chunk);
      tarSize += chunk.length;
      await gz.write(chunk);
    }
    if (opts.signal?.aborted) throw cancelled();
    await gz.end();
    await fh?.close();
    fh = undefined;
  } catch (err) {
    await fh?.close().catch(() => undefined);
    if (fh) await fs.rm(opts.outFile!, { force: true }).catch(() => undefined);
    throw err;
  }
  return {
    digest: `sha256:${compressed.digest('hex')}`,
    size,
    diffId: `sha256:${uncompressed.digest('hex')}`,
    tarSize,
    files,
    whiteouts: await whiteoutsP,
  };
}

/** `.wh.*` names under src/ (a metadata-only walk; symlinked folders are not followed). */
export async function findWhiteouts(srcDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = (await fs.readdir(srcDir, { recursive: true })) as string[];
  } catch {
    return [];
  }
  return names
    .map((n) => n.split(path.sep).join('/'))
    .filter((n) => (n.split('/').pop() ?? '').startsWith('.wh.'))
    .sort();
}
