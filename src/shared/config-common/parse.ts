import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { formatKeyPath, type Diagnostic } from '../diagnostics';
import type { ParsedConfig } from './types';
import { CONFIG_MAX_NESTING } from './limits';
import { findExcessNesting } from './nesting';
import { pathAtOffset } from './nodes';
import { checkConfigText, positionOf, textDiagnostic } from './text-checks';

// The one parse step of both config kinds: size, encoding and depth checks before the
// parser, then the yaml Document with its positions.

/** Parses a config text (either kind); diagnostics name the file `config.yaml`. */
export function parseConfigText(text: string): ParsedConfig {
  // Size and encoding first, then depth: what fails these is never handed to the parser.
  const textProblems = checkConfigText(text);
  if (textProblems.unreadable) return unparsed(text, textProblems.diagnostics);
  const tooDeep = findExcessNesting(text, CONFIG_MAX_NESTING);
  if (tooDeep) {
    const { line, column } = positionOf(text, tooDeep.offset);
    const message = `config.yaml nests maps and lists too deeply at line ${line}, column ${column}: more than ${CONFIG_MAX_NESTING} levels of indentation and brackets (a config needs fewer than 10).`;
    return unparsed(text, [textDiagnostic(text, 'too-deep', message, tooDeep.offset)]);
  }

  const lineCounter = new LineCounter();
  // YAML 1.2 core schema (the library default); uniqueKeys reports a key listed twice.
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: true, prettyErrors: false });
  const syntax = [
    ...textProblems.diagnostics.map((d) => ({ ...d, path: formatKeyPath(pathAtOffset(doc, d.offset)) })),
    ...doc.errors.map((e) => toDiagnostic(e, 'error', text, lineCounter)),
    ...doc.warnings.map((e) => toDiagnostic(e, 'warning', text, lineCounter)),
  ];
  let value: unknown;
  if (doc.errors.length === 0) {
    try {
      value = doc.toJS();
    } catch (e) {
      // e.g. aliases expanding past the library's limit (a "billion laughs" document).
      value = undefined;
      syntax.push(textDiagnostic(text, 'yaml-syntax', `config.yaml cannot be read as data: ${e instanceof Error ? e.message : String(e)}.`, 0, 0));
    }
  }
  return { text, doc, lineCounter, value, syntax };
}

/** A text refused before parsing: an empty document, no value, and the reason. */
function unparsed(text: string, syntax: Diagnostic[]): ParsedConfig {
  const lineCounter = new LineCounter();
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
  const doc = parseDocument('', { keepSourceTokens: true });
  return { text, doc, lineCounter, value: undefined, syntax, unreadable: true };
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
