// Sizes in a v2 deployment config are binary (spec §2: `128MiB` is 128 × 1024 × 1024
// bytes), unlike v1 where `m` is decimal. The grammar is the shared one.
import type { SizeValue } from '../config-common/types';
import { parseSizeIn, splitSize, type SizeUnitTable } from '../config-common/units';

const unit = (power: number, name: string) => ({ factor: 1024 ** power, convention: `binary (1 ${name} = ${1024 ** power} bytes)` });

const V2_SIZE_UNITS: SizeUnitTable = {
  '': { factor: 1, convention: 'bytes' },
  b: { factor: 1, convention: 'bytes' },
  ki: unit(1, 'KiB'),
  kib: unit(1, 'KiB'),
  mi: unit(2, 'MiB'),
  mib: unit(2, 'MiB'),
  gi: unit(3, 'GiB'),
  gib: unit(3, 'GiB'),
  ti: unit(4, 'TiB'),
  tib: unit(4, 'TiB'),
};

/** A v2 size (bytes, or KiB/MiB/GiB/TiB, also written Ki/Mi/Gi/Ti); null when invalid. */
export function parseBinarySize(text: string | number): SizeValue | null {
  return parseSizeIn(text, V2_SIZE_UNITS);
}

/** The binary unit a decimal-looking one (`M`, `MB`) probably means, for the message; undefined otherwise. */
export function binaryUnitFor(text: string): string | undefined {
  const split = splitSize(text);
  if (!split) return undefined;
  const m = /^([kmgt])b?$/i.exec(split.unit);
  return m ? `${split.amount}${m[1].toUpperCase()}iB` : undefined;
}
