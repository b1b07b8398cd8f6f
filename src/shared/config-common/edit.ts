// Surgical edits of a config file (either kind). The yaml Document's own toString() re-flows the
// whole file (indentation, quotes, comment placement), so instead we locate the one value
// in the source text and splice new text in: every other byte, comments included, stays.
import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { formatKeyPath, type KeyPath } from '../diagnostics';
import { findNode } from './nodes';
import { isCollection, isInline, renderBlock, renderEntry, renderFlow, renderInline, renderSeqItem } from './render';

/**
 * Returns `text` with the value at `path` replaced (or added, creating missing parents;
 * `undefined` deletes the key). Only that value changes: every comment and the rest of
 * the formatting stay as they were.
 */
export function setConfigValue(text: string, path: KeyPath, value: unknown): string {
  if (path.length === 0) throw new Error('setConfigValue needs a key path such as ["publish", "version"].');
  const doc = parseDocument(text, { keepSourceTokens: true });
  if (doc.errors.length > 0) {
    throw new Error(`Cannot edit ${formatKeyPath(path)}: fix the YAML syntax errors first (${doc.errors[0].message.split('\n')[0]}).`);
  }
  const editor = new TextEditor(text, doc);
  return value === undefined ? editor.remove(path) : editor.set(path, value);
}

function editorFor(text: string, what: string): TextEditor {
  const doc = parseDocument(text, { keepSourceTokens: true });
  if (doc.errors.length > 0) {
    throw new Error(`Cannot ${what}: fix the YAML syntax errors first (${doc.errors[0].message.split('\n')[0]}).`);
  }
  return new TextEditor(text, doc);
}

/**
 * Returns `text` with a copy of the list item at `[...listPath, index]` inserted right after
 * it, written exactly as the original (its comments too); `changes` then sets values inside
 * the copy (e.g. a new codename), each as setConfigValue would.
 */
export function duplicateListItem(text: string, listPath: KeyPath, index: number, changes: readonly { path: KeyPath; value: unknown }[] = []): string {
  const name = formatKeyPath([...listPath, index]);
  let out = editorFor(text, `duplicate ${name}`).duplicateItem(listPath, index);
  for (const change of changes) out = setConfigValue(out, [...listPath, index + 1, ...change.path], change.value);
  return out;
}

/** The plain JS value at `path`, or undefined. */
export function getConfigValue(value: unknown, path: KeyPath): unknown {
  let current = value;
  for (const part of path) {
    if (typeof part === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[part];
    } else {
      if (!isCollection(current) || Array.isArray(current) || !Object.prototype.hasOwnProperty.call(current, part)) return undefined;
      current = (current as Record<string, unknown>)[part];
    }
  }
  return current;
}

/** `value` placed under the remaining keys: nest(['a', 0], 1) is { a: [1] }. */
function nest(parts: KeyPath, value: unknown): unknown {
  if (parts.length === 0) return value;
  const inner = nest(parts.slice(1), value);
  return typeof parts[0] === 'number' ? [inner] : { [parts[0]]: inner };
}

/** Deep copy of `container` with `value` set (or, for undefined, removed) at `parts`. */
function withValue(container: unknown, parts: KeyPath, value: unknown): unknown {
  if (parts.length === 0) return value;
  const [head, ...rest] = parts;
  if (Array.isArray(container)) {
    const copy = [...container];
    const next = withValue(copy[head as number], rest, value);
    if (next === undefined && rest.length === 0) copy.splice(head as number, 1);
    else copy[head as number] = next;
    return copy;
  }
  const copy: Record<string, unknown> = isCollection(container) ? { ...(container as Record<string, unknown>) } : {};
  const next = withValue(copy[head as string], rest, value);
  if (next === undefined && rest.length === 0) delete copy[head as string];
  else copy[head as string] = next;
  return copy;
}

type Coll = Record<string, unknown> | unknown[];

class TextEditor {
  private readonly unit: string;

  constructor(
    private readonly text: string,
    private readonly doc: Document,
  ) {
    this.unit = ' '.repeat(this.detectIndentUnit());
  }

