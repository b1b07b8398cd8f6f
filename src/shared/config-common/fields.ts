import type { KeyPath } from '../diagnostics';
import type { FieldSpec } from './types';

/** The spec of the key at `path` in a field catalogue (list indices skipped), or undefined when unknown. */
export function fieldIn(fields: readonly FieldSpec[], path: KeyPath): FieldSpec | undefined {
  let level: readonly FieldSpec[] | undefined = fields;
  let found: FieldSpec | undefined;
  for (const part of path) {
    if (typeof part === 'number') continue;
    found = level?.find((f) => f.key === part);
    if (!found) return undefined;
    level = found.fields;
  }
  return found;
}
