// The build keys that say what the service's rootfs is made of: build.source_folder and
// build.symlinks. Listing, the file checks, the OCI preview and signing all read them here,
// so the app, the CLI and the signed bundle agree on which folder and which links go in.
// They are read leniently (anything unusable gives the default): validation reports the bad
// value, and signing refuses it before it gets here.
import { resolve } from 'node:path';
import { getConfigValue } from '../../../shared/service-config';
import type { SymlinkPolicy } from '../bundle/config';
import { DEFAULT_SOURCE_FOLDER } from './layout';

/** The absolute source folder: build.source_folder against the service root, default src. */
export function sourceFolderOf(root: string, parsedValue: unknown): string {
  const folder = getConfigValue(parsedValue, ['build', 'source_folder']);
  return resolve(root, typeof folder === 'string' && folder.trim() ? folder : DEFAULT_SOURCE_FOLDER);
}

/** build.symlinks, default copy. */
export function symlinkPolicyOf(parsedValue: unknown): SymlinkPolicy {
  const policy = getConfigValue(parsedValue, ['build', 'symlinks']);
  return policy === 'delete' || policy === 'raise' ? policy : 'copy';
}
