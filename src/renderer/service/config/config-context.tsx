// The config text is the one source of truth. The form reads values from its parse and
// writes through setConfigValue, which changes only that value in the text (comments and
// formatting stay); the YAML editor edits the same text directly.
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Diagnostic, KeyPath } from '../../../shared/diagnostics';
import { formatKeyPath } from '../../../shared/diagnostics';
import { checkServiceConfig, getConfigValue, setConfigValue } from '../../../shared/service-config';

export interface ConfigCheck {
  /** The plain JS value; undefined when the YAML does not parse. */
  value: unknown;
  /** False while the text has YAML syntax errors: the form then stays read-only. */
  parses: boolean;
  diagnostics: Diagnostic[];
}

export function checkConfigText(text: string): ConfigCheck {
  try {
    const { parsed, diagnostics } = checkServiceConfig(text);
    const parses = parsed.syntax.every((d) => d.severity !== 'error');
    return { value: parsed.value, parses, diagnostics };
  } catch (err) {
    // The checker itself failed: say so in the list instead of breaking the screen.
    const message = `The config checker failed: ${err instanceof Error ? err.message : String(err)}`;
    return {
      value: undefined,
      parses: false,
      diagnostics: [{ severity: 'error', code: 'internal', message, path: '', line: 1, column: 1, offset: 0, endOffset: 0 }],
    };
  }
}

/** The plain value at `path`, tolerating a checker that is not there yet. */
export function readConfigValue(value: unknown, path: KeyPath): unknown {
  try {
    return getConfigValue(value, path);
  } catch {
    let node: unknown = value;
    for (const part of path) {
      if (node === null || typeof node !== 'object') return undefined;
      node = (node as Record<string | number, unknown>)[part];
    }
    return node;
  }
}

export interface ConfigModel {
  text: string;
  value: unknown;
  parses: boolean;
  diagnostics: Diagnostic[];
  /** Writes one value (undefined deletes the key); returns false when the edit failed. */
  setValue(path: KeyPath, value: unknown): boolean;
  /** Several values in one edit (one undo step, one re-check). */
  setValues(changes: readonly { path: KeyPath; value: unknown }[]): boolean;
  get(path: KeyPath): unknown;
  /** Diagnostics reported at exactly this key path. */
  diagnosticsAt(path: KeyPath): Diagnostic[];
}

const ConfigContext = createContext<ConfigModel | null>(null);

interface ProviderProps {
  text: string;
  check: ConfigCheck;
  diagnostics: Diagnostic[];
  onTextChange: (text: string) => void;
  onEditError: (err: unknown) => void;
  children: ReactNode;
}

export function ConfigProvider({ text, check, diagnostics, onTextChange, onEditError, children }: ProviderProps) {
  const model = useMemo<ConfigModel>(() => {
    const byPath = new Map<string, Diagnostic[]>();
    for (const d of diagnostics) {
      const list = byPath.get(d.path);
      if (list) list.push(d);
      else byPath.set(d.path, [d]);
    }
    const setValues = (changes: readonly { path: KeyPath; value: unknown }[]) => {
      try {
        let next = text;
        for (const change of changes) next = setConfigValue(next, change.path, change.value);
        if (next !== text) onTextChange(next);
        return true;
      } catch (err) {
        onEditError(err);
        return false;
      }
    };
    return {
      text,
      value: check.value,
      parses: check.parses,
      diagnostics,
      setValues,
      setValue: (path, value) => setValues([{ path, value }]),
      get: (path) => readConfigValue(check.value, path),
      diagnosticsAt: (path) => byPath.get(formatKeyPath(path)) ?? [],
    };
  }, [text, check, diagnostics, onTextChange, onEditError]);
  return <ConfigContext.Provider value={model}>{children}</ConfigContext.Provider>;
}

export function useConfig(): ConfigModel {
  const model = useContext(ConfigContext);
  if (!model) throw new Error('useConfig outside <ConfigProvider>');
  return model;
}
