// The preview of a deployment bundle (schemaVersion 2): what the cloud and a unit derive from
// each item's images, before anything is uploaded. ONE use-case behind `aos-bundle preview`
// in a bundle folder and the app's 'deployment.preview' job.
//   - a layer image (images[].path): its OCI descriptor as a unit reads it (layers.md §1,
//     oci-output.md §2): media type, digest and size of the .tar.gz, diff_id (sha256 of the
//     gunzipped tar, what rootfs.diff_ids lists), platform (architecture, variant, os,
//     os.version and os.features from osInfo) and the item's version; the same descriptor
//     `aos-bundle layer pack` writes as `<os>-<arch>-<version>.layer.json`.
//   - a component image (images[].path): media type, digest and size (a component is no tar layer).
//   - a service image (images[].sourceFolder): the rootfs layer the v1 preview builds from
//     src/ (buildRootfsLayer: tar + gzip -6, digest, size, diff_id). The image config and
//     item config the cloud makes from a v2 `configuration` are not shown: oci-output.md §4
//     maps v1 keys only, and guessing the v2 mapping would present an inference as fact.
// Validate's errors refuse the call (as sign does); nothing is written.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Diagnostic } from '../../../shared/diagnostics';
import { appError } from '../../../shared/errors';
import { joinBundlePath, parseDeploymentConfig, typedDeploymentConfig, type DeploymentImage } from '../../../shared/deployment-config';
import { diagnoseDeploymentBundle } from '../bundle/batch-check';
import { configErrorOf } from '../bundle/config';
import { hashLayerFile } from '../layers/library';
import { DIFF_ID_ANNOTATION, layerDescriptor } from '../layers/pack/descriptor';
import { buildRootfsLayer } from './rootfs-layer';
import { MEDIA_TYPES } from './types';

export interface DeploymentImageDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform: { architecture: string; variant?: string; os: string; 'os.version'?: string; 'os.features'?: string[] };
}

export interface DeploymentImagePreview {
  /** The key of the image in config.yaml, e.g. 'items[0].images[1]'. */
  key: string;
  /** 'layer' and 'component' images are prepared files; 'rootfs' is a service's folder built into a layer. */
  kind: 'layer' | 'component' | 'rootfs';
  /** The file or folder, relative to the bundle folder. */
  source: string;
  descriptor: DeploymentImageDescriptor;
  /** sha256 of the uncompressed tar (layers and rootfs layers): the unit's rootfs.diff_ids entry. */
  diffId?: string;
  /** Files in a service rootfs. */
  files?: number;
}

export interface DeploymentItemPreview {
  type: string;
  codename: string;
  version: string;
  images: DeploymentImagePreview[];
  /** What this preview does not derive for the item, in words. */
  notes: string[];
}

export interface DeploymentPreviewResult {
  kind: 'deployment-bundle';
  root: string;
  configPath: string;
  /** validate's warnings (errors refuse the call). */
  diagnostics: Diagnostic[];
  items: DeploymentItemPreview[];
}

export interface DeploymentPreviewProgress {
  /** Bytes of images read so far, of all of them (rootfs folders count when built). */
  done: number;
  total: number;
  /** The image being read, relative to the bundle folder. */
  current: string;
}

export interface DeploymentPreviewInput {
  /** The bundle folder (holding config.yaml with schemaVersion 2). */
  root: string;
  homeDir?: string;
  signal?: AbortSignal;
  onProgress?: (p: DeploymentPreviewProgress) => void;
}

export const SERVICE_CONFIG_NOTE =
  "The image config and item config the cloud builds from a v2 `configuration` are not derived here: oci-output.md §4 documents the mapping of v1 keys only.";

async function sha256OfFile(file: string, signal: AbortSignal | undefined, onBytes: (n: number) => void): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(
    createReadStream(file),
    async function (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        hash.update(chunk);
        size += chunk.length;
        onBytes(chunk.length);
      }
    },
    signal ? { signal } : {},
  );
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

function platformOf(image: DeploymentImage) {
  const os = image.osInfo?.os ?? 'linux';
  return {
    architecture: image.archInfo.architecture,
    ...(image.archInfo.variant ? { variant: image.archInfo.variant } : {}),
    os,
    ...(image.osInfo?.version ? { 'os.version': image.osInfo.version } : {}),
    ...(image.osInfo?.features ? { 'os.features': [...image.osInfo.features] } : {}),
  };
}

