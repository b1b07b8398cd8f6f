export { buildLayerSbom, SBOM_FORMATS, type LayerSbom, type LayerSbomInput, type SbomFormat } from './layer-sbom';
