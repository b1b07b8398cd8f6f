// Small helpers over the yaml AST shared by the locator, the rules and the editor.
import { isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { KeyPath } from '../diagnostics';

export interface Found {
  /** The node at the path; null for `key:` with nothing after it. */
  node: Node | null;
  /** The pair holding it when the last step is a map key. */
  pair?: Pair<unknown, unknown>;
}

export function keyText(pair: Pair<unknown, unknown>): string | undefined {
  const k = pair.key;
  if (isScalar(k)) return k.value === null ? '' : String(k.value);
  return typeof k === 'string' ? k : undefined;
}

export function findPair(map: YAMLMap<unknown, unknown>, key: string): Pair<unknown, unknown> | undefined {
  return map.items.find((p) => isPair(p) && keyText(p) === key);
}

/** Walks `path` from the document root; undefined when a step is missing. */
export function findNode(doc: Document, path: KeyPath): Found | undefined {
  let current: Found = { node: (doc.contents as Node | null) ?? null };
  for (const part of path) {
    const node = current.node;
    if (typeof part === 'number') {
      if (!isSeq(node) || part < 0 || part >= node.items.length) return undefined;
      current = { node: (node.items[part] as Node | null) ?? null };
    } else {
      if (!isMap(node)) return undefined;
      const pair = findPair(node, part);
      if (!pair) return undefined;
      current = { node: (pair.value as Node | null) ?? null, pair };
    }
  }
  return current;
}

/** A value that carries nothing: missing, or `key:` with only a comment after it. */
export function isEmptyNode(node: unknown): boolean {
  return node == null || (isScalar(node) && node.value == null);
}

/** The scalar's text as written (`1.0` rather than the number 1), for messages. */
export function sourceText(node: unknown, text: string): string {
  if (isScalar(node)) {
    const s = node as Scalar & { source?: string };
    if (typeof s.source === 'string' && s.source !== '') return s.source;
    if (node.range) return text.slice(node.range[0], node.range[1]);
    return String(node.value);
  }
  if (node && typeof node === 'object' && 'range' in node && Array.isArray((node as Node).range)) {
    const r = (node as Node).range!;
    return text.slice(r[0], r[1]).trim();
  }
  return String(node);
}

/** The key path of the innermost key or value whose source range holds `offset` ([] for none). */
export function pathAtOffset(doc: Document, offset: number): (string | number)[] {
  const path: (string | number)[] = [];
  const inside = (n: unknown): n is Node => !!n && typeof n === 'object' && 'range' in n && !!(n as Node).range && (n as Node).range![0] <= offset && offset < (n as Node).range![2];
  let node: unknown = doc.contents;
  // A loop, not recursion: the depth is bounded anyway, but this stays flat whatever the input.
  for (;;) {
    let next: unknown;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isPair(pair) ? keyText(pair) : undefined;
        if (key === undefined) continue;
        if (inside(pair.key)) return [...path, key];
        if (inside(pair.value)) {
          path.push(key);
          next = pair.value;
          break;
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        if (next === undefined && inside(item)) {
          path.push(i);
          next = item;
        }
      });
    }
    if (next === undefined) return path;
    node = next;
  }
}
