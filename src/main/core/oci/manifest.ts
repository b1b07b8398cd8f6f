// Manifests and indexes (oci-output.md §1–2). v8: one `manifest.json`, an OCI manifest plus
// the top-level `aosService` descriptor. v9: image index → manifest with `aosItemConfig`.
// The v9 index is also the `index.json` of the exported OCI image layout, so that standard
// tools (skopeo, umoci) open the export as it is.
import { unresolvedText } from './required-layers';
import { MEDIA_TYPES, type Descriptor, type Platform, type RequiredLayer, type RootfsLayerInfo, type UnresolvedLayer } from './types';

export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';

/** What a preview shows in place of a layer whose version is not known to the app. */
export interface UnresolvedLayerEntry {
  unresolved: true;
  uid: string;
  rangeText: string;
  text: string;
}

export type ManifestLayer = Descriptor | UnresolvedLayerEntry;

export interface V8Manifest {
  schemaVersion: 2;
  config: Descriptor;
  aosService: Descriptor;
  layers: ManifestLayer[];
}

export interface V9Manifest {
  schemaVersion: 2;
  mediaType: typeof MEDIA_TYPES.imageManifest;
  config: Descriptor;
  aosItemConfig: Descriptor;
  layers: ManifestLayer[];
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType: typeof MEDIA_TYPES.imageIndex;
  manifests: Descriptor[];
}

export const OCI_LAYOUT = { imageLayoutVersion: '1.0.0' } as const;

function unresolvedEntry(layer: UnresolvedLayer): UnresolvedLayerEntry {
  return { unresolved: true, uid: layer.uid, rangeText: layer.rangeText, text: unresolvedText(layer) };
}

export function rootfsDescriptor(rootfs: RootfsLayerInfo): Descriptor {
  return { mediaType: MEDIA_TYPES.layerTarGzip, digest: rootfs.digest, size: rootfs.size };
}

/**
 * v8 names Aos layers by the digest of their uncompressed tar, with the Aos media type
 * (the legacy layer metadata does the same); units fetch them separately by that digest.
 */
function v8LayerDescriptor(layer: RequiredLayer): ManifestLayer {
  if (layer.unresolved) return unresolvedEntry(layer);
  return { mediaType: MEDIA_TYPES.aosLayer, digest: layer.diffId, size: layer.tarSize ?? layer.size };
}

/** v9 units take the current layer form: a gzip'd OCI layer whose diff_id is in the config. */
function v9LayerDescriptor(layer: RequiredLayer): ManifestLayer {
  if (layer.unresolved) return unresolvedEntry(layer);
  return { mediaType: MEDIA_TYPES.layerTarGzip, digest: layer.digest, size: layer.size };
}

export function buildV8Manifest(config: Descriptor, aosService: Descriptor, rootfs: Descriptor, layers: readonly RequiredLayer[]): V8Manifest {
  return { schemaVersion: 2, config, aosService, layers: [rootfs, ...layers.map(v8LayerDescriptor)] };
}

export function buildV9Manifest(config: Descriptor, aosItemConfig: Descriptor, rootfs: Descriptor, layers: readonly RequiredLayer[]): V9Manifest {
  return {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.imageManifest,
    config,
    aosItemConfig,
    layers: [rootfs, ...layers.map(v9LayerDescriptor)],
  };
}

/** The index keeps `platform` equal to the image config's, as units select by the latter. */
export function buildImageIndex(manifest: Descriptor, platform: Platform, refName: string): ImageIndex {
  return {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.imageIndex,
    manifests: [{ ...manifest, platform, annotations: { [REF_NAME_ANNOTATION]: refName } }],
  };
}

/**
 * A tag usable as an OCI ref name (`[A-Za-z0-9_.-]`, plus `+` of SemVer build metadata
 * which the layout's grammar allows): publish.version when set, else `latest`.
 */
export function refNameFor(version: unknown): string {
  if (typeof version === 'string' && /^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(version)) return version;
  return 'latest';
}
