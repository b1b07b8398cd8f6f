// Packing a layer from a root filesystem (issue 10): the use-case and what a preview shows.
export { packLayer } from './pack';
export type { PackLayerOptions, PackLayerResult, PackedLayer, PackProgress, PackPhase } from './pack';
export { planLayer } from './plan';
export type { LayerPlan, PlannedEntry, PathChange, DeletedPath, EntryChange, PlanLayerOptions } from './plan';
export { readParents, isLayerImagePath } from './parents';
export { checkLayerIdentity, layerDescriptor, layerFileName, descriptorFileName, DIFF_ID_ANNOTATION, VERSION_ANNOTATION, LEGACY_DESCRIPTOR_FILE, DESCRIPTOR_SUFFIX } from './descriptor';
export { readLayerDescriptorFile, describesImage, type DescribedImage, type StoredLayerDescriptor } from './descriptor-files';
export type { LayerDescriptor, LayerPlatform, LayerIdentity } from './descriptor';
export { isOverlayWhiteout, whiteoutOf, OPAQUE_MARKER, WHITEOUT_PREFIX } from './whiteout';
