// Types shared by the two config kinds (v1 service `meta/config.yaml`, v2 deployment
// `config.yaml`): the parsed document with positions, and the field catalogue that drives
// the schema walk, the "did you mean" suggestions and the renderer's forms.
import type { Document, LineCounter } from 'yaml';
import type { Diagnostic } from '../diagnostics';

export interface ParsedConfig {
  text: string;
  /** The yaml Document (comments and formatting preserved). */
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** Plain JS view of the document (`doc.toJS()`); undefined when the text does not parse. */
  value: unknown;
  /** YAML syntax errors and warnings, with positions. */
  syntax: Diagnostic[];
  /**
   * Set when the text was refused before parsing (too large, too deeply nested, not UTF-8
   * text): `doc` is then empty, `value` undefined, and `syntax` says why.
   */
  unreadable?: boolean;
}

export type FieldKind =
  | 'section'
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'enum'
  | 'size'
  | 'duration'
  | 'semver'
  | 'semver-range'
  | 'path'
  | 'host'
  | 'command'
  | 'string-list'
  | 'enum-list'
  | 'object-list'
  | 'map';

export interface FieldSpec {
  key: string;
  kind: FieldKind;
  /** Short description for people (form help text, hover). */
  doc: string;
  required?: boolean;
  /** For 'enum' / 'enum-list'. */
  options?: readonly string[];
  /** Default the platform applies when the key is absent, as text. */
  defaultText?: string;
  /** For 'section' and 'object-list': the keys inside. */
  fields?: readonly FieldSpec[];
  /** Numeric bounds for 'integer' / 'number'. */
  min?: number;
  max?: number;
}

export interface SizeValue {
  bytes: number;
  /** Which convention the unit follows, e.g. 'decimal (k = 1000)' or 'binary (Ki = 1024)'. */
  convention: string;
}
