// Which catalog version each consumer selects today, and so which consumers depend on a
// version. Pure. The selection is the preview's: for each architecture the consumer runs
// on, the highest catalog version (SemVer precedence) its range matches (layers.md §3; the
// cloud's exact rule is not documented, so this is the app's stated assumption). A consumer
// that runs on any architecture selects, per architecture of the catalog, that one's highest.
import { pickHighestVersion } from '../../oci/required-layers';
import type { ConsumerRequirement, LayerConsumer } from './consumers';

/** A catalog version as the selection sees it. */
export interface CatalogImageRef {
  uid: string;
  version: string;
  os: string;
  architecture: string;
}

export interface Dependant {
  kind: LayerConsumer['kind'];
  root: string;
  configPath: string;
  name: string;
  from: LayerConsumer['from'];
  range: string;
  architecture: string;
  line?: number;
}

export interface Selection<T extends CatalogImageRef> {
  consumer: LayerConsumer;
  requirement: ConsumerRequirement;
  image: T;
}

/** Every (consumer, requirement, architecture) → the catalog image it selects today. */
export function selectionsOf<T extends CatalogImageRef>(images: readonly T[], consumers: readonly LayerConsumer[]): Selection<T>[] {
  const byUid = new Map<string, T[]>();
  for (const img of images) {
    const list = byUid.get(img.uid);
    if (list) list.push(img);
    else byUid.set(img.uid, [img]);
  }
  const out: Selection<T>[] = [];
  for (const consumer of consumers) {
    for (const requirement of consumer.requirements) {
      const versions = byUid.get(requirement.uid);
      if (!versions) continue;
      // Per (os, architecture): a unit of one architecture is given that architecture's image.
      const groups = new Map<string, T[]>();
      for (const v of versions) {
        if (consumer.architectures !== 'any' && !consumer.architectures.includes(v.architecture)) continue;
        const key = `${v.os}/${v.architecture}`;
        const g = groups.get(key);
        if (g) g.push(v);
        else groups.set(key, [v]);
      }
      for (const key of [...groups.keys()].sort()) {
        const picked = pickHighestVersion(groups.get(key)!, requirement.matches);
        if (picked) out.push({ consumer, requirement, image: picked });
      }
    }
  }
  return out;
}

function sameImage(a: CatalogImageRef, b: CatalogImageRef): boolean {
  return a.uid === b.uid && a.version === b.version && a.os === b.os && a.architecture === b.architecture;
}

export function toDependant(s: Selection<CatalogImageRef>): Dependant {
  const { consumer: c, requirement: r, image } = s;
  return {
    kind: c.kind,
    root: c.root,
    configPath: c.configPath,
    name: c.name,
    from: c.from,
    range: r.rangeText,
    architecture: image.architecture,
    ...(r.line !== undefined ? { line: r.line } : {}),
  };
}

/** The consumers that select `image` today, sorted by kind, name and config path. */
export function dependantsOf(images: readonly CatalogImageRef[], consumers: readonly LayerConsumer[], image: CatalogImageRef): Dependant[] {
  return selectionsOf(images, consumers)
    .filter((s) => sameImage(s.image, image))
    .map(toDependant)
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name) || a.configPath.localeCompare(b.configPath));
}
