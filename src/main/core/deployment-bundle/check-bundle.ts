// The one "check a deployment bundle" use-case: config.yaml read with the guarded reader,
// parsed, every pure rule, then the folder checks. CLI validate and the app's Open both
// call this, so they can never disagree.
import { sortDiagnostics, type Diagnostic } from '../../../shared/diagnostics';
import { checkDeploymentConfig, type ParsedDeploymentConfig } from '../../../shared/deployment-config';
import { readDeploymentConfigFile } from './config-file';
import { checkDeploymentFolder, type FolderCheckOptions } from './check-folder';

export interface DeploymentBundleCheck {
  /** The bundle folder, absolute. */
  root: string;
  configPath: string;
  configText: string;
  configMtimeMs: number;
  parsed: ParsedDeploymentConfig;
  /** Syntax, rules and folder checks, sorted (errors first, then by position). */
  diagnostics: Diagnostic[];
}

/** Every diagnostic for a config text of the bundle at `root`: syntax, rules, and the folder checks. */
export async function diagnoseDeploymentConfig(text: string, root: string, options: FolderCheckOptions = {}): Promise<{ parsed: ParsedDeploymentConfig; diagnostics: Diagnostic[] }> {
  const { parsed, diagnostics } = checkDeploymentConfig(text);
  if (parsed.unreadable) return { parsed, diagnostics };
  return { parsed, diagnostics: sortDiagnostics([...diagnostics, ...(await checkDeploymentFolder(parsed, root, options))]) };
}

/** Reads and checks the deployment bundle in `dir`. Throws an AppFailure when config.yaml cannot be read. */
export async function checkDeploymentBundle(dir: string, options: FolderCheckOptions = {}): Promise<DeploymentBundleCheck> {
  const file = await readDeploymentConfigFile(dir);
  const { parsed, diagnostics } = await diagnoseDeploymentConfig(file.text, file.root, options);
  return { root: file.root, configPath: file.configPath, configText: file.text, configMtimeMs: file.mtimeMs, parsed, diagnostics };
}
