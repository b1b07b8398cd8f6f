// The open config.yaml (a service's meta/config.yaml, or a deployment bundle's config.yaml
// given `kind`): its text, what is on disk, and the diagnostics of both checkers.
// Renderer diagnostics are instant; main's config.validate (filesystem checks) follows
// after a pause in typing and is merged in. Form fields that refused their input add
// theirs, so that Save, the Problems list and the editor all see the same list.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Diagnostic, KeyPath } from '../../shared/diagnostics';
import { sortDiagnostics } from '../../shared/diagnostics';
import type { ServiceSnapshot } from '../../shared/contract';
import { useApi, type ApiClient } from '../api/context';
import { checkConfigText, type ConfigCheck } from './config/config-context';
import { filesystemFindings, mergeDiagnostics } from './config/diagnostics-merge';
import { draftDiagnostics, holdDraftProblem, saveRefusal, type DraftProblem, type DraftProblems } from './config/draft-problems';

const VALIDATE_DELAY_MS = 600;

export type ConfigDocument = ReturnType<typeof useConfigDocument>;

/** The config file as read from disk: a service snapshot, or a deployment bundle's. */
export type ConfigSnapshot = Pick<ServiceSnapshot, 'root' | 'configText' | 'configMtimeMs' | 'diagnostics'>;

/** What differs between the two config kinds: the pure checker and main's full validation. */
export interface ConfigKind {
  check: (text: string) => ConfigCheck;
  validate: (call: ApiClient['call'], root: string, text: string) => Promise<{ diagnostics: Diagnostic[] }>;
}

export const SERVICE_CONFIG: ConfigKind = {
  check: checkConfigText,
  validate: (call, root, text) => call('config.validate', { root, text }),
};

export function useConfigDocument(snapshot: ConfigSnapshot, kind: ConfigKind = SERVICE_CONFIG) {
  const { call } = useApi();
  const checkText = kind.check;
  const validate = kind.validate;
  const root = snapshot.root;
  const [text, setText] = useState(snapshot.configText);
  const [saved, setSaved] = useState({ text: snapshot.configText, mtimeMs: snapshot.configMtimeMs });
  const [remote, setRemote] = useState<{ text: string; diagnostics: Diagnostic[] }>({
    text: snapshot.configText,
    diagnostics: snapshot.diagnostics,
  });
  const [drafts, setDrafts] = useState<DraftProblems>(() => new Map());

  const check = useMemo(() => checkText(text), [checkText, text]);
  const textRef = useRef(text);
  textRef.current = text;
  // While the text has a syntax error the read-only form shows the values of the last text
  // that parsed (marked stale) rather than blanks. Kept by adjusting state during render.
  const [lastParsed, setLastParsed] = useState<{ value: unknown } | null>(() => (check.parses ? { value: check.value } : null));
  if (check.parses && lastParsed?.value !== check.value) setLastParsed({ value: check.value });

  useEffect(() => {
    if (remote.text === text) return;
    let stale = false;
    const timer = setTimeout(() => {
      validate(call, root, text).then(
        (result) => !stale && setRemote({ text, diagnostics: result.diagnostics }),
        // Main's extra checks are a bonus: the renderer's own diagnostics still show.
        () => undefined,
      );
    }, VALIDATE_DELAY_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [call, validate, root, text, remote.text]);

  // Main's findings that need the filesystem; computed once per answer from main.
  const extra = useMemo(() => filesystemFindings(remote, checkText(remote.text).diagnostics), [checkText, remote]);

  const diagnostics = useMemo(() => {
    const merged = mergeDiagnostics(check.diagnostics, extra, remote.text, text);
    return drafts.size ? sortDiagnostics([...merged, ...draftDiagnostics(drafts, check.parsed)]) : merged;
  }, [check, extra, remote.text, text, drafts]);

  const holdDraft = useCallback((path: KeyPath, problem: DraftProblem | null) => {
    setDrafts((map) => holdDraftProblem(map, path, problem));
  }, []);

  // Bumped by revert: the form's fields start again from the text (their drafts dropped).
  const [revision, setRevision] = useState(0);
  const revert = useCallback(() => {
    setText(saved.text);
    setRevision((r) => r + 1);
  }, [saved.text]);

  const markSaved = useCallback((savedText: string, mtimeMs: number, savedDiagnostics?: Diagnostic[]) => {
    setSaved({ text: savedText, mtimeMs });
    if (savedDiagnostics) setRemote({ text: savedText, diagnostics: savedDiagnostics });
  }, []);

  const reload = useCallback((fresh: ConfigSnapshot) => {
    setText(fresh.configText);
    setSaved({ text: fresh.configText, mtimeMs: fresh.configMtimeMs });
    setRemote({ text: fresh.configText, diagnostics: fresh.diagnostics });
  }, []);

  /** Main's file checks again for the current text (a credential file appeared or went). */
  const revalidate = useCallback(() => {
    const forText = textRef.current;
    validate(call, root, forText).then(
      (result) => textRef.current === forText && setRemote({ text: forText, diagnostics: result.diagnostics }),
      () => undefined,
    );
  }, [call, validate, root]);

  return {
    root,
    revalidate,
    text,
    setText,
    check,
    /** What the form shows: the parsed value, or the last one while the text does not parse. */
    formValue: check.parses ? check.value : lastParsed?.value,
    /** The form's values are those of an earlier text (the current one does not parse). */
    stale: !check.parses && lastParsed !== null,
    diagnostics,
    saved,
    /** The screen differs from the file: edited text, or a field holding input it refused. */
    dirty: text !== saved.text || drafts.size > 0,
    /** Why Save must not write now (a field refused its input); null when it may. */
    saveRefusal: () => saveRefusal(drafts),
    holdDraft,
    revision,
    /** Back to the text last read from or written to disk. */
    revert,
    markSaved,
    reload,
  };
}
