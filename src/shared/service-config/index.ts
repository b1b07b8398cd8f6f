// The service config (`meta/config.yaml`, schema v1): parse with positions, validate every
// rule of the spec, edit one value without losing comments, render the commented template.
// Pure functions with no Node or Electron imports: main, the CLI and the renderer (live
// diagnostics in the editor and the form) all run this very code.
//
// PUBLIC API. Implementation lives in the sibling modules; keep these signatures stable.
import type { Document, LineCounter } from 'yaml';
import type { Diagnostic, KeyPath } from '../diagnostics';

export interface ParsedServiceConfig {
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

export interface ServiceConfigCheck {
  parsed: ParsedServiceConfig;
  /** Syntax + schema diagnostics, sorted (errors first, then by position). */
  diagnostics: Diagnostic[];
}

/** Field catalogue that drives the form and the "did you mean" suggestions. */
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
  /** The key in words, for form labels ("Working directory" for workingDir). */
  label: string;
  /** The unit a number is in, where the format says one (DMIPS, percent, bytes). */
  unit?: string;
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

export interface TemplateOptions {
  /** Start command; default `python3 /hello_world.py` style placeholder. */
  cmd?: string;
  workingDir?: string;
  /** build.arch value as the v1 tool writes it (`x86`, `aarch64`); default `x86`. */
  arch?: string;
  /** build.sign_pkcs12 / publish.tls_pkcs12 file name; default `aos-user-sp.p12`. */
  pkcs12?: string;
  /** Cloud host for publish.url; default `aoscloud.io`. */
  url?: string;
  /** Service name for the header comment (informational). */
  name?: string;
}

export interface SizeValue {
  bytes: number;
  /** Which convention the unit follows, e.g. 'decimal (k = 1000)' or 'binary (Ki = 1024)'. */
  convention: string;
}

export { SERVICE_CONFIG_SCHEMA, fieldAt, RUNNERS, SYMLINK_POLICIES, BALANCING_POLICIES } from './schema';
export { parseServiceConfig } from './parse';
export { validateServiceConfig } from './validate';
export { setConfigValue, getConfigValue } from './edit';
export { renderServiceConfigTemplate } from './template';
export { parseSize, parseDuration, formatBytes } from './units';
export { isStrictSemver, isPrerelease } from './semver-strict';
export { CONTAINER_MEMORY_FLOOR, MISSING_CMD_MESSAGE, isMissingCommand, runsInContainerWith } from './rules/runtime';
export { describeLayerRange, layerRangeMatches } from './layer-range';
export { locate } from './locate';
export { CONFIG_MAX_BYTES, CONFIG_MAX_NESTING, CONFIG_MAX_TEXT } from './limits';

import { parseServiceConfig } from './parse';
import { validateServiceConfig } from './validate';
import { sortDiagnostics } from '../diagnostics';

/** Parse + validate in one call: what the CLI, the editor and the sign step use. */
export function checkServiceConfig(text: string): ServiceConfigCheck {
  const parsed = parseServiceConfig(text);
  return { parsed, diagnostics: sortDiagnostics([...parsed.syntax, ...validateServiceConfig(parsed)]) };
}

export type { KeyPath };
