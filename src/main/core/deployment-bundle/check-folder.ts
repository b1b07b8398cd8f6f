// Checks of a deployment config that need the bundle folder (deployment-bundle.md §2):
// every image path exists, is a file for `path` and a folder for `sourceFolder`, and stays
// inside the bundle folder (no `..`, no absolute path, no symbolic link leading out); an
// item's sourceFolder is a folder inside it too and prefixes its images' paths; a layer
// image is a gzip'd tar (its first entries read). Each diagnostic sits at the line and
// column of the key that references the file.
import { isAbsolute, win32 } from 'node:path';
import { formatKeyPath, type Diagnostic, type KeyPath } from '../../../shared/diagnostics';
import { AppFailure } from '../../../shared/errors';
import { locate } from '../../../shared/config-common/locate';
import { imageReferencesIn, itemFolderReferencesIn, type ParsedDeploymentConfig } from '../../../shared/deployment-config';
import { resolveContainedForRead, type ContainedEntry } from '../fs/contained-path';
import { credentialCandidates, isFile } from '../credentials/locate';
import { checkLayerContent } from './layer-content';

export interface FolderCheckOptions {
  signal?: AbortSignal;
  /** Home folder for the ~/.aos/security lookup of the credentials (default: the user's). */
  homeDir?: string;
}

/** Why a path as written may not name a file of the bundle, or null when its spelling is fine. */
export function writtenPathProblem(written: string): string | null {
  if (written.trim() === '') return 'is empty';
  if (isAbsolute(written) || win32.isAbsolute(written)) return 'is an absolute path; write it relative to the bundle folder';
  if (written.includes('\\')) return "holds a backslash; write paths with '/' (they are the same on every unit)";
  if (written.split('/').includes('..')) return "climbs out with '..'; every file of the bundle lies inside the bundle folder";
  return null;
}

