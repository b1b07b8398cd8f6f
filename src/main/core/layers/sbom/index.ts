export { buildLayerSbom, SBOM_FORMATS, type LayerSbom, type LayerSbomInput, type SbomFormat } from './layer-sbom';
export { exportLayerSbom, type ExportSbomInput } from './export-sbom';
