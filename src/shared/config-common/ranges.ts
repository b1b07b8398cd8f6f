// Layer version ranges of `configuration.layers` (layers.md §3): minVersion included,
// maxVersion excluded, equal bounds mean exactly that version.
//
// Pre-releases: we compare by plain SemVer precedence (semver.compare), NOT with
// semver.satisfies. The `semver` package leaves pre-releases out of ranges unless they
// share major.minor.patch with a bound; the platform's rule is precedence only, so
// `2.0.0-rc.1` (which precedes 2.0.0) matches `>=1.0.0 <2.0.0`, and `1.0.0-rc.1` (which
// precedes 1.0.0) does not. The UI shows which versions match so nobody is surprised.
import semver from 'semver';
import { isStrictSemver } from './semver-strict';

/** "1.0.0 ≤ v < 2.0.0", "exactly 1.2.0", "any version". */
export function describeLayerRange(minVersion?: string, maxVersion?: string): string {
  const min = minVersion || undefined;
  const max = maxVersion || undefined;
  if (min && max) {
    if (min === max || (isStrictSemver(min) && isStrictSemver(max) && semver.compare(min, max) === 0)) {
      return `exactly ${min}`;
    }
    return `${min} ≤ v < ${max}`;
  }
  if (min) return `v ≥ ${min}`;
  if (max) return `v < ${max}`;
  return 'any version';
}

/** Whether `version` satisfies the range by SemVer precedence (pre-releases included; see layers.md §3). */
export function layerRangeMatches(version: string, minVersion?: string, maxVersion?: string): boolean {
  if (!isStrictSemver(version)) return false;
  const min = minVersion || undefined;
  const max = maxVersion || undefined;
  if ((min && !isStrictSemver(min)) || (max && !isStrictSemver(max))) return false;
  if (min && max && semver.compare(min, max) === 0) return semver.compare(version, min) === 0;
  if (min && semver.compare(version, min) < 0) return false;
  if (max && semver.compare(version, max) >= 0) return false;
  return true;
}
