// Sizes and durations as config files write them. The grammar is shared; which units a
// size may carry differs by config kind (v1 service configs: decimal k/m/g and `ki`;
// v2 deployment configs: binary Ki/Mi/Gi...), so each kind passes its own unit table.
import type { SizeValue } from './types';

export interface SizeUnit {
  factor: number;
  convention: string;
}

/** Units by lower-cased spelling ('' is a bare number). */
export type SizeUnitTable = Readonly<Record<string, SizeUnit>>;

const SIZE_RE = /^(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)$/i;

/** The number and the unit as written (`128MiB` → 128, 'MiB'); null when not that shape. */
export function splitSize(text: string): { amount: number; unit: string } | null {
  const m = SIZE_RE.exec(text.trim());
  return m ? { amount: Number(m[1]), unit: m[2] } : null;
}

/** A size read with the units of `table`; null when invalid. */
export function parseSizeIn(text: string | number, table: SizeUnitTable): SizeValue | null {
  if (typeof text === 'number') {
    return Number.isFinite(text) && text >= 0 ? { bytes: text, convention: 'bytes' } : null;
  }
  const split = splitSize(text);
  if (!split) return null;
  const unit = table[split.unit.toLowerCase()];
  if (!unit) return null;
  // Round so that 1.1k is 1100 bytes, not 1100.0000000000002.
  return { bytes: Math.round(split.amount * unit.factor), convention: unit.convention };
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