  set(path: KeyPath, value: unknown): string {
    // The longest prefix of `path` that exists in the document.
    let depth = path.length;
    while (depth > 0 && !findNode(this.doc, path.slice(0, depth))) depth--;
    if (depth === path.length) return this.replace(path, value);

    const parentPath = path.slice(0, depth);
    const parent = depth === 0 ? (this.doc.contents as Node | null) : findNode(this.doc, parentPath)!.node;
    const next = path[depth];
    const built = nest(path.slice(depth + 1), value);

    if (parent === null || (isScalar(parent) && parent.value === null)) {
      // `key:` with nothing (or only a comment) after it: the new map or list becomes its value.
      if (depth === 0) return this.appendTopLevel(String(next), built);
      return this.replace(parentPath, nest(path.slice(depth), value));
    }
    if ((isMap(parent) || isSeq(parent)) && (parent.flow || parent.items.length === 0)) {
      return this.replace(parentPath, withValue(parent.toJSON(), path.slice(depth), value));
    }
    if (isMap(parent) && typeof next === 'string') return this.insertPair(parent, next, built);
    if (isSeq(parent) && next === parent.items.length) return this.appendItem(parent, built);
    throw new Error(
      `Cannot set ${formatKeyPath(path)}: ${formatKeyPath(parentPath) || 'the document'} is not a ${typeof next === 'number' ? 'list with that many items' : 'map'}.`,
    );
  }

  /** A block list item copied, as written, right after itself. */
  duplicateItem(listPath: KeyPath, index: number): string {
    const found = findNode(this.doc, listPath);
    const seq = found?.node;
    if (!isSeq(seq) || index < 0 || index >= seq.items.length) {
      throw new Error(`Cannot duplicate ${formatKeyPath([...listPath, index])}: there is no such list item.`);
    }
    if (seq.flow) return this.replace(listPath, [...(seq.toJSON() as unknown[]).slice(0, index + 1), seq.toJSON()[index], ...(seq.toJSON() as unknown[]).slice(index + 1)]);
    const item = seq.items[index] as Node;
    const dash = this.dashBefore(item);
    const start = this.lineStart(dash);
    const end = this.afterLine(this.nodeEnd(item, dash));
    const lines = this.text.slice(start, end);
    return this.splice(end, end, lines.endsWith('\n') ? lines : `\n${lines}`);
  }

  remove(path: KeyPath): string {
    const found = findNode(this.doc, path);
    if (!found) return this.text;
    const parentPath = path.slice(0, -1);
    const parent = parentPath.length === 0 ? (this.doc.contents as Node) : findNode(this.doc, parentPath)!.node;
    const last = path[path.length - 1];
    if (!isMap(parent) && !isSeq(parent)) return this.text;

    const onlyItem = parent.items.length === 1 && parentPath.length > 0;
    if (parent.flow || onlyItem) {
      return this.replace(parentPath, withValue(parent.toJSON(), [last], undefined));
    }
    if (isMap(parent)) {
      const pair = found.pair!;
      const keyStart = (pair.key as Node).range![0];
      if (this.text.slice(this.lineStart(keyStart), keyStart).trim() !== '') {
        // The key shares its line with a list dash (`- uid: x`): rewrite the whole item.
        return this.replace(parentPath, withValue(parent.toJSON(), [last], undefined));
      }
      return this.splice(this.lineStart(keyStart), this.afterLine(this.contentEnd(pair)), '');
    }
    const item = parent.items[last as number] as Node;
    const dash = this.dashBefore(item);
    return this.splice(this.lineStart(dash), this.afterLine(this.nodeEnd(item, dash)), '');
  }

  /** Replaces the value at an existing `path`. */
  private replace(path: KeyPath, value: unknown): string {
    if (path.length === 0) throw new Error('Cannot replace the whole document; set keys inside it.');
    const parentPath = path.slice(0, -1);
    const parent = parentPath.length === 0 ? (this.doc.contents as Node) : findNode(this.doc, parentPath)!.node;
    const last = path[path.length - 1];
    if ((isMap(parent) || isSeq(parent)) && parent.flow) {
      return this.replace(parentPath, withValue(parent.toJSON(), [last], value));
    }
    if (isSeq(parent)) return this.replaceItem(parent.items[last as number] as Node | null, value, parentPath, last as number);
    const pair = findNode(this.doc, path)!.pair!;
    return this.replacePairValue(pair, value);
  }

