// What `validate` reports for a deployment bundle and what `sign` refuses on: 9a's check
// (deployment-bundle/check-bundle: every rule of spec §2 and the folder checks, with line and
// column) plus what only the signing plan knows (planBatch: the credentials file or the output
// inside what would be packed, devices, links climbing out of a referenced folder), as one
// sorted list. The CLI, the app and signDeploymentBundle all come through here.
import { hasErrors, sortDiagnostics, type Diagnostic } from '../../../shared/diagnostics';
import { diagnoseDeploymentConfig } from '../deployment-bundle/check-bundle';
import { readDeploymentConfigFile, type ConfigFile } from '../deployment-bundle/config-file';
import { planBatch, type BatchContents, type BatchContentsOptions, type BatchPlan, type BatchProblem } from './batch-contents';

export interface BatchDiagnosis {
  file: ConfigFile;
  diagnostics: Diagnostic[];
  /** What signing would pack, when the config parses. */
  contents?: BatchContents;
}

function problemDiagnostic(p: BatchProblem, severity: Diagnostic['severity'] = 'error'): Diagnostic {
  return {
    severity,
    code: 'bundle-contents',
    message: p.message,
    path: p.reference ?? p.location.path ?? '',
    line: p.location.line ?? 1,
    column: p.location.column ?? 1,
    offset: 0,
    endOffset: 0,
  };
}

/** The config's diagnostics (rules and folder) merged with the plan's problems; a key the check already refuses is reported once, by the check. */
export async function batchDiagnostics(text: string, plan: BatchPlan | undefined, root: string, opts: Pick<BatchContentsOptions, 'signal' | 'homeDir'> = {}): Promise<Diagnostic[]> {
  const { diagnostics } = await diagnoseDeploymentConfig(text, root, { signal: opts.signal, homeDir: opts.homeDir });
  if (!plan) return diagnostics;
  const refused = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.path));
  const extra = plan.contents.problems.filter((p) => !(p.reference && refused.has(p.reference))).map((p) => problemDiagnostic(p));
  const warnings = plan.contents.warnings.map((p) => problemDiagnostic(p, 'warning'));
  return sortDiagnostics([...diagnostics, ...extra, ...warnings]);
}

export async function diagnoseDeploymentBundle(dir: string, opts: BatchContentsOptions = {}): Promise<BatchDiagnosis> {
  const file = await readDeploymentConfigFile(dir);
  const syntax = (await diagnoseDeploymentConfig(file.text, file.root, { signal: opts.signal, homeDir: opts.homeDir })).parsed.syntax;
  // planBatch needs a config that parses; a syntax error is the check's to report.
  const plan = hasErrors(syntax) ? undefined : await planBatch(file.root, opts);
  return { file, diagnostics: await batchDiagnostics(file.text, plan, file.root, opts), contents: plan?.contents };
}
