// The new-layer-bundle wizard's one write: copies each image from outside the bundle folder
// to its place inside it, then writes config.yaml. Never overwrites anything (an existing
// config.yaml, meta/config.yaml or image stops it before any write), every copy goes to a
// temp name first and is renamed, and when a step fails what this call made is removed.
import { cp, lstat, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { appError } from '../../../shared/errors';
import { checkDeploymentConfig } from '../../../shared/deployment-config';
import { writeFileAtomic } from '../fs/atomic-write';
import { isInsideOrSame } from '../fs/contained-path';
import { tempPathFor, trackTemp, untrackTemp } from '../fs/temp-files';
import { configPathOf } from '../service-tree/layout';
import { bundleConfigPathOf, BUNDLE_CONFIG_FILE } from './layout';

export interface CreateBundleOptions {
  dir: string;
  /** The whole config.yaml (the wizard renders it with the deployment config's own edits). */
  text: string;
  /** Files or folders to bring in: `from` anywhere, `to` relative to the bundle root. */
  copies: readonly { from: string; to: string }[];
}

export interface CreateBundleResult {
  root: string;
  /** What was made, relative to the root, folders with a trailing slash. */
  created: string[];
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

export async function createDeploymentBundle(options: CreateBundleOptions): Promise<CreateBundleResult> {
  const root = resolve(options.dir);
  const configPath = bundleConfigPathOf(root);
  if (await exists(configPath)) throw appError('exists', `${configPath} already exists; a new bundle never overwrites a config.`, { file: configPath });
  if (await exists(configPathOf(root))) throw appError('exists', `${root} holds a service tree (meta/config.yaml); make the bundle in another folder.`, { file: configPathOf(root) });
  // The text must at least be a deployment config: a wizard bug must not write something else.
  const syntax = checkDeploymentConfig(options.text).parsed.syntax.filter((d) => d.severity === 'error');
  if (syntax.length) throw appError('invalid-config', `The config to write does not parse: ${syntax[0].message}`, { file: configPath, line: syntax[0].line, column: syntax[0].column });

  const targets = options.copies.map((c) => {
    if (isAbsolute(c.to) || c.to.split(/[\\/]/).includes('..')) throw appError('invalid-input', `${c.to} must be a path inside the bundle folder.`);
    const to = resolve(root, c.to);
    if (!isInsideOrSame(root, to) || to === root || to === configPath) throw appError('invalid-input', `${c.to} must be a path inside the bundle folder.`);
    return { from: resolve(c.from), to, rel: c.to.replace(/\\/g, '/') };
  });
  for (const t of targets) {
    if (await exists(t.to)) throw appError('exists', `${t.to} already exists; the bundle never overwrites an image.`, { file: t.to });
    if (!(await exists(t.from))) throw appError('not-found', `${t.from} does not exist.`, { file: t.from });
  }

  const made: string[] = [];
  const created: string[] = [];
  try {
    if (!(await exists(root))) {
      await mkdir(root, { recursive: true });
      made.push(root);
      created.push('./');
    }
    for (const t of targets) {
      // mkdir answers the first folder it made: removing that one removes them all.
      const first = await mkdir(dirname(t.to), { recursive: true });
      if (first) made.push(first);
      const temp = tempPathFor(t.to);
      trackTemp(temp);
      try {
        // verbatimSymlinks: a rootfs keeps its links as links; errorOnExist: never over anything.
        await cp(t.from, temp, { recursive: true, errorOnExist: true, force: false, verbatimSymlinks: true, preserveTimestamps: true });
        await rename(temp, t.to);
      } catch (err) {
        await rm(temp, { recursive: true, force: true });
        throw err;
      } finally {
        untrackTemp(temp);
      }
      made.push(t.to);
      created.push(t.rel);
    }
    await writeFileAtomic(configPath, options.text);
    created.push(BUNDLE_CONFIG_FILE);
    return { root, created };
  } catch (err) {
    // Newest first: images before the folders that hold them.
    for (const path of made.reverse()) await rm(path, { recursive: true, force: true });
    throw err;
  }
}

