export { loadLayerCatalog, readCatalogState, catalogFromState, type CatalogLayer, type CatalogVersion, type LayerCatalog, type CatalogInput } from './catalog';
export { findLayerConsumers, serviceConsumer, bundleConsumers, type LayerConsumer, type KnownFolder } from './consumers';
export { dependantsOf, selectionsOf, type Dependant } from './dependants';
export { planLayerRemoval, removeLayerVersion, type CatalogVersionRef, type RemovalPlan, type RemovalResult } from './removal';
export { layerFacts, clearLayerFactsCache } from './facts';
export { addLayerToCatalog } from './add';
export { layerDependants } from './dependants-use-case';
export { resolveCodenames, codenameIndex, layerItemsOf, type LayerItemDeclaration } from './codenames';
