// Which catalog layer a deployment bundle's layer dependency names. A dependency says
// `identity: {type: layer, codename: C}`, and a codename is "the item's identity in the cloud"
// (deployment-bundle.md §2): the codename of the layer ITEM that uploads the layer, not the
// catalog uid (the folder `<library>/<uid>`, the uid a v1 range names, layers.md §3). The two
// can differ: the spec's own example uploads codename `pylibs` from the folder
// `aos-pylibs-layer/linux-amd64-1.0.0.tar.gz`. So a catalog layer's codename comes from the
// known layer items (recent and workspace bundles, `identity.type: layer`) whose images lie in
// a folder named as its uid: the deployment-bundle layout (§1) and the library's are the same
// `<folder>/<os>-<arch>-<version>.tar.gz`. A catalog layer no known item claims keeps its
// folder name as its codename: that is how this app lays out a layer bundle
// (`<codename>/<os>-<arch>-<version>.tar.gz`, shared/deployment-config/template.ts).
// A codename that names no catalog layer either way is a problem at its file, line and field.
import path from 'node:path';
import { closest, locate, type ParsedConfig } from '../../../../shared/config-common';
import { formatKeyPath, type KeyPath } from '../../../../shared/diagnostics';
import type { ConsumerProblem, ConsumerRequirement, LayerConsumer } from './consumers';

/** A layer item of a known deployment bundle: its codename and the folders its images lie in. */
export interface LayerItemDeclaration {
  codename: string;
  configPath: string;
  /** The names of the folders holding its images (`aos-pylibs-layer` for `aos-pylibs-layer/linux-amd64-1.0.0.tar.gz`). */
  folders: string[];
}

/** The layer items a parsed schemaVersion 2 config declares (items with `identity.type: layer` and a codename). */
export function layerItemsOf(configPath: string, parsed: ParsedConfig): LayerItemDeclaration[] {
  const value = parsed.value as { items?: unknown } | undefined;
  if (!value || !Array.isArray(value.items)) return [];
  const out: LayerItemDeclaration[] = [];
  for (const raw of value.items as unknown[]) {
    const item = raw as { identity?: { type?: unknown; codename?: unknown }; sourceFolder?: unknown; images?: unknown } | null;
    if (!item || item.identity?.type !== 'layer' || typeof item.identity.codename !== 'string' || item.identity.codename === '') continue;
    const prefix = typeof item.sourceFolder === 'string' ? item.sourceFolder : '';
    const folders = new Set<string>();
    for (const img of Array.isArray(item.images) ? (item.images as unknown[]) : []) {
      const p = (img as { path?: unknown } | null)?.path;
      if (typeof p !== 'string' || p === '') continue;
      // Resolved against the bundle folder, so `sourceFolder: aos-pylibs-layer` + `path: linux-…` counts too.
      const file = path.resolve(path.dirname(configPath), prefix, p);
      folders.add(path.basename(path.dirname(file)));
    }
    if (folders.size > 0) out.push({ codename: item.identity.codename, configPath, folders: [...folders].sort() });
  }
  return out;
}

/** Where a bundle requirement's codename is written: for the diagnostic when it names nothing. */
export function codenameLocation(parsed: ParsedConfig, itemIndex: number, depIndex: number): Pick<ConsumerRequirement, 'field' | 'line' | 'column'> {
  const keyPath: KeyPath = ['items', itemIndex, 'dependencies', depIndex, 'identity', 'codename'];
  const at = locate(parsed, keyPath);
  return { field: formatKeyPath(keyPath), ...(at ? { line: at.line, column: at.column } : {}) };
}

/** codename → the catalog uids it names, from the known layer items (see the head comment). */
export function codenameIndex(catalogUids: Iterable<string>, declarations: readonly LayerItemDeclaration[]): Map<string, string[]> {
  const uids = new Set(catalogUids);
  const claimed = new Map<string, Set<string>>();
  for (const d of declarations) {
    for (const folder of d.folders) {
      if (!uids.has(folder)) continue;
      const set = claimed.get(folder) ?? claimed.set(folder, new Set()).get(folder)!;
      set.add(d.codename);
    }
  }
  const index = new Map<string, string[]>();
  for (const uid of [...uids].sort()) {
    for (const codename of claimed.get(uid) ?? [uid]) {
      const list = index.get(codename) ?? index.set(codename, []).get(codename)!;
      list.push(uid);
    }
  }
  return index;
}

/**
 * Bundle consumers with each layer dependency resolved to the catalog uids its codename names
 * (one requirement per uid; service requirements name a uid already), and a problem for each
 * codename that names none.
 */
export function resolveCodenames(
  consumers: readonly LayerConsumer[],
  catalogUids: Iterable<string>,
  declarations: readonly LayerItemDeclaration[],
): { consumers: LayerConsumer[]; problems: ConsumerProblem[]; codenames: Record<string, string[]> } {
  const uids = [...new Set(catalogUids)];
  const index = codenameIndex(uids, declarations);
  const problems: ConsumerProblem[] = [];
  const resolved = consumers.map((c): LayerConsumer => {
    if (c.kind !== 'bundle') return c;
    const requirements: ConsumerRequirement[] = [];
    for (const r of c.requirements) {
      if (r.codename === undefined) {
        requirements.push(r);
        continue;
      }
      const named = index.get(r.codename) ?? [];
      if (named.length === 0) {
        problems.push(unmatchedCodename(c, r, [...index.keys()].sort()));
        continue;
      }
      for (const uid of named) requirements.push({ ...r, uid });
    }
    return { ...c, requirements };
  });
  return { consumers: resolved, problems, codenames: Object.fromEntries([...index].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}

function unmatchedCodename(c: LayerConsumer, r: ConsumerRequirement, known: string[]): ConsumerProblem {
  const hint = closest(r.codename!, known);
  const field = r.field ?? 'dependencies[].identity.codename';
  return {
    file: c.configPath,
    ...(r.line !== undefined ? { line: r.line } : {}),
    ...(r.column !== undefined ? { column: r.column } : {}),
    field,
    message:
      `${field} '${r.codename}' names no layer of the catalog: a codename is the layer item's identity in the cloud, and no known layer bundle item with that codename has its images in a catalog folder, nor is a catalog folder so named` +
      (known.length ? ` (codenames known: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', …' : ''})` : '') +
      `.${hint ? ` Did you mean ${hint}?` : ''} This dependency selects no catalog version.`,
  };
}
