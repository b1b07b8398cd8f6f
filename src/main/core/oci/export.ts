// Writes the preview to disk: the only module of the OCI preview that touches files.
//   v8: manifest.json + blobs/sha256/* (the archive's layout, unpacked)
//   v9: a standard OCI image layout (oci-layout, index.json with a ref name, blobs/sha256/*)
// Every file is written to a temp name beside it and renamed, so a reader never sees half a
// file; blobs are content-addressed, so rewriting one with the same name is harmless.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { copyFileAtomic, tempPathFor, writeFileAtomic } from '../fs/atomic-write';
import { makeFolder } from '../fs/make-folder';
import { trackTemp, untrackTemp } from '../fs/temp-files';
import { appError } from '../../../shared/errors';
import { parseServiceConfig } from '../../../shared/service-config';
import { sourceFolderOf, symlinkPolicyOf } from '../service-tree/build-settings';
import { readServiceConfig } from '../service-tree/open';
import { blobPath, serializeJson } from './blob';
import { OCI_LAYOUT } from './manifest';
import { buildPreview, type OciPreview } from './preview';
import { buildRootfsLayer, type RootfsLayer, type RootfsLayerProgress } from './rootfs-layer';
import type { LayerCatalogue, NodeParams, PreviewWarning, Target } from './types';

export interface ExportOptions {
  /** The service root (holding meta/config.yaml). */
  root: string;
  target: Target;
  outDir: string;
  node?: Partial<NodeParams>;
  layerCatalogue?: LayerCatalogue;
  /**
   * Files holding the blobs of resolved Aos layers, by digest (v9 only: a v8 archive names
   * its Aos layers by digest and never carries them). Layers without one are not copied.
   */
  layerBlobs?: Record<string, string>;
  created?: string;
  refName?: string;
  signal?: AbortSignal;
  onProgress?: (p: RootfsLayerProgress) => void;
}

export interface ExportResult {
  outDir: string;
  target: Target;
  /** Paths written, relative to outDir, in writing order. */
  written: string[];
  rootfs: RootfsLayer;
  preview: OciPreview;
  /** The preview's warnings plus the export's own (unresolved or missing layers). */
  warnings: PreviewWarning[];
}

export async function exportPreview(opts: ExportOptions): Promise<ExportResult> {
  const { root, configPath, text } = await readServiceConfig(opts.root);
  const parsed = parseServiceConfig(text);
  if (parsed.value === undefined) {
    throw appError('invalid-config', 'config.yaml has syntax errors: fix them before exporting the preview.', { file: configPath });
  }

  const outDir = path.resolve(opts.outDir);
  const blobDir = path.join(outDir, 'blobs', 'sha256');
  await makeFolder(blobDir);
  const written: string[] = [];

  // The rootfs layer streams straight into a temp file; its name is known only at the end.
  // Registered while it exists, so that the CLI ended by SIGTERM or SIGHUP removes it.
  const temp = tempPathFor(path.join(blobDir, 'rootfs'));
  trackTemp(temp);
  let rootfs: Awaited<ReturnType<typeof buildRootfsLayer>>;
  let rootfsRel: string;
  try {
    rootfs = await buildRootfsLayer(sourceFolderOf(root, parsed.value), {
      signal: opts.signal,
      onProgress: opts.onProgress,
      symlinks: symlinkPolicyOf(parsed.value),
      outFile: temp,
    });
    rootfsRel = blobPath(rootfs.digest);
    await fs.rename(temp, path.join(outDir, rootfsRel));
  } catch (e) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw e;
  } finally {
    untrackTemp(temp);
  }
  written.push(rootfsRel);

  const preview = buildPreview(parsed, {
    rootfs,
    layerCatalogue: opts.layerCatalogue,
    node: opts.node,
    created: opts.created,
    refName: opts.refName,
    files: rootfs.whiteouts,
    unresolvedLayers: 'omit',
  });
  const warnings = [...preview.warnings];
  for (const w of warnings) {
    if (w.code === 'layer-unresolved') {
      w.message += ' The exported manifest leaves this layer out.';
    }
  }

  const writeBlob = async (bytes: Buffer, digest: string) => {
    const rel = blobPath(digest);
    await writeFileAtomic(path.join(outDir, rel), bytes);
    written.push(rel);
  };
  const writeJson = async (rel: string, value: unknown) => {
    await writeFileAtomic(path.join(outDir, rel), serializeJson(value));
    written.push(rel);
  };

  const m = preview.manifest;
  await writeBlob(serializeJson(preview.imageConfig), m[opts.target].config.digest);
  if (opts.target === 'v8') {
    await writeBlob(serializeJson(preview.serviceConfig), m.v8.aosService.digest);
    await writeJson('manifest.json', m.v8);
  } else {
    await writeBlob(serializeJson(preview.itemConfig), m.v9.aosItemConfig.digest);
    for (const layer of preview.layers) {
      if (layer.unresolved) continue;
      const file = opts.layerBlobs?.[layer.digest];
      if (!file) {
        warnings.push({
          code: 'layer-blob-missing',
          severity: 'warning',
          message: `The blob of layer ${layer.uid} ${layer.version} (${layer.digest}) is not available: the layout names it but does not hold it, so tools that unpack the image will fail.`,
          path: `configuration.layers[${layer.index}]`,
          ...lineOf(preview, preview.layers.indexOf(layer)),
        });
        continue;
      }
      const rel = blobPath(layer.digest);
      await copyFileAtomic(file, path.join(outDir, rel));
      written.push(rel);
    }
    await writeBlob(serializeJson(m.v9), preview.index.manifests[0].digest);
    await writeJson('oci-layout', OCI_LAYOUT);
    await writeJson('index.json', preview.index);
  }
  return { outDir, target: opts.target, written, rootfs, preview, warnings };
}

function lineOf(preview: OciPreview, position: number): { line: number; column: number } {
  const t = preview.trace[`/manifest/v9/layers/${position + 1}`];
  return { line: t?.line ?? 0, column: t?.column ?? 0 };
}
