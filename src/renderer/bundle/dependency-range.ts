// The range picker's view of a dependency's `versions` (a SemVer constraint string), through
// the shared constraint helpers: the forms a minimum and a maximum can show (">=a <b",
// ">=a", "<b", "a", "*"); any other constraint stays a text field.
import { constraintFromRange, rangeFromConstraint } from '../../shared/deployment-config';
import type { RangeDraft } from '../common/VersionRangeFields';

/** The picker's draft for a constraint, or null when the picker cannot show it. */
export function constraintToRange(versions: unknown): RangeDraft | null {
  if (versions === undefined || versions === null) return { minVersion: '', maxVersion: '', exact: false };
  if (typeof versions !== 'string') return null;
  const range = rangeFromConstraint(versions);
  if (!range) return null;
  const minVersion = range.minVersion ?? '';
  const maxVersion = range.maxVersion ?? '';
  return { minVersion, maxVersion, exact: minVersion !== '' && minVersion === maxVersion };
}

/** The constraint for a valid draft ("*" for any version). */
export function rangeToConstraint(draft: RangeDraft): string {
  const min = draft.minVersion.trim();
  return constraintFromRange(min || undefined, (draft.exact ? min : draft.maxVersion.trim()) || undefined);
}
