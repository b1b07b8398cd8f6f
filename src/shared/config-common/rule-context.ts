// What every rule gets: the parsed config, lookups by key path, and `report`, which turns
// a key path into a positioned diagnostic (at the key or at the value).
import { isScalar } from 'yaml';
import { formatKeyPath, type Diagnostic, type KeyPath, type Severity } from '../diagnostics';
import type { ParsedConfig } from './types';
import { at, locate } from './locate';
import { findNode, isEmptyNode, sourceText } from './nodes';

export class RuleContext {
  readonly diagnostics: Diagnostic[] = [];

  constructor(readonly parsed: ParsedConfig) {}

  report(severity: Severity, code: string, path: KeyPath, what: 'key' | 'value', message: string): void {
    // A missing key has no position of its own: fall back to its closest present parent.
    let loc = null;
    for (let n = path.length; n >= 0 && !loc; n--) {
      loc = locate(this.parsed, path.slice(0, n), n === path.length ? what : 'key');
    }
    loc ??= at(this.parsed, 0, 0);
    this.diagnostics.push({ severity, code, message, path: formatKeyPath(path), ...loc });
  }

  error(code: string, path: KeyPath, what: 'key' | 'value', message: string): void {
    this.report('error', code, path, what, message);
  }

  warning(code: string, path: KeyPath, what: 'key' | 'value', message: string): void {
    this.report('warning', code, path, what, message);
  }

  /** The AST node at `path`: undefined when the key is absent, null for `key:` alone. */
  node(path: KeyPath): unknown {
    const found = findNode(this.parsed.doc, path);
    return found ? found.node : undefined;
  }

  has(path: KeyPath): boolean {
    return !isEmptyNode(this.node(path));
  }

  /** The plain JS value at `path` (scalars as parsed, collections via toJSON). */
  value(path: KeyPath): unknown {
    const node = this.node(path);
    if (node == null) return undefined;
    if (isScalar(node)) return node.value;
    return (node as { toJSON(): unknown }).toJSON();
  }

  /** The value as written in the file, for quoting back in messages. */
  source(path: KeyPath): string {
    return sourceText(this.node(path), this.parsed.text);
  }
}

export type Rule = (ctx: RuleContext) => void;
