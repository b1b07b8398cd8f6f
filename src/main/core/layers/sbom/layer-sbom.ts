// The "SBOM of a layer" use-case (issue 10), one for the CLI and the app: inspect the layer
// image (one pass), then write its libraries as CycloneDX 1.6 or SPDX 2.3 JSON.
// Reproducible: the same layer gives the same bytes; the serial number and namespace come
// from the digest, and the only time is SOURCE_DATE_EPOCH's.
import { appError } from '../../../../shared/errors';
import { APP_VERSION } from '../../../version';
import { inspectLayer, type InspectProgress, type LayerInspection } from '../inspect';
import { sbomComponents } from './components';
import { cycloneDxJson } from './cyclonedx';
import { sourceDateEpoch, uuidV5 } from './document-ids';
import { spdxJson } from './spdx';

export const SBOM_FORMATS = ['cyclonedx', 'spdx'] as const;
export type SbomFormat = (typeof SBOM_FORMATS)[number];

export interface LayerSbomInput {
  /** A layer image file (a folder has no digest to name the document by). */
  path: string;
  format: SbomFormat;
  /** The SOURCE_DATE_EPOCH value, when the caller has one. */
  sourceDateEpoch?: string;
  signal?: AbortSignal;
  onProgress?: (p: InspectProgress) => void;
}

export interface LayerSbom {
  document: string;
  format: SbomFormat;
  inspection: LayerInspection;
}

export async function buildLayerSbom(input: LayerSbomInput): Promise<LayerSbom> {
  let timestamp: string | undefined;
  try {
    timestamp = sourceDateEpoch(input.sourceDateEpoch);
  } catch (e) {
    throw appError('invalid-input', (e as Error).message);
  }
  const inspection = await inspectLayer(input);
  if (!inspection.digest) {
    throw appError('invalid-input', `${inspection.source} is a folder: an SBOM names a layer image by its digest; pack the folder first, or inspect it.`, { file: inspection.source });
  }
  const ctx = {
    report: inspection,
    components: sbomComponents(inspection),
    timestamp,
    serialUuid: uuidV5(`aos-bundle:layer-sbom:${input.format}:${inspection.digest}`),
    toolVersion: APP_VERSION,
  };
  const document = input.format === 'cyclonedx' ? cycloneDxJson(ctx) : spdxJson(ctx);
  return { document, format: input.format, inspection };
}
