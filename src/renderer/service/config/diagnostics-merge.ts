// One diagnostics list from two sources: the instant check in the renderer (the same
// checkServiceConfig the CLI runs) and main's `config.validate`, which adds what needs the
// filesystem (credential files, the state file). Main answers for a text that may be older
// than the one on screen, so only its filesystem findings are kept (the checker's own
// findings come from the current text, so one fixed in the form is gone at once), and their
// ranges are moved through the edits made since, so they stay on the text they concern.
import type { Diagnostic } from '../../../shared/diagnostics';
import { sortDiagnostics } from '../../../shared/diagnostics';
import { positionOf } from '../../../shared/config-common/text-checks';

const keyOf = (d: Diagnostic) => `${d.severity}|${d.code}|${d.path}|${d.message}`;

export interface RemoteDiagnostics {
  /** The text main checked. */
  text: string;
  diagnostics: readonly Diagnostic[];
}

/**
 * What main found that the renderer's checker does not find in the same text.
 * `localOfRemoteText` is the renderer's check of `remote.text`.
 */
export function filesystemFindings(remote: RemoteDiagnostics, localOfRemoteText: readonly Diagnostic[]): Diagnostic[] {
  const checker = new Set(localOfRemoteText.map(keyOf));
  return remote.diagnostics.filter((d) => !checker.has(keyOf(d)));
}

export function mergeDiagnostics(local: readonly Diagnostic[], extra: readonly Diagnostic[], extraText: string, text: string): Diagnostic[] {
  const seen = new Set(local.map(keyOf));
  const moved = extra.filter((d) => !seen.has(keyOf(d))).map((d) => remapDiagnostic(d, extraText, text));
  return sortDiagnostics([...local, ...moved]);
}

/** The diagnostic's range moved from `from` (the text it was found in) to `to`. */
export function remapDiagnostic(d: Diagnostic, from: string, to: string): Diagnostic {
  if (from === to) return { ...d, offset: Math.min(d.offset, to.length), endOffset: Math.min(d.endOffset, to.length) };
  const change = singleChange(from, to);
  const offset = mapOffset(d.offset, change);
  const endOffset = Math.max(offset, mapOffset(d.endOffset, change));
  return { ...d, offset, endOffset, ...positionOf(to, offset) };
}

interface Change {
  from: number;
  /** End of the replaced span in the old text. */
  to: number;
  /** Length of what replaced it. */
  inserted: number;
}

/** The smallest single replacement that turns `a` into `b`. */
function singleChange(a: string, b: string): Change {
  let start = 0;
  const max = Math.min(a.length, b.length);
  while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  return { from: start, to: endA, inserted: endB - start };
}

function mapOffset(offset: number, c: Change): number {
  if (offset <= c.from) return offset;
  if (offset >= c.to) return offset + c.inserted - (c.to - c.from);
  // Inside the replaced span: the start of what replaced it.
  return c.from;
}
