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

// SemVer constraints of v2 `dependencies[].versions` (">=1.0.0 <2.0.0", "^1.2.0", ...): the
// same idea as minVersion/maxVersion, written as one string. Matching follows the same
// precedence rule as above (semver's includePrerelease), so both kinds agree.

/** Why `text` is not a SemVer constraint, or null when it is one. */
export function versionConstraintProblem(text: string): string | null {
  if (text.trim() === '') return 'it is empty; write "*" for any version, or a range such as ">=1.0.0 <2.0.0"';
  if (semver.validRange(text) === null) return `'${text}' is not a SemVer constraint; write one such as ">=1.0.0 <2.0.0", "^1.2.0" or "1.0.0"`;
  return null;
}

type Comparator = { operator: string; version: string | undefined };

function comparatorsOf(text: string): Comparator[][] {
  return new semver.Range(text).set.map((set) =>
    set.map((c) => ({ operator: c.operator, version: typeof c.semver === 'object' ? (c.semver as semver.SemVer).version : undefined })),
  );
}

/** `2.0.0-0` (semver's "below every 2.0.0 pre-release") reads as 2.0.0 plus a note. */
function upperWords(version: string, inclusive: boolean): string {
  if (!inclusive && version.endsWith('-0')) {
    const plain = version.slice(0, -2);
    return `< ${plain} (no ${plain} pre-release)`;
  }
  return `${inclusive ? '≤' : '<'} ${version}`;
}

function setInWords(set: Comparator[]): string {
  if (set.length === 1 && set[0].version === undefined) return 'any version';
  if (set.length === 1 && (set[0].operator === '' || set[0].operator === '=')) return `exactly ${set[0].version}`;
  const lower = set.filter((c) => c.operator === '>=' || c.operator === '>');
  const upper = set.filter((c) => c.operator === '<' || c.operator === '<=');
  if (lower.length <= 1 && upper.length <= 1 && lower.length + upper.length === set.length) {
    const low = lower[0] && `${lower[0].version} ${lower[0].operator === '>=' ? '≤' : '<'} `;
    const high = upper[0] && ` ${upperWords(upper[0].version!, upper[0].operator === '<=')}`;
    if (low && high) return `${low}v${high}`;
    if (low) return `v ${lower[0].operator === '>=' ? '≥' : '>'} ${lower[0].version}`;
    return `v${high}`;
  }
  return set.map((c) => (c.operator === '' ? `v = ${c.version}` : `v ${c.operator} ${c.version}`)).join(' and ');
}

/**
 * A SemVer constraint in words: ">=1.0.0 <2.0.0" → "1.0.0 ≤ v < 2.0.0", "^1.2.0" →
 * "1.2.0 ≤ v < 2.0.0 (no 2.0.0 pre-release)", "1.0.0" → "exactly 1.0.0", "*" → "any
 * version"; alternatives joined with "or". Undefined when it is not a constraint.
 */
export function describeVersionConstraint(text: string): string | undefined {
  if (versionConstraintProblem(text) !== null) return undefined;
  return comparatorsOf(text).map(setInWords).join(' or ');
}

/** Whether `version` satisfies the constraint by SemVer precedence (pre-releases included). */
export function versionConstraintMatches(version: string, text: string): boolean {
  if (!isStrictSemver(version) || versionConstraintProblem(text) !== null) return false;
  return semver.satisfies(version, text, { includePrerelease: true });
}

/** The constraint for a min (included) / max (excluded) pair, as the range picker makes them; equal bounds mean exactly. */
export function constraintFromRange(minVersion?: string, maxVersion?: string): string {
  const min = minVersion || undefined;
  const max = maxVersion || undefined;
  if (min && max && min === max) return min;
  if (min && max) return `>=${min} <${max}`;
  if (min) return `>=${min}`;
  if (max) return `<${max}`;
  return '*';
}

/**
 * The min/max pair of a constraint when it is one (">=a <b", ">=a", "<b", "a", "*"), so
 * the range picker can show it; undefined for anything else (edit it as text).
 */
export function rangeFromConstraint(text: string): { minVersion?: string; maxVersion?: string } | undefined {
  if (versionConstraintProblem(text) !== null) return undefined;
  const sets = comparatorsOf(text);
  if (sets.length !== 1) return undefined;
  const set = sets[0];
  if (set.length === 1 && set[0].version === undefined) return {};
  if (set.length === 1 && (set[0].operator === '' || set[0].operator === '=')) return { minVersion: set[0].version, maxVersion: set[0].version };
  const out: { minVersion?: string; maxVersion?: string } = {};
  for (const c of set) {
    if (c.operator === '>=' && out.minVersion === undefined) out.minVersion = c.version;
    else if (c.operator === '<' && out.maxVersion === undefined && !c.version!.endsWith('-0')) out.maxVersion = c.version;
    else return undefined;
  }
  return out;
}
