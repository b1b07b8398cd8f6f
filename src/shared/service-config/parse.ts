import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import type { Diagnostic } from '../diagnostics';
import type { ParsedServiceConfig } from './index';

export function parseServiceConfig(text: string): ParsedServiceConfig {
  const lineCounter = new LineCounter();
  // YAML 1.2 core schema (the library default); uniqueKeys reports a key listed twice.
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: true, prettyErrors: false });
  const syntax = [
    ...doc.errors.map((e) => toDiagnostic(e, 'error', text, lineCounter)),
    ...doc.warnings.map((e) => toDiagnostic(e, 'warning', text, lineCounter)),
  ];
  let value: unknown;
  if (doc.errors.length === 0) {
    try {
      value = doc.toJS();
    } catch {
      value = undefined;
    }
  }
  return { text, doc, lineCounter, value, syntax };
}

function toDiagnostic(
  error: YAMLError,
  severity: 'error' | 'warning',
  text: string,
  lineCounter: LineCounter,
): Diagnostic {
  const offset = Math.min(error.pos[0], text.length);
  const endOffset = Math.max(offset, Math.min(error.pos[1], text.length));
  const { line, col } = lineCounter.linePos(offset);
  // The library's first message line is the explanation; the rest is a source excerpt.
  const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return {
    severity,
    code: 'yaml-syntax',
    message: `YAML ${severity === 'error' ? 'syntax error' : 'warning'}: ${message}`,
    path: '',
    line,
    column: col,
    offset,
    endOffset,
  };
}
