// Checks on the config's text before YAML sees it: size, encoding and NUL characters. They
// live in the pure parse step so the CLI, the signer and the editor's live diagnostics
// report the same thing at the same line and column.
//
// Main reads config.yaml as UTF-8 with replacement, so an invalid byte sequence arrives
// here as U+FFFD; a UTF-16 file arrives as text with a NUL between the characters (and,
// with a byte-order mark, two U+FFFD in front). A real config never holds either.
import type { Diagnostic } from '../diagnostics';
import { CONFIG_MAX_BYTES, CONFIG_MAX_TEXT } from './limits';

export interface TextProblems {
  diagnostics: Diagnostic[];
  /** True when the text must not be parsed at all (too large, or not UTF-8 text). */
  unreadable: boolean;
}

/** 1-based line and column of a 0-based offset (columns in UTF-16 units, as the yaml LineCounter counts). */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

export function textDiagnostic(text: string, code: string, message: string, offset: number, endOffset = offset + 1): Diagnostic {
  const { line, column } = positionOf(text, offset);
  return { severity: 'error', code, message, path: '', line, column, offset, endOffset: Math.min(Math.max(endOffset, offset), text.length) };
}

/** UTF-8 length, counted without encoding the text. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Whether the text looks like UTF-16 read as UTF-8: a NUL next to most characters near the start. */
function looksLikeUtf16(text: string): boolean {
  const body = text.startsWith('\uFFFD\uFFFD') ? text.slice(2) : text;
  const sample = body.slice(0, 256);
  if (sample.length < 2) return false;
  let nuls = 0;
  for (let i = 0; i < sample.length; i++) if (sample.charCodeAt(i) === 0) nuls++;
  return nuls * 4 >= sample.length;
}

function countOf(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i !== -1; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

function andMore(n: number): string {
  return n > 1 ? ` (and ${n - 1} more)` : '';
}

export function checkConfigText(text: string): TextProblems {
  // Under a third of the cap in UTF-16 units cannot exceed it in UTF-8: skip the count.
  const bytes = text.length > CONFIG_MAX_BYTES / 3 ? utf8Length(text) : 0;
  if (bytes > CONFIG_MAX_BYTES) {
    return {
      unreadable: true,
      diagnostics: [
        textDiagnostic(text, 'config-too-large', `config.yaml is ${bytes} bytes, over the limit of ${CONFIG_MAX_TEXT} for a config file (a real one is a few KB).`, 0, 0),
      ],
    };
  }
  if (looksLikeUtf16(text)) {
    return {
      unreadable: true,
      diagnostics: [
        textDiagnostic(text, 'not-utf8', 'config.yaml is UTF-16 text (a NUL byte between the characters); save it as UTF-8, the encoding the platform reads.', 0, 0),
      ],
    };
  }
  const diagnostics: Diagnostic[] = [];
  const bad = text.indexOf('\uFFFD');
  if (bad !== -1) {
    const { line, column } = positionOf(text, bad);
    diagnostics.push(
      textDiagnostic(
        text,
        'not-utf8',
        `config.yaml is not valid UTF-8 at line ${line}, column ${column}: a byte sequence that is not UTF-8 text (shown as U+FFFD)${andMore(countOf(text, '\uFFFD'))}; save the file as UTF-8.`,
        bad,
      ),
    );
  }
  const nul = text.indexOf('\u0000');
  if (nul !== -1) {
    const { line, column } = positionOf(text, nul);
    diagnostics.push(
      textDiagnostic(text, 'nul-character', `config.yaml holds a NUL byte at line ${line}, column ${column}${andMore(countOf(text, '\u0000'))}; a config is text, remove it.`, nul),
    );
  }
  return { diagnostics, unreadable: false };
}
