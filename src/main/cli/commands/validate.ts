import { parseArgs } from 'node:util';
import { homedir } from 'node:os';
import { relative, resolve } from 'node:path';
import { hasErrors } from '../../../shared/diagnostics';
import { diagnoseDeploymentBundle } from '../../core/bundle';
import { diagnoseServiceConfig, readServiceConfig } from '../../core/service-tree/open';
import { folderKindFor } from '../folder-kind';
import { diagnosticJson, formatDiagnostic } from '../diagnostics-format';
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo } from '../io';

export async function runValidate(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  if (positionals.length > 1) throw new UsageError('validate takes at most one folder');
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  const home = io.env.HOME || homedir();
  const kind = await folderKindFor(dir, io);
  let configPath: string;
  let diagnostics;
  if (kind.kind === 'deployment-bundle') {
    const diagnosis = await diagnoseDeploymentBundle(dir, { homeDir: home });
    configPath = diagnosis.file.configPath;
    diagnostics = diagnosis.diagnostics;
  } else {
    const config = await readServiceConfig(dir);
    configPath = config.configPath;
    diagnostics = diagnoseServiceConfig(config.text, config.root, home).diagnostics;
  }
  const ok = !hasErrors(diagnostics);
  if (values.json) {
    io.stdout(`${JSON.stringify({ ok, kind: kind.kind, diagnostics: diagnostics.map(diagnosticJson) }, null, 2)}\n`);
  } else {
    const file = relative(io.cwd, configPath) || configPath;
    for (const d of diagnostics) io.stdout(`${formatDiagnostic(file, d)}\n`);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = diagnostics.length - errors;
    io.stderr(ok ? `${file}: valid${warnings ? ` (${plural(warnings, 'warning')})` : ''}\n` : `${file}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`);
  }
  return ok ? EXIT_OK : EXIT_INVALID;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