export async function previewDeploymentBundle(input: DeploymentPreviewInput): Promise<DeploymentPreviewResult> {
  const { signal } = input;
  const diagnosis = await diagnoseDeploymentBundle(path.resolve(input.root), { homeDir: input.homeDir, signal });
  const refused = configErrorOf(diagnosis.diagnostics, diagnosis.file.configPath);
  if (refused) throw refused;
  const config = typedDeploymentConfig(parseDeploymentConfig(diagnosis.file.text));
  if (!config) throw appError('invalid-config', 'config.yaml has errors; run `aos-bundle validate`.', { file: diagnosis.file.configPath });
  const root = diagnosis.file.root;
  const sizes = new Map((diagnosis.contents?.entries ?? []).map((e) => [e.path, e.size]));
  const sourceOf = (itemFolder: string | undefined, image: DeploymentImage) => joinBundlePath(itemFolder, (image.path ?? image.sourceFolder)!);
  // Progress counts the prepared files' bytes and each rootfs folder's packed bytes.
  const total = config.items.reduce(
    (n, item) => n + item.images.reduce((m, image) => {
      const source = sourceOf(item.sourceFolder, image);
      if (image.path) return m + (sizes.get(source) ?? 0);
      return m + [...sizes].filter(([p]) => p.startsWith(`${source}/`)).reduce((k, [, s]) => k + s, 0);
    }, 0),
    0,
  );
  let done = 0;
  const progress = (current: string) => (n: number) => {
    done += n;
    input.onProgress?.({ done, total, current });
  };

  const items: DeploymentItemPreview[] = [];
  for (const [i, item] of config.items.entries()) {
    const images: DeploymentImagePreview[] = [];
    for (const [j, image] of item.images.entries()) {
      signal?.throwIfAborted();
      const key = `items[${i}].images[${j}]`;
      const source = sourceOf(item.sourceFolder, image);
      const abs = path.join(root, ...source.split('/'));
      const platform = platformOf(image);
      if (image.path && item.identity.type === 'layer') {
        let hashes;
        try {
          hashes = await hashLayerFile(abs, signal, progress(source));
        } catch (e) {
          if (signal?.aborted) throw appError('cancelled', 'Cancelled.');
          throw appError('invalid-input', `${key}.path: ${source} is not a readable gzip'd tar: ${e instanceof Error ? e.message : String(e)}`, { file: abs });
        }
        const d = layerDescriptor({ version: item.version, architecture: platform.architecture, os: platform.os, osVersion: platform['os.version'], osFeatures: platform['os.features'] }, hashes);
        const descriptor: DeploymentImageDescriptor = { ...d, mediaType: image.mediaType ?? d.mediaType, platform: { ...d.platform, ...(platform.variant ? { variant: platform.variant } : {}) } };
        images.push({ key, kind: 'layer', source, descriptor, diffId: hashes.diffId });
      } else if (image.path) {
        const { digest, size } = await sha256OfFile(abs, signal, progress(source));
        images.push({ key, kind: 'component', source, descriptor: { mediaType: image.mediaType ?? 'application/octet-stream', digest, size, platform } });
      } else {
        let before = 0;
        const report = progress(source);
        const rootfs = await buildRootfsLayer(abs, { signal, onProgress: (p) => { report(p.bytes - before); before = p.bytes; } });
        images.push({
          key,
          kind: 'rootfs',
          source,
          descriptor: { mediaType: MEDIA_TYPES.layerTarGzip, digest: rootfs.digest, size: rootfs.size, annotations: { [DIFF_ID_ANNOTATION]: rootfs.diffId }, platform },
          diffId: rootfs.diffId,
          files: rootfs.files,
        });
      }
    }
    items.push({ type: item.identity.type, codename: item.identity.codename, version: item.version, images, notes: item.identity.type === 'service' ? [SERVICE_CONFIG_NOTE] : [] });
  }
  return { kind: 'deployment-bundle', root, configPath: diagnosis.file.configPath, diagnostics: diagnosis.diagnostics, items };
}
