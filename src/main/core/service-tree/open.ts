// Opening a service tree: its config text with diagnostics and the listing of its rootfs.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ServiceSnapshot } from '../../../shared/contract';
import { sortDiagnostics, type Diagnostic } from '../../../shared/diagnostics';
import { appError } from '../../../shared/errors';
import { checkServiceConfig, type ParsedServiceConfig } from '../../../shared/service-config';
import { sourceFolderOf } from './build-settings';
import { checkServiceFiles } from './file-checks';
import { configPathOf } from './layout';
import { listSourceFolder } from './src-listing';

export interface ReadConfig {
  root: string;
  configPath: string;
  text: string;
  mtimeMs: number;
}

export async function readServiceConfig(dir: string): Promise<ReadConfig> {
  const root = resolve(dir);
  const configPath = configPathOf(root);
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(configPath)).mtimeMs;
  } catch {
    throw appError('not-a-service', `${root} is not a service tree: ${configPath} is missing. Create one with init.`, { file: configPath });
  }
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (e) {
    throw appError('io', `Cannot read ${configPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: configPath });
  }
  return { root, configPath, text, mtimeMs };
}

/** Every diagnostic for a config text: syntax, schema, and the filesystem checks. */
export function diagnoseServiceConfig(text: string, root: string, homeDir: string): { parsed: ParsedServiceConfig; diagnostics: Diagnostic[] } {
  const { parsed, diagnostics } = checkServiceConfig(text);
  return { parsed, diagnostics: sortDiagnostics([...diagnostics, ...checkServiceFiles(parsed, root, homeDir)]) };
}

export async function openServiceTree(dir: string, homeDir: string): Promise<ServiceSnapshot> {
  const config = await readServiceConfig(dir);
  const { parsed, diagnostics } = diagnoseServiceConfig(config.text, config.root, homeDir);
  const src = await listSourceFolder(sourceFolderOf(config.root, parsed.value));
  return {
    root: config.root,
    configPath: config.configPath,
    configText: config.text,
    configMtimeMs: config.mtimeMs,
    diagnostics,
    src,
  };
}
