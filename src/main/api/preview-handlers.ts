// Handlers for the OCI preview. The preview itself is pure and takes a few milliseconds, so
// it runs on every keystroke; the rootfs layer (hashing all of src/) runs as a background
// job and its result is kept per service for the next previews. Likewise a layer library is
// scanned by a job ('layers.scan') and its catalogue kept per folder: 'preview.build' only
// reads that catalogue, it never scans. 'preview.export' only parses its input and calls
// previewService, the use-case `aos-bundle preview --out` calls too.
import { homedir } from 'node:os';
import { buildPreview, buildRootfsLayer, previewService, type RootfsLayer } from '../core/oci';
import { filterCatalogue, scanLayerLibrary, type LayerLibraryScan } from '../core/layers/library';
import { parseServiceConfig } from '../../shared/service-config';
import type { LayerLibraryScanView } from '../../shared/contract';
import { sourceFolderOf, symlinkPolicyOf } from '../core/service-tree/build-settings';
import { readServiceConfig } from '../core/service-tree/open';
import { listSourceFolder } from '../core/service-tree/src-listing';
import { requireEmptyOrNewFolder } from '../core/fs/empty-folder';
import { LruMap } from '../core/cache/lru-map';
import type { Handlers } from './handlers';
import type { JobRegistry } from './jobs';

type PreviewChannels = 'preview.build' | 'preview.rootfs' | 'preview.export' | 'layers.scan';

function buildArchOf(value: unknown): string | undefined {
  const build = (value as { build?: { arch?: unknown } } | null)?.build;
  return typeof build?.arch === 'string' ? build.arch : undefined;
}

/** How many services' rootfs layers and how many scanned layer libraries are kept (the most recently used). */
export interface PreviewCacheLimits {
  services?: number;
  libraries?: number;
}

export function createPreviewHandlers(jobs: JobRegistry, resolvePath: (p: string) => string, homeDir = homedir(), limits: PreviewCacheLimits = {}): Pick<Handlers, PreviewChannels> {
  const rootfsByService = new LruMap<string, RootfsLayer>(limits.services ?? 32);
  const libraries = new LruMap<string, LayerLibraryScan>(limits.libraries ?? 8);
  return {
    'preview.build': async ({ root, text, node, layerLibrary }) => {
      const parsed = parseServiceConfig(text);
      const rootfs = rootfsByService.get(resolvePath(root)) ?? null;
      const scan = layerLibrary !== undefined ? libraries.get(resolvePath(layerLibrary)) : undefined;
      const layerCatalogue = scan ? filterCatalogue(scan.catalogue, buildArchOf(parsed.value)) : undefined;
      // Whiteouts under src/ are warned about as the CLI and the export do.
      const preview = buildPreview(parsed, { node, rootfs: rootfs ?? undefined, files: rootfs?.whiteouts, ...(layerCatalogue ? { layerCatalogue } : {}) });
      return { ...preview, rootfs, ...(layerLibrary !== undefined ? { layerLibrary: { dir: layerLibrary, scanned: scan !== undefined } } : {}) } as never;
    },
    'layers.scan': async ({ dir }) => {
      const folder = resolvePath(dir);
      const { jobId } = jobs.start('layers.scan', async (signal, report): Promise<LayerLibraryScanView> => {
        const scan = await scanLayerLibrary(folder, { signal, onProgress: (p) => report({ phase: 'layers', ...p }) });
        libraries.set(folder, scan);
        const lists = Object.values(scan.catalogue);
        return { dir, layers: lists.length, versions: lists.reduce((n, l) => n + l.length, 0), problems: scan.problems };
      });
      return { jobId };
    },
    'preview.rootfs': async ({ root }) => {
      const service = resolvePath(root);
      const { jobId } = jobs.start('preview.rootfs', async (signal, report) => {
        const config = await readServiceConfig(service);
        const { value } = parseServiceConfig(config.text);
        const srcDir = sourceFolderOf(config.root, value);
        const { totalBytes, total } = await listSourceFolder(srcDir, { limit: 0, signal });
        const layer = await buildRootfsLayer(srcDir, {
          signal,
          symlinks: symlinkPolicyOf(value),
          onProgress: (p) => report({ phase: 'rootfs', done: p.bytes, total: totalBytes, filesDone: p.files, filesTotal: total }),
        });
        rootfsByService.set(service, layer);
        return layer;
      });
      return { jobId };
    },
    'preview.export': async ({ root, target, outDir, node, layerLibrary }) => {
      // Refused at once, before a job starts; the use-case checks again before it writes.
      await requireEmptyOrNewFolder(resolvePath(outDir));
      const { jobId } = jobs.start('preview.export', async (signal, report) => {
        const r = await previewService({
          root: resolvePath(root),
          target,
          outDir: resolvePath(outDir),
          node,
          layerLibrary: layerLibrary === undefined ? undefined : resolvePath(layerLibrary),
          homeDir,
          signal,
          onProgress: report,
        });
        return { outDir: r.outDir, target: r.target, written: r.written, warnings: r.warnings, layerProblems: r.layerLibrary?.problems ?? [] };
      });
      return { jobId };
    },
  };
}
