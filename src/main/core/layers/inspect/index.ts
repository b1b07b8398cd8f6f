export { inspectLayer, type InspectLayerInput } from './inspect-layer';
export type { InspectProgress, LayerForm, LayerInspection, LayerLibrary, LayerPlatform, LayerWhiteout, LibrarySourceKind, TopFolderStats } from './types';