export async function checkDeploymentFolder(parsed: ParsedDeploymentConfig, root: string, options: FolderCheckOptions = {}): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const value = parsed.value;
  const report = (path: KeyPath, code: string, message: string, severity: Diagnostic['severity'] = 'error') => {
    const at = locate(parsed, path, 'key') ?? { line: 1, column: 1, offset: 0, endOffset: 0 };
    out.push({ severity, code, message, path: formatKeyPath(path), ...at });
  };

  /** The entry at a bundle-relative path, or undefined after reporting why it cannot be used. */
  const lookUp = async (keyPath: KeyPath, relative: string): Promise<ContainedEntry | null | undefined> => {
    try {
      return await resolveContainedForRead(root, relative, { baseName: 'the bundle folder', label: relative });
    } catch (e) {
      if (e instanceof AppFailure && e.error.code === 'invalid-input') {
        report(keyPath, 'path-outside-bundle', `${formatKeyPath(keyPath)}: ${e.error.message} Every file of the bundle must lie inside the bundle folder.`);
        return undefined;
      }
      if (e instanceof AppFailure) {
        report(keyPath, 'path-unreadable', `${formatKeyPath(keyPath)}: ${e.error.message}`);
        return undefined;
      }
      throw e;
    }
  };

  // The credentials signing uses (publish.signKey when set, else publish.tlsKey), looked up
  // where sign looks: a missing file fails sign, so validate says so at that key.
  const publish = value && typeof value === 'object' ? (value as { publish?: unknown }).publish : undefined;
  const credentialOf = (key: 'tlsKey' | 'signKey') => {
    const ref = publish && typeof publish === 'object' ? (publish as Record<string, unknown>)[key] : undefined;
    return typeof ref === 'string' && ref.trim() !== '' ? ref : undefined;
  };
  for (const key of ['signKey', 'tlsKey'] as const) {
    const ref = credentialOf(key);
    if (ref === undefined) continue;
    const places = credentialCandidates(ref, { configDir: root, homeDir: options.homeDir });
    if ((await Promise.all(places.map(isFile))).some(Boolean)) continue;
    const where = places.length === 1 ? `at ${places[0]}` : `next to config.yaml (${places[0]}) nor in ~/.aos/security (${places[1]})`;
    const signs = key === 'signKey' || credentialOf('signKey') === undefined;
    report(
      ['publish', key],
      'credential-not-found',
      `publish.${key}: ${ref} not found ${where}; ${signs ? 'sign needs it (the signing key), and upload the certificate' : 'upload needs it for mutual TLS (signing uses publish.signKey)'}.`,
      signs ? 'error' : 'warning',
    );
  }

  // Item folders first: an image below a broken item folder is not looked up again.
  const brokenItems = new Set<number>();
  for (const ref of itemFolderReferencesIn(value)) {
    options.signal?.throwIfAborted();
    const problem = writtenPathProblem(ref.written);
    if (problem) {
      report(ref.keyPath, 'invalid-path', `${formatKeyPath(ref.keyPath)} '${ref.written}' ${problem}.`);
      brokenItems.add(ref.itemIndex);
      continue;
    }
    const entry = await lookUp(ref.keyPath, ref.written);
    if (entry === undefined) brokenItems.add(ref.itemIndex);
    else if (entry === null || entry.kind !== 'folder') {
      report(ref.keyPath, 'item-folder-missing', `${formatKeyPath(ref.keyPath)}: ${ref.written} ${entry === null ? 'does not exist in the bundle folder' : 'is not a folder'}; the item's image paths are relative to it.`);
      brokenItems.add(ref.itemIndex);
    }
  }

  const items = isItems(value) ? value.items : [];
  for (const ref of imageReferencesIn(value)) {
    options.signal?.throwIfAborted();
    if (brokenItems.has(ref.itemIndex)) continue;
    const name = formatKeyPath(ref.keyPath);
    const problem = writtenPathProblem(ref.written);
    if (problem) {
      report(ref.keyPath, 'invalid-path', `${name} '${ref.written}' ${problem}.`);
      continue;
    }
    const shown = ref.relative === ref.written ? ref.written : `${ref.written} (${ref.relative} in the bundle folder)`;
    const entry = await lookUp(ref.keyPath, ref.relative);
    if (entry === undefined) continue;
    if (entry === null) {
      report(ref.keyPath, 'image-missing', `${name}: ${shown} does not exist; ${ref.key === 'path' ? 'put the image file there' : "put the item's root filesystem there"} or fix the path.`);
      continue;
    }
    if (ref.key === 'path' && entry.kind !== 'file') {
      report(ref.keyPath, 'image-not-file', `${name}: ${shown} is ${entry.kind === 'folder' ? 'a folder' : 'not a regular file'}; path names a prepared file${entry.kind === 'folder' ? ' (use sourceFolder for a folder)' : ''}.`);
      continue;
    }
    if (ref.key === 'sourceFolder' && entry.kind !== 'folder') {
      report(ref.keyPath, 'image-not-folder', `${name}: ${shown} is not a folder; sourceFolder names a folder${entry.kind === 'file' ? ' (use path for a prepared file)' : ''}.`);
      continue;
    }
    if (ref.key === 'path' && typeOf(items[ref.itemIndex]) === 'layer') {
      const content = await checkLayerContent(entry.real, options.signal);
      if (!content.ok) {
        report(ref.keyPath, 'layer-not-tar-gz', `${name}: ${shown} is not a gzip'd tar (${content.problem}); a layer image is a .tar.gz made with tar and gzip.`);
      }
    }
  }
  return out;
}

function isItems(value: unknown): value is { items: unknown[] } {
  return !!value && typeof value === 'object' && Array.isArray((value as { items?: unknown }).items);
}

function typeOf(item: unknown): unknown {
  const identity = item && typeof item === 'object' ? (item as { identity?: unknown }).identity : undefined;
  return identity && typeof identity === 'object' ? (identity as { type?: unknown }).type : undefined;
}
