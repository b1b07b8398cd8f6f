import type { ParsedServiceConfig } from './index';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics';
import { RuleContext, type Rule } from '../config-common/rule-context';
import { checkStructure } from './rules/structure';
import { checkBuild } from './rules/build';
import { checkPublish } from './rules/publish';
import { checkLayers } from './rules/layers';
import { checkAllowedConnections, checkExposedPorts } from './rules/network';
import { checkDevices, checkEnv, checkPermissions } from './rules/access';
import { checkCommand, checkMemoryFloor, checkResourceLimits, checkWorkingDir } from './rules/runtime';

/** Schema walk first (types, unknown and missing keys), then the rules between values. */
const RULES: readonly Rule[] = [
  checkStructure,
  checkBuild,
  checkPublish,
  checkCommand,
  checkWorkingDir,
  checkLayers,
  checkEnv,
  checkExposedPorts,
  checkAllowedConnections,
  checkDevices,
  checkPermissions,
  checkResourceLimits,
  checkMemoryFloor,
];

/** Every rule of spec §2 and layers.md §3; positions of the offending key or value. */
export function validateServiceConfig(parsed: ParsedServiceConfig): Diagnostic[] {
  // A refused text has no document to check; its one diagnostic is in `parsed.syntax`.
  // A text with a YAML syntax error has no trustworthy document either: rules run on what the
  // parser recovered would report "missing" keys that are only unreadable. Syntax errors alone.
  if (parsed.unreadable || hasErrors(parsed.syntax)) return [];
  const ctx = new RuleContext(parsed);
  for (const rule of RULES) rule(ctx);
  return sortDiagnostics(ctx.diagnostics);
}
