// Renders plain JS values as YAML text for the editor: scalars that read back as the same
// value under both YAML 1.2 (this app) and YAML 1.1 (the platform's Python tool), block
// maps and lists at a given indentation, and flow collections.
import { parse, type Scalar } from 'yaml';

type Style = Scalar.Type | undefined;

function readsBackAs(text: string, value: string): boolean {
  try {
    return parse(text) === value && parse(text, { version: '1.1' }) === value;
  } catch {
    return false;
  }
}

/** Whether `s` can be written without quotes and still be the same string. */
export function isPlainSafe(s: string, flow = false): boolean {
  if (s === '' || s !== s.trim() || /[\n\r\t]/.test(s)) return false;
  if (/: |\s#|:$/.test(s)) return false;
  if (/^[?:,[\]{}#&*!|>'"%@`]/.test(s) || /^-(\s|$)/.test(s)) return false;
  if (flow && /[,[\]{}]/.test(s)) return false;
  // `1.0` is a number and `true`, `yes`, `null` are not strings: quote them.
  return readsBackAs(s, s);
}

export function renderScalar(value: unknown, style?: Style, flow = false): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan';
    if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
    return String(value);
  }
  const s = String(value);
  if (style === 'QUOTE_SINGLE' && !/[\n\r\t]/.test(s)) return `'${s.replace(/'/g, "''")}'`;
  if (style === 'QUOTE_DOUBLE') return JSON.stringify(s);
  return isPlainSafe(s, flow) ? s : JSON.stringify(s);
}

export function isCollection(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null;
}

function isEmptyCollection(value: unknown): boolean {
  return Array.isArray(value) ? value.length === 0 : isCollection(value) && Object.keys(value).length === 0;
}

/** Whether the value fits after `key: ` on one line. */
export function isInline(value: unknown): boolean {
  return !isCollection(value) || isEmptyCollection(value);
}

export function renderInline(value: unknown, style?: Style): string {
  if (Array.isArray(value) || isCollection(value)) return renderFlow(value);
  return renderScalar(value, style);
}

export function renderFlow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(renderFlow).join(', ')}]`;
  if (isCollection(value)) {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${renderScalar(k, undefined, true)}: ${renderFlow(v)}`)
      .join(', ')} }`.replace('{  }', '{}');
  }
  return renderScalar(value, undefined, true);
}

/** The lines of a block map or list whose items start at `indent` (no trailing newline). */
export function renderBlock(value: Record<string, unknown> | unknown[], indent: string, unit: string): string {
  if (Array.isArray(value)) return value.map((item) => renderSeqItem(item, indent, unit)).join('\n');
  return Object.entries(value)
    .map(([k, v]) => renderEntry(k, v, indent, unit))
    .join('\n');
}

export function renderEntry(key: string, value: unknown, indent: string, unit: string): string {
  const k = renderScalar(key);
  if (isInline(value)) return `${indent}${k}: ${renderInline(value)}`;
  return `${indent}${k}:\n${renderBlock(value as Record<string, unknown>, indent + unit, unit)}`;
}

/** `- item`; a map item puts its first key after the dash and the rest under it. */
export function renderSeqItem(value: unknown, indent: string, unit: string): string {
  if (isInline(value) || Array.isArray(value)) return `${indent}- ${renderInline(value)}`;
  const body = renderBlock(value as Record<string, unknown>, `${indent}  `, unit);
  return `${indent}- ${body.slice(indent.length + 2)}`;
}
