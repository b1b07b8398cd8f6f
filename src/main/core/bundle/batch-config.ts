// The signer's view of a deployment bundle's config.yaml (schemaVersion 2, spec
// deployment-bundle.md §2): what it references (images[].path files, images[].sourceFolder
// folders, under items[].sourceFolder when set) and the credentials it names (publish.tlsKey,
// publish.signKey), each with where it is written. Values that are not strings are left to
// the validator, which reports them with their position; this view only maps.
import type { KeyPath } from '../../../shared/diagnostics';
import { appError, type Location } from '../../../shared/errors';
import { joinBundlePath, locate, parseDeploymentConfig, type ParsedDeploymentConfig } from '../../../shared/deployment-config';
import { getConfigValue } from '../../../shared/service-config';
import { readDeploymentConfigFile } from '../deployment-bundle/config-file';
import { BUNDLE_CONFIG_FILE } from '../deployment-bundle/layout';

/** The file at the root of a deployment bundle. */
export const BATCH_CONFIG_FILE = BUNDLE_CONFIG_FILE;
/** The inner (and default output) archive of a deployment bundle. */
export const BATCH_ARCHIVE = 'batch.tar.gz';

export interface BatchReference {
  /** The key that names it, e.g. 'items[0].images[1].path'. */
  key: string;
  /** images[].path names a file, images[].sourceFolder a folder. */
  kind: 'file' | 'folder';
  /** Relative to the bundle folder, '/'-separated, items[].sourceFolder prefix included. */
  path: string;
  /** As written in config.yaml. */
  written: string;
  location: Location;
}

export interface CredentialRef {
  ref: string;
  location: Location;
}

export interface BatchConfig {
  /** The bundle folder, absolute. */
  root: string;
  configPath: string;
  /** The file's exact bytes: the bundle ships byte-identical copies. */
  configBytes: Buffer;
  text: string;
  parsed: ParsedDeploymentConfig;
  references: BatchReference[];
  tlsKey?: CredentialRef;
  signKey?: CredentialRef;
}

const keyText = (keyPath: KeyPath): string => keyPath.map((k, i) => (typeof k === 'number' ? `[${k}]` : i ? `.${k}` : k)).join('');

function locationOf(parsed: ParsedDeploymentConfig, configPath: string, keyPath: KeyPath): Location {
  const location: Location = { file: configPath, path: keyText(keyPath) };
  const at = locate(parsed, keyPath, 'value');
  if (at) {
    location.line = at.line;
    location.column = at.column;
  }
  return location;
}

/**
 * An item's sourceFolder and an image path joined (config-common's joinBundlePath), except
 * that an absolute spelling stays absolute, for planBatch to refuse rather than to read
 * inside the folder something the author did not mean.
 */
function joinRef(prefix: string | undefined, ref: string): string {
  const absolute = (p: string) => p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:/.test(p);
  if (absolute(ref)) return ref;
  if (prefix !== undefined && absolute(prefix)) return `${prefix}/${ref}`;
  return joinBundlePath(prefix, ref);
}

/** Maps config text into the signer's view. Throws 'invalid-config' (with the line) only when the text does not parse. */
export function parseBatchConfig(text: string, configPath: string, root: string): Omit<BatchConfig, 'configBytes'> {
  const parsed = parseDeploymentConfig(text);
  const first = parsed.syntax.find((d) => d.severity === 'error');
  if (first || parsed.value === undefined) {
    throw appError('invalid-config', `config.yaml does not parse: ${first?.message ?? 'YAML syntax error'}`, {
      file: configPath,
      line: first?.line ?? 1,
      column: first?.column ?? 1,
    });
  }
  const value = parsed.value;
  const get = (keyPath: KeyPath): unknown => getConfigValue(value, keyPath);
  const str = (keyPath: KeyPath): string | undefined => {
    const v = get(keyPath);
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const credential = (keyPath: KeyPath): CredentialRef | undefined => {
    const ref = str(keyPath);
    return ref === undefined ? undefined : { ref, location: locationOf(parsed, configPath, keyPath) };
  };
  const references: BatchReference[] = [];
  const items = get(['items']);
  if (Array.isArray(items)) {
    items.forEach((_, i) => {
      const prefix = str(['items', i, 'sourceFolder']);
      const images = get(['items', i, 'images']);
      if (!Array.isArray(images)) return;
      images.forEach((__, j) => {
        for (const [key, kind] of [
          ['path', 'file'],
          ['sourceFolder', 'folder'],
        ] as const) {
          const keyPath: KeyPath = ['items', i, 'images', j, key];
          const written = str(keyPath);
          if (written === undefined) continue;
          references.push({ key: keyText(keyPath), kind, path: joinRef(prefix, written), written, location: locationOf(parsed, configPath, keyPath) });
        }
      });
    });
  }
  return { root, configPath, text, parsed, references, tlsKey: credential(['publish', 'tlsKey']), signKey: credential(['publish', 'signKey']) };
}

/** Reads `<dir>/config.yaml` with the reader validate and open use (size cap, regular file, no blocking). */
export async function readBatchConfig(dir: string): Promise<BatchConfig> {
  const file = await readDeploymentConfigFile(dir);
  return { ...parseBatchConfig(file.text, file.configPath, file.root), configBytes: file.bytes };
}
