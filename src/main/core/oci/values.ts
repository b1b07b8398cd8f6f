// Conversions of config.yaml values to what the unit's JSON holds: sizes in bytes, durations
// as ISO 8601 strings, counts as numbers. Each returns undefined (and warns) when the value
// cannot be converted, so the preview shows what it can and says what it left out.
import type { KeyPath } from '../../../shared/diagnostics';
import { parseDuration, parseSize } from '../../../shared/service-config';
import type { ConfigSource } from './source';

export function sizeAt(src: ConfigSource, path: KeyPath): number | undefined {
  const raw = src.get(path);
  if (raw == null || raw === '') return undefined;
  const parsed = typeof raw === 'string' || typeof raw === 'number' ? parseSize(raw) : null;
  if (!parsed) {
    src.warn('invalid-size', `${String(raw)} is not a size the platform reads (bytes, or k/kb, m/mb, g/gb, ki); it is left out of the preview.`, path);
    return undefined;
  }
  return parsed.bytes;
}

export function numberAt(src: ConfigSource, path: KeyPath): number | undefined {
  const raw = src.get(path);
  if (raw == null || raw === '') return undefined;
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  src.warn('invalid-number', `${String(raw)} is not a number; it is left out of the preview.`, path);
  return undefined;
}

export function integerAt(src: ConfigSource, path: KeyPath): number | undefined {
  const n = numberAt(src, path);
  if (n === undefined) return undefined;
  if (!Number.isInteger(n)) {
    src.warn('invalid-integer', `${n} is not a whole number; it is left out of the preview.`, path);
    return undefined;
  }
  return n;
}

export function stringAt(src: ConfigSource, path: KeyPath): string | undefined {
  const raw = src.get(path);
  if (raw == null || raw === '') return undefined;
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  src.warn('invalid-string', `Expected text here; the value is left out of the preview.`, path);
  return undefined;
}

/** ISO 8601 duration as written; a bare number of seconds becomes `PT<n>S`. */
export function durationAt(src: ConfigSource, path: KeyPath): string | undefined {
  const raw = src.get(path);
  if (raw == null || raw === '') return undefined;
  if (typeof raw === 'number' && Number.isFinite(raw) && raw >= 0) {
    src.warn('duration-number', `${raw} is a bare number; the preview reads it as ${raw} seconds (PT${raw}S). Write an ISO 8601 duration such as PT${raw}S.`, path, 'info');
    return `PT${raw}S`;
  }
  if (typeof raw === 'string' && parseDuration(raw)) return raw;
  src.warn('invalid-duration', `${String(raw)} is not an ISO 8601 duration (PT10S, PT1M, P1DT3H); it is left out of the preview.`, path);
  return undefined;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v != null && typeof v === 'object' && !Array.isArray(v);
}
