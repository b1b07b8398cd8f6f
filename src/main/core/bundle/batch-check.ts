// What `validate` reports for a deployment bundle and what `sign` refuses on: every rule of
// the deployment-config validator (spec §2, pure, with line and column) plus what only the
// folder can tell (planBatch: each referenced path exists, is of the right kind and stays
// inside the folder, credentials and the output never packed), as one sorted diagnostics list.
import { sortDiagnostics, hasErrors, type Diagnostic } from '../../../shared/diagnostics';
import { checkDeploymentConfig } from '../../../shared/deployment-config';
import { readDeploymentConfigFile, type ConfigFile } from '../deployment-bundle/config-file';
import { planBatch, type BatchContents, type BatchContentsOptions, type BatchProblem } from './batch-contents';

export interface BatchDiagnosis {
  file: ConfigFile;
  diagnostics: Diagnostic[];
  /** What signing would pack, when the config parses. */
  contents?: BatchContents;
}

function problemDiagnostic(p: BatchProblem): Diagnostic {
  return {
    severity: 'error',
    code: 'bundle-path',
    message: p.message,
    path: p.reference ?? p.location.path ?? '',
    line: p.location.line ?? 1,
    column: p.location.column ?? 1,
    offset: 0,
    endOffset: 0,
  };
}

export async function diagnoseDeploymentBundle(dir: string, opts: BatchContentsOptions = {}): Promise<BatchDiagnosis> {
  const file = await readDeploymentConfigFile(dir);
  const { parsed, diagnostics } = checkDeploymentConfig(file.text);
  if (parsed.unreadable || parsed.value === undefined || hasErrors(parsed.syntax)) return { file, diagnostics };
  const contents = (await planBatch(file.root, opts)).contents;
  // A path the rules already refuse (absolute, '..') is reported once, by the rules.
  const seen = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.path));
  const extra = contents.problems.filter((p) => !(p.reference && seen.has(p.reference))).map(problemDiagnostic);
  return { file, diagnostics: sortDiagnostics([...diagnostics, ...extra]), contents };
}
