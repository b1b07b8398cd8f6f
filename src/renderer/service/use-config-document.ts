// The open config.yaml: its text, what is on disk, and the diagnostics of both checkers.
// Renderer diagnostics are instant; main's config.validate (filesystem checks) follows
// after a pause in typing and is merged in.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Diagnostic } from '../../shared/diagnostics';
import type { ServiceSnapshot } from '../../shared/contract';
import { useApi } from '../api/context';
import { checkConfigText } from './config/config-context';
import { mergeDiagnostics } from './config/diagnostics-merge';

const VALIDATE_DELAY_MS = 600;

export function useConfigDocument(snapshot: ServiceSnapshot) {
  const { call } = useApi();
  const root = snapshot.root;
  const [text, setText] = useState(snapshot.configText);
  const [saved, setSaved] = useState({ text: snapshot.configText, mtimeMs: snapshot.configMtimeMs });
  const [remote, setRemote] = useState<{ text: string; diagnostics: Diagnostic[] }>({
    text: snapshot.configText,
    diagnostics: snapshot.diagnostics,
  });

  const check = useMemo(() => checkConfigText(text), [text]);
  const textRef = useRef(text);
  textRef.current = text;

  useEffect(() => {
    if (remote.text === text) return;
    let stale = false;
    const timer = setTimeout(() => {
      call('config.validate', { root, text }).then(
        (result) => !stale && setRemote({ text, diagnostics: result.diagnostics }),
        // Main's extra checks are a bonus: the renderer's own diagnostics still show.
        () => undefined,
      );
    }, VALIDATE_DELAY_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [call, root, text, remote.text]);

  const diagnostics = useMemo(() => mergeDiagnostics(check.diagnostics, remote.diagnostics, text.length), [check, remote, text.length]);

  /** Diagnostics for any text (the editor's linter asks with its own copy of the text). */
  const diagnose = useCallback(
    (forText: string) => (forText === text ? diagnostics : mergeDiagnostics(checkConfigText(forText).diagnostics, remote.diagnostics, forText.length)),
    [text, diagnostics, remote.diagnostics],
  );

  const markSaved = useCallback((savedText: string, mtimeMs: number, savedDiagnostics?: Diagnostic[]) => {
    setSaved({ text: savedText, mtimeMs });
    if (savedDiagnostics) setRemote({ text: savedText, diagnostics: savedDiagnostics });
  }, []);

  const reload = useCallback((fresh: ServiceSnapshot) => {
    setText(fresh.configText);
    setSaved({ text: fresh.configText, mtimeMs: fresh.configMtimeMs });
    setRemote({ text: fresh.configText, diagnostics: fresh.diagnostics });
  }, []);

  /** Main's file checks again for the current text (a credential file appeared or went). */
  const revalidate = useCallback(() => {
    const forText = textRef.current;
    call('config.validate', { root, text: forText }).then(
      (result) => textRef.current === forText && setRemote({ text: forText, diagnostics: result.diagnostics }),
      () => undefined,
    );
  }, [call, root]);

  return {
    root,
    revalidate,
    text,
    setText,
    check,
    diagnostics,
    diagnose,
    /** Changes whenever main's diagnostics arrive, so the editor re-lints. */
    remoteVersion: remote,
    saved,
    dirty: text !== saved.text,
    markSaved,
    reload,
  };
}
