// The application menu. File > New service / Open service / Save send a 'menu.command'
// event to the renderer (which owns those flows); Quit and the Edit roles are native.
import type { EventPayload } from '../../shared/contract';

export type MenuCommand = EventPayload<'menu.command'>['command'];

export interface MenuItemTemplate {
  label?: string;
  role?:
    | 'appMenu' | 'quit' | 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'selectAll' | 'reload' | 'forceReload'
    | 'toggleDevTools' | 'resetZoom' | 'zoomIn' | 'zoomOut' | 'togglefullscreen' | 'windowMenu' | 'close' | 'about';
  type?: 'separator' | 'normal' | 'submenu';
  accelerator?: string;
  click?: () => void;
  submenu?: MenuItemTemplate[];
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Sends the command to the focused window's renderer. */
  send: (command: MenuCommand) => void;
  /** Adds reload and developer tools (unpackaged builds only). */
  developer?: boolean;
}

export function buildMenuTemplate(options: MenuOptions): MenuItemTemplate[] {
  const mac = options.platform === 'darwin';
  const command = (c: MenuCommand) => () => options.send(c);
  const file: MenuItemTemplate = {
    label: '&File',
    submenu: [
      { label: '&New service…', accelerator: 'CmdOrCtrl+N', click: command('new') },
      { label: '&Open service or layer bundle…', accelerator: 'CmdOrCtrl+O', click: command('open') },
      { type: 'separator' },
      { label: '&Save', accelerator: 'CmdOrCtrl+S', click: command('save') },
      { type: 'separator' },
      mac ? { role: 'close' } : { label: '&Quit', role: 'quit', accelerator: 'CmdOrCtrl+Q' },
    ],
  };
  const edit: MenuItemTemplate = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemTemplate = {
    label: '&View',
    submenu: [
      ...(options.developer ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemTemplate[]) : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  return [...(mac ? [{ role: 'appMenu' } as MenuItemTemplate] : []), file, edit, view, { role: 'windowMenu' }];
}
