// The service rootfs layer (manifest layers[0]): a tar+gzip of src/ with paths as in the
// container (`./usr/bin/...`, no `service/` prefix), built with the signed bundle's own
// reproducible tar writer (sorted, mtime 0, owner 0:0, normalised modes). One streaming
// pass: the uncompressed tar is hashed (diff_id) on its way into gzip while the compressed
// bytes are hashed (digest) and counted, and optionally written to a file.
import { createHash } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable, Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { BUNDLE_MTIME, tarStream } from '../bundle/archive';
import type { SymlinkPolicy } from '../bundle/config';
import type { RootfsLayerInfo } from './types';

/** gzip's default level, as the platform's layer build (`gzip -n`) uses. */
export const LAYER_GZIP_LEVEL = 6;
/**
 * gzip header OS byte, pinned to 255 ("unknown") like the signed bundle does, because zlib
 * writes the build platform there (3 on Unix, 10 on Windows) and the digest must not vary.
 */
export const LAYER_GZIP_OS_BYTE = 255;

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
export type FolderTarStream = (srcDir: string, opts: { signal?: AbortSignal; symlinks: SymlinkPolicy; mtime: number; onFile: (p: RootfsLayerProgress) => void }) => AsyncIterable<Buffer>;

/** The bundle's tar writer, with the folder as the archive root `./` (as Yocto layers are). */
export const bundleFolderTar: FolderTarStream = (srcDir, opts) =>
  tarStream([{ kind: 'tree', name: './', root: srcDir, symlinks: opts.symlinks }], { mtime: opts.mtime, signal: opts.signal, onFile: opts.onFile });

class Hashing extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  constructor(private readonly pinGzipOsByte: boolean) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.pinGzipOsByte && this.size <= 9 && this.size + chunk.length > 9) {
      chunk = Buffer.from(chunk);
      chunk[9 - this.size] = LAYER_GZIP_OS_BYTE;
    }
    this.hash.update(chunk);
    this.size += chunk.length;
    cb(null, chunk);
  }
}

const discard = () =>
  new Writable({
    write(_chunk, _enc, cb) {
      cb();
    },
  });

export async function buildRootfsLayer(srcDir: string, opts: RootfsLayerOptions = {}, tar: FolderTarStream = bundleFolderTar): Promise<RootfsLayer> {
  const symlinks = opts.symlinks ?? 'copy';
  let files = 0;
  const whiteoutsP = findWhiteouts(srcDir);
  const uncompressed = new Hashing(false);
  const compressed = new Hashing(true);
  const source = Readable.from(
    tar(srcDir, {
      signal: opts.signal,
      symlinks,
      mtime: opts.mtime ?? BUNDLE_MTIME,
      onFile: (p) => {
        files = p.files;
        opts.onProgress?.({ files: p.files, bytes: p.bytes });
      },
    }),
  );
  const sink = opts.outFile ? createWriteStream(opts.outFile, { flags: 'wx' }) : discard();
  try {
    await pipeline(source, uncompressed, zlib.createGzip({ level: LAYER_GZIP_LEVEL }), compressed, sink, { signal: opts.signal });
  } catch (err) {
    if (opts.outFile) await fs.rm(opts.outFile, { force: true }).catch(() => undefined);
    throw err;
  }
  return {
    digest: `sha256:${compressed.hash.digest('hex')}`,
    size: compressed.size,
    diffId: `sha256:${uncompressed.hash.digest('hex')}`,
    tarSize: uncompressed.size,
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
