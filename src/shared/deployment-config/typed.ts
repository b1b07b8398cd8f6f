// The typed view of a checked config: what signing, the "what goes in" panel and the form
// read, so none of them re-interprets raw YAML values.
import { hasErrors } from '../diagnostics';
import type { DeploymentConfig, ParsedDeploymentConfig } from './index';
import { validateDeploymentConfig } from './validate';

/**
 * The config as typed data when it has no errors (syntax or rules); undefined otherwise,
 * so nobody signs or previews from a config the validator refuses.
 */
export function typedDeploymentConfig(parsed: ParsedDeploymentConfig): DeploymentConfig | undefined {
  if (parsed.unreadable || parsed.value === undefined || hasErrors(parsed.syntax)) return undefined;
  if (hasErrors(validateDeploymentConfig(parsed))) return undefined;
  // The rules have checked every type and required key: the plain value has this shape.
  return parsed.value as DeploymentConfig;
}
