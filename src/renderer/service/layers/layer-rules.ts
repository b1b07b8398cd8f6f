// The layer range rules of layers.md §3, applied at the field: strict SemVer bounds,
// minVersion ≤ maxVersion, no uid listed twice. The config only changes once they hold.
import semver from 'semver';
import { isStrictSemver } from '../../../shared/config-common/semver-strict';

export interface LayerDraft {
  uid: string;
  minVersion: string;
  maxVersion: string;
  /** "Exactly this version": maxVersion follows minVersion and is hidden. */
  exact: boolean;
}

export type LayerErrors = Partial<Record<'uid' | 'minVersion' | 'maxVersion', string>>;

/** A `configuration.layers` item as the picker edits it; null for a legacy bare uid. */
export function draftFromItem(item: unknown): LayerDraft | null {
  if (typeof item === 'string' || item === null || typeof item !== 'object' || Array.isArray(item)) return null;
  const o = item as Record<string, unknown>;
  const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  const minVersion = text(o.minVersion);
  const maxVersion = text(o.maxVersion);
  return { uid: text(o.uid), minVersion, maxVersion, exact: minVersion !== '' && minVersion === maxVersion };
}

const SEMVER_HINT = 'Use strict SemVer: MAJOR.MINOR.PATCH, e.g. 1.0.0 or 1.2.0-rc.1';

export function validateLayerDraft(draft: LayerDraft, otherUids: readonly string[]): LayerErrors {
  const errors: LayerErrors = {};
  const uid = draft.uid.trim();
  if (!uid) errors.uid = "Enter the layer's uid";
  else if (/\s/.test(uid)) errors.uid = 'A uid has no spaces';
  else if (otherUids.includes(uid)) errors.uid = `Layer ${uid} is already listed`;

  const min = draft.minVersion.trim();
  const max = draft.exact ? min : draft.maxVersion.trim();
  if (draft.exact && !min) errors.minVersion = 'Enter the exact version';
  else if (min && !isStrictSemver(min)) errors.minVersion = `${min} is not a version. ${SEMVER_HINT}`;
  if (!draft.exact && max && !isStrictSemver(max)) errors.maxVersion = `${max} is not a version. ${SEMVER_HINT}`;
  if (!errors.minVersion && !errors.maxVersion && min && max && semver.compare(min, max) > 0) {
    errors.maxVersion = `The maximum must not be lower than the minimum (${min})`;
  }
  return errors;
}

export function hasLayerErrors(errors: LayerErrors): boolean {
  return Object.keys(errors).length > 0;
}

/** The values to write for a valid draft; empty bounds are removed from the config. */
export function layerValues(draft: LayerDraft): { uid: string; minVersion?: string; maxVersion?: string } {
  const min = draft.minVersion.trim() || undefined;
  const max = draft.exact ? min : draft.maxVersion.trim() || undefined;
  return { uid: draft.uid.trim(), minVersion: min, maxVersion: max };
}
