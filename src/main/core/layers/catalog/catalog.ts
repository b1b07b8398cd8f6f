// The "layer catalog" use-case (issue 10), one for the CLI (`aos-bundle layer list`) and the
// app ('layers.catalog'): the layer library as layers by uid, versions per architecture, and
// for each version how many known services and bundles select it today. Only file names are
// read from the library (no hashing); the facts of a version come from facts.ts on demand.
import path from 'node:path';
import semver from 'semver';
import { listLayerImages, type LayerImageFile } from '../library';
import { findLayerConsumers, type ConsumerProblem, type KnownFolder, type LayerConsumer } from './consumers';
import { selectionsOf, type CatalogImageRef } from './dependants';
import { resolveCodenames } from './codenames';

export interface CatalogVersion {
  uid: string;
  version: string;
  os: string;
  architecture: string;
  file: string;
  size: number;
  dependants: number;
}

export interface CatalogLayer {
  uid: string;
  folder: string;
  versions: CatalogVersion[];
  architectures: string[];
  dependants: number;
}

export interface LayerCatalog {
  library: string;
  workspace?: string;
  layers: CatalogLayer[];
  /** codename → the catalog uids it names (codenames.ts): what a bundle's layer dependency selects from. */
  codenames: Record<string, string[]>;
  consumers: { services: number; bundles: number };
  problems: ConsumerProblem[];
}

export interface CatalogInput {
  library: string;
  workspace?: string;
  recent?: readonly KnownFolder[];
  signal?: AbortSignal;
  onProgress?: (p: { phase: string; done: number; total: number }) => void;
}

/** What the catalog, the dependants and the removal check all start from. */
export interface CatalogState {
  images: LayerImageFile[];
  consumers: LayerConsumer[];
  codenames: Record<string, string[]>;
  services: number;
  bundles: number;
  problems: ConsumerProblem[];
}

export async function readCatalogState(input: CatalogInput): Promise<CatalogState> {
  const library = path.resolve(input.library);
  const listed = await listLayerImages(library, { signal: input.signal });
  input.onProgress?.({ phase: 'catalog', done: 0, total: 0 });
  const found = await findLayerConsumers({
    recent: input.recent,
    workspace: input.workspace !== undefined ? path.resolve(input.workspace) : undefined,
    signal: input.signal,
    onProgress: (p) => input.onProgress?.({ phase: 'workspace', done: p.foldersDone, total: 0 }),
  });
  // Bundle dependencies name layers by codename, the catalog by uid: codenames.ts links the two.
  const resolved = resolveCodenames(found.consumers, listed.images.map((i) => i.uid), found.layerItems);
  return { images: listed.images, consumers: resolved.consumers, codenames: resolved.codenames, services: found.services, bundles: found.bundles, problems: [...listed.problems, ...found.problems, ...resolved.problems] };
}

/** Highest version first (SemVer precedence), then os and architecture. */
export function compareCatalogImages(a: CatalogImageRef, b: CatalogImageRef): number {
  return semver.rcompare(a.version, b.version) || a.os.localeCompare(b.os) || a.architecture.localeCompare(b.architecture);
}

function keyOf(i: CatalogImageRef): string {
  return `${i.uid}\0${i.version}\0${i.os}\0${i.architecture}`;
}

/** Builds the catalog view from a state (pure). */
export function catalogFromState(library: string, state: CatalogState, workspace?: string): LayerCatalog {
  const selections = selectionsOf(state.images, state.consumers);
  const perImage = new Map<string, Set<string>>();
  const perLayer = new Map<string, Set<string>>();
  for (const s of selections) {
    // A consumer counts once per version, however many architectures select it.
    const who = `${s.consumer.configPath}\0${s.consumer.name}`;
    const k = keyOf(s.image);
    (perImage.get(k) ?? perImage.set(k, new Set()).get(k)!).add(who);
    (perLayer.get(s.image.uid) ?? perLayer.set(s.image.uid, new Set()).get(s.image.uid)!).add(who);
  }
  const byUid = new Map<string, LayerImageFile[]>();
  for (const img of state.images) (byUid.get(img.uid) ?? byUid.set(img.uid, []).get(img.uid)!).push(img);
  const layers: CatalogLayer[] = [...byUid.keys()].sort().map((uid) => {
    const imgs = [...byUid.get(uid)!].sort(compareCatalogImages);
    return {
      uid,
      folder: path.join(path.resolve(library), uid),
      versions: imgs.map((i) => ({ uid, version: i.version, os: i.os, architecture: i.architecture, file: i.file, size: i.size, dependants: perImage.get(keyOf(i))?.size ?? 0 })),
      architectures: [...new Set(imgs.map((i) => i.architecture))].sort(),
      dependants: perLayer.get(uid)?.size ?? 0,
    };
  });
  return {
    library: path.resolve(library),
    ...(workspace !== undefined ? { workspace: path.resolve(workspace) } : {}),
    layers,
    codenames: state.codenames,
    consumers: { services: state.services, bundles: state.bundles },
    problems: state.problems,
  };
}

export async function loadLayerCatalog(input: CatalogInput): Promise<LayerCatalog> {
  const state = await readCatalogState(input);
  return catalogFromState(input.library, state, input.workspace);
}
