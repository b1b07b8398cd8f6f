// The service config (`meta/config.yaml`, schema v1): parse with positions, validate every
// rule of the spec, edit one value without losing comments, render the commented template.
// Pure functions with no Node or Electron imports: main, the CLI and the renderer (live
// diagnostics in the editor and the form) all run this very code.
//
// PUBLIC API. Implementation lives in the sibling modules; keep these signatures stable.
import type { Diagnostic, KeyPath } from '../diagnostics';
import type { ParsedConfig } from '../config-common/types';

/** meta/config.yaml parsed with positions (the shape every config kind shares). */
export type ParsedServiceConfig = ParsedConfig;

export interface ServiceConfigCheck {
  parsed: ParsedServiceConfig;
  /** Syntax + schema diagnostics, sorted (errors first, then by position). */
  diagnostics: Diagnostic[];
}

/** Field catalogue that drives the form and the "did you mean" suggestions (shared with the deployment config). */
export type { FieldKind, FieldSpec, SizeValue } from '../config-common/types';

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

export { SERVICE_CONFIG_SCHEMA, fieldAt, RUNNERS, SYMLINK_POLICIES, BALANCING_POLICIES } from './schema';
export { parseServiceConfig } from './parse';
export { validateServiceConfig } from './validate';
export { setConfigValue, getConfigValue } from '../config-common/edit';
export { renderServiceConfigTemplate } from './template';
export { parseSize, parseDuration, formatBytes } from './units';
export { isStrictSemver, isPrerelease } from '../config-common/semver-strict';
export { CONTAINER_MEMORY_FLOOR, MISSING_CMD_MESSAGE, isMissingCommand, runsInContainerWith } from './rules/runtime';
export { describeLayerRange, layerRangeMatches } from '../config-common/ranges';
export { locate } from '../config-common/locate';
export type { Location } from '../config-common/locate';
export { CONFIG_MAX_BYTES, CONFIG_MAX_NESTING, CONFIG_MAX_TEXT } from '../config-common/limits';

import { parseServiceConfig } from './parse';
import { validateServiceConfig } from './validate';
import { sortDiagnostics } from '../diagnostics';

/** Parse + validate in one call: what the CLI, the editor and the sign step use. */
export function checkServiceConfig(text: string): ServiceConfigCheck {
  const parsed = parseServiceConfig(text);
  return { parsed, diagnostics: sortDiagnostics([...parsed.syntax, ...validateServiceConfig(parsed)]) };
}

export type { KeyPath };
