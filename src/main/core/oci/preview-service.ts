// The preview/export use-case: ONE function behind `aos-bundle preview` and the app's
// 'preview.export', so that the CLI and the app cannot produce different outputs for the same
// inputs (as signServiceBundle is for signing). Both callers only parse their inputs and call
// it; everything else happens here:
//   read meta/config.yaml → validate (refuse errors, as validate reports them) → scan the layer
//   library for build.arch and resolve configuration.layers → build the rootfs layer → the
//   preview (whiteouts under src/ warned about) → optionally write the layout (export.ts:
//   staged beside the target and renamed, every named blob present).
import path from 'node:path';
import { diagnoseServiceConfig, readServiceConfig } from '../service-tree/open';
import { sourceFolderOf, symlinkPolicyOf } from '../service-tree/build-settings';
import { listSourceFolder } from '../service-tree/src-listing';
import { configErrorOf } from '../bundle/config';
import { scanLayerLibrary, type LayerLibraryProblem, type LibraryLayerVersion } from '../layers/library';
import { appError } from '../../../shared/errors';
import { getConfigValue } from '../../../shared/service-config';
import type { Diagnostic } from '../../../shared/diagnostics';
import { writeLayout } from './export';
import { buildPreview, type OciPreview } from './preview';
import { buildRootfsLayer, type RootfsLayer } from './rootfs-layer';
import type { NodeParams, PreviewWarning, Target } from './types';

export interface ServicePreviewProgress {
  /** 'layers': hashing the layer library; 'rootfs': building the service rootfs layer. */
  phase: 'layers' | 'rootfs';
  done: number;
  total: number;
  filesDone: number;
  filesTotal: number;
}

export interface ServicePreviewInput {
  /** The service root (holding meta/config.yaml). */
  root: string;
  target: Target;
  /** Node parameters; missing ones take DEFAULT_NODE_PARAMS. */
  node?: Partial<NodeParams>;
  /** A layer library folder (`<uid>/<os>-<arch>-<version>.tar.gz`) to resolve configuration.layers. */
  layerLibrary?: string;
  /** Write the layout into this folder (new or empty). Without it nothing is written. */
  outDir?: string;
  /** Home folder for the credential checks of validate (`~/.aos/security`). */
  homeDir: string;
  signal?: AbortSignal;
  onProgress?: (p: ServicePreviewProgress) => void;
  /** RFC 3339 creation time in the configs; omitted by default (reproducible output). */
  created?: string;
  /** v9 ref name; default publish.version, else `latest`. */
  refName?: string;
}

export interface ServicePreviewResult {
  root: string;
  configPath: string;
  target: Target;
  /** validate's warnings (errors refuse the call). */
  diagnostics: Diagnostic[];
  rootfs: RootfsLayer;
  preview: OciPreview;
  /** The preview's warnings, plus the export's own. */
  warnings: PreviewWarning[];
  /** The layer library used and the files in it that are not layer images. */
  layerLibrary?: { dir: string; problems: LayerLibraryProblem[] };
  /** Set when the layout was written. */
  outDir?: string;
  /** Paths written, relative to outDir, in writing order. */
  written?: string[];
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export async function previewService(input: ServicePreviewInput): Promise<ServicePreviewResult> {
  const { signal, onProgress } = input;
  const config = await readServiceConfig(path.resolve(input.root));
  const { parsed, diagnostics } = diagnoseServiceConfig(config.text, config.root, input.homeDir);
  const refused = configErrorOf(diagnostics, config.configPath);
  if (refused) throw refused;

  let layerCatalogue: Record<string, LibraryLayerVersion[]> | undefined;
  let layerLibrary: ServicePreviewResult['layerLibrary'];
  if (input.layerLibrary !== undefined) {
    const dir = path.resolve(input.layerLibrary);
    const arch = getConfigValue(parsed.value, ['build', 'arch']);
    const scan = await scanLayerLibrary(dir, {
      signal,
      architecture: typeof arch === 'string' ? arch : undefined,
      onProgress: onProgress && ((p) => onProgress({ phase: 'layers', ...p })),
    });
    layerCatalogue = scan.catalogue;
    layerLibrary = { dir, problems: scan.problems };
  }

  const srcDir = sourceFolderOf(config.root, parsed.value);
  // The layout is staged beside its target: inside src/ it would end up in the rootfs layer.
  if (input.outDir !== undefined && isInside(path.resolve(input.outDir), srcDir)) {
    throw appError('invalid-input', `The export folder ${path.resolve(input.outDir)} is inside the source folder ${srcDir}: choose a folder outside it.`, { file: path.resolve(input.outDir) });
  }
  let reportRootfs: ((p: { files: number; bytes: number }) => void) | undefined;
  if (onProgress) {
    const { total, totalBytes } = await listSourceFolder(srcDir, { limit: 0, signal });
    reportRootfs = (p) => onProgress({ phase: 'rootfs', done: p.bytes, total: totalBytes, filesDone: p.files, filesTotal: total });
  }
  const buildRootfs = (outFile?: string) =>
    buildRootfsLayer(srcDir, { signal, symlinks: symlinkPolicyOf(parsed.value), onProgress: reportRootfs, ...(outFile ? { outFile } : {}) });
  const previewFor = (rootfs: RootfsLayer) =>
    buildPreview(parsed, {
      rootfs,
      node: input.node,
      created: input.created,
      refName: input.refName,
      files: rootfs.whiteouts,
      ...(layerCatalogue ? { layerCatalogue } : {}),
      // An exported manifest cannot name a layer whose digest is unknown.
      ...(input.outDir !== undefined ? { unresolvedLayers: 'omit' as const } : {}),
    });

  const base = { root: config.root, configPath: config.configPath, target: input.target, diagnostics, ...(layerLibrary ? { layerLibrary } : {}) };
  if (input.outDir === undefined) {
    const rootfs = await buildRootfs();
    const preview = previewFor(rootfs);
    return { ...base, rootfs, preview, warnings: preview.warnings };
  }

  const layerFiles = new Map<string, string>();
  for (const versions of Object.values(layerCatalogue ?? {})) for (const v of versions) layerFiles.set(v.digest, v.file);
  const layout = await writeLayout({ outDir: input.outDir, target: input.target, buildRootfs, previewFor, layerFiles, signal });
  const warnings = layout.preview.warnings.map((w) =>
    w.code === 'layer-unresolved' ? { ...w, message: `${w.message} The exported manifest leaves this layer out.` } : w,
  );
  return { ...base, rootfs: layout.rootfs, preview: layout.preview, warnings, outDir: layout.outDir, written: layout.written };
}
