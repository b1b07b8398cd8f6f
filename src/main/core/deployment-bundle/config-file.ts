// The one reader of a deployment bundle's config.yaml: the same guards as the service
// config reader (regular file, size cap, no blocking open), its own words.
import { resolve } from 'node:path';
import { appError } from '../../../shared/errors';
import { readConfigFileAt, type ConfigFile } from '../service-tree/config-file';
import { bundleConfigPathOf } from './layout';

export type { ConfigFile };

export function readDeploymentConfigFile(dir: string): Promise<ConfigFile> {
  const root = resolve(dir);
  return readConfigFileAt(root, bundleConfigPathOf(root), {
    what: 'a deployment config',
    missing: (configPath) =>
      appError('not-a-bundle', `${root} is not a deployment bundle: ${configPath} is missing. Create one with init --bundle.`, { file: configPath }),
    folder: (configPath) => appError('not-a-bundle', `${root} is not a deployment bundle: ${configPath} is a folder, not a file.`, { file: configPath }),
  });
}
