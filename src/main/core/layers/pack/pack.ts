// Pack a layer from a root filesystem: the one use-case the CLI (`aos-bundle layer pack`) and
// the app call. Parents are read (base first), the plan is made (planLayer: what a dry run
// shows), and only then, unless it is a dry run, the plan's entries are written, streamed:
// tar -> block gzip -> temp file beside the output, with diff_id and digest on the way, then
// its descriptor `<os>-<arch>-<version>.layer.json`; both renamed into place at the end.
// Failure or cancel leaves no file. One descriptor per image (descriptor.ts says why): packing
// several architectures or versions into one folder keeps every image's descriptor; packing
// the same os/arch/version again replaces that image and its descriptor only (the CLI; the
// app refuses, layer-pack-handlers.ts), and a folder's older `layer.json` is removed only when
// it described that very image, the one just replaced.
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { appError, fsFailure } from '../../../../shared/errors';
import { tarStream } from '../../bundle/archive';
import { isInsideOrSame } from '../../fs/contained-path';
import { makeFolder } from '../../fs/make-folder';
import { assertReplaceableOutput } from '../../fs/output-target';
import { removeStaleTemps, tempPathFor, trackTemp, untrackTemp } from '../../fs/temp-files';
import { writeLayerBlob } from '../../oci/layer-blob';
import { checkLayerIdentity, descriptorFileName, LEGACY_DESCRIPTOR_FILE, layerDescriptor, layerFileName, type LayerDescriptor, type LayerIdentity } from './descriptor';
import { describesImage, readLayerDescriptorFile } from './descriptor-files';
import { readParents } from './parents';
import { planLayer, type LayerPlan } from './plan';

export type PackPhase = 'parents' | 'compare' | 'pack';

export interface PackProgress {
  phase: PackPhase;
  /** parents: entries or bytes of the current parent; compare: rootfs entries; pack: content bytes. */
  done: number;
  /** Known only while packing (the plan's content bytes); 0 otherwise. */
  total: number;
  filesDone?: number;
  filesTotal?: number;
  /** parents: which parent is being read (0-based), of how many. */
  parent?: number;
  parents?: number;
}

export interface PackLayerOptions {
  rootfs: string;
  /** Folders or layer images, base first. */
  parents: readonly string[];
  version: string;
  architecture: string;
  /** Default linux. */
  os?: string;
  osVersion?: string;
  osFeatures?: readonly string[];
  /** Where `<os>-<arch>-<version>.tar.gz` and `<os>-<arch>-<version>.layer.json` go (made when missing). */
  outDir: string;
  /** Plan only: nothing is written. */
  dryRun?: boolean;
  /** Clamp for entry mtimes (SOURCE_DATE_EPOCH); default 0. */
  mtime?: number;
  /**
   * Owner of every entry on disk, rootfs and folder parents alike (`--owner 0:0`, for trees
   * unpacked without root rights); default the owner on disk. Parent images keep theirs.
   */
  owner?: { uid: number; gid: number };
  signal?: AbortSignal;
  onProgress?: (p: PackProgress) => void;
}

export interface PackedLayer {
  /** The .tar.gz written. */
  file: string;
  /** Its descriptor, `<os>-<arch>-<version>.layer.json`. */
  descriptorFile: string;
  /** A folder's older `layer.json` removed because it described the image this pack replaced. */
  supersededDescriptor?: string;
  descriptor: LayerDescriptor;
  diffId: string;
  /** Size of the uncompressed tar. */
  tarSize: number;
}

export interface PackLayerResult {
  identity: LayerIdentity;
  /** Where the image goes (or would go, for a dry run). */
  file: string;
  plan: LayerPlan;
  /** Absent for a dry run. */
  packed?: PackedLayer;
}

const throwIfAborted = (signal?: AbortSignal) => {
  if (signal?.aborted) throw appError('cancelled', 'Cancelled.');
};

