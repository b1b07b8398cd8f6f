// The range picker's catalog view (issue 10): for one layer uid and the range a service
// (`configuration.layers`: minVersion included, maxVersion excluded) or a deployment item's
// dependency (`versions`, a SemVer constraint) gives, every catalog version with whether it
// matches and, when not, why: outside the range, the pre-release rule, another architecture.
// The range rules are those of ./ranges (SemVer precedence, pre-releases included); the one
// that would be selected is the highest matching version per architecture: the cloud's
// choice is not documented, and that is the app's stated assumption (layers.md §3).
import semver from 'semver';
import { ociArchitectureOf } from './architectures';
import { describeLayerRange, describeVersionConstraint, layerRangeMatches, versionConstraintMatches } from './ranges';
import { isPrerelease, isStrictSemver } from './semver-strict';

/** One layer image a catalog (the layer library) holds. */
export interface CatalogVersion {
  uid: string;
  version: string;
  /** OCI name (amd64, arm64, arm). */
  architecture: string;
  os?: string;
}

export type CatalogRange = { kind: 'bounds'; minVersion?: string; maxVersion?: string } | { kind: 'constraint'; versions: string };

export type MatchStatus = 'selected' | 'matches' | 'outside-range' | 'prerelease' | 'architecture';

export interface CatalogMatch extends CatalogVersion {
  status: MatchStatus;
  /** Why, in words (for a match of a pre-release: that it counts by precedence). */
  reason: string;
}

export interface CatalogMatchResult {
  /** The range in words ("1.0.0 ≤ v < 2.0.0"). */
  range: string;
  /** Every catalog version of the uid, highest first, then by architecture. */
  rows: CatalogMatch[];
  /** The version that would be selected, per architecture (only architectures that have one). */
  selected: Record<string, string>;
}

export const SELECTION_ASSUMPTION =
  'At deployment the cloud picks a version inside the range; Bundle Studio assumes the highest matching one.';

function matches(version: string, range: CatalogRange): boolean {
  return range.kind === 'bounds' ? layerRangeMatches(version, range.minVersion, range.maxVersion) : versionConstraintMatches(version, range.versions);
}

function inWords(range: CatalogRange): string {
  if (range.kind === 'bounds') return describeLayerRange(range.minVersion, range.maxVersion);
  return describeVersionConstraint(range.versions) ?? range.versions;
}

/** OCI name of an architecture word ('x86' → amd64); the word itself when unknown. */
function archName(word: string): string {
  return ociArchitectureOf(word)?.architecture ?? word.trim().toLowerCase();
}

/** 1.0.0-rc.1 → 1.0.0. */
function releaseOf(version: string): string {
  const p = semver.parse(version);
  return p ? `${p.major}.${p.minor}.${p.patch}` : version;
}

/**
 * The catalog view of `uid` under `range`. `architectures`: the ones the service or item
 * runs on (OCI names or build.arch words); undefined when unknown (then every architecture
 * gets its own selection).
 */
export function matchCatalog(catalog: readonly CatalogVersion[], uid: string, range: CatalogRange, architectures?: readonly string[]): CatalogMatchResult {
  const wanted = architectures?.length ? new Set(architectures.map(archName)) : undefined;
  const words = inWords(range);
  const own = catalog
    .filter((v) => v.uid === uid && isStrictSemver(v.version))
    .sort((a, b) => semver.compare(b.version, a.version) || a.architecture.localeCompare(b.architecture));
  const selected: Record<string, string> = {};
  const rows = own.map((v): CatalogMatch => {
    const arch = archName(v.architecture);
    if (wanted && !wanted.has(arch)) {
      return { ...v, status: 'architecture', reason: `for ${arch}; the ${wanted.size > 1 ? 'architectures here are' : 'architecture here is'} ${[...wanted].join(', ')}` };
    }
    if (matches(v.version, range)) {
      const pre = isPrerelease(v.version) ? ` (a pre-release: it counts by SemVer precedence, ${v.version} < ${releaseOf(v.version)})` : '';
      if (selected[arch] === undefined) {
        selected[arch] = v.version;
        return { ...v, status: 'selected', reason: `the highest matching ${arch} version: the one Bundle Studio assumes the cloud selects${pre}` };
      }
      return { ...v, status: 'matches', reason: `inside ${words}, below ${selected[arch]}${pre}` };
    }
    if (isPrerelease(v.version) && matches(releaseOf(v.version), range)) {
      return { ...v, status: 'prerelease', reason: `a pre-release of ${releaseOf(v.version)}: by SemVer precedence it comes before ${releaseOf(v.version)}, which puts it outside ${words}` };
    }
    return { ...v, status: 'outside-range', reason: `outside ${words}` };
  });
  return { range: words, rows, selected };
}
