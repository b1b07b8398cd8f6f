// A catalog version's facts (or any layer image's): inspectLayer with the entry list for the
// Files tree, remembered by (path, size, mtimeMs) so opening a version again is instant and a
// changed file is read again.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fsFailure } from '../../../../shared/errors';
import { LruMap } from '../../cache/lru-map';
import { inspectLayer, type InspectProgress, type LayerInspection } from '../inspect';

type Entry = { size: number; mtimeMs: number; report: LayerInspection };

/** A few reports: each may hold 50,000 entries. */
export const FACTS_CACHE_MAX = 16;
let cache = new LruMap<string, Entry>(FACTS_CACHE_MAX);

/** For tests: forget the cached reports. */
export function clearLayerFactsCache(): void {
  cache = new LruMap<string, Entry>(FACTS_CACHE_MAX);
}

export async function layerFacts(file: string, opts: { signal?: AbortSignal; onProgress?: (p: InspectProgress) => void } = {}): Promise<LayerInspection> {
  const source = path.resolve(file);
  let st;
  try {
    st = await stat(source);
  } catch (e) {
    throw fsFailure(e, 'Cannot read the layer', source);
  }
  // A folder's content can change without its own mtime changing: folders are always read.
  const cacheable = st.isFile();
  const hit = cacheable ? cache.get(source) : undefined;
  if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.report;
  const report = await inspectLayer({ path: source, listEntries: true, signal: opts.signal, onProgress: opts.onProgress });
  if (cacheable) cache.set(source, { size: st.size, mtimeMs: st.mtimeMs, report });
  return report;
}
