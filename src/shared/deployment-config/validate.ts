import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics';
import { RuleContext, type Rule } from '../config-common/rule-context';
import type { ParsedDeploymentConfig } from './index';
import { checkSchemaVersion } from './rules/schema-version';
import { checkStructure } from './rules/structure';
import { checkCodenameSpelling, checkItemsPresent, checkNoServicesWithComponents, checkServiceConfiguration, checkUniqueCodenames } from './rules/items';
import { checkImages } from './rules/images';

/** Schema walk first (types, unknown and missing keys), then the rules between values. */
const RULES: readonly Rule[] = [checkStructure, checkSchemaVersion, checkItemsPresent, checkCodenameSpelling, checkUniqueCodenames, checkNoServicesWithComponents, checkImages, checkServiceConfiguration];

/** Every rule of deployment-bundle.md §2, at the line and column of the offending key or value. */
export function validateDeploymentConfig(parsed: ParsedDeploymentConfig): Diagnostic[] {
  // A refused text has no document to check; its one diagnostic is in `parsed.syntax`.
  // A text with a YAML syntax error has no trustworthy document either: rules run on what the
  // parser recovered would report "missing" keys that are only unreadable. Syntax errors alone.
  if (parsed.unreadable || hasErrors(parsed.syntax)) return [];
  const ctx = new RuleContext(parsed);
  for (const rule of RULES) rule(ctx);
  return sortDiagnostics(ctx.diagnostics);
}
