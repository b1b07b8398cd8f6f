// Reading the descriptors `layer pack` writes beside its images, in both forms: the current
// `<os>-<arch>-<version>.layer.json` (one per image, named after it) and the `layer.json` of
// folders packed before (one per folder, describing the one image packed last). Whoever needs
// to know which descriptor belongs to which image (the catalog's removal, pack itself) asks
// here, so both forms are understood the same way everywhere.
import { promises as fs } from 'node:fs';
import { MEDIA_TYPES } from '../../oci/types';
import { VERSION_ANNOTATION, type LayerDescriptor, type LayerPlatform } from './descriptor';

/** A descriptor is a few hundred bytes; a larger file of that name is the user's, not ours. */
const DESCRIPTOR_MAX_BYTES = 1 << 20;

/** The image a descriptor may describe. `size` is checked when given (the catalog knows it from stat). */
export interface DescribedImage {
  os: string;
  architecture: string;
  version: string;
  size?: number;
}

/** A descriptor as read from disk: what was written by hand or by an older pack may lack platform fields. */
export interface StoredLayerDescriptor extends Omit<LayerDescriptor, 'platform' | 'annotations'> {
  annotations?: Record<string, unknown>;
  platform?: Partial<LayerPlatform>;
}

/** The descriptor in `file`, or undefined when it is missing, too large, not JSON or no layer descriptor (a file of the user's). */
export async function readLayerDescriptorFile(file: string): Promise<StoredLayerDescriptor | undefined> {
  try {
    const st = await fs.lstat(file);
    if (!st.isFile() || st.size > DESCRIPTOR_MAX_BYTES) return undefined;
    const d = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<StoredLayerDescriptor> | null;
    if (!d || typeof d !== 'object' || d.mediaType !== MEDIA_TYPES.layerTarGzip || typeof d.size !== 'number' || typeof d.digest !== 'string') return undefined;
    if ((d.platform !== undefined && (d.platform === null || typeof d.platform !== 'object')) || (d.annotations !== undefined && (d.annotations === null || typeof d.annotations !== 'object'))) return undefined;
    return d as StoredLayerDescriptor;
  } catch {
    return undefined;
  }
}

/**
 * Whether `d` is the descriptor of `image`: its media type and version (annotation), its size
 * when known, and its platform's os and architecture where the descriptor states them (an
 * older layer.json read by media type, size and version alone still counts).
 */
export function describesImage(d: StoredLayerDescriptor, image: DescribedImage): boolean {
  return (
    d.mediaType === MEDIA_TYPES.layerTarGzip &&
    d.annotations?.[VERSION_ANNOTATION] === image.version &&
    (image.size === undefined || d.size === image.size) &&
    (d.platform?.os === undefined || d.platform.os === image.os) &&
    (d.platform?.architecture === undefined || d.platform.architecture === image.architecture)
  );
}
