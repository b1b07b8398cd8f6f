// Diagnostics are what every checker in the product reports: the CLI prints them, the
// editor underlines them, the form shows them next to fields, the sign step refuses on them.

export type Severity = 'error' | 'warning';

/** A key path into a YAML document, e.g. ['configuration', 'layers', 1, 'minVersion']. */
export type KeyPath = readonly (string | number)[];

export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable code, e.g. 'unknown-key', 'invalid-semver'. */
  code: string;
  /** For people: says what is wrong and, where it can, how to fix it. */
  message: string;
  /** Dotted path of the offending key or value: `configuration.layers[1].minVersion`; '' for the document. */
  path: string;
  /** 1-based line and column of the offending key or value. */
  line: number;
  column: number;
  /** 0-based character offsets of the offending range in the text (for editors). */
  offset: number;
  endOffset: number;
  /**
   * Set when the problem is a file of the service folder rather than a place in config.yaml
   * (e.g. `src/dev/tty`); line, column and offsets are then 0 and mean nothing.
   */
  file?: string;
}

/** Renders a key path the way diagnostics name it: `a.b[1].c`. */
export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

/** `file:line:column` (or less, as far as known): where a problem is, as compilers print it. */
export function placeText(p: { file: string; line?: number; column?: number }): string {
  if (p.line === undefined) return p.file;
  return p.column === undefined ? `${p.file}:${p.line}` : `${p.file}:${p.line}:${p.column}`;
}

/** Errors first, then by position; stable for equal positions. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => {
    if (a.severity !== b.severity) return a.severity === 'error' ? -1 : 1;
    return a.offset - b.offset || a.line - b.line || a.column - b.column;
  });
}

export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}

export function countBySeverity(list: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  for (const d of list) if (d.severity === 'error') errors++;
  return { errors, warnings: list.length - errors };
}
