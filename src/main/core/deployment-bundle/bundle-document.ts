// Opening and saving a deployment bundle's config.yaml for the app: the text with every
// diagnostic, and an atomic save that refuses to clobber a file changed on disk since it
// was read (unless the user says so), exactly as for a service's meta/config.yaml.
import { stat } from 'node:fs/promises';
import type { DeploymentSnapshot } from '../../../shared/contract';
import { appError } from '../../../shared/errors';
import { CONFIG_MAX_BYTES, CONFIG_MAX_TEXT } from '../../../shared/config-common';
import { writeFileAtomic } from '../fs/atomic-write';
import { checkDeploymentBundle } from './check-bundle';
import type { FolderCheckOptions } from './check-folder';
import { readDeploymentConfigFile } from './config-file';

/** The bundle as the app opens it: config.yaml with every diagnostic (rules and folder checks, 9a's check). */
export async function openDeploymentBundle(dir: string, options: FolderCheckOptions = {}): Promise<DeploymentSnapshot> {
  const check = await checkDeploymentBundle(dir, options);
  return { root: check.root, configPath: check.configPath, configText: check.configText, configMtimeMs: check.configMtimeMs, diagnostics: check.diagnostics };
}

export interface SaveOptions {
  expectedMtimeMs?: number;
  force?: boolean;
}

export async function saveDeploymentConfig(dir: string, text: string, options: SaveOptions = {}): Promise<{ configMtimeMs: number; configPath: string }> {
  // Never write what open would refuse to read back.
  if (Buffer.byteLength(text, 'utf8') > CONFIG_MAX_BYTES) {
    throw appError('invalid-config', `The config is ${Buffer.byteLength(text, 'utf8')} bytes; a deployment config may be at most ${CONFIG_MAX_TEXT}, so it was not saved.`);
  }
  const current = await readDeploymentConfigFile(dir);
  if (!options.force && options.expectedMtimeMs !== undefined && Math.abs(current.mtimeMs - options.expectedMtimeMs) > 0.5 && current.text !== text) {
    throw appError('conflict', `${current.configPath} changed on disk since it was opened. Reload it, or save again to overwrite.`, { file: current.configPath });
  }
  await writeFileAtomic(current.configPath, text);
  return { configMtimeMs: (await stat(current.configPath)).mtimeMs, configPath: current.configPath };
}
