// What the two config kinds (v1 service `meta/config.yaml`, v2 deployment `config.yaml`)
// have in common: one parse step with positions and input limits, the yaml node helpers and
// the locator, the rule context that turns key paths into positioned diagnostics, strict
// SemVer and ranges, "did you mean", value checks and size/duration units. Pure (no Node).
export type { ParsedConfig, FieldKind, FieldSpec, SizeValue } from './types';
export { parseConfigText } from './parse';
export { locate, at, type Location } from './locate';
export { findNode, findPair, keyText, isEmptyNode, sourceText, pathAtOffset, type Found } from './nodes';
export { RuleContext, type Rule } from './rule-context';
export { isStrictSemver, isPrerelease } from './semver-strict';
export {
  describeLayerRange,
  layerRangeMatches,
  versionConstraintProblem,
  describeVersionConstraint,
  versionConstraintMatches,
  constraintFromRange,
  rangeFromConstraint,
} from './ranges';
export { closest, editDistance } from './suggest';
export { CONFIG_MAX_BYTES, CONFIG_MAX_NESTING, CONFIG_MAX_TEXT } from './limits';
export { checkConfigText, positionOf, textDiagnostic, utf8Length } from './text-checks';
export { findExcessNesting } from './nesting';
export { parseSizeIn, splitSize, formatBytes, parseDuration, type SizeUnit, type SizeUnitTable } from './units';
export { isHostName, UUID_RE, portRangeProblem, protocolProblem, PROTOCOLS } from './value-checks';
export { fieldIn } from './fields';
export { ARCHITECTURE_WORDS, ociArchitectureOf } from './architectures';
export { matchCatalog, SELECTION_ASSUMPTION, type CatalogVersion, type CatalogRange, type CatalogMatch, type CatalogMatchResult, type MatchStatus } from './catalog-match';
