// The whole preview from a parsed config.yaml, in one pure call. It runs on every keystroke,
// so it does no I/O: the rootfs layer's digests are computed separately (buildRootfsLayer)
// and passed in by the caller, which caches them until a file under src/ changes.
import { MISSING_CMD_MESSAGE, runsInContainerWith, type ParsedServiceConfig } from '../../../shared/service-config';
import { jsonBlob } from './blob';
import { checkDeviations, whiteoutWarnings } from './deviations';
import { buildImageConfig, PENDING_DIGEST, type ImageConfig } from './image-config';
import { buildImageIndex, buildV8Manifest, buildV9Manifest, refNameFor, rootfsDescriptor, REF_NAME_ANNOTATION, type ImageIndex, type V8Manifest, type V9Manifest } from './manifest';
import { overlayOrder, type OverlayEntry } from './overlay';
import { readLayerRequirements, resolveLayers, unresolvedText } from './required-layers';
import { buildRuntimeSpec, type RuntimeSpec } from './runtime-spec';
import { buildUnitConfig, type UnitConfig } from './service-config';
import { ConfigSource, pointer } from './source';
import { DEFAULT_NODE_PARAMS, MEDIA_TYPES, type LayerCatalogue, type NodeParams, type Platform, type PreviewWarning, type RequiredLayer, type RootfsLayerInfo, type Trace } from './types';

export interface PreviewOptions {
  /** The service rootfs layer (from buildRootfsLayer); while unknown a zero digest stands in. */
  rootfs?: RootfsLayerInfo;
  /** Known layer versions by uid, to resolve configuration.layers. */
  layerCatalogue?: LayerCatalogue;
  /** Node parameters; missing ones take DEFAULT_NODE_PARAMS. */
  node?: Partial<NodeParams>;
  /** RFC 3339 creation time to put in the configs; omitted by default (reproducible output). */
  created?: string;
  /** Ref name of the v9 image in index.json; default publish.version, else `latest`. */
  refName?: string;
  /** Paths of the files under src/ (relative, `/`-separated), to warn about whiteouts. */
  files?: readonly string[];
  /**
   * 'show' (default) keeps unresolved layers in the manifests as `{unresolved: true, ...}`
   * entries, which is what a person wants to see; 'omit' leaves them out (for export).
   */
  unresolvedLayers?: 'show' | 'omit';
}

export interface OciPreview {
  imageConfig: ImageConfig;
  /** v8 `aosService`. */
  serviceConfig: UnitConfig;
  /** v9 `aosItemConfig`, canonical key order. */
  itemConfig: UnitConfig;
  manifest: { v8: V8Manifest; v9: V9Manifest };
  /** v9 image index; also the `index.json` of the exported OCI image layout. */
  index: ImageIndex;
  runtimeSpec: { v8: RuntimeSpec; v9: RuntimeSpec };
  /** Root filesystem overlay, topmost first. */
  overlay: OverlayEntry[];
  /** configuration.layers, resolved where the catalogue knows a matching version. */
  layers: RequiredLayer[];
  platform: Platform;
  refName: string;
  /** The node parameters used, defaults filled in. */
  node: NodeParams;
  warnings: PreviewWarning[];
  /** JSON pointer into this object → the config.yaml line the field came from. */
  trace: Trace;
}