export async function packLayer(opts: PackLayerOptions): Promise<PackLayerResult> {
  const identity = checkLayerIdentity({ version: opts.version, architecture: opts.architecture, os: opts.os ?? 'linux', osVersion: opts.osVersion, osFeatures: opts.osFeatures });
  const rootfs = path.resolve(opts.rootfs);
  const outDir = path.resolve(opts.outDir);
  const file = path.join(outDir, layerFileName(identity));
  const descriptorFile = path.join(outDir, descriptorFileName(identity));
  // An output inside the rootfs would be packed into the next layer made from it.
  if (isInsideOrSame(rootfs, outDir)) throw appError('invalid-input', `The output folder ${outDir} is inside the root filesystem ${rootfs}: choose one outside it.`, { file: outDir });
  const report = opts.onProgress;

  const parent = await readParents(opts.parents.map((p) => path.resolve(p)), { signal: opts.signal, owner: opts.owner, onProgress: (p) => report?.({ phase: 'parents', done: p.done, total: 0, parent: p.parent, parents: p.parents }) });
  const plan = await planLayer(rootfs, parent, { signal: opts.signal, mtime: opts.mtime, owner: opts.owner, onProgress: (p) => report?.({ phase: 'compare', done: p.entries, total: 0 }) });
  throwIfAborted(opts.signal);
  if (opts.dryRun) return { identity, file, plan };

  try {
    await makeFolder(outDir);
  } catch (e) {
    throw fsFailure(e, 'Cannot make the output folder', outDir);
  }
  await assertReplaceableOutput(file, 'The layer image');
  await assertReplaceableOutput(descriptorFile, 'The layer descriptor');
  await removeStaleTemps(file);
  await removeStaleTemps(descriptorFile);

  const imageTemp = tempPathFor(file);
  const descriptorTemp = tempPathFor(descriptorFile);
  let fh: FileHandle | undefined;
  let renamed = false;
  trackTemp(imageTemp);
  trackTemp(descriptorTemp);
  try {
    fh = await fs.open(imageTemp, 'wx', 0o644).catch((e) => {
      throw fsFailure(e, 'Cannot write the layer image', file);
    });
    report?.({ phase: 'pack', done: 0, total: plan.bytes, filesDone: 0, filesTotal: plan.files });
    const tar = tarStream([{ kind: 'entries', entries: plan.entries }], {
      signal: opts.signal,
      reuseBuffer: true,
      onFile: (p) => report?.({ phase: 'pack', done: p.bytes, total: plan.bytes, filesDone: p.files, filesTotal: plan.files }),
    });
    const blob = await writeLayerBlob(tar, { out: fh, signal: opts.signal });
    await fh.sync();
    await fh.close();
    fh = undefined;
    const descriptor = layerDescriptor(identity, blob);
    await fs.writeFile(descriptorTemp, `${JSON.stringify(descriptor, null, 2)}\n`, { flag: 'wx', mode: 0o644 });
    throwIfAborted(opts.signal);
    await assertReplaceableOutput(file, 'The layer image');
    await assertReplaceableOutput(descriptorFile, 'The layer descriptor');
    await fs.rename(imageTemp, file);
    renamed = true;
    await fs.rename(descriptorTemp, descriptorFile);
    const superseded = await removeSupersededDescriptor(outDir, identity);
    return { identity, file, plan, packed: { file, descriptorFile, descriptor, diffId: blob.diffId, tarSize: blob.tarSize, ...(superseded ? { supersededDescriptor: superseded } : {}) } };
  } catch (err) {
    await fh?.close().catch(() => undefined);
    await fs.rm(imageTemp, { force: true }).catch(() => undefined);
    await fs.rm(descriptorTemp, { force: true }).catch(() => undefined);
    // The image without its descriptor would be a half-done output.
    if (renamed) await fs.rm(file, { force: true }).catch(() => undefined);
    throw err;
  } finally {
    untrackTemp(imageTemp);
    untrackTemp(descriptorTemp);
  }
}

/**
 * A folder packed before per-image descriptors holds one `layer.json`. When it describes the
 * image just packed (same os, architecture and version), that image was replaced and the old
 * descriptor states a digest no file has any more: it goes. Describing another image, it stays.
 */
async function removeSupersededDescriptor(outDir: string, identity: LayerIdentity): Promise<string | undefined> {
  const legacy = path.join(outDir, LEGACY_DESCRIPTOR_FILE);
  const d = await readLayerDescriptorFile(legacy);
  // Its platform must say so: a hand-made one without it could be any architecture's.
  if (!d || d.platform?.os === undefined || d.platform.architecture === undefined || !describesImage(d, identity)) return undefined;
  // The new image and its descriptor are in place: a stale file that cannot go is no reason to undo them.
  return fs.rm(legacy, { force: true }).then(
    () => legacy,
    () => undefined,
  );
}
