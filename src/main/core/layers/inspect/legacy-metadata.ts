// The legacy layer form's `metadata.json` (layers.md §1, until 2025): the layer tar's digest
// and size, the platform, and annotations naming the layer and its parent. The parent keys
// are misspelled in the original (`parrentLayerId`, `parrentLayerDigest`); the correct
// spelling is read too, in case a later tool fixed it.

export interface LegacyMetadata {
  mediaType?: string;
  digest?: string;
  size?: number;
  platform: { architecture?: string; os?: string; osVersion?: string; osFeatures?: string[] };
  layerId?: string;
  parent?: { id?: string; digest?: string };
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Parses metadata.json; a string saying what is wrong when it is not a JSON object. */
export function parseLegacyMetadata(text: string): LegacyMetadata | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return `metadata.json is not JSON (${(e as Error).message})`;
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return 'metadata.json is not a JSON object';
  const j = json as Record<string, unknown>;
  const p = obj(j.platform);
  const a = obj(j.annotations);
  const features = Array.isArray(p.osFeatures) ? p.osFeatures.filter((f): f is string => typeof f === 'string') : undefined;
  const platform: LegacyMetadata['platform'] = {};
  if (str(p.architecture)) platform.architecture = str(p.architecture);
  if (str(p.os)) platform.os = str(p.os);
  if (str(p.osVersion)) platform.osVersion = str(p.osVersion);
  if (features) platform.osFeatures = features;
  const m: LegacyMetadata = { platform };
  if (str(j.mediaType)) m.mediaType = str(j.mediaType);
  if (str(j.digest)) m.digest = str(j.digest);
  if (typeof j.size === 'number' && Number.isSafeInteger(j.size)) m.size = j.size;
  if (str(a.layerId)) m.layerId = str(a.layerId);
  const parentId = str(a.parrentLayerId) ?? str(a.parentLayerId);
  const parentDigest = str(a.parrentLayerDigest) ?? str(a.parentLayerDigest);
  if (parentId || parentDigest) m.parent = { ...(parentId ? { id: parentId } : {}), ...(parentDigest ? { digest: parentDigest } : {}) };
  return m;
}
