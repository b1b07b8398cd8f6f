// Saving config.yaml: atomic (temp file + rename) and refusing to clobber a file that
// changed on disk since it was read, unless the user says so.
import { stat } from 'node:fs/promises';
import { appError } from '../../../shared/errors';
import { CONFIG_MAX_BYTES, CONFIG_MAX_TEXT } from '../../../shared/service-config';
import { writeFileAtomic } from '../fs/atomic-write';
import { readServiceConfig } from './open';

export interface SaveOptions {
  expectedMtimeMs?: number;
  force?: boolean;
}

export async function saveServiceConfig(dir: string, text: string, options: SaveOptions = {}): Promise<{ configMtimeMs: number; configPath: string }> {
  // Never write what open would refuse to read back.
  if (Buffer.byteLength(text, 'utf8') > CONFIG_MAX_BYTES) {
    throw appError('invalid-config', `The config is ${Buffer.byteLength(text, 'utf8')} bytes; a service config may be at most ${CONFIG_MAX_TEXT}, so it was not saved.`);
  }
  const current = await readServiceConfig(dir);
  if (!options.force && options.expectedMtimeMs !== undefined && Math.abs(current.mtimeMs - options.expectedMtimeMs) > 0.5 && current.text !== text) {
    throw appError('conflict', `${current.configPath} changed on disk since it was opened. Reload it, or save again to overwrite.`, {
      file: current.configPath,
    });
  }
  await writeFileAtomic(current.configPath, text);
  return { configMtimeMs: (await stat(current.configPath)).mtimeMs, configPath: current.configPath };
}
