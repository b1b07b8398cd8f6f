// Every diagnostic of a deployment config text: syntax and schema (the pure checker the
// renderer runs on each keystroke).
import { checkDeploymentConfig } from '../../../shared/deployment-config';
import type { Diagnostic } from '../../../shared/diagnostics';

export async function diagnoseDeploymentConfig(text: string, root: string): Promise<Diagnostic[]> {
  void root;
  return checkDeploymentConfig(text).diagnostics;
}

