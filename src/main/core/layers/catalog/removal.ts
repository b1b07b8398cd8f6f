// Removing a layer version from the catalog (issue 10): the cloud's check first
// (deployment-bundle.md §5: a version a service uses is not deleted, and the dependants are
// listed), then deletion only of the files the user confirmed, exactly the plan's; the last
// version of a layer takes the catalog's files of its folder with it (its images and the
// descriptors `layer pack` writes beside them) and the folder once empty; any other version
// takes its image and its own descriptor (`<os>-<arch>-<version>.layer.json`, or a folder's
// older `layer.json` when that describes this image: pack/descriptor-files.ts). Nothing else in that
// folder is deleted: through the API, `<library>/<uid>` can be any folder a layer image was
// packed or added into (README, "What a token holder can do").
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { appError } from '../../../../shared/errors';
import { mapArchitecture } from '../../oci/platform';
import { DESCRIPTOR_SUFFIX, LEGACY_DESCRIPTOR_FILE } from '../pack/descriptor';
import { describesImage, readLayerDescriptorFile } from '../pack/descriptor-files';
import { parseLayerFileName, type LayerImageFile } from '../library';
import { readCatalogState, type CatalogInput, type CatalogState } from './catalog';
import { dependantsOf, type Dependant } from './dependants';

export interface CatalogVersionRef extends Omit<CatalogInput, 'onProgress'> {
  uid: string;
  version: string;
  architecture: string;
  os?: string;
}

export interface RemovalPlan {
  allowed: boolean;
  message: string;
  dependants: Dependant[];
  files: string[];
  removesLayer: boolean;
  layerFolder: string;
}

/** What the catalog owns in a layer's folder. */
export interface LayerFolderFiles {
  /** Its layer images and their descriptors (absolute, sorted): what removing the last version deletes. */
  catalog: string[];
  /** Per image file: the descriptors in the folder that describe it (what removing that version deletes with it). */
  descriptorsOf: Record<string, string[]>;
  /** Entries of the folder that are not the catalog's (the user's files, subfolders, links): never deleted. */
  others: number;
}

/**
 * Regular files directly in `dir` named as a layer image, and the descriptors (either form)
 * that describe one of `images` by media type, platform, version and size: not a file of the
 * user's that happens to have that name. Everything else is counted, not listed.
 */
async function layerFolderFiles(dir: string, images: readonly LayerImageFile[]): Promise<LayerFolderFiles> {
  const catalog: string[] = [];
  const descriptorsOf: Record<string, string[]> = {};
  let others = 0;
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    let owned = e.isFile() && !e.name.startsWith('.') && parseLayerFileName(e.name) !== undefined;
    if (!owned && e.isFile() && !e.name.startsWith('.') && (e.name === LEGACY_DESCRIPTOR_FILE || e.name.endsWith(DESCRIPTOR_SUFFIX))) {
      const d = await readLayerDescriptorFile(p);
      for (const image of d ? images.filter((i) => describesImage(d, i)) : []) {
        (descriptorsOf[image.file] ??= []).push(p);
        owned = true;
      }
    }
    if (owned) catalog.push(p);
    else others++;
  }
  for (const list of Object.values(descriptorsOf)) list.sort();
  return { catalog: catalog.sort(), descriptorsOf, others };
}

