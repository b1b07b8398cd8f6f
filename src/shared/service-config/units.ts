// Sizes and durations as the v1 upload tool reads them (spec §2). The YAML keeps the value
// as written; these conversions exist only for checks (the 6 MB memory floor) and previews.
import type { SizeValue } from './index';

/** Decimal multipliers the v1 tool knows, by lower-cased unit. `ki` is its one binary unit. */
const SIZE_UNITS: Record<string, { factor: number; convention: string }> = {
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

const SIZE_RE = /^(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)$/i;

/** Sizes as the v1 upload tool reads them; null when invalid. */
export function parseSize(text: string | number): SizeValue | null {
  if (typeof text === 'number') {
    return Number.isFinite(text) && text >= 0 ? { bytes: text, convention: 'bytes' } : null;
  }
  const m = SIZE_RE.exec(text.trim());
  if (!m) return null;
  const unit = SIZE_UNITS[m[2].toLowerCase()];
  if (!unit) return null;
  // Round so that 1.1k is 1100 bytes, not 1100.0000000000002.
  return { bytes: Math.round(Number(m[1]) * unit.factor), convention: unit.convention };
}

/**
 * True for the binary units of v2 configs (`Mi`, `MiB`, `KiB`, `Gi`...) that the v1 tool
 * rejects, so that the message can say so instead of a bare "invalid size".
 */
export function isBinarySizeUnit(text: string): boolean {
  const m = SIZE_RE.exec(text.trim());
  if (!m) return false;
  const unit = m[2].toLowerCase();
  return /^[kmgtpe]ib?$/.test(unit) && unit !== 'ki';
}

/** Human preview of a byte count in the unit it was most likely meant in. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${+(bytes / 1e9).toFixed(3)} GB`;
  if (bytes >= 1e6) return `${+(bytes / 1e6).toFixed(3)} MB`;
  if (bytes >= 1e3) return `${+(bytes / 1e3).toFixed(3)} kB`;
  return `${bytes} bytes`;
}

// P[nY][nM][nW][nD][T[nH][nM][nS]]; a fraction is allowed (ISO 8601 allows it on the
// smallest component; we accept it on any, like most parsers). Upper case only, as written
// in the platform's templates and read by the units.
const NUM = '(\\d+(?:[.,]\\d+)?)';
const DURATION_RE = new RegExp(
  `^P(?:${NUM}Y)?(?:${NUM}M)?(?:${NUM}W)?(?:${NUM}D)?(?:T(?:${NUM}H)?(?:${NUM}M)?(?:${NUM}S)?)?$`,
);

/** Seconds per component. Years and months have no fixed length: 365 and 30 days here. */
const DURATION_FACTORS = [365 * 86400, 30 * 86400, 7 * 86400, 86400, 3600, 60, 1];

/** ISO 8601 duration to seconds; null when invalid. */
export function parseDuration(text: string): { seconds: number } | null {
  if (typeof text !== 'string') return null;
  const m = DURATION_RE.exec(text);
  if (!m) return null;
  const parts = m.slice(1, 8);
  // `P` and `PT` alone match the pattern but name no amount of time.
  if (parts.every((p) => p === undefined)) return null;
  if (text.includes('T') && parts.slice(4).every((p) => p === undefined)) return null;
  let seconds = 0;
  parts.forEach((p, i) => {
    if (p !== undefined) seconds += Number(p.replace(',', '.')) * DURATION_FACTORS[i];
  });
  return { seconds };
}
