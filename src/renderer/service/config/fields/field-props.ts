import type { KeyPath } from '../../../../shared/diagnostics';
import { formatKeyPath } from '../../../../shared/diagnostics';
import type { FieldSpec } from '../../../../shared/service-config';
import { useConfig } from '../config-context';

export interface FieldProps {
  spec: FieldSpec;
  path: KeyPath;
  /** Shown instead of the bare key, e.g. "Start command (cmd)". */
  label?: string;
}

/** What every config field shares: its value, the diagnostics at its key, and a writer. */
export function useConfigField(path: KeyPath) {
  const config = useConfig();
  const problems = config.diagnosticsAt(path);
  return {
    value: config.get(path),
    error: problems.length ? problems.map((d) => d.message).join(' · ') : undefined,
    disabled: !config.parses,
    set: (value: unknown) => config.setValue(path, value),
    /** Test hook: every input carries its dotted key path. */
    dataPath: formatKeyPath(path),
  };
}

export function describe(spec: FieldSpec): string {
  return spec.defaultText ? `${spec.doc} Default: ${spec.defaultText}.` : spec.doc;
}
