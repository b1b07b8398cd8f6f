// The services and deployment bundles the app knows, read for the layers they require: the
// recent services (and recent deployment bundles) and what a workspace folder holds
// (`<folder>/meta/config.yaml` services, `config.yaml` schemaVersion 2 bundles), found by a
// bounded walk. Each becomes a consumer: its architectures and its layer requirements, so
// that dependants.ts can tell which catalog version it selects today.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { appError } from '../../../../shared/errors';
import { CONFIG_MAX_BYTES } from '../../../../shared/config-common/limits';
import { describeVersionConstraint, versionConstraintMatches } from '../../../../shared/config-common/ranges';
import { describeLayerRange, layerRangeMatches, locate, parseServiceConfig } from '../../../../shared/service-config';
import { parseDeploymentConfig } from '../../../../shared/deployment-config';
import type { ParsedConfig } from '../../../../shared/config-common';
import { codenameLocation, layerItemsOf, type LayerItemDeclaration } from './codenames';
import { ConfigSource } from '../../oci/source';
import { readLayerRequirements } from '../../oci/required-layers';
import { mapArchitecture } from '../../oci/platform';

/** One layer a consumer requires, with its range as a predicate (the shared matching rules). */
export interface ConsumerRequirement {
  /**
   * The catalog uid: as written for a service (`configuration.layers[].uid`); for a bundle
   * dependency '' until codenames.ts resolves its codename (a codename is no uid).
   */
  uid: string;
  /** A bundle dependency's `identity.codename`, as written. */
  codename?: string;
  /** Where the codename is written (`items[0].dependencies[1].identity.codename`), for a diagnostic. */
  field?: string;
  column?: number;
  /** The range in words. */
  rangeText: string;
  matches(version: string): boolean;
  /** 1-based line of the requirement in the config, when known. */
  line?: number;
}

export interface LayerConsumer {
  kind: 'service' | 'bundle';
  root: string;
  configPath: string;
  /** The service folder's name, or the bundle item's codename. */
  name: string;
  from: 'recent' | 'workspace';
  /** OCI architectures it runs on; 'any' when the config does not say (or says `any`). */
  architectures: string[] | 'any';
  requirements: ConsumerRequirement[];
}

export interface ConsumerProblem {
  file: string;
  message: string;
  /** 1-based, when the problem is at a place in a config. */
  line?: number;
  column?: number;
  /** The config key, e.g. `items[0].dependencies[0].identity.codename`. */
  field?: string;
}

export interface KnownFolder {
  root: string;
  kind?: 'service' | 'deployment';
}

export interface FindConsumersOptions {
  /** Recent services and bundles (settings' recent list). */
  recent?: readonly KnownFolder[];
  /** A folder to search for services and bundles. */
  workspace?: string;
  signal?: AbortSignal;
  /** How deep under the workspace to look (the workspace itself is depth 0). */
  maxDepth?: number;
  /** How many folders the walk visits at most (a home folder must not take minutes). */
  maxFolders?: number;
  onProgress?: (p: { foldersDone: number; configsRead: number }) => void;
}

export const WORKSPACE_MAX_DEPTH = 4;
export const WORKSPACE_MAX_FOLDERS = 5000;
/** Folders never worth descending into when looking for services. */
const SKIPPED = new Set(['node_modules', '__pycache__']);

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw appError('cancelled', 'Cancelled.');
}

async function readConfigText(file: string): Promise<string | undefined> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) return undefined;
    if (st.size > CONFIG_MAX_BYTES) throw new Error(`it is larger than ${CONFIG_MAX_BYTES} bytes`);
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT' || (e as { code?: string }).code === 'ENOTDIR') return undefined;
    throw e;
  }
}

function architecturesOf(words: readonly string[]): string[] | 'any' {
  if (words.length === 0 || words.some((w) => w.trim().toLowerCase() === 'any')) return 'any';
  return [...new Set(words.map((w) => mapArchitecture(w).architecture))].sort();
}

