// The descriptor written beside a packed layer: a plain OCI content descriptor of the
// .tar.gz with the platform the layer is for (`platform.os.version` and `platform.os.features`
// as units of that generation read them as `layer.json`, layers.md §1). OCI descriptors have
// no diff_id: it is an annotation, next to the layer's version.
//
// One descriptor per image, named after it: `<os>-<arch>-<version>.layer.json` beside
// `<os>-<arch>-<version>.tar.gz`. The spec's layer.json is ONE plain OCI descriptor (a unit
// reads it as such), so a list of images in one file would be something no unit reads, and
// one `layer.json` per folder made the second architecture (or version) packed into a folder
// collide with the first (the CLI replaced it, losing the first image's descriptor). Named
// after its image, each descriptor is still exactly that plain descriptor, packing another
// architecture never touches it, and packing the same os/arch/version again replaces only it.
// Folders packed before hold one `layer.json` (LEGACY_DESCRIPTOR_FILE): it is still read
// (descriptor-files.ts) and never overwritten.
import { isStrictSemver } from '../../../../shared/service-config';
import { appError } from '../../../../shared/errors';
import { mapArchitecture, SUPPORTED_ARCHITECTURES } from '../../oci/platform';
import { MEDIA_TYPES } from '../../oci/types';
import type { LayerBlob } from '../../oci/layer-blob';

export const DIFF_ID_ANNOTATION = 'org.aosedge.layer.diff_id';
export const VERSION_ANNOTATION = 'org.opencontainers.image.version';
/** The one descriptor per folder that packs before per-image descriptors wrote. */
export const LEGACY_DESCRIPTOR_FILE = 'layer.json';
export const DESCRIPTOR_SUFFIX = '.layer.json';

export interface LayerPlatform {
  architecture: string;
  os: string;
  /** Only when given: a unit refuses a layer whose os.version is not its own. */
  'os.version'?: string;
  /** Package names the layer provides (may be empty). */
  'os.features': string[];
}

export interface LayerDescriptor {
  mediaType: typeof MEDIA_TYPES.layerTarGzip;
  digest: string;
  size: number;
  annotations: Record<string, string>;
  platform: LayerPlatform;
}

export interface LayerIdentity {
  version: string;
  architecture: string;
  os: string;
  osVersion?: string;
  osFeatures?: readonly string[];
}

const OS_RE = /^[a-z][a-z0-9_]*$/;

/** Checks version (strict SemVer), architecture (an OCI name the platform supports) and os; returns the normalised identity. */
export function checkLayerIdentity(id: LayerIdentity): LayerIdentity {
  if (!isStrictSemver(id.version)) {
    throw appError('invalid-input', `The layer version must be strict SemVer 2.0.0 such as 1.0.0; got '${id.version}'.`);
  }
  const arch = mapArchitecture(id.architecture);
  if (!arch.supported || arch.inferred || arch.variant) {
    const hint = arch.supported ? ` (the OCI name of '${id.architecture}' is '${arch.architecture}')` : '';
    throw appError('invalid-input', `The architecture must be one of ${SUPPORTED_ARCHITECTURES.join(', ')}${hint}; got '${id.architecture}'.`);
  }
  if (!OS_RE.test(id.os)) throw appError('invalid-input', `The os must be a lower-case name such as linux; got '${id.os}'.`);
  return { ...id, architecture: arch.architecture };
}

/** `<os>-<arch>-<version>.tar.gz`, the name the platform's flow gives a layer image. */
export function layerFileName(id: LayerIdentity): string {
  return `${id.os}-${id.architecture}-${id.version}.tar.gz`;
}

/** `<os>-<arch>-<version>.layer.json`: the descriptor of the image `layerFileName` names. */
export function descriptorFileName(id: Pick<LayerIdentity, 'os' | 'architecture' | 'version'>): string {
  return `${id.os}-${id.architecture}-${id.version}${DESCRIPTOR_SUFFIX}`;
}

export function layerDescriptor(id: LayerIdentity, blob: Pick<LayerBlob, 'digest' | 'size' | 'diffId'>): LayerDescriptor {
  return {
    mediaType: MEDIA_TYPES.layerTarGzip,
    digest: blob.digest,
    size: blob.size,
    annotations: { [DIFF_ID_ANNOTATION]: blob.diffId, [VERSION_ANNOTATION]: id.version },
    platform: {
      architecture: id.architecture,
      os: id.os,
      ...(id.osVersion ? { 'os.version': id.osVersion } : {}),
      'os.features': [...(id.osFeatures ?? [])],
    },
  };
}
