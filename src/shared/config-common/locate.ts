import type { ParsedConfig } from './types';
import type { KeyPath } from '../diagnostics';
import { isScalar, type Node } from 'yaml';
import { findNode } from './nodes';

export interface Location {
  line: number;
  column: number;
  offset: number;
  endOffset: number;
}

/** 1-based line/column and 0-based offsets of the key (or value) at `path`; null if absent. */
export function locate(
  parsed: ParsedConfig,
  path: KeyPath,
  what: 'key' | 'value' = 'value',
): Location | null {
  const found = findNode(parsed.doc, path);
  if (!found) return null;
  const keyNode = found.pair?.key as Node | undefined;
  const valueNode = found.node;
  // An empty value (`service_uid:` followed by a comment) has no text of its own: point at
  // its key, which is what a person sees as "the field".
  const emptyValue = !valueNode || !valueNode.range || (isScalar(valueNode) && valueNode.range[0] === valueNode.range[1]);
  const target = what === 'key' || emptyValue ? keyNode ?? valueNode : valueNode;
  if (!target?.range) {
    return path.length === 0 ? at(parsed, 0, 0) : null;
  }
  return at(parsed, target.range[0], trimEnd(parsed.text, target.range[0], target.range[1]));
}

/** Location of a text range; also used for documents without any node. */
export function at(parsed: ParsedConfig, offset: number, endOffset: number): Location {
  const { line, col } = parsed.lineCounter.linePos(offset);
  return { line, column: col, offset, endOffset: Math.max(offset, endOffset) };
}

/** Block collections end after their last newline; editors want the range to end on content. */
function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /\s/.test(text[end - 1])) end--;
  return end;
}
