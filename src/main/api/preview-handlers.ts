// Handlers for the OCI preview. The preview itself is pure and takes a few milliseconds, so
// it runs on every keystroke; the rootfs layer (hashing all of src/) runs as a background
// job and its result is kept per service for the next previews.
import { buildPreview, buildRootfsLayer, exportPreview, type RootfsLayer } from '../core/oci';
import { parseServiceConfig } from '../../shared/service-config';
import { sourceFolderOf, symlinkPolicyOf } from '../core/service-tree/build-settings';
import { readServiceConfig } from '../core/service-tree/open';
import { listSourceFolder } from '../core/service-tree/src-listing';
import type { Handlers } from './handlers';
import type { JobRegistry } from './jobs';

type PreviewChannels = 'preview.build' | 'preview.rootfs' | 'preview.export';

export function createPreviewHandlers(jobs: JobRegistry, resolvePath: (p: string) => string): Pick<Handlers, PreviewChannels> {
  const rootfsByService = new Map<string, RootfsLayer>();
  return {
    'preview.build': async ({ root, text, node }) => {
      const parsed = parseServiceConfig(text);
      const rootfs = rootfsByService.get(resolvePath(root)) ?? null;
      const preview = buildPreview(parsed, { node, rootfs: rootfs ?? undefined });
      return { ...preview, rootfs } as never;
    },
    'preview.rootfs': async ({ root }) => {
      const service = resolvePath(root);
      const { jobId } = jobs.start(async (signal, report) => {
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
    'preview.export': async ({ root, target, outDir, node }) => {
      const { jobId } = jobs.start(async (signal) => {
        const result = await exportPreview({ root: resolvePath(root), target, outDir: resolvePath(outDir), node, signal });
        return { outDir: result.outDir, target: result.target, written: result.written, warnings: result.warnings };
      });
      return { jobId };
    },
  };
}
