// Where in config.yaml an error from main points: by line (and column) when it has one,
// else by its dotted key path, looked up in the text the editor holds.
import type { KeyPath } from '../../shared/diagnostics';
import type { Location } from '../../shared/errors';
import { locate, parseServiceConfig } from '../../shared/service-config';

export interface TextRange {
  offset: number;
  endOffset: number;
  line: number;
}

/** True when the location is in this service's config.yaml. */
export function isConfigLocation(location: Location | undefined, configPath: string): location is Location {
  if (!location?.file) return false;
  if (location.line === undefined && !location.path) return false;
  const norm = (p: string) => p.replace(/\\/g, '/');
  const file = norm(location.file);
  return file === norm(configPath) || file.endsWith('/meta/config.yaml') || file === 'config.yaml';
}

/** "build.sign_pkcs12" or "configuration.layers[0].uid" → key path. */
export function parseKeyPath(dotted: string): KeyPath {
  const out: (string | number)[] = [];
  for (const part of dotted.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

export function rangeOfLocation(text: string, location: Location): TextRange | null {
  if (location.line !== undefined && location.line >= 1) {
    const lines = text.split('\n');
    const lineIndex = Math.min(location.line, lines.length) - 1;
    let start = 0;
    for (let i = 0; i < lineIndex; i++) start += lines[i].length + 1;
    const lineText = lines[lineIndex] ?? '';
    const indent = lineText.length - lineText.trimStart().length;
    const col = location.column && location.column >= 1 ? Math.min(location.column - 1, lineText.length) : indent;
    return { offset: start + col, endOffset: Math.max(start + col, start + lineText.trimEnd().length), line: lineIndex + 1 };
  }
  if (location.path) {
    try {
      const found = locate(parseServiceConfig(text), parseKeyPath(location.path), 'key');
      if (found) return { offset: found.offset, endOffset: found.endOffset, line: found.line };
    } catch {
      return null;
    }
  }
  return null;
}