export function resolveNodeParams(src: ConfigSource | undefined, node: Partial<NodeParams> = {}): NodeParams & { serviceId: string } {
  const uid = src?.get(['publish', 'service_uid']);
  const merged = { ...DEFAULT_NODE_PARAMS, ...stripUndefined(node) } as NodeParams;
  return { ...merged, serviceId: merged.serviceId ?? (typeof uid === 'string' && uid ? uid : 'service') };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function buildPreview(parsed: ParsedServiceConfig, options: PreviewOptions = {}): OciPreview {
  const src = new ConfigSource(parsed);
  if (parsed.value === undefined) {
    src.warn('config-not-parsed', 'config.yaml has syntax errors: the preview shows only what does not depend on it.', []);
  }
  const node = resolveNodeParams(src, options.node);
  const created = options.created;

  const allLayers = resolveLayers(readLayerRequirements(src), options.layerCatalogue);
  for (const l of allLayers) {
    if (!l.unresolved) continue;
    const known = l.known.length ? ` Known versions: ${l.known.join(', ')}.` : ' The app knows no version of this layer.';
    src.warn('layer-unresolved', `${unresolvedText(l)}: no known version matches, so its digest is unknown.${known}`, ['configuration', 'layers', l.index], 'info');
  }
  const layers = options.unresolvedLayers === 'omit' ? allLayers.filter((l) => !l.unresolved) : allLayers;
  if (!options.rootfs) {
    src.warn('rootfs-pending', 'The rootfs layer digest is being computed; a zero digest stands in for it.', ['build', 'source_folder'], 'info');
  }

  checkDeviations(src);

  const imageConfig = buildImageConfig(src, options.rootfs, layers, { created });
  const serviceConfig = buildUnitConfig(src, 'v8', { created });
  const itemConfig = buildUnitConfig(src, 'v9', { created });

  const configBlob = jsonBlob(imageConfig, MEDIA_TYPES.imageConfig);
  const serviceBlob = jsonBlob(serviceConfig, MEDIA_TYPES.aosService);
  const itemBlob = jsonBlob(itemConfig, MEDIA_TYPES.aosItemConfig);
  const rootfs = rootfsDescriptor(options.rootfs ?? { digest: PENDING_DIGEST, size: 0, diffId: PENDING_DIGEST });

  const v8 = buildV8Manifest(configBlob.descriptor, serviceBlob.descriptor, rootfs, layers);
  const v9 = buildV9Manifest(configBlob.descriptor, itemBlob.descriptor, rootfs, layers);
  const v9Blob = jsonBlob(v9, MEDIA_TYPES.imageManifest);
  const platform: Platform = {
    architecture: imageConfig.architecture,
    os: imageConfig.os,
    ...(imageConfig.variant ? { variant: imageConfig.variant } : {}),
  };
  const refName = options.refName ?? refNameFor(src.get(['publish', 'version']));
  const index = buildImageIndex(v9Blob.descriptor, platform, refName);

  for (const t of ['v8', 'v9'] as const) {
    src.record(`/manifest/${t}/layers/0`, ['build', 'source_folder'], false);
    layers.forEach((l, i) => src.record(`/manifest/${t}/layers/${i + 1}`, ['configuration', 'layers', l.index], true));
  }
  src.record('/index/manifests/0/platform/architecture', ['build', 'arch'], true);
  src.record('/index/manifests/0/platform/os', ['build', 'os'], true);
  if (platform.variant) src.record('/index/manifests/0/platform/variant', ['build', 'arch'], true);
  if (!options.refName) src.record(pointer('index', 'manifests', 0, 'annotations', REF_NAME_ANNOTATION), ['publish', 'version'], false);

  const runtimeSpec = {
    v8: buildRuntimeSpec({ target: 'v8', image: imageConfig, unit: serviceConfig, node, serviceId: node.serviceId }, src),
    v9: buildRuntimeSpec({ target: 'v9', image: imageConfig, unit: itemConfig, node, serviceId: node.serviceId }, src),
  };
  // The same question validate asks (rules/runtime.ts): crun/runc refuse empty args, VM
  // runners (xrun, runx) boot a kernel image and need no command.
  if (!imageConfig.config.Entrypoint?.length && runsInContainerWith(src.get(['configuration', 'runner']), src.get(['configuration', 'runners']))) {
    src.warn('no-cmd', MISSING_CMD_MESSAGE, ['configuration', 'cmd']);
  }
  if (Array.isArray(src.get(['configuration', 'resources'])) && (src.get(['configuration', 'resources']) as unknown[]).length) {
    src.warn(
      'resources-node-defined',
      "Resources add groups, mounts, env vars and hosts defined in the node's configuration; the runtime spec shown does not include them.",
      ['configuration', 'resources'],
      'info',
    );
  }

  if (Array.isArray(src.get(['configuration', 'devices'])) && (src.get(['configuration', 'devices']) as unknown[]).length) {
    src.warn(
      'devices-node-defined',
      "A v8 unit adds each device's nodes and cgroup rules from the node's device configuration (major/minor numbers); the runtime spec shown does not include them.",
      ['configuration', 'devices'],
      'info',
    );
  }

  const warnings = dedupe([...src.warnings, ...whiteoutWarnings(options.files ?? [])]);
  return {
    imageConfig,
    serviceConfig,
    itemConfig,
    manifest: { v8, v9 },
    index,
    runtimeSpec,
    overlay: overlayOrder(options.rootfs, layers, node.instanceId),
    layers,
    platform,
    refName,
    node,
    warnings,
    trace: src.trace,
  };
}

function dedupe(list: PreviewWarning[]): PreviewWarning[] {
  const seen = new Set<string>();
  return list.filter((w) => {
    const key = `${w.code}\0${w.path}\0${w.file ?? ''}\0${w.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
