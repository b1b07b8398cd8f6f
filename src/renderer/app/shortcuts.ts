// Keyboard shortcuts and the Electron application menu both end up here, so "Save" means
// the same thing whether it came from Ctrl+S, Cmd+S or File > Save.
import { useEffect, useRef } from 'react';
import { useHotkeys } from '@mantine/hooks';
import { useApi } from '../api/context';

export type AppCommand = 'new' | 'open' | 'save';

export function useAppCommands(handler: (command: AppCommand) => void): void {
  const { on } = useApi();
  const handlerRef = useRef(handler);
  handlerRef.current = handler;

  // Shortcuts must work inside inputs and the YAML editor too: no ignored tags, and
  // contentEditable (CodeMirror) included. preventDefault keeps the browser's own
  // "Save page" / "Open file" dialogs away.
  useHotkeys(
    [
      ['mod+S', () => handlerRef.current('save')],
      ['mod+O', () => handlerRef.current('open')],
      ['mod+N', () => handlerRef.current('new')],
    ],
    [],
    true,
  );

  useEffect(() => {
    try {
      return on('menu.command', ({ command }) => handlerRef.current(command));
    } catch {
      // An older host without the event: the shortcuts still work.
      return undefined;
    }
  }, [on]);
}
