// Writes the preview to disk: the only module of the OCI preview that writes files.
//   v8: manifest.json + blobs/sha256/* (the archive's layout, unpacked)
//   v9: a standard OCI image layout (oci-layout, index.json with a ref name, blobs/sha256/*)
//       holding EVERY blob its manifest names: the rootfs layer and each resolved Aos layer
//       (hard-linked from the layer library when the filesystem allows, else copied), so
//       skopeo and umoci open it as it is.
// The whole layout is written into a hidden staging folder beside the target and renamed onto
// it at the end: a reader sees no folder, or the complete layout. The target must be new or an
// empty folder; a failure or a cancel removes the staging folder and leaves the target as it was.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { tempPathFor } from '../fs/atomic-write';
import { requireEmptyOrNewFolder } from '../fs/empty-folder';
import { makeFolder } from '../fs/make-folder';
import { trackTemp, untrackTemp } from '../fs/temp-files';
import { appError } from '../../../shared/errors';
import { blobPath, serializeJson } from './blob';
import { OCI_LAYOUT } from './manifest';
import type { OciPreview } from './preview';
import type { RootfsLayer } from './rootfs-layer';
import type { Target } from './types';

export interface WriteLayoutOptions {
  /** The folder to create (or fill, when it exists and is empty). */
  outDir: string;
  target: Target;
  /** Streams the service rootfs layer into `outFile` (inside the staging folder). */
  buildRootfs: (outFile: string) => Promise<RootfsLayer>;
  /** The preview for that rootfs layer (unresolved layers left out). */
  previewFor: (rootfs: RootfsLayer) => OciPreview;
  /** The layer image file of each resolved Aos layer, by its digest (the .tar.gz sha256). */
  layerFiles: ReadonlyMap<string, string>;
  signal?: AbortSignal;
}

export interface WrittenLayout {
  outDir: string;
  /** Paths written, relative to outDir, in writing order. */
  written: string[];
  rootfs: RootfsLayer;
  preview: OciPreview;
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw appError('cancelled', 'Cancelled.');
}

function notEmpty(outDir: string): Error {
  return appError('exists', `The export folder ${outDir} is not empty: choose a new or an empty folder.`, { file: outDir });
}

async function writeFileSynced(file: string, data: Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'wx', 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function sha256OfFile(file: string, signal?: AbortSignal): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(
    createReadStream(file),
    async function (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        hash.update(chunk);
        size += chunk.length;
      }
    },
    signal ? { signal } : {},
  );
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

