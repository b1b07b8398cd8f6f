// Every diagnostic of a deployment config text: syntax and schema (the pure checker the
// renderer runs on each keystroke).
import { checkDeploymentConfig } from '../../../shared/deployment-config';
import type { Diagnostic } from '../../../shared/diagnostics';
import { AppFailure } from '../../../shared/errors';
import { readDeploymentConfigFile } from './config-file';

export async function diagnoseDeploymentConfig(text: string, root: string): Promise<Diagnostic[]> {
  void root;
  return checkDeploymentConfig(text).diagnostics;
}

/**
 * Why signing must refuse the bundle in `dir`: its config.yaml's first error as an
 * AppFailure at that line, or undefined when it has none (warnings do not refuse).
 */
export async function deploymentConfigRefusal(dir: string): Promise<Error | undefined> {
  const config = await readDeploymentConfigFile(dir);
  const first = (await diagnoseDeploymentConfig(config.text, config.root)).find((d) => d.severity === 'error');
  if (!first) return undefined;
  return new AppFailure({
    code: 'invalid-config',
    message: `config.yaml has an error, so the bundle was not signed: ${first.message}`,
    location: { file: config.configPath, line: first.line, column: first.column, path: first.path },
  });
}
