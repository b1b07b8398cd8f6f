// A form field may refuse what the user typed (a maximum below the minimum, "1." on the way
// to a number): the text is then left alone, so config.yaml does not hold what the screen
// shows. Each such field holds a draft problem here until its input is written or undone;
// while any is held, Save refuses and the Problems list names the field.
import type { Diagnostic, KeyPath } from '../../../shared/diagnostics';
import { formatKeyPath } from '../../../shared/diagnostics';
import { locate, type ParsedServiceConfig } from '../../../shared/service-config';

export interface DraftProblem {
  path: KeyPath;
  /** The field as the form labels it, e.g. "Maximum version of layer aos-pylibs-layer". */
  field: string;
  message: string;
}

export const DRAFT_CODE = 'unsaved-field';

export type DraftProblems = ReadonlyMap<string, DraftProblem>;

/** The map with `problem` held (or released when null) under its path; unchanged maps are kept. */
export function holdDraftProblem(map: DraftProblems, path: KeyPath, problem: DraftProblem | null): DraftProblems {
  const id = formatKeyPath(path);
  const old = map.get(id);
  if (!problem) {
    if (!old) return map;
    const next = new Map(map);
    next.delete(id);
    return next;
  }
  if (old && old.field === problem.field && old.message === problem.message) return map;
  return new Map(map).set(id, problem);
}

/** Each held draft as a diagnostic, placed at its key (or the nearest parent present). */
export function draftDiagnostics(map: DraftProblems, parsed: ParsedServiceConfig | undefined): Diagnostic[] {
  return [...map.entries()].map(([id, p]) => {
    let where = null;
    for (let n = p.path.length; parsed && !where && n > 0; n--) {
      try {
        where = locate(parsed, p.path.slice(0, n));
      } catch {
        where = null;
      }
    }
    const loc = where ?? { line: 1, column: 1, offset: 0, endOffset: 0 };
    return {
      severity: 'error' as const,
      code: DRAFT_CODE,
      message: `${p.field}: ${p.message}. This value is only in the form, not in config.yaml.`,
      path: id,
      ...loc,
    };
  });
}

/** Why Save must not run, naming every refused field; null when nothing is held. */
export function saveRefusal(map: DraftProblems): string | null {
  if (map.size === 0) return null;
  const list = [...map.values()];
  const first = `${list[0].field}: ${list[0].message}.`;
  if (list.length === 1) return `config.yaml was not saved. ${first} The field shows a value the file would not get: fix it or revert, then save.`;
  const fields = list.map((p) => p.field).join(', ');
  return `config.yaml was not saved: ${fields} show values the file would not get. ${first} Fix them or revert, then save.`;
}
