// The deployment config (`config.yaml` at the root of a `schemaVersion: 2` deployment
// bundle, deployment-bundle.md §2): parse with positions, validate every rule of the spec,
// edit without losing comments, render the commented template. The v2 counterpart of
// service-config; what both kinds share lives in config-common. Pure functions with no
// Node or Electron imports: main, the CLI and the renderer all run this very code.
//
// PUBLIC API. Implementation lives in the sibling modules; keep these signatures stable.
import type { Diagnostic, KeyPath } from '../diagnostics';
import type { ParsedConfig } from '../config-common/types';
import type { ItemType } from './schema';

/** config.yaml parsed with positions: the same shape as ParsedServiceConfig. */
export type ParsedDeploymentConfig = ParsedConfig;

export interface DeploymentConfigCheck {
  parsed: ParsedDeploymentConfig;
  /** Syntax + schema diagnostics, sorted (errors first, then by position). */
  diagnostics: Diagnostic[];
}

export type { ItemType };

/** Who an item (or a dependency) is in the cloud. */
export interface DeploymentIdentity {
  type: ItemType;
  codename: string;
  title?: string;
  description?: string;
}

export interface ArchInfo {
  /** OCI name: amd64, arm64, arm (with variant), any. */
  architecture: string;
  variant?: string;
}

export interface OsInfo {
  os: string;
  version?: string;
  features?: string[];
}

/** One image of an item: a prepared file (`path`) or a folder (`sourceFolder`), exactly one of them. */
export interface DeploymentImage {
  mediaType?: string;
  archInfo: ArchInfo;
  osInfo?: OsInfo;
  /** A prepared file (layer or component image), relative to the bundle (or item) folder. */
  path?: string;
  /** A folder (a service's rootfs for this architecture), relative to the bundle (or item) folder. */
  sourceFolder?: string;
}

export interface DeploymentDependency {
  identity: { type: ItemType; codename: string };
  /** SemVer constraint, e.g. ">=1.0.0 <2.0.0". */
  versions: string;
}

export interface DeploymentItem {
  identity: DeploymentIdentity;
  /** Strict SemVer. */
  version: string;
  /** The item's root folder; image paths are relative to it when set. */
  sourceFolder?: string;
  images: DeploymentImage[];
  dependencies?: DeploymentDependency[];
  /** For services: the runtime settings, as written (keys of spec §2's table). */
  configuration?: Record<string, unknown>;
}

export interface DeploymentConfig {
  schemaVersion: 2;
  publisher?: { author?: string; company?: string };
  publish: { tlsKey: string; domain?: string; signKey?: string };
  items: DeploymentItem[];
}

export {
  DEPLOYMENT_FIELDS,
  deploymentFieldAt,
  ITEM_TYPES,
  ARCHITECTURES,
  ARCHITECTURE_ALIASES,
  LAYER_MEDIA_TYPE,
  COMPONENT_MEDIA_TYPES,
  MEDIA_TYPES_BY_ITEM_TYPE,
  RUNNERS,
} from './schema';
export { parseDeploymentConfig } from './parse';
export { validateDeploymentConfig } from './validate';
export { typedDeploymentConfig } from './typed';
export {
  imagePathOf,
  imageReferences,
  imageReferencesIn,
  itemFolderReferencesIn,
  joinBundlePath,
  type ImageReference,
  type ItemFolderReference,
} from './image-paths';
export {
  setDeploymentValue,
  addDeploymentItem,
  duplicateDeploymentItem,
  removeDeploymentItem,
  addDeploymentImage,
  removeDeploymentImage,
  addDeploymentDependency,
} from './edit';
export { getConfigValue as getDeploymentValue } from '../config-common/edit';
export { deploymentTemplate, type DeploymentTemplateOptions, type DeploymentTemplateImage } from './template';
export { parseLayerImageName, architectureOf, type LayerImageName } from './layer-image-name';
export { parseBinarySize } from './units';
export {
  describeVersionConstraint,
  versionConstraintProblem,
  versionConstraintMatches,
  constraintFromRange,
  rangeFromConstraint,
} from '../config-common/ranges';
export { isStrictSemver, isPrerelease } from '../config-common/semver-strict';
export { locate, type Location } from '../config-common/locate';
export type { FieldKind, FieldSpec, SizeValue } from '../config-common/types';

import { parseDeploymentConfig } from './parse';
import { validateDeploymentConfig } from './validate';
import { sortDiagnostics } from '../diagnostics';

/** Parse + validate in one call: what the CLI, the editor and the sign step use. */
export function checkDeploymentConfig(text: string): DeploymentConfigCheck {
  const parsed = parseDeploymentConfig(text);
  return { parsed, diagnostics: sortDiagnostics([...parsed.syntax, ...validateDeploymentConfig(parsed)]) };
}

export type { KeyPath };
export { deploymentItemTypes } from './item-types';
