import { createElement, type ReactNode } from 'react';
import type { KeyPath } from '../../../../shared/diagnostics';
import { formatKeyPath } from '../../../../shared/diagnostics';
import type { FieldSpec } from '../../../../shared/service-config';
import { DocText } from '../../../common/DocText';
import { FieldLabel } from '../../../common/FieldLabel';
import { useConfig } from '../config-context';
import { fieldFeedback } from './FieldFeedback';

export interface FieldProps {
  spec: FieldSpec;
  path: KeyPath;
}

/** What every config field shares: its value, the diagnostics at its key, and a writer. */
export function useConfigField(path: KeyPath) {
  const config = useConfig();
  const feedback = fieldFeedback(config.diagnosticsAt(path));
  return {
    value: config.get(path),
    /** Mantine's `error` (errors red, warnings marked as warnings). */
    error: feedback.error,
    /** Goes on the input's root with `error`: the warning colour when only warnings are there. */
    className: feedback.className,
    disabled: !config.parses,
    set: (value: unknown) => config.setValue(path, value),
    /** Test hook: every input carries its dotted key path. */
    dataPath: formatKeyPath(path),
  };
}

/** The field's label: the key in words (and its unit), then the key itself in mono. */
export function fieldLabel(spec: FieldSpec, unit: string | undefined = spec.unit): ReactNode {
  return createElement(FieldLabel, { words: spec.label, configKey: spec.key, unit });
}

/** The help text under a field, with its default; `code` in it shows as code. */
export function describe(spec: FieldSpec, extra?: string): ReactNode {
  const text = [spec.defaultText ? `${spec.doc} Default: \`${spec.defaultText}\`.` : spec.doc, extra].filter(Boolean).join(' ');
  return createElement(DocText, { text });
}

/** A placeholder says what an empty field means, in words no one could take for a typed value. */
export function placeholderOf(spec: FieldSpec): string | undefined {
  return spec.defaultText ? `default: ${spec.defaultText}` : undefined;
}

/** A string for an aria-label or a Problems entry: the words and the key. */
export function fieldName(spec: FieldSpec): string {
  return `${spec.label} (${spec.key})`;
}
