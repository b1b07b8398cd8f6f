// The OCI preview: what AosCloud would generate from a service's config.yaml and src/, and
// what a unit would then run (spec oci-output.md, layers.md §2–3). Pure generators (no fs)
// plus the I/O: the rootfs layer build, the layout writer, and previewService, the one
// use-case the CLI and the app's API both call for a preview or an export. No Electron here.
//
// PUBLIC API: the CLI `preview` command and the UI panel use only what is exported here.
export { buildPreview, resolveNodeParams } from './preview';
export type { OciPreview, PreviewOptions } from './preview';
export { buildRootfsLayer, findWhiteouts, bundleFolderTar, LAYER_GZIP_LEVEL, LAYER_GZIP_OS_BYTE } from './rootfs-layer';
export type { RootfsLayer, RootfsLayerOptions, RootfsLayerProgress, FolderTarStream } from './rootfs-layer';
export { previewService } from './preview-service';
export { previewDeploymentBundle, SERVICE_CONFIG_NOTE } from './preview-deployment';
export type { DeploymentPreviewInput, DeploymentPreviewResult, DeploymentItemPreview, DeploymentImagePreview, DeploymentImageDescriptor, DeploymentPreviewProgress } from './preview-deployment';
export type { ServicePreviewInput, ServicePreviewResult, ServicePreviewProgress } from './preview-service';
export { writeLayout, placeLayerBlob } from './export';
export type { WriteLayoutOptions, WrittenLayout } from './export';

export { splitCommand, toEntrypointCmd } from './command';
export { mapArchitecture, SUPPORTED_ARCHITECTURES } from './platform';
export { buildImageConfig, PENDING_DIGEST } from './image-config';
export type { ImageConfig } from './image-config';
export { buildUnitConfig, V9_RESOURCE_MODE } from './service-config';
export type { UnitConfig } from './service-config';
export { resolveLayers, pickLayerVersion, pickHighestVersion, pickConstraintVersion, readLayerRequirements, unresolvedText } from './required-layers';
export {
  buildRuntimeSpec,
  baseRuntimeSpec,
  cpuQuota,
  cgroupsPath,
  mergeEnv,
  mergeMount,
  mergeRlimit,
  CPU_PERIOD,
  CPU_QUOTA_FLOOR,
} from './runtime-spec';
export type { RuntimeSpec, Mount, Rlimit } from './runtime-spec';
export { overlayOrder, HOST_VISIBLE } from './overlay';
export type { OverlayEntry } from './overlay';
export { buildV8Manifest, buildV9Manifest, buildImageIndex, refNameFor, REF_NAME_ANNOTATION, OCI_LAYOUT } from './manifest';
export type { V8Manifest, V9Manifest, ImageIndex, ManifestLayer, UnresolvedLayerEntry } from './manifest';
export { sha256, serializeJson, jsonBlob, blobPath } from './blob';
export { whiteoutWarnings } from './deviations';
export { DEFAULT_NODE_PARAMS, NODE_PARAM_DOCS, MEDIA_TYPES } from './types';
export type {
  Target,
  Descriptor,
  Platform,
  TraceEntry,
  Trace,
  PreviewWarning,
  LayerVersion,
  LayerCatalogue,
  RequiredLayer,
  ResolvedLayer,
  UnresolvedLayer,
  RootfsLayerInfo,
  NodeParams,
} from './types';