  private replacePairValue(pair: Pair<unknown, unknown>, value: unknown): string {
    const key = pair.key as Node;
    const colon = this.text.indexOf(':', key.range![1]);
    const childIndent = ' '.repeat(this.column(key.range![0])) + this.unit;
    const old = pair.value as Node | null;

    if (old === null || (isScalar(old) && old.value === null && old.range![0] === old.range![1])) {
      // Nothing after the colon but maybe a comment: `service_uid: # from the cloud`.
      if (!isInline(value)) {
        const eol = this.lineEnd(colon);
        return this.splice(eol, eol, `\n${renderBlock(value as Coll, childIndent, this.unit)}`);
      }
      const rendered = renderInline(value);
      const gap = /^ +(?=#)/.exec(this.text.slice(colon + 1, this.lineEnd(colon)))?.[0].length ?? 0;
      if (gap > 0) {
        // `key:        # comment`: the value takes its room from the padding, so an aligned
        // comment keeps its column when it can (and stays one space away when it cannot).
        const pad = ' '.repeat(Math.max(1, gap - 1 - rendered.length));
        return this.splice(colon + 1, colon + 1 + gap, ` ${rendered}${pad}`);
      }
      let at = colon + 1;
      let insert = rendered;
      if (this.text[at] === ' ') at++;
      else insert = ` ${insert}`;
      return this.splice(at, at, insert);
    }

    if (isScalar(old)) {
      const end = this.trimmedEnd(old.range![0], old.range![1]);
      if (isInline(value)) return this.replaceKeepingCommentColumn(old.range![0], end, renderInline(value, old.type));
      // A scalar becomes a block collection: keep any comment on the key line.
      const eol = this.lineEnd(end);
      const rest = this.text.slice(end, eol);
      return this.text.slice(0, colon + 1) + rest + `\n${renderBlock(value as Coll, childIndent, this.unit)}` + this.text.slice(eol);
    }
    if ((isMap(old) || isSeq(old)) && old.flow) {
      // A flow collection stays in flow style.
      const end = this.trimmedEnd(old.range![0], old.range![1]);
      return this.splice(old.range![0], end, isInline(value) ? renderInline(value) : renderFlow(value));
    }

    // A block collection: its lines go, the new value takes their place.
    const start = this.lineStart(old.range![0]);
    const end = this.afterLine(this.trimmedEnd(old.range![0], old.range![1]));
    if (isInline(value)) {
      const withoutBlock = this.text.slice(0, start) + this.text.slice(end);
      let at = colon + 1;
      if (withoutBlock[at] === ' ') at++;
      const comment = withoutBlock[at] === '#' ? ' ' : '';
      const lead = withoutBlock[colon + 1] === ' ' ? '' : ' ';
      return withoutBlock.slice(0, at) + lead + renderInline(value) + comment + withoutBlock.slice(at);
    }
    const indent = ' '.repeat(this.column(old.range![0]));
    const block = renderBlock(value as Coll, indent, this.unit);
    return this.splice(start, end, `${block}\n`);
  }

  private replaceItem(item: Node | null, value: unknown, seqPath: KeyPath, index: number): string {
    const seq = findNode(this.doc, seqPath)!.node as YAMLSeq;
    const node = item ?? (seq.items[index] as Node);
    if (isScalar(node) && isInline(value)) {
      const end = this.trimmedEnd(node.range![0], node.range![1]);
      return this.splice(node.range![0], end, renderInline(value, node.type));
    }
    const dash = this.dashBefore(node);
    const indent = ' '.repeat(this.column(dash));
    return this.splice(this.lineStart(dash), this.afterLine(this.nodeEnd(node, dash)), `${renderSeqItem(value, indent, this.unit)}\n`);
  }

  private insertPair(map: YAMLMap<unknown, unknown>, key: string, value: unknown): string {
    const first = map.items[0] as Pair<unknown, unknown>;
    const indent = ' '.repeat(this.column((first.key as Node).range![0]));
    const lastPair = map.items[map.items.length - 1] as Pair<unknown, unknown>;
    // Where the template shows this key as a commented example, the real key goes just above
    // it, so it lands where the user expects. Otherwise, inside a section, it goes right after
    // the last real key (above the commented examples that usually close it), and a new
    // section goes at the very end of the file.
    const isRoot = map === this.doc.contents;
    const regionStart = isRoot ? 0 : this.lineStart((first.key as Node).range![0]);
    const regionEnd = isRoot ? this.text.length : this.sectionEnd(this.afterLine(this.contentEnd(lastPair)), indent.length);
    const example = this.commentedExample(key, indent.length, regionStart, regionEnd);
    const at = example ?? (isRoot ? this.text.length : this.afterLine(this.contentEnd(lastPair)));
    return this.insertLines(at, renderEntry(key, value, indent, this.unit));
  }

  /**
   * The start of the first comment line in [from, to) that shows `key:` as an example at
   * this indentation: `    #key:` (ours: the # at the key's column) or `#    key:` (the
   * platform's: a # in column 0 before the key's indentation). Deeper examples, such as
   * `    #        state:` under a commented quotas block, are not this key.
   */
  private commentedExample(key: string, indent: number, from: number, to: number): number | null {
    const pattern = new RegExp(`^([ \\t]*)#([ \\t]*)${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[ \\t]*:`);
    for (let at = from; at < to; at = this.afterLine(at)) {
      const m = pattern.exec(this.text.slice(at, this.lineEnd(at)));
      if (!m) continue;
      const hashAtKeyColumn = m[1].length === indent && m[2].length === 0; // `    #layers:`
      const keyShiftedByHash = m[1].length === 0 && (m[2].length + 1 === indent || m[2].length === indent); // `#    layers:`
      if (hashAtKeyColumn || keyShiftedByHash) return at;
    }
    return null;
  }

  /** From `from` (a line start after a section's last key), the start of the next line that is content at a lower indentation. */
  private sectionEnd(from: number, indent: number): number {
    for (let at = from; at < this.text.length; at = this.afterLine(at)) {
      const line = this.text.slice(at, this.lineEnd(at));
      const content = /^([ \t]*)(\S)/.exec(line);
      if (content && content[2] !== '#' && content[1].length < indent) return at;
    }
    return this.text.length;
  }

  private appendItem(seq: YAMLSeq<unknown>, value: unknown): string {
    const firstDash = this.dashBefore(seq.items[0] as Node);
    const indent = ' '.repeat(this.column(firstDash));
    const last = seq.items[seq.items.length - 1] as Node;
    const at = this.afterLine(this.nodeEnd(last, this.dashBefore(last)));
    return this.insertLines(at, renderSeqItem(value, indent, this.unit));
  }

  private appendTopLevel(key: string, value: unknown): string {
    const root = this.doc.contents as Node | null;
    if (root && !(isScalar(root) && root.value === null)) throw new Error('The document is not a map.');
    return this.insertLines(this.text.length, renderEntry(key, value, '', this.unit));
  }

  /**
   * Replaces a one-line value; when an aligned comment follows (`version: "1.0.0"   # ...`)
   * the padding before it grows or shrinks so the comment keeps its column.
   */
  private replaceKeepingCommentColumn(start: number, end: number, insert: string): string {
    const gap = /^( +)#/.exec(this.text.slice(end, this.lineEnd(end)))?.[1].length ?? 0;
    const delta = insert.length - (end - start);
    if (gap > 0 && !this.text.slice(start, end).includes('\n')) {
      const newGap = Math.max(1, gap - delta);
      return this.text.slice(0, start) + insert + ' '.repeat(newGap) + this.text.slice(end + gap);
    }
    return this.splice(start, end, insert);
  }

  /** Inserts whole lines at a line start (or at the end of the text). */
  private insertLines(at: number, lines: string): string {
    const needsNewline = at > 0 && this.text[at - 1] !== '\n';
    return this.splice(at, at, `${needsNewline ? '\n' : ''}${lines}\n`);
  }

  private splice(start: number, end: number, insert: string): string {
    return this.text.slice(0, start) + insert + this.text.slice(end);
  }

  // --- positions ---------------------------------------------------------------------

  private lineStart(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  private lineEnd(offset: number): number {
    const i = this.text.indexOf('\n', offset);
    return i === -1 ? this.text.length : i;
  }

  /** Start of the line after the one holding `offset` (or the end of the text). */
  private afterLine(offset: number): number {
    const eol = this.lineEnd(offset);
    return eol === this.text.length ? eol : eol + 1;
  }

  private column(offset: number): number {
    return offset - this.lineStart(offset);
  }

  /** Block nodes end after their trailing newline; step back onto the last content. */
  private trimmedEnd(start: number, end: number): number {
    while (end > start && /\s/.test(this.text[end - 1])) end--;
    return end;
  }

  /** End of a pair's last content (its value, or the key when the value is empty). */
  private contentEnd(pair: Pair<unknown, unknown>): number {
    const key = pair.key as Node;
    const value = pair.value as Node | null;
    const end = value?.range ? Math.max(value.range[1], key.range![1]) : key.range![1];
    return this.trimmedEnd(key.range![0], end);
  }

  private nodeEnd(node: Node | null, dash: number): number {
    if (!node?.range) return dash;
    return this.trimmedEnd(dash, Math.max(node.range[1], dash + 1));
  }

  /** Offset of the `-` that introduces a block list item. */
  private dashBefore(item: Node | null): number {
    if (!item?.range) throw new Error('Cannot edit an empty list item.');
    let i = item.range[0] - 1;
    while (i >= 0 && /\s/.test(this.text[i])) i--;
    if (this.text[i] !== '-') throw new Error('Unexpected list layout.');
    return i;
  }

  /** The indentation step the file uses (4 in the platform's templates). */
  private detectIndentUnit(): number {
    const root = this.doc.contents;
    if (!isMap(root)) return 4;
    for (const pair of root.items) {
      if (!isPair(pair)) continue;
      const value = pair.value as Node | null;
      if (isMap(value) && !value.flow && value.items.length > 0) {
        const firstKey = (value.items[0] as Pair<Node, unknown>).key;
        const step = this.column(firstKey.range![0]) - this.column((pair.key as Node).range![0]);
        if (step > 0) return step;
      }
    }
    return 4;
  }
}

