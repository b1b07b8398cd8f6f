// configuration.layers → the Aos layers a unit mounts under the service rootfs (layers.md
// §2–3). Units receive resolved digests, never ranges; the cloud picks a version inside
// the range at deployment. The app's ASSUMPTION (shown to the user): the highest matching
// version, by SemVer precedence, pre-releases included (2.0.0-rc.1 < 2.0.0, so it matches
// `1.0.0 ≤ v < 2.0.0`), exactly as layerRangeMatches decides.
import semver from 'semver';
import { describeLayerRange, layerRangeMatches } from '../../../shared/service-config';
import { isStrictSemver } from '../../../shared/config-common/semver-strict';
import { versionConstraintMatches } from '../../../shared/config-common/ranges';
import type { LayerCatalogue, LayerVersion, RequiredLayer } from './types';
import type { ConfigSource } from './source';
import { isPlainObject } from './values';

export interface LayerRequirement {
  uid: string;
  minVersion?: string;
  maxVersion?: string;
  index: number;
}

/** The requirements in the unit's order (as listed: first = topmost). */
export function readLayerRequirements(src: ConfigSource): LayerRequirement[] {
  const list = src.get(['configuration', 'layers']);
  if (!Array.isArray(list)) return [];
  const out: LayerRequirement[] = [];
  list.forEach((item, index) => {
    if (typeof item === 'string' && item !== '') out.push({ uid: item, index });
    else if (isPlainObject(item) && typeof item.uid === 'string' && item.uid !== '') {
      out.push({
        uid: item.uid,
        minVersion: typeof item.minVersion === 'string' ? item.minVersion : undefined,
        maxVersion: typeof item.maxVersion === 'string' ? item.maxVersion : undefined,
        index,
      });
    } else {
      src.warn('invalid-layer', 'This layer entry has no uid; it is left out of the preview.', ['configuration', 'layers', index]);
    }
  });
  return out;
}

/** The highest version (SemVer precedence) that `matches` accepts; undefined when none does. */
export function pickHighestVersion<T extends { version: string }>(versions: readonly T[], matches: (version: string) => boolean): T | undefined {
  let best: T | undefined;
  for (const v of versions) {
    if (!matches(v.version)) continue;
    if (!best || semver.compare(v.version, best.version) > 0) best = v;
  }
  return best;
}

/** Highest catalogue version inside the range; undefined when none matches. */
export function pickLayerVersion<T extends { version: string } = LayerVersion>(versions: readonly T[], minVersion?: string, maxVersion?: string): T | undefined {
  return pickHighestVersion(versions, (v) => layerRangeMatches(v, minVersion, maxVersion));
}

/** Highest version matching a v2 `dependencies[].versions` constraint (same precedence rule). */
export function pickConstraintVersion<T extends { version: string }>(versions: readonly T[], constraint: string): T | undefined {
  return pickHighestVersion(versions, (v) => versionConstraintMatches(v, constraint));
}

export function resolveLayers(requirements: readonly LayerRequirement[], catalogue: LayerCatalogue = {}): RequiredLayer[] {
  return requirements.map((req) => {
    const rangeText = describeLayerRange(req.minVersion, req.maxVersion);
    const versions = catalogue[req.uid] ?? [];
    const picked = pickLayerVersion(versions, req.minVersion, req.maxVersion);
    if (picked) {
      return { unresolved: false, uid: req.uid, rangeText, version: picked.version, digest: picked.digest, size: picked.size, diffId: picked.diffId, ...(picked.tarSize !== undefined ? { tarSize: picked.tarSize } : {}), index: req.index };
    }
    const known = versions
      .map((v) => v.version)
      .filter(isStrictSemver)
      .sort((a, b) => semver.rcompare(a, b));
    return { unresolved: true, uid: req.uid, rangeText, known, index: req.index };
  });
}

/** The words the UI and the CLI show for a layer that could not be resolved. */
export function unresolvedText(layer: { uid: string; rangeText: string }): string {
  return `unresolved: ${layer.uid} ${layer.rangeText}`;
}
