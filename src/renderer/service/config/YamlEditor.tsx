// The config as YAML text in CodeMirror. Controlled from outside (a form edit replaces
// only the changed span, so the cursor and scroll stay), reporting the user's own edits.
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { setDiagnostics } from '@codemirror/lint';
import { EditorSelection, EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import type { Diagnostic } from '../../../shared/diagnostics';
import { externalChange, minimalChange, toCmDiagnostics, toEditorPos, yamlEditorExtensions } from './yaml-editor-setup';
import classes from './YamlEditor.module.css';

export interface YamlEditorHandle {
  /** Selects the text range (offsets into the config text), scrolls it into view, focuses. */
  reveal(offset: number, endOffset: number): void;
  view(): EditorView | null;
}

interface Props {
  value: string;
  onChange: (text: string) => void;
  /** The diagnostics of `value`: the editor's markers are exactly these. */
  diagnostics: readonly Diagnostic[];
}

export const YamlEditor = forwardRef<YamlEditorHandle, Props>(function YamlEditor({ value, onChange, diagnostics }, ref) {
  const host = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);
  const callbacks = useRef({ onChange });
  callbacks.current = { onChange };
  const valueRef = useRef(value);
  valueRef.current = value;

  useEffect(() => {
    const view = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: yamlEditorExtensions({
          onDocChanged: (text) => callbacks.current.onChange(text),
          lineSeparator: value.includes('\r\n') ? '\r\n' : undefined,
        }),
      }),
    });
    view.contentDOM.setAttribute('aria-label', 'config.yaml');
    // CodeMirror's scroller takes tabindex=-1; the keyboard reaches the scrolled text
    // through the content, which says so (axe: scrollable-region-focusable).
    view.contentDOM.tabIndex = 0;
    viewRef.current = view;
    return () => {
      view.destroy();
      viewRef.current = null;
    };
    // The editor is created once; later values arrive through the effect below.
  }, []); // eslint-disable-line

  useEffect(() => {
    const view = viewRef.current;
    if (!view) return;
    const current = view.state.doc.toString();
    if (current === value) return;
    const change = value.includes('\r') || current.includes('\r')
      ? { from: 0, to: view.state.doc.length, insert: value }
      : minimalChange(current, value);
    if (change) view.dispatch({ changes: change, annotations: externalChange.of(true) });
  }, [value]);

  // After the text above is in the editor: its positions are those of `value`.
  useEffect(() => {
    const view = viewRef.current;
    if (!view || view.state.sliceDoc() !== value) return;
    view.dispatch(setDiagnostics(view.state, toCmDiagnostics(value, view.state.doc.length, diagnostics)));
  }, [value, diagnostics]);

  useImperativeHandle(ref, () => ({
    reveal(offset, endOffset) {
      const view = viewRef.current;
      if (!view) return;
      const text = valueRef.current;
      const length = view.state.doc.length;
      const from = Math.min(toEditorPos(text, offset), length);
      const to = Math.min(Math.max(toEditorPos(text, endOffset), from), length);
      view.dispatch({
        selection: EditorSelection.single(from, to),
        effects: EditorView.scrollIntoView(from, { y: 'center' }),
      });
      view.focus();
    },
    view: () => viewRef.current,
  }));

  return <div ref={host} className={classes.editor} data-testid="yaml-editor" />;
});
