// One diagnostics list from two sources: the instant check in the renderer (the same
// checkServiceConfig the CLI runs) and main's `config.validate`, which adds what needs the
// filesystem (credential files, the state file). The same finding from both shows once.
import type { Diagnostic } from '../../../shared/diagnostics';
import { sortDiagnostics } from '../../../shared/diagnostics';

const keyOf = (d: Diagnostic) => `${d.severity}|${d.code}|${d.path}|${d.message}`;

export function mergeDiagnostics(local: readonly Diagnostic[], remote: readonly Diagnostic[], textLength: number): Diagnostic[] {
  const seen = new Set(local.map(keyOf));
  const extra = remote
    .filter((d) => !seen.has(keyOf(d)))
    // A remote result may be for slightly older text: keep its ranges inside the document.
    .map((d) => ({ ...d, offset: Math.min(d.offset, textLength), endOffset: Math.min(d.endOffset, textLength) }));
  return sortDiagnostics([...local, ...extra]);
}
