// Trace keys are RFC 6901 JSON pointers into the preview object (built like
// src/main/core/oci/source.ts `pointer`): `/imageConfig/config/Cmd/0`. These helpers map
// a shown value to its pointer, a pointer to the tab that shows it, and a config.yaml key
// path (a diagnostic's) to the output fields that come from it.
import type { Diagnostic, OciPreviewView } from '../../shared/contract';

export type Target = 'v8' | 'v9';
export type PreviewTab = 'manifest' | 'image' | 'service' | 'runtime' | 'layers' | 'warnings';
export type TraceEntryView = OciPreviewView['trace'][string] & { origin?: string };

export const TAB_LABELS: Record<PreviewTab, string> = {
  manifest: 'Manifest',
  image: 'Image config',
  service: 'Service config',
  runtime: 'Runtime spec',
  layers: 'Layer files',
  warnings: 'Warnings',
};

export function escapePointer(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function childPointer(base: string, key: string | number): string {
  return `${base}/${escapePointer(key)}`;
}

/** The JSON blocks a tab shows for a target: title, pointer of the root, value. */
export interface JsonBlock {
  title: string;
  /** File name it has in the export, for the copy button's label. */
  fileName: string;
  pointer: string;
  value: unknown;
}

export function blocksFor(preview: OciPreviewView, tab: PreviewTab, target: Target): JsonBlock[] {
  switch (tab) {
    case 'manifest':
      return target === 'v8'
        ? [{ title: 'manifest.json', fileName: 'manifest.json', pointer: '/manifest/v8', value: preview.manifest.v8 }]
        : [
            { title: 'index.json (image index)', fileName: 'index.json', pointer: '/index', value: preview.index },
            { title: 'Image manifest', fileName: 'manifest', pointer: '/manifest/v9', value: preview.manifest.v9 },
          ];
    case 'image':
      return [{ title: 'Image config', fileName: 'config', pointer: '/imageConfig', value: preview.imageConfig }];
    case 'service':
      return target === 'v8'
        ? [{ title: 'aosService (service config)', fileName: 'aosService', pointer: '/serviceConfig', value: preview.serviceConfig }]
        : [{ title: 'aosItemConfig (item config)', fileName: 'aosItemConfig', pointer: '/itemConfig', value: preview.itemConfig }];
    case 'runtime':
      return [{ title: `OCI runtime spec (${target} unit)`, fileName: 'config.json', pointer: `/runtimeSpec/${target}`, value: preview.runtimeSpec[target] }];
    default:
      return [];
  }
}

/** Which tab shows a pointer for a target; null when the target does not show it. */
export function tabOfPointer(pointer: string, target: Target): PreviewTab | null {
  const [, head, sub] = pointer.split('/');
  const other = target === 'v8' ? 'v9' : 'v8';
  switch (head) {
    case 'imageConfig':
      return 'image';
    case 'serviceConfig':
      return target === 'v8' ? 'service' : null;
    case 'itemConfig':
      return target === 'v9' ? 'service' : null;
    case 'index':
      return target === 'v9' ? 'manifest' : null;
    case 'manifest':
      return sub === other ? null : 'manifest';
    case 'runtimeSpec':
      return sub === other ? null : 'runtime';
    default:
      return null;
  }
}

/** `/imageConfig/config/Cmd/0` → `config.Cmd[0]` (relative to the block it is shown in). */
export function fieldLabel(pointer: string): string {
  const parts = pointer.split('/').slice(1).map(unescapePointer);
  const head = parts[0];
  const skip = head === 'manifest' || head === 'runtimeSpec' ? 2 : 1;
  let out = '';
  for (const p of parts.slice(skip)) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  return out || '(whole document)';
}

/** True when a config.yaml key path lies at or under another one. */
function within(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
}

/** Whether an output field with this trace is affected by a diagnostic at `diagPath`. */
export function traceMatches(entry: TraceEntryView, diagPath: string): boolean {
  if (!diagPath || !entry.path) return false;
  return within(entry.path, diagPath) || within(diagPath, entry.path);
}

/** Pointer → the diagnostics that land there (only fields the target shows). */
export function diagnosticsByPointer(preview: OciPreviewView | null, diagnostics: readonly Diagnostic[], target: Target): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  if (!preview) return out;
  const withPath = diagnostics.filter((d) => d.path);
  if (!withPath.length) return out;
  for (const [pointer, entry] of Object.entries(preview.trace)) {
    if (!tabOfPointer(pointer, target)) continue;
    for (const d of withPath) {
      if (!traceMatches(entry, d.path)) continue;
      const list = out.get(pointer);
      if (list) list.push(d);
      else out.set(pointer, [d]);
    }
  }
  return out;
}

export interface Landing {
  tab: PreviewTab;
  pointer: string;
  label: string;
}

/**
 * Where a diagnostic lands in the output for a target: the outermost matching fields
 * (a matched array's elements are not listed again), grouped by tab in tab order.
 */
export function landingsOf(preview: OciPreviewView | null, diagnostic: Pick<Diagnostic, 'path'>, target: Target): Landing[] {
  if (!preview || !diagnostic.path) return [];
  const hits = Object.entries(preview.trace)
    .filter(([pointer, entry]) => tabOfPointer(pointer, target) && traceMatches(entry, diagnostic.path))
    .map(([pointer]) => pointer);
  const set = new Set(hits);
  const outermost = hits.filter((p) => {
    for (let cut = p.lastIndexOf('/'); cut > 0; cut = p.lastIndexOf('/', cut - 1)) if (set.has(p.slice(0, cut))) return false;
    return true;
  });
  const order: PreviewTab[] = ['manifest', 'image', 'service', 'runtime'];
  return outermost
    .map((pointer) => ({ tab: tabOfPointer(pointer, target)!, pointer, label: fieldLabel(pointer) }))
    .sort((a, b) => order.indexOf(a.tab) - order.indexOf(b.tab));
}

/** Text offsets of a 1-based line/column in `text`: from the column to the end of the line. */
export function lineRange(text: string, line: number, column: number): { offset: number; endOffset: number } | null {
  if (line < 1) return null;
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return null;
    start = nl + 1;
  }
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  while (end > start && (text[end - 1] === '\r' || text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  const offset = Math.min(start + Math.max(column - 1, 0), end);
  return { offset, endOffset: end };
}
