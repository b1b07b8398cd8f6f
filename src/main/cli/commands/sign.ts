import { parseArgs } from 'node:util';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { AppFailure } from '../../../shared/errors';
import { diagnoseDeploymentBundle, signDeploymentBundle, signServiceBundle, type SignProgress, type SignResult } from '../../core/bundle';
import { hasErrors } from '../../../shared/diagnostics';
import { checkConfigFirst, displayPathOf } from '../config-check';
import { formatDiagnostic } from '../diagnostics-format';
import { folderKindFor } from '../folder-kind';
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo } from '../io';
import { PASSWORD_OPTIONS, passwordFromOptions, withPassword } from '../password';
import { formatBytes, progressLine, type ProgressLine } from '../progress';
import { cancellation } from '../signal';

const PHASE_LABEL: Record<SignProgress['phase'], string> = {
  scan: 'scanning',
  archive: 'archive',
  sign: 'signing',
  package: 'package',
  done: 'done',
};

export function showSignProgress(line: ProgressLine, p: SignProgress): void {
  if (p.phase === 'done') return line.clear();
  line.update({
    label: PHASE_LABEL[p.phase],
    done: p.phase === 'scan' || p.phase === 'sign' ? 0 : p.done,
    total: p.phase === 'scan' || p.phase === 'sign' ? 0 : p.total,
    filesDone: p.phase === 'archive' ? p.filesDone : undefined,
    filesTotal: p.phase === 'archive' ? p.filesTotal : undefined,
  });
}

/**
 * A deployment bundle's diagnostics (the validator's rules and the folder's: every referenced
 * path) printed as validate prints them; false when there are errors, so nothing is signed.
 */
export async function checkBundleFirst(dir: string, outFile: string | undefined, io: CliIo, command = 'sign'): Promise<boolean> {
  const { file, diagnostics } = await diagnoseDeploymentBundle(dir, { outFile, homeDir: io.env.HOME || homedir() });
  const shown = displayPathOf(io.cwd, file.configPath);
  for (const d of diagnostics) io.stderr(`${formatDiagnostic(shown, d)}\n`);
  if (!hasErrors(diagnostics)) return true;
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  io.stderr(`aos-bundle ${command}: ${shown} has ${errors} error${errors === 1 ? '' : 's'}; fix ${errors === 1 ? 'it' : 'them'} first (see \`aos-bundle validate\`).\n`);
  return false;
}

export async function runSign(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: 'string', short: 'o' }, ...PASSWORD_OPTIONS },
  });
  if (positionals.length > 1) throw new UsageError('sign takes at most one folder');
  const source = await passwordFromOptions(values, io);
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  const outFile = values.out === undefined ? undefined : resolve(io.cwd, values.out);
  const kind = await folderKindFor(dir, io);
  let sign: (password: string | undefined, common: { signal: AbortSignal; homeDir: string; onProgress: (p: SignProgress) => void }) => Promise<SignResult>;
  if (kind.kind === 'deployment-bundle') {
    if (!(await checkBundleFirst(dir, outFile, io))) return EXIT_INVALID;
    sign = (password, common) => signDeploymentBundle({ dir: kind.root, outFile, password, ...common });
  } else {
    const checked = await checkConfigFirst(dir, io, 'sign');
    if (!checked) return EXIT_INVALID;
    sign = (password, common) => signServiceBundle({ root: checked.config.root, outFile, password, ...common });
  }

  const { signal, dispose } = cancellation(io);
  const line = progressLine(io);
  const started = Date.now();
  try {
    const result = await withPassword(io, source, (password) => sign(password, { signal, homeDir: io.env.HOME || homedir(), onProgress: (p) => showSignProgress(line, p) }));
    line.clear();
    for (const w of result.warnings) io.stderr(`warning: ${w}\n`);
    io.stdout(`path: ${result.path}\nsize: ${result.size}\nsha256: ${result.sha256}\ninner-sha3-512: ${result.inner.sha3_512}\n`);
    const seconds = (Date.now() - started) / 1000;
    io.stderr(`Signed ${result.files} file${result.files === 1 ? '' : 's'} into ${formatBytes(result.size)} in ${seconds.toFixed(1)} s.\n`);
    return EXIT_OK;
  } catch (e) {
    line.clear();
    if (e instanceof AppFailure && e.error.code === 'cancelled') {
      io.stderr('aos-bundle sign: cancelled; no bundle was written.\n');
      return EXIT_INVALID;
    }
    throw e;
  } finally {
    dispose();
  }
}
