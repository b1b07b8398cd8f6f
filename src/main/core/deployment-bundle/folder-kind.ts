// Which kind of folder the user gave us, so that validate, sign, verify, inspect, preview
// and the app's Open take either and say which they found: `meta/config.yaml` is a v1
// service tree, `config.yaml` with `schemaVersion: 2` at the root is a deployment bundle.
// Anything else is refused with what was found instead.
import { lstat, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isMap } from 'yaml';
import { appError, AppFailure, fsFailure } from '../../../shared/errors';
import { parseConfigText } from '../../../shared/config-common/parse';
import { positionOf } from '../../../shared/config-common/text-checks';
import { configPathOf } from '../service-tree/layout';
import { readDeploymentConfigFile } from './config-file';
import { bundleConfigPathOf } from './layout';

export type FolderKind =
  | { kind: 'service'; root: string; configPath: string }
  | { kind: 'deployment-bundle'; root: string; configPath: string };

/** How the two kinds are named to people. */
export const FOLDER_KIND_NAMES: Readonly<Record<FolderKind['kind'], string>> = {
  service: 'service tree (meta/config.yaml)',
  'deployment-bundle': 'deployment bundle (config.yaml, schemaVersion 2)',
};

type Entry = 'file' | 'folder' | 'other' | 'missing';

async function entryAt(path: string): Promise<Entry> {
  try {
    const st = await lstat(path);
    if (st.isSymbolicLink()) {
      // A link is judged by what it leads to (the config readers follow it too).
      try {
        const target = await stat(path);
        return target.isFile() ? 'file' : target.isDirectory() ? 'folder' : 'other';
      } catch {
        return 'missing';
      }
    }
    return st.isFile() ? 'file' : st.isDirectory() ? 'folder' : 'other';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw fsFailure(e, 'Cannot read', path);
  }
}

/**
 * What `schemaVersion` the text declares: the parsed value when it parses, else the
 * top-level line as written, so a bundle with a YAML error still opens (to be fixed).
 */
export function declaredSchemaVersion(text: string): unknown {
  const parsed = parseConfigText(text);
  if (!parsed.unreadable && parsed.value !== undefined && isMap(parsed.doc.contents)) {
    return (parsed.value as Record<string, unknown>).schemaVersion;
  }
  const m = /^schemaVersion[ \t]*:[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^#\n]*?))[ \t]*(?:#.*)?$/m.exec(text);
  if (!m) return undefined;
  const written = m[1] ?? m[2] ?? m[3];
  return /^\d+$/.test(written) && m[3] !== undefined ? Number(written) : written;
}

/** Where `schemaVersion` is written (line 1 when it is not). */
function schemaVersionLine(text: string): { line: number; column: number; path: string } {
  const at = /^schemaVersion[ \t]*:/m.exec(text)?.index;
  return at === undefined ? { line: 1, column: 1, path: '' } : { ...positionOf(text, at), path: 'schemaVersion' };
}

function describeVersion(value: unknown): string {
  if (value === undefined) return 'has no schemaVersion';
  if (value === null) return 'has an empty schemaVersion';
  return `declares schemaVersion: ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`;
}

/**
 * The kind of the folder `dir`. Throws an AppFailure ('not-found', 'not-a-bundle') that
 * says what was found instead: nothing, a config.yaml without `schemaVersion: 2`, or both
 * kinds at once.
 */
export async function detectFolderKind(dir: string): Promise<FolderKind> {
  const root = resolve(dir);
  const self = await entryAt(root);
  if (self === 'missing') throw appError('not-found', `${root} does not exist.`, { file: root });
  if (self !== 'folder') throw appError('not-a-bundle', `${root} is a file, not a folder: open the folder of a service tree or a deployment bundle.`, { file: root });

  const servicePath = configPathOf(root);
  const bundlePath = bundleConfigPathOf(root);
  const [service, bundle] = await Promise.all([entryAt(servicePath), entryAt(bundlePath)]);

  let bundleVersion: unknown;
  let bundleText = '';
  if (bundle === 'file') {
    try {
      bundleText = (await readDeploymentConfigFile(root)).text;
      bundleVersion = declaredSchemaVersion(bundleText);
    } catch (e) {
      // A config.yaml we cannot read (too large, unreadable) says nothing about the kind
      // when a service tree is there; alone, its reason is the answer.
      if (service !== 'file' || !(e instanceof AppFailure)) throw e;
    }
  }
  const isBundle = bundle === 'file' && (bundleVersion === 2 || bundleVersion === '2');

  if (service === 'file' && isBundle) {
    throw appError(
      'not-a-bundle',
      `${root} holds both a service tree (meta/config.yaml) and a deployment bundle (config.yaml with schemaVersion 2); keep one of them so it is clear what to sign.`,
      { file: root },
    );
  }
  if (service === 'file') return { kind: 'service', root, configPath: servicePath };
  if (isBundle) return { kind: 'deployment-bundle', root, configPath: bundlePath };

  if (bundle === 'file') {
    throw appError(
      'not-a-bundle',
      `${root} is not a deployment bundle: its config.yaml ${describeVersion(bundleVersion)} (a deployment bundle's config.yaml starts with \`schemaVersion: 2\`), and it has no meta/config.yaml of a service tree.`,
      { file: bundlePath, ...schemaVersionLine(bundleText) },
    );
  }
  const found: string[] = [];
  if (service === 'folder') found.push('meta/config.yaml is a folder');
  else if (service === 'other') found.push('meta/config.yaml is not a regular file');
  if (bundle === 'folder') found.push('config.yaml is a folder');
  else if (bundle === 'other') found.push('config.yaml is not a regular file');
  const instead = found.length ? ` (${found.join('; ')})` : '';
  throw appError(
    'not-a-bundle',
    `${root} is neither a service tree (meta/config.yaml) nor a deployment bundle (config.yaml with schemaVersion 2)${instead}. Create one with init or init --bundle.`,
    { file: root },
  );
}
