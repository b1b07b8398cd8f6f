// The form's field descriptions come from the deployment config's own catalogue
// (DEPLOYMENT_FIELDS), the same one its checker walks, so form help and diagnostics agree.
import type { FieldSpec } from '../../shared/config-common';
import type { KeyPath } from '../../shared/diagnostics';
import { deploymentFieldAt } from '../../shared/deployment-config';

/** The catalogue's spec for a key path (list indices skipped); a plain text field when it has none. */
export function deploymentSpec(path: KeyPath): FieldSpec {
  const key = String([...path].reverse().find((p) => typeof p === 'string') ?? '');
  return deploymentFieldAt(path) ?? { key, label: key, kind: 'string', doc: '' };
}