/** A v1 service's consumer, from its meta/config.yaml text. */
export function serviceConsumer(root: string, configPath: string, text: string, from: LayerConsumer['from']): LayerConsumer {
  const parsed = parseServiceConfig(text);
  const src = new ConfigSource(parsed);
  const requirements = readLayerRequirements(src).map((req): ConsumerRequirement => {
    const at = parsed.value !== undefined ? locate(parsed, ['configuration', 'layers', req.index]) : null;
    return {
      uid: req.uid,
      rangeText: describeLayerRange(req.minVersion, req.maxVersion),
      matches: (v) => layerRangeMatches(v, req.minVersion, req.maxVersion),
      ...(at ? { line: at.line } : {}),
    };
  });
  const arch = (parsed.value as { build?: { arch?: unknown } } | undefined)?.build?.arch;
  return { kind: 'service', root, configPath, name: path.basename(root), from, architectures: architecturesOf(typeof arch === 'string' ? [arch] : []), requirements };
}

/**
 * A deployment bundle's consumers: one per item that depends on a layer (`dependencies[]`
 * with identity.type layer), each dependency by its codename, which resolveCodenames
 * (codenames.ts) maps to catalog uids.
 */
export function bundleConsumers(root: string, configPath: string, text: string, from: LayerConsumer['from']): LayerConsumer[] {
  return readBundle(configPath, text, root, from).consumers;
}

/** A bundle's consumers and the layer items it declares, from one parse. */
function readBundle(configPath: string, text: string, root: string, from: LayerConsumer['from']): { consumers: LayerConsumer[]; layerItems: LayerItemDeclaration[] } {
  const parsed = parseDeploymentConfig(text);
  return { consumers: consumersOf(parsed, root, configPath, from), layerItems: layerItemsOf(configPath, parsed) };
}

function consumersOf(parsed: ParsedConfig, root: string, configPath: string, from: LayerConsumer['from']): LayerConsumer[] {
  const value = parsed.value as { schemaVersion?: unknown; items?: unknown } | undefined;
  if (!value || value.schemaVersion !== 2 || !Array.isArray(value.items)) return [];
  const out: LayerConsumer[] = [];
  value.items.forEach((item: unknown, i: number) => {
    const it = item as { identity?: { codename?: unknown }; images?: unknown; dependencies?: unknown } | null;
    if (!it || typeof it !== 'object' || !Array.isArray(it.dependencies)) return;
    const requirements: ConsumerRequirement[] = [];
    it.dependencies.forEach((dep: unknown, j: number) => {
      const d = dep as { identity?: { type?: unknown; codename?: unknown }; versions?: unknown } | null;
      if (!d || d.identity?.type !== 'layer' || typeof d.identity.codename !== 'string' || d.identity.codename === '') return;
      const versions = typeof d.versions === 'string' ? d.versions : '*';
      const at = locate(parsed, ['items', i, 'dependencies', j]);
      const where = codenameLocation(parsed, i, j);
      requirements.push({
        uid: '',
        codename: d.identity.codename,
        rangeText: describeVersionConstraint(versions) ?? versions,
        matches: (v) => versionConstraintMatches(v, versions),
        ...(at ? { line: at.line } : {}),
        field: where.field,
        ...(where.line !== undefined ? { line: where.line, column: where.column } : {}),
      });
    });
    if (requirements.length === 0) return;
    const archWords = Array.isArray(it.images)
      ? it.images.map((img: unknown) => (img as { archInfo?: { architecture?: unknown } } | null)?.archInfo?.architecture).filter((a): a is string => typeof a === 'string')
      : [];
    const codename = typeof it.identity?.codename === 'string' && it.identity.codename !== '' ? it.identity.codename : `item ${i + 1}`;
    out.push({ kind: 'bundle', root, configPath, name: codename, from, architectures: architecturesOf(archWords), requirements });
  });
  return out;
}

