import type { Diagnostic } from '../../shared/diagnostics';

/** `FILE:LINE:COL: error|warning: MESSAGE (PATH)`, the form editors and CI logs understand. */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  return `${file}:${d.line}:${d.column}: ${d.severity}: ${d.message}${d.path ? ` (${d.path})` : ''}`;
}

/** The --json shape of a diagnostic: 1-based line and column of the offending key or value. */
export function diagnosticJson(d: Diagnostic): { severity: string; message: string; path: string; line: number; column: number } {
  return { severity: d.severity, message: d.message, path: d.path, line: d.line, column: d.column };
}
