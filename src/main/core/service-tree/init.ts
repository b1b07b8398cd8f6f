// `init`: makes a new service tree (meta/config.yaml from the commented template, src/).
// Never overwrites: an existing config.yaml stops it, and it reports what it made.
import { mkdir, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { homedir } from 'node:os';
import { renderServiceConfigTemplate } from '../../../shared/service-config';
import { appError } from '../../../shared/errors';
import { writeFileAtomic } from '../fs/atomic-write';
import { CONFIG_FILE, DEFAULT_SOURCE_FOLDER, META_DIR, configPathOf } from './layout';

export interface InitOptions {
  dir: string;
  name?: string;
  cmd?: string;
  workingDir?: string;
  arch?: string;
  /** The user's PKCS#12. Inside meta/ or ~/.aos/security/ it is named by file name (the tool looks there); elsewhere by absolute path. Never copied. */
  pkcs12Path?: string;
  homeDir?: string;
}

export interface InitResult {
  root: string;
  /** What was made, relative to the root, folders with a trailing slash. */
  created: string[];
}

export async function initServiceTree(options: InitOptions): Promise<InitResult> {
  const root = resolve(options.dir);
  const configPath = configPathOf(root);
  if (await exists(configPath)) {
    throw appError('exists', `${configPath} already exists; a new service never overwrites an existing config.`, { file: configPath });
  }
  const created: string[] = [];
  if (!(await exists(root))) {
    await mkdir(root, { recursive: true });
    created.push('./');
  }
  for (const folder of [META_DIR, DEFAULT_SOURCE_FOLDER]) {
    const path = join(root, folder);
    if (!(await exists(path))) {
      await mkdir(path);
      created.push(`${folder}/`);
    }
  }
  const text = renderServiceConfigTemplate({
    name: options.name ?? basename(root),
    cmd: options.cmd,
    workingDir: options.workingDir,
    arch: options.arch,
    pkcs12: options.pkcs12Path ? credentialReference(root, options.pkcs12Path, options.homeDir ?? homedir()) : undefined,
  });
  // 'wx' semantics via a fresh temp file + rename, after the existence check above.
  await writeFileAtomic(configPath, text);
  created.push(`${META_DIR}/${CONFIG_FILE}`);
  return { root, created };
}

/** How config.yaml should name a credential file so that the platform's lookup finds it. */
export function credentialReference(root: string, file: string, homeDir: string): string {
  const path = resolve(file);
  for (const place of [join(root, META_DIR), join(homeDir, '.aos', 'security')]) {
    const rel = relative(place, path);
    if (rel && !rel.startsWith('..') && !isAbsolute(rel) && !rel.includes(sep)) return rel;
  }
  return path;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
