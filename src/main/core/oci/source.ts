// Reads values of a parsed config.yaml together with where they are written, and records
// the trace (output field → source line) and warnings while the generators run.
import { formatKeyPath, type KeyPath } from '../../../shared/diagnostics';
import { getConfigValue, locate, type ParsedServiceConfig } from '../../../shared/service-config';
import type { PreviewWarning, Trace, TraceEntry } from './types';

export class ConfigSource {
  readonly trace: Trace = {};
  readonly warnings: PreviewWarning[] = [];
  private readonly positions = new Map<string, { line: number; column: number; present: boolean }>();

  constructor(readonly parsed: ParsedServiceConfig) {}

  /** The plain value at `path`; undefined when absent or when the YAML did not parse. */
  get(path: KeyPath): unknown {
    return getConfigValue(this.parsed.value, path);
  }

  /** Whether the key is written (even `key:` with nothing after it). */
  has(path: KeyPath): boolean {
    return this.position(path).present;
  }

  /**
   * Position of the value at `path`; for an absent key, of the nearest ancestor that is
   * written, so that a default still points somewhere a person can look.
   */
  position(path: KeyPath): { line: number; column: number; present: boolean } {
    const key = formatKeyPath(path);
    const cached = this.positions.get(key);
    if (cached) return cached;
    let result = { line: 0, column: 0, present: false };
    const hit = locateSafe(this.parsed, path);
    if (hit) result = { line: hit.line, column: hit.column, present: true };
    else if (path.length > 0) result = { ...this.position(path.slice(0, -1)), present: false };
    this.positions.set(key, result);
    return result;
  }

  /** Records that the output field at `pointer` comes from `path`. */
  record(pointer: string, path: KeyPath, inferred: boolean): void {
    const pos = this.position(path);
    const entry: TraceEntry = {
      path: formatKeyPath(path),
      line: pos.line,
      column: pos.column,
      inferred,
      origin: pos.present ? 'config' : 'default',
    };
    this.trace[pointer] = entry;
  }

  /** Records a whole JSON value: the value itself and, recursively, every member. */
  recordDeep(pointer: string, value: unknown, path: KeyPath, inferred: boolean): void {
    this.record(pointer, path, inferred);
    if (Array.isArray(value)) {
      value.forEach((v, i) => this.recordDeep(`${pointer}/${i}`, v, [...path, i], inferred));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        // Object members keep the parent path when the key was renamed by the caller.
        this.recordDeep(`${pointer}/${escapePointer(k)}`, v, this.has([...path, k]) ? [...path, k] : path, inferred);
      }
    }
  }

  warn(code: string, message: string, path: KeyPath, severity: PreviewWarning['severity'] = 'warning'): void {
    const pos = this.position(path);
    this.warnings.push({ code, severity, message, path: formatKeyPath(path), line: pos.line, column: pos.column });
  }
}

function locateSafe(parsed: ParsedServiceConfig, path: KeyPath) {
  try {
    return locate(parsed, path, 'value');
  } catch {
    return null;
  }
}

/** RFC 6901 escaping of one reference token. */
export function escapePointer(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointer(...tokens: (string | number)[]): string {
  return tokens.map((t) => `/${escapePointer(t)}`).join('');
}