/** Reads what a folder holds: a service (meta/config.yaml) or a deployment bundle (config.yaml, schemaVersion 2). */
async function readFolder(root: string, from: LayerConsumer['from'], hint: KnownFolder['kind'] | undefined): Promise<{ consumers: LayerConsumer[]; layerItems?: LayerItemDeclaration[]; kind?: 'service' | 'deployment' }> {
  if (hint !== 'deployment') {
    const configPath = path.join(root, 'meta', 'config.yaml');
    const text = await readConfigText(configPath);
    if (text !== undefined) return { consumers: [serviceConsumer(root, configPath, text, from)], kind: 'service' };
  }
  if (hint !== 'service') {
    const configPath = path.join(root, 'config.yaml');
    const text = await readConfigText(configPath);
    if (text !== undefined && /^schemaVersion:\s*2\s*$/m.test(text)) return { ...readBundle(configPath, text, root, from), kind: 'deployment' };
  }
  return { consumers: [] };
}

export interface FoundConsumers {
  consumers: LayerConsumer[];
  /** The layer items the bundles read declare: where a catalog layer's codename comes from (codenames.ts). */
  layerItems: LayerItemDeclaration[];
  /** Services and bundles read (whether or not they require a layer). */
  services: number;
  bundles: number;
  problems: ConsumerProblem[];
}

/** Recent folders first, then the workspace's (a folder found both ways counts once, as recent). */
export async function findLayerConsumers(opts: FindConsumersOptions): Promise<FoundConsumers> {
  const { signal } = opts;
  const seen = new Set<string>();
  const result: FoundConsumers = { consumers: [], layerItems: [], services: 0, bundles: 0, problems: [] };
  let foldersDone = 0;
  const take = async (root: string, from: LayerConsumer['from'], hint?: KnownFolder['kind']): Promise<boolean> => {
    const key = path.resolve(root);
    if (seen.has(key)) return true;
    try {
      const { consumers, layerItems, kind } = await readFolder(key, from, hint);
      if (!kind) return false;
      seen.add(key);
      if (kind === 'deployment') result.bundles++;
      else result.services++;
      result.consumers.push(...consumers);
      result.layerItems.push(...(layerItems ?? []));
      return true;
    } catch (e) {
      result.problems.push({ file: key, message: `Could not read its config: ${(e as Error).message}` });
      return false;
    }
  };
  for (const r of opts.recent ?? []) {
    throwIfAborted(signal);
    await take(r.root, 'recent', r.kind);
  }
  if (opts.workspace !== undefined) {
    const maxDepth = opts.maxDepth ?? WORKSPACE_MAX_DEPTH;
    const maxFolders = opts.maxFolders ?? WORKSPACE_MAX_FOLDERS;
    const top = path.resolve(opts.workspace);
    try {
      if (!(await fs.stat(top)).isDirectory()) throw appError('invalid-input', `The workspace ${top} is not a folder.`, { file: top });
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') throw appError('not-found', `The workspace ${top} does not exist.`, { file: top });
      throw e;
    }
    // Breadth first, names sorted: the same services are found in the same order every time.
    let level = [top];
    for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
      const next: string[] = [];
      for (const dir of level) {
        throwIfAborted(signal);
        if (foldersDone >= maxFolders) {
          result.problems.push({ file: top, message: `Stopped after ${maxFolders} folders: pick a workspace closer to your services.` });
          return result;
        }
        foldersDone++;
        opts.onProgress?.({ foldersDone, configsRead: result.services + result.bundles });
        // A service or bundle folder is a leaf: what lies inside it (src/, images) is its content.
        if (await take(dir, 'workspace')) continue;
        let names: import('node:fs').Dirent[];
        try {
          names = await fs.readdir(dir, { withFileTypes: true });
        } catch {
          continue;
        }
        for (const d of names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
          if (d.isDirectory() && !d.name.startsWith('.') && !SKIPPED.has(d.name)) next.push(path.join(dir, d.name));
        }
      }
      level = next;
    }
  }
  return result;
}
