// The config text is the one source of truth. The form reads values from its parse and
// writes through setConfigValue, which changes only that value in the text (comments and
// formatting stay); the YAML editor edits the same text directly.
import { createContext, useContext, useEffect, useMemo, useRef, type ReactNode } from 'react';
import type { Diagnostic, KeyPath } from '../../../shared/diagnostics';
import { formatKeyPath } from '../../../shared/diagnostics';
import { checkServiceConfig, getConfigValue, setConfigValue } from '../../../shared/service-config';
import type { ParsedConfig } from '../../../shared/config-common';
import type { ConfigDocument } from '../use-config-document';
import { DRAFT_CODE, type DraftProblem } from './draft-problems';

export interface ConfigCheck {
  /** The plain JS value; undefined when the YAML does not parse. */
  value: unknown;
  /** False while the text has YAML syntax errors: the form then stays read-only. */
  parses: boolean;
  diagnostics: Diagnostic[];
  /** The parse, for locating keys; absent when the checker itself failed. */
  parsed?: ParsedConfig;
}

export function checkConfigText(text: string): ConfigCheck {
  try {
    const { parsed, diagnostics } = checkServiceConfig(text);
    const parses = parsed.syntax.every((d) => d.severity !== 'error');
    return { value: parsed.value, parses, diagnostics, parsed };
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
  /** What the form shows: the parsed value, or the last parsed one while `stale`. */
  value: unknown;
  parses: boolean;
  /** `value` is the last one that parsed, not the current text's (which does not parse). */
  stale: boolean;
  diagnostics: Diagnostic[];
  /** Writes one value (undefined deletes the key); returns false when the edit failed. */
  setValue(path: KeyPath, value: unknown): boolean;
  /** Several values in one edit (one undo step, one re-check). */
  setValues(changes: readonly { path: KeyPath; value: unknown }[]): boolean;
  get(path: KeyPath): unknown;
  /** Diagnostics reported at exactly this key path (a field's own refusals not included). */
  diagnosticsAt(path: KeyPath): Diagnostic[];
  /** A field whose input was refused holds its problem here (null releases it). */
  holdDraft(path: KeyPath, problem: DraftProblem | null): void;
  /** The screen differs from the file on disk. */
  dirty: boolean;
  /** Back to the saved text; `revision` changes so that the form starts afresh. */
  revert(): void;
  revision: number;
}

const ConfigContext = createContext<ConfigModel | null>(null);

/** Writes one value into the text, keeping comments and formatting (undefined deletes the key). */
export type ConfigEdit = (text: string, path: KeyPath, value: unknown) => string;

interface ProviderProps {
  doc: ConfigDocument;
  onEditError: (err: unknown) => void;
  /** The config kind's comment-preserving edit; a service's by default. */
  edit?: ConfigEdit;
  children: ReactNode;
}

export function ConfigProvider({ doc, onEditError, edit = setConfigValue, children }: ProviderProps) {
  const { text, check, formValue, stale, diagnostics, setText: onTextChange, holdDraft, dirty, revert, revision } = doc;
  const model = useMemo<ConfigModel>(() => {
    const byPath = new Map<string, Diagnostic[]>();
    for (const d of diagnostics) {
      // A refused field shows its own message; listing it again under the field says it twice.
      if (d.code === DRAFT_CODE) continue;
      const list = byPath.get(d.path);
      if (list) list.push(d);
      else byPath.set(d.path, [d]);
    }
    const setValues = (changes: readonly { path: KeyPath; value: unknown }[]) => {
      try {
        let next = text;
        for (const change of changes) next = edit(next, change.path, change.value);
        if (next !== text) onTextChange(next);
        return true;
      } catch (err) {
        onEditError(err);
        return false;
      }
    };
    return {
      text,
      value: formValue,
      parses: check.parses,
      stale,
      diagnostics,
      setValues,
      setValue: (path, value) => setValues([{ path, value }]),
      get: (path) => readConfigValue(formValue, path),
      diagnosticsAt: (path) => byPath.get(formatKeyPath(path)) ?? [],
      holdDraft,
      dirty,
      revert,
      revision,
    };
  }, [text, check, formValue, stale, diagnostics, onTextChange, onEditError, edit, holdDraft, dirty, revert, revision]);
  return <ConfigContext.Provider value={model}>{children}</ConfigContext.Provider>;
}

/**
 * Holds `message` as the field's draft problem while it is set, and releases it when the
 * field's input is written, undone or the field goes away.
 */
export function useDraftProblem(path: KeyPath, field: string, message: string | null): void {
  const { holdDraft } = useConfig();
  const id = formatKeyPath(path);
  const pathRef = useRef(path);
  pathRef.current = path;
  useEffect(() => {
    if (message === null) return;
    const held = pathRef.current;
    holdDraft(held, { path: held, field, message });
    return () => holdDraft(held, null);
  }, [holdDraft, id, field, message]);
}

export function useConfig(): ConfigModel {
  const model = useContext(ConfigContext);
  if (!model) throw new Error('useConfig outside <ConfigProvider>');
  return model;
}
