// Opening a service tree: its config text with diagnostics and the listing of its rootfs.
import type { ServiceSnapshot } from '../../../shared/contract';
import { sortDiagnostics, type Diagnostic } from '../../../shared/diagnostics';
import { checkServiceConfig, type ParsedServiceConfig } from '../../../shared/service-config';
import { sourceFolderOf } from './build-settings';
import { checkServiceFiles } from './file-checks';
import { readConfigFile, type ConfigFile } from './config-file';
import { listSourceFolder } from './src-listing';

export type ReadConfig = ConfigFile;

/** meta/config.yaml of the service in `dir`, through the one config reader (size cap, regular file only). */
export function readServiceConfig(dir: string): Promise<ReadConfig> {
  return readConfigFile(dir);
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
