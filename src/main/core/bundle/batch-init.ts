// `init --bundle`: makes a new deployment bundle folder with config.yaml from the commented
// schemaVersion 2 template (deployment-config's deploymentTemplate). Never overwrites: an
// existing config.yaml stops it, and so does a service tree in the folder (a folder of both
// kinds would be ambiguous to sign).
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { deploymentTemplate, type DeploymentTemplateOptions } from '../../../shared/deployment-config';
import { appError, fsFailure } from '../../../shared/errors';
import { writeFileAtomic } from '../fs/atomic-write';
import { makeFolder } from '../fs/make-folder';
import { configPathOf } from '../service-tree/layout';
import { BATCH_CONFIG_FILE } from './batch-config';

export interface BatchInitResult {
  root: string;
  configPath: string;
  /** What was made, relative to the root, folders with a trailing slash. */
  created: string[];
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw fsFailure(e, 'Cannot read', p);
  }
}

export async function initDeploymentBundle(dir: string, template: DeploymentTemplateOptions = {}): Promise<BatchInitResult> {
  const root = path.resolve(dir);
  const configPath = path.join(root, BATCH_CONFIG_FILE);
  if (await exists(configPath)) throw appError('exists', `${configPath} already exists; init never overwrites a config.`, { file: configPath });
  if (await exists(configPathOf(root))) {
    throw appError('exists', `${root} holds a service tree (meta/config.yaml); make the deployment bundle in a folder of its own.`, { file: configPathOf(root) });
  }
  const created: string[] = [];
  if (!(await exists(root))) {
    try {
      await makeFolder(root);
    } catch (e) {
      throw fsFailure(e, 'Cannot create the folder', root);
    }
    created.push('./');
  }
  try {
    await writeFileAtomic(configPath, deploymentTemplate(template));
  } catch (e) {
    throw fsFailure(e, 'Cannot write', configPath);
  }
  created.push(BATCH_CONFIG_FILE);
  return { root, configPath, created };
}
