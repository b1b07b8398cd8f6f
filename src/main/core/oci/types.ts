// Types shared by the OCI preview modules. The preview is what AosCloud would generate from
// a `config.yaml` (oci-output.md §1–4) and what a unit would then run (§5).
import type { KeyPath } from '../../../shared/diagnostics';

export type Target = 'v8' | 'v9';

export const MEDIA_TYPES = {
  imageIndex: 'application/vnd.oci.image.index.v1+json',
  imageManifest: 'application/vnd.oci.image.manifest.v1+json',
  imageConfig: 'application/vnd.oci.image.config.v1+json',
  layerTarGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  layerTar: 'application/vnd.oci.image.layer.v1.tar',
  aosService: 'application/vnd.aos.service.config.v1+json',
  aosItemConfig: 'application/vnd.aos.item.config.v1+json',
  aosLayer: 'application/vnd.aos.image.layer.v1.tar',
} as const;

/** An OCI content descriptor. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform;
}

export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
}

/**
 * Where a generated field came from: the config.yaml key path and the 1-based position of
 * its value (or, for a default, of the nearest key that is present; line 0 when none is).
 */
export interface TraceEntry {
  /** Dotted key path in config.yaml, e.g. `configuration.quotas.mem`. */
  path: string;
  line: number;
  column: number;
  /** True when the value goes through the inferred config.yaml → unit JSON mapping (§4). */
  inferred: boolean;
  /** 'config': written in config.yaml; 'default': applied because the key is absent. */
  origin: 'config' | 'default';
}

/** JSON pointer into the PreviewResult (e.g. `/imageConfig/config/Cmd/0`) → its source. */
export type Trace = Record<string, TraceEntry>;

export interface PreviewWarning {
  code: string;
  /** 'warning': the platform ignores or rejects it; 'info': worth knowing, nothing is lost. */
  severity: 'warning' | 'info';
  message: string;
  /** Dotted config.yaml key path ('' for the document or for files of src/). */
  path: string;
  line: number;
  column: number;
  /** For warnings about files of the service's rootfs. */
  file?: string;
}

/** One known version of a layer, as the app's layer catalogue knows it. */
export interface LayerVersion {
  version: string;
  /** sha256 of the compressed layer blob (`sha256:<hex>`). */
  digest: string;
  /** Size of the compressed layer blob in bytes. */
  size: number;
  /** sha256 of the uncompressed tar (`sha256:<hex>`). */
  diffId: string;
  /** Size of the uncompressed tar, for v8 descriptors (which name the uncompressed tar); else `size`. */
  tarSize?: number;
}

/** Layer uid → its known versions. */
export type LayerCatalogue = Record<string, readonly LayerVersion[]>;

export interface ResolvedLayer {
  unresolved: false;
  uid: string;
  rangeText: string;
  version: string;
  digest: string;
  size: number;
  diffId: string;
  tarSize?: number;
  /** Index in configuration.layers. */
  index: number;
}

export interface UnresolvedLayer {
  unresolved: true;
  uid: string;
  rangeText: string;
  /** Known versions of the uid (none matched the range), highest first; empty when the uid is unknown. */
  known: string[];
  index: number;
}

export type RequiredLayer = ResolvedLayer | UnresolvedLayer;

/** The service's rootfs layer (layers[0]) as buildRootfsLayer reports it. */
export interface RootfsLayerInfo {
  /** sha256 of the tar+gzip blob. */
  digest: string;
  size: number;
  /** sha256 of the uncompressed tar. */
  diffId: string;
}

/** Node parameters a unit knows and the author does not (§5); each has a documented default. */
export interface NodeParams {
  /** The node's total DMIPS (all CPUs). */
  maxDMIPS: number;
  /** Number of CPUs of the node. */
  cpuCount: number;
  /** The instance's uid (allocated by the unit). */
  uid: number;
  /** The service's gid (allocated by the unit). */
  gid: number;
  instanceId: string;
  /** Service id in the cloud; defaults to publish.service_uid when set. */
  serviceId?: string;
  subjectId: string;
  instanceIndex: number;
  /** Cloud override env vars (step 10), `NAME=value`. */
  overrideEnv: readonly string[];
  /** Whether the service has a permissions section registered with IAM → `AOS_SECRET` value shown. */
  secret: string;
}

export const DEFAULT_NODE_PARAMS: Readonly<NodeParams> = Object.freeze({
  maxDMIPS: 10000,
  cpuCount: 1,
  uid: 5000,
  gid: 5000,
  instanceId: 'preview-instance-0',
  subjectId: 'preview-subject',
  instanceIndex: 0,
  overrideEnv: [],
  secret: '<secret issued by IAM>',
});

/** Why each default was chosen, for the UI and the CLI's help. */
export const NODE_PARAM_DOCS: Record<keyof NodeParams, string> = {
  maxDMIPS: 'Total DMIPS of the node (default 10000: a mid-range ARM/x86 board).',
  cpuCount: 'CPUs of the node (default 1).',
  uid: 'uid the unit allocates to the instance (default 5000; units allocate from 5000 up).',
  gid: 'gid the unit allocates to the service (default 5000).',
  instanceId: 'Instance id the unit generates (default preview-instance-0).',
  serviceId: 'Service id; default publish.service_uid, else "service".',
  subjectId: 'Subject the instance runs for (default preview-subject).',
  instanceIndex: 'Index of the instance (default 0).',
  overrideEnv: 'Env vars the cloud overrides at run time, NAME=value (default none).',
  secret: 'AOS_SECRET value shown when permissions are set (the real one comes from IAM).',
};

export type { KeyPath };