/** Errors of link(2) that mean "this filesystem (pair) cannot hard-link": copy instead. */
const NO_LINK = new Set(['EXDEV', 'EPERM', 'EACCES', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS', 'EINVAL']);

/**
 * Puts a layer image into the layout as the blob `dest`: a hard link when the filesystem
 * allows, else a streamed copy. Either way the bytes are hashed and must give `digest` and
 * `size` (what the library scan found), so a layer image changed since the scan never ends
 * up under a name that is not its digest.
 */
export async function placeLayerBlob(file: string, expected: { digest: string; size: number }, dest: string, signal?: AbortSignal): Promise<'linked' | 'copied'> {
  let how: 'linked' | 'copied' = 'linked';
  try {
    await fs.link(file, dest);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw appError('not-found', `The layer image ${file} is gone since the layer library was scanned: rescan it.`, { file });
    if (!code || !NO_LINK.has(code)) throw err;
    how = 'copied';
  }
  let got: { digest: string; size: number };
  if (how === 'linked') {
    got = await sha256OfFile(dest, signal);
  } else {
    const hash = createHash('sha256');
    let size = 0;
    await pipeline(
      createReadStream(file),
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(dest, { flags: 'wx', mode: 0o644 }),
      signal ? { signal } : {},
    );
    got = { digest: `sha256:${hash.digest('hex')}`, size };
  }
  if (got.digest !== expected.digest || got.size !== expected.size) {
    await fs.rm(dest, { force: true });
    throw appError(
      'conflict',
      `The layer image ${file} changed since the layer library was scanned (sha256 ${got.digest}, ${got.size} bytes; expected ${expected.digest}, ${expected.size} bytes): rescan the layer library.`,
      { file },
    );
  }
  return how;
}

/** Renames the staging folder onto the target (replacing it only when it is an empty folder). */
async function publish(staging: string, outDir: string): Promise<void> {
  try {
    await fs.rename(staging, outDir); // POSIX: replaces an empty folder atomically
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTEMPTY' && code !== 'EPERM' && code !== 'EACCES' && code !== 'EISDIR') throw err;
  }
  // Windows does not rename onto an existing folder: remove it if it is (still) empty.
  await requireEmptyOrNewFolder(outDir);
  try {
    await fs.rmdir(outDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTEMPTY' || (err as NodeJS.ErrnoException).code === 'EEXIST') throw notEmpty(outDir);
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await fs.rename(staging, outDir);
}

export async function writeLayout(opts: WriteLayoutOptions): Promise<WrittenLayout> {
  const outDir = path.resolve(opts.outDir);
  const { signal } = opts;
  await requireEmptyOrNewFolder(outDir);
  await makeFolder(path.dirname(outDir));
  const staging = tempPathFor(outDir);
  // Registered while it exists, so that the CLI ended by SIGTERM or SIGHUP removes it.
  trackTemp(staging);
  const written: string[] = [];
  const at = (rel: string) => path.join(staging, rel);
  try {
    await makeFolder(path.join(staging, 'blobs', 'sha256'));
    // The rootfs layer streams straight into a file; its name is known only at the end.
    const rootfsTemp = at(path.join('blobs', 'sha256', '.rootfs.tmp'));
    const rootfs = await opts.buildRootfs(rootfsTemp);
    const rootfsRel = blobPath(rootfs.digest);
    await fs.rename(rootfsTemp, at(rootfsRel));
    written.push(rootfsRel);

    const preview = opts.previewFor(rootfs);
    const writeBlob = async (value: unknown, digest: string) => {
      const rel = blobPath(digest);
      await writeFileSynced(at(rel), serializeJson(value));
      written.push(rel);
    };
    const writeJson = async (rel: string, value: unknown) => {
      await writeFileSynced(at(rel), serializeJson(value));
      written.push(rel);
    };

    const m = preview.manifest;
    await writeBlob(preview.imageConfig, m[opts.target].config.digest);
    if (opts.target === 'v8') {
      // A v8 archive names its Aos layers by digest only; units fetch them separately.
      await writeBlob(preview.serviceConfig, m.v8.aosService.digest);
      await writeJson('manifest.json', m.v8);
    } else {
      await writeBlob(preview.itemConfig, m.v9.aosItemConfig.digest);
      for (const layer of preview.layers) {
        throwIfAborted(signal);
        if (layer.unresolved) continue; // left out of the manifest ('omit')
        const rel = blobPath(layer.digest);
        if (written.includes(rel)) continue;
        const file = opts.layerFiles.get(layer.digest);
        if (!file) {
          throw appError('not-found', `No layer image file holds layer ${layer.uid} ${layer.version} (${layer.digest}): the layout would name a blob it does not hold.`, {
            file: outDir,
            path: `configuration.layers[${layer.index}]`,
          });
        }
        await placeLayerBlob(file, { digest: layer.digest, size: layer.size }, at(rel), signal);
        written.push(rel);
      }
      await writeBlob(m.v9, preview.index.manifests[0].digest);
      await writeJson('oci-layout', OCI_LAYOUT);
      await writeJson('index.json', preview.index);
    }
    throwIfAborted(signal);
    await publish(staging, outDir);
    return { outDir, written, rootfs, preview };
  } catch (err) {
    await fs.rm(staging, { recursive: true, force: true });
    throw err;
  } finally {
    untrackTemp(staging);
  }
}
