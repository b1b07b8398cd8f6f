// The check `sign` and `preview` run before doing anything: every diagnostic `validate`
// reports; errors are printed in validate's format and refuse the command.
import { homedir } from 'node:os';
import { relative } from 'node:path';
import { hasErrors } from '../../shared/diagnostics';
import type { ParsedServiceConfig } from '../../shared/service-config';
import { diagnoseServiceConfig, readServiceConfig, type ReadConfig } from '../core/service-tree/open';
import { formatDiagnostic } from './diagnostics-format';
import type { CliIo } from './io';

export interface CheckedConfig {
  config: ReadConfig;
  parsed: ParsedServiceConfig;
  /** The config file as printed in diagnostics (relative to the current folder when inside it). */
  displayPath: string;
}

/**
 * Reads and diagnoses DIR's meta/config.yaml. On errors, prints every diagnostic (errors
 * and warnings, FILE:LINE:COL: severity: MESSAGE (PATH)) on stderr and returns undefined;
 * otherwise prints the warnings on stderr and returns the parsed config.
 */
export async function checkConfigFirst(dir: string, io: CliIo, command: string): Promise<CheckedConfig | undefined> {
  const config = await readServiceConfig(dir);
  const { parsed, diagnostics } = diagnoseServiceConfig(config.text, config.root, io.env.HOME || homedir());
  const displayPath = displayPathOf(io.cwd, config.configPath);
  for (const d of diagnostics) io.stderr(`${formatDiagnostic(displayPath, d)}\n`);
  if (hasErrors(diagnostics)) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    io.stderr(`aos-bundle ${command}: ${displayPath} has ${errors} error${errors === 1 ? '' : 's'}; fix ${errors === 1 ? 'it' : 'them'} first (see \`aos-bundle validate\`).\n`);
    return undefined;
  }
  return { config, parsed, displayPath };
}

export function displayPathOf(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') ? rel : file;
}
