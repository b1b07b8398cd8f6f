import { createRef } from 'react';
import { EditorView } from '@codemirror/view';
import { screen } from '@testing-library/react';
import type { ServiceSnapshot } from '../../src/shared/contract';
import type { FakeHandlers } from '../../src/renderer/api/fake';
import { ServiceView } from '../../src/renderer/service/ServiceView';
import type { ServiceGuard } from '../../src/renderer/service/use-config-save';
import { renderWithApi } from './render';
import { snapshotOf } from './fixtures';

export function renderService(snapshot: ServiceSnapshot = snapshotOf(), handlers: FakeHandlers = {}) {
  const guardRef = createRef<ServiceGuard | null>() as React.RefObject<ServiceGuard | null>;
  const rendered = renderWithApi(<ServiceView snapshot={snapshot} guardRef={guardRef} onClose={() => {}} />, {
    'config.validate': () => ({ diagnostics: [] }),
    ...handlers,
  });
  return { ...rendered, guardRef };
}

/** The CodeMirror view of the YAML tab (mounted even while its tab is hidden). */
export function yamlView(): EditorView {
  const dom = screen.getByTestId('yaml-editor').querySelector('.cm-editor') as HTMLElement;
  const view = EditorView.findFromDOM(dom);
  if (!view) throw new Error('no editor');
  return view;
}

export const yamlText = () => yamlView().state.doc.toString();
