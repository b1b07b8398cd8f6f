// The service rootfs layer (manifest layers[0]): a tar+gzip of src/ with paths as in the
// container (`./usr/bin/...`, no `service/` prefix), built with the signed bundle's own
// reproducible tar writer (sorted, mtime 0, owner 0:0, normalised modes) and the layer blob
// writer (layer-blob.ts: block gzip, diff_id and digest in one streaming pass).
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { BUNDLE_MTIME, tarStream } from '../bundle/archive';
import { writeLayerBlob } from './layer-blob';
import type { SymlinkPolicy } from '../bundle/config';
import type { RootfsLayerInfo } from './types';

export { LAYER_GZIP_LEVEL, LAYER_GZIP_OS_BYTE } from './layer-blob';

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

export async function buildRootfsLayer(srcDir: string, opts: RootfsLayerOptions = {}, tar: FolderTarStream = bundleFolderTar): Promise<RootfsLayer> {
  const symlinks = opts.symlinks ?? 'copy';
  let files = 0;
  const whiteoutsP = findWhiteouts(srcDir);
  let fh: FileHandle | undefined;
  let blob;
  try {
    if (opts.outFile) fh = await fs.open(opts.outFile, 'wx');
    const chunks = tar(srcDir, {
      signal: opts.signal,
      symlinks,
      mtime: opts.mtime ?? BUNDLE_MTIME,
      onFile: (p) => {
        files = p.files;
        opts.onProgress?.({ files: p.files, bytes: p.bytes });
      },
      // writeLayerBlob is done with each chunk before it asks for the next.
      reuseBuffer: true,
    });
    blob = await writeLayerBlob(chunks, { out: fh, signal: opts.signal });
    await fh?.close();
    fh = undefined;
  } catch (err) {
    await fh?.close().catch(() => undefined);
    if (fh) await fs.rm(opts.outFile!, { force: true }).catch(() => undefined);
    throw err;
  }
  return { ...blob, files, whiteouts: await whiteoutsP };
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
