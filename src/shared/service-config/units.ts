// Sizes as the v1 upload tool reads them (spec §2): decimal units and `ki`. The grammar,
// durations and byte previews are shared with the deployment config (config-common).
import type { SizeValue } from './index';
import { parseSizeIn, splitSize, type SizeUnitTable } from '../config-common/units';

export { formatBytes, parseDuration } from '../config-common/units';

/** Decimal multipliers the v1 tool knows, by lower-cased unit. `ki` is its one binary unit. */
const V1_SIZE_UNITS: SizeUnitTable = {
  '': { factor: 1, convention: 'bytes' },
  b: { factor: 1, convention: 'bytes' },
  k: { factor: 1e3, convention: 'decimal (k = 1000)' },
  kb: { factor: 1e3, convention: 'decimal (k = 1000)' },
  m: { factor: 1e6, convention: 'decimal (M = 1000000)' },
  mb: { factor: 1e6, convention: 'decimal (M = 1000000)' },
  g: { factor: 1e9, convention: 'decimal (G = 1000000000)' },
  gb: { factor: 1e9, convention: 'decimal (G = 1000000000)' },
  ki: { factor: 1024, convention: 'binary (Ki = 1024)' },
};

/** Sizes as the v1 upload tool reads them; null when invalid. */
export function parseSize(text: string | number): SizeValue | null {
  return parseSizeIn(text, V1_SIZE_UNITS);
}

/**
 * True for the binary units of v2 configs (`Mi`, `MiB`, `KiB`, `Gi`...) that the v1 tool
 * rejects, so that the message can say so instead of a bare "invalid size".
 */
export function isBinarySizeUnit(text: string): boolean {
  const split = splitSize(text);
  if (!split) return false;
  const unit = split.unit.toLowerCase();
  return /^[kmgtpe]ib?$/.test(unit) && unit !== 'ki';
}
