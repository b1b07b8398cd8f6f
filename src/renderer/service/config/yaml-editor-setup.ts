// CodeMirror 6 set-up for config.yaml: YAML highlighting, lint markers from the same
// diagnostics as the form and the Problems list, and colours taken from Mantine's CSS variables so that the editor follows
// the light and dark themes without a second theme.
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, foldGutter, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search';
import { Annotation, EditorState, type Extension } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';
import type { Diagnostic } from '../../../shared/diagnostics';

const highlight = HighlightStyle.define([
  { tag: [t.propertyName, t.definition(t.propertyName)], color: 'var(--bs-cm-key)' },
  { tag: [t.string, t.special(t.string)], color: 'var(--bs-cm-string)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--bs-cm-number)' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: 'var(--bs-cm-comment)', fontStyle: 'italic' },
  { tag: [t.keyword, t.meta, t.processingInstruction], color: 'var(--bs-cm-keyword)' },
  { tag: [t.punctuation, t.separator, t.squareBracket, t.brace], color: 'var(--bs-cm-punct)' },
]);

const chrome = EditorView.theme({
  '&': {
    height: '100%',
    fontSize: '13px',
    backgroundColor: 'var(--mantine-color-body)',
    color: 'var(--mantine-color-text)',
  },
  '.cm-scroller': { fontFamily: 'var(--mantine-font-family-monospace)', lineHeight: '1.55' },
  '.cm-content': { caretColor: 'var(--mantine-color-text)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--mantine-color-text)' },
  '.cm-gutters': {
    backgroundColor: 'var(--bs-cm-gutter-bg)',
    color: 'var(--mantine-color-dimmed)',
    borderRight: '1px solid var(--mantine-color-default-border)',
  },
  '.cm-activeLine': { backgroundColor: 'var(--bs-cm-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--bs-cm-active-line)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'var(--bs-cm-selection) !important',
  },
  '.cm-panels': {
    backgroundColor: 'var(--bs-cm-gutter-bg)',
    color: 'var(--mantine-color-text)',
    borderColor: 'var(--mantine-color-default-border)',
  },
  '.cm-panel.cm-search input, .cm-panel.cm-search button': {
    fontFamily: 'inherit',
    fontSize: '12px',
    color: 'var(--mantine-color-text)',
    backgroundColor: 'var(--mantine-color-body)',
    backgroundImage: 'none',
    border: '1px solid var(--mantine-color-default-border)',
    borderRadius: '4px',
  },
  '.cm-panel.cm-search label': { fontSize: '12px', color: 'var(--mantine-color-text)' },
  '.cm-searchMatch': { backgroundColor: 'var(--bs-cm-selection)', outline: '1px solid var(--mantine-color-yellow-6)' },
  '.cm-tooltip': {
    backgroundColor: 'var(--mantine-color-body)',
    border: '1px solid var(--mantine-color-default-border)',
    borderRadius: '6px',
  },
});

/** A text offset → CodeMirror position. They differ only when the file uses CRLF. */
export function toEditorPos(text: string, offset: number): number {
  if (!text.includes('\r')) return offset;
  let crlf = 0;
  for (let i = text.indexOf('\r\n'); i !== -1 && i < offset - 1; i = text.indexOf('\r\n', i + 2)) crlf++;
  return offset - crlf;
}

export function toCmDiagnostics(text: string, docLength: number, list: readonly Diagnostic[]): CmDiagnostic[] {
  return list.map((d) => {
    const from = Math.min(toEditorPos(text, d.offset), docLength);
    const to = Math.min(Math.max(toEditorPos(text, d.endOffset), from), docLength);
    return { from, to, severity: d.severity, message: d.path ? `${d.message} (${d.path})` : d.message, source: d.code };
  });
}

export interface YamlEditorSetupOptions {
  onDocChanged: (text: string) => void;
  lineSeparator?: string;
}

export function yamlEditorExtensions(options: YamlEditorSetupOptions): Extension[] {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    foldGutter(),
    history(),
    drawSelection(),
    indentOnInput(),
    bracketMatching(),
    highlightActiveLine(),
    yaml(),
    syntaxHighlighting(highlight),
    chrome,
    EditorState.tabSize.of(2),
    ...(options.lineSeparator ? [EditorState.lineSeparator.of(options.lineSeparator)] : []),
    // Long lines (commands, env values) wrap instead of scrolling sideways.
    EditorView.lineWrapping,
    // Ctrl+F / Cmd+F: find and replace in a panel at the top.
    search({ top: true }),
    highlightSelectionMatches(),
    keymap.of([...searchKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
    // No linter of its own: the markers are the document's diagnostics, pushed by the
    // component whenever they change (the form and Problems show the very same list).
    lintGutter(),
    EditorView.updateListener.of((update) => {
      if (update.docChanged && !update.transactions.some((tr) => tr.annotation(externalChange))) {
        options.onDocChanged(update.state.doc.toString());
      }
    }),
  ];
}

/** Marks changes that came from outside (a form edit), so they are not echoed back. */
export const externalChange = Annotation.define<boolean>();

/** The smallest single replacement that turns `from` into `to` (keeps the cursor and scroll). */
export function minimalChange(from: string, to: string): { from: number; to: number; insert: string } | null {
  if (from === to) return null;
  let start = 0;
  const max = Math.min(from.length, to.length);
  while (start < max && from.charCodeAt(start) === to.charCodeAt(start)) start++;
  let endFrom = from.length;
  let endTo = to.length;
  while (endFrom > start && endTo > start && from.charCodeAt(endFrom - 1) === to.charCodeAt(endTo - 1)) {
    endFrom--;
    endTo--;
  }
  return { from: start, to: endFrom, insert: to.slice(start, endTo) };
}