export function planFromState(state: CatalogState, library: string, ref: Omit<CatalogVersionRef, keyof CatalogInput>, layerFiles: LayerFolderFiles): RemovalPlan {
  const os = ref.os ?? 'linux';
  const architecture = mapArchitecture(ref.architecture).architecture;
  const layerFolder = path.join(path.resolve(library), ref.uid);
  const image = state.images.find((i) => i.uid === ref.uid && i.version === ref.version && i.os === os && i.architecture === architecture);
  const name = `${ref.uid} ${ref.version} (${os}/${architecture})`;
  if (!image) throw appError('not-found', `The catalog has no ${name}: no ${path.join(layerFolder, `${os}-${architecture}-${ref.version}.tar.gz`)}.`, { file: layerFolder });
  const dependants = dependantsOf(state.images, state.consumers, image);
  const others = state.images.filter((i) => i.uid === ref.uid && i !== image);
  const removesLayer = others.length === 0;
  if (dependants.length > 0) {
    const services = dependants.filter((d) => d.kind === 'service').length;
    const items = dependants.length - services;
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    const who = [services && plural(services, 'service'), items && plural(items, 'bundle item')].filter(Boolean).join(' and ');
    return {
      allowed: false,
      message: `Not removed: ${who} ${dependants.length === 1 ? 'selects' : 'select'} ${name} today (the highest version inside ${dependants.length === 1 ? 'its' : 'their'} range, the app's assumption). The cloud refuses to delete a version in use: change ${dependants.length === 1 ? 'that range' : 'those ranges'} first.`,
      dependants,
      files: [],
      removesLayer,
      layerFolder,
    };
  }
  const files = removesLayer ? layerFiles.catalog : [image.file, ...(layerFiles.descriptorsOf[image.file] ?? [])].sort();
  const kept = layerFiles.others;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return {
    allowed: true,
    message: !removesLayer
      ? `No known service or bundle selects ${name}. Removing it deletes ${files.map((f) => path.basename(f)).join(' and ')}.`
      : kept === 0
        ? `No known service or bundle selects ${name}. It is the last version of ${ref.uid}: the layer's folder goes with it (${plural(files.length, 'file')}).`
        : `No known service or bundle selects ${name}. It is the last version of ${ref.uid}: its ${plural(files.length, 'file')} ${files.length === 1 ? 'goes' : 'go'}; the ${kept} other ${kept === 1 ? 'entry' : 'entries'} in its folder ${kept === 1 ? 'stays' : 'stay'}, and so does the folder.`,
    dependants: [],
    files,
    removesLayer,
    layerFolder,
  };
}

export async function planLayerRemoval(ref: CatalogVersionRef): Promise<RemovalPlan> {
  const state = await readCatalogState(ref);
  const layerFolder = path.join(path.resolve(ref.library), ref.uid);
  let layerFiles: LayerFolderFiles = { catalog: [], descriptorsOf: {}, others: 0 };
  try {
    layerFiles = await layerFolderFiles(layerFolder, state.images.filter((i) => i.uid === ref.uid));
  } catch {
    // No such folder: planFromState says the version is not in the catalog.
  }
  return planFromState(state, ref.library, ref, layerFiles);
}

export interface RemovalResult {
  removed: string[];
  removedLayer: boolean;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  const x = [...a].map((p) => path.resolve(p)).sort();
  const y = [...b].map((p) => path.resolve(p)).sort();
  return x.length === y.length && x.every((p, i) => p === y[i]);
}

/**
 * Deletes the version when the check allows it and `confirmedFiles` is exactly the plan's
 * file list as computed now (a dependant or a file that appeared since the user confirmed
 * makes it a 'conflict', and nothing is deleted).
 */
export async function removeLayerVersion(ref: CatalogVersionRef & { confirmedFiles: readonly string[] }): Promise<RemovalResult> {
  const plan = await planLayerRemoval(ref);
  if (!plan.allowed) {
    const who = plan.dependants.map((d) => `${d.kind} ${d.name} (${d.configPath}, ${d.range})`).join('; ');
    throw appError('conflict', `${plan.message} Dependants: ${who}.`, { file: plan.layerFolder });
  }
  if (!sameList(plan.files, ref.confirmedFiles)) {
    throw appError('conflict', `Nothing removed: the files confirmed are not the files the removal would delete now (${plan.files.length} file${plan.files.length === 1 ? '' : 's'}: ${plan.files.map((f) => path.basename(f)).join(', ')}). Check again and confirm the new list.`, { file: plan.layerFolder });
  }
  const removed: string[] = [];
  for (const f of plan.files) {
    await fs.rm(f);
    removed.push(f);
  }
  let removedLayer = false;
  if (plan.removesLayer) {
    // The folder goes only when nothing but the catalog's files was in it; rmdir refuses anything else.
    removedLayer = await fs.rmdir(plan.layerFolder).then(
      () => true,
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOTEMPTY' || e.code === 'EEXIST') return false;
        throw e;
      },
    );
  }
  return { removed, removedLayer };
}
