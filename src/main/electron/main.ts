// The Electron entry point (bundled to dist/main/electron.js). The only file that imports
// 'electron'; everything it wires up lives in small adapters next to it that take their
// Electron objects as parameters and are unit-tested with fakes.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell } from 'electron';
import path from 'node:path';
import { createApiHandlers } from '../api/handlers';
import { createEventForwarder, registerIpcHandlers } from './ipc';
import { buildMenuTemplate } from './menu';
import { createNativeDialogs } from './native';
import { APP_ENTRY_URL, APP_SCHEME_PRIVILEGES, registerAppProtocol } from './protocol';
import { applyContentSecurityPolicy, createWindowOptions, denyAllPermissions, hardenWebContents, securityHeaders } from './security';
import { setupSingleInstance } from './single-instance';

// dist/main/electron.js -> dist/renderer, dist/preload; assets/ sits next to dist/.
const distDir = path.resolve(__dirname, '..');
const rendererDir = path.join(distDir, 'renderer');
const preloadPath = path.join(distDir, 'preload', 'index.js');
const iconPath = path.join(distDir, '..', 'assets', 'icon.png');

// As bin/aos-bundle.js: file reads and writes must not queue behind compression jobs in
// libuv's default 4 threads (read when the pool first starts, which is after this line).
process.env.UV_THREADPOOL_SIZE ||= '8';

const log = (message: string) => console.warn(`[bundle-studio] ${message}`);

let mainWindow: BrowserWindow | null = null;
/** Set in start(); a closed window cancels the jobs it was following and stops its folder watches. */
let cancelJobs: () => number = () => 0;
let stopWatches: () => number = () => 0;

// Both must happen before 'ready'.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

if (setupSingleInstance(app, () => mainWindow)) {
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, { openExternal: (url) => shell.openExternal(url), log });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.whenReady().then(start).catch((err: unknown) => {
    console.error('[bundle-studio] failed to start:', err);
    app.exit(1);
  });
}

function start(): void {
  const ses = session.defaultSession;
  denyAllPermissions(ses);
  applyContentSecurityPolicy(ses);
  registerAppProtocol(protocol, { root: rendererDir, headers: securityHeaders() });

  const emit = createEventForwarder(() => BrowserWindow.getAllWindows().map((w) => w.webContents), log);
  const dialogs = createNativeDialogs({
    dialog,
    shell,
    getWindow: () => BrowserWindow.getFocusedWindow() ?? mainWindow,
  });
  const handlers = createApiHandlers({ mode: 'electron', dialogs, emit, trash: (path) => shell.trashItem(path) });
  registerIpcHandlers({ ipcMain, handlers, log });
  cancelJobs = () => handlers.cancelJobs();
  stopWatches = () => handlers.stopWatches();

  const template = buildMenuTemplate({
    platform: process.platform,
    developer: !app.isPackaged,
    send: (command) => emit('menu.command', { command }),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));

  createWindow();
}

function createWindow(): void {
  const window = new BrowserWindow(createWindowOptions({ preloadPath, iconPath: process.platform === 'linux' ? iconPath : undefined }));
  mainWindow = window;
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
    // The renderer that followed the jobs is gone (signing leaves no partial file).
    cancelJobs();
    stopWatches();
  });
  void window.loadURL(APP_ENTRY_URL);
}
