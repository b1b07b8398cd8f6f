// Runs the real Electron entry point (src/main/electron/main.ts, bundled as the build does)
// against a fake 'electron' module and checks the wiring: privileged scheme before ready,
// sandbox, single-instance lock, permissions, CSP, app:// protocol, one IPC handler per
// channel with the sender check, the menu and a hardened window loading app://bundle-studio.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { channels } from '../../../src/shared/contract';
import { CONTENT_SECURITY_POLICY } from '../../../src/main/electron/security';
import { eventually } from '../../support/eventually';
import { serviceWithLongRootfsJob } from '../../support/long-job';

const root = path.resolve(__dirname, '../../..');

type Listener = (...args: unknown[]) => unknown;

function createFakeElectron(options: { gotLock: boolean }) {
  const calls: string[] = [];
  let readyResolve!: () => void;
  const ready = new Promise<void>((r) => (readyResolve = r));
  const appListeners = new Map<string, Listener>();
  const windows: FakeWindow[] = [];
  const ipcHandlers = new Map<string, Listener>();
  let protocolHandler: ((r: Request) => Promise<Response>) | undefined;
  let headersListener: Listener | undefined;
  let permissionRequest: Listener | undefined;
  let permissionCheck: Listener | undefined;
  let menuTemplate: unknown[] | undefined;

  class FakeWebContents {
    id = 1;
    url = '';
    sent: unknown[][] = [];
    listeners = new Map<string, Listener>();
    openHandler?: Listener;
    on(event: string, l: Listener) {
      this.listeners.set(event, l);
      return this;
    }
    setWindowOpenHandler(h: Listener) {
      this.openHandler = h;
    }
    isDestroyed() {
      return false;
    }
    getURL() {
      return this.url;
    }
    send(...args: unknown[]) {
      this.sent.push(args);
    }
  }
  class FakeWindow {
    webContents = new FakeWebContents();
    listeners = new Map<string, Listener>();
    constructor(public options: Record<string, unknown>) {
      windows.push(this);
      calls.push('new BrowserWindow');
      appListeners.get('web-contents-created')?.({}, this.webContents);
    }
    once() {}
    on(event: string, l: Listener) {
      this.listeners.set(event, l);
      return this;
    }
    show() {}
    async loadURL(url: string) {
      this.webContents.url = url;
      calls.push(`loadURL ${url}`);
    }
    static getAllWindows() {
      return windows;
    }
    static getFocusedWindow() {
      return windows[0] ?? null;
    }
  }

  const electron = {
    app: {
      requestSingleInstanceLock: () => {
        calls.push('requestSingleInstanceLock');
        return options.gotLock;
      },
      quit: vi.fn(() => calls.push('quit')),
      exit: vi.fn(),
      enableSandbox: () => calls.push('enableSandbox'),
      isReady: () => true,
      isPackaged: false,
      on: (event: string, l: Listener) => {
        appListeners.set(event, l);
      },
      whenReady: () => ready,
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown) => calls.push(`registerSchemesAsPrivileged ${JSON.stringify(schemes)}`),
      handle: (scheme: string, h: (r: Request) => Promise<Response>) => {
        calls.push(`protocol.handle ${scheme}`);
        protocolHandler = h;
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: Listener) => (permissionRequest = h),
        setPermissionCheckHandler: (h: Listener) => (permissionCheck = h),
        webRequest: { onHeadersReceived: (_f: unknown, l: Listener) => (headersListener = l) },
      },
    },
    ipcMain: {
      handle: (channel: string, l: Listener) => ipcHandlers.set(channel, l),
      removeHandler: (channel: string) => ipcHandlers.delete(channel),
    },
    Menu: {
      buildFromTemplate: (t: unknown[]) => (menuTemplate = t),
      setApplicationMenu: () => calls.push('setApplicationMenu'),
    },
    BrowserWindow: FakeWindow,
    dialog: { showOpenDialog: vi.fn(async () => ({ canceled: true, filePaths: [] })), showSaveDialog: vi.fn(async () => ({ canceled: true })) },
    shell: { openExternal: vi.fn(async () => undefined), showItemInFolder: vi.fn(), trashItem: vi.fn(async (_path: string) => undefined) },
  };
  return {
    electron,
    calls,
    windows,
    ipcHandlers,
    appListeners,
    ready: () => readyResolve(),
    get protocolHandler() {
      return protocolHandler;
    },
    get headersListener() {
      return headersListener;
    },
    get permissionRequest() {
      return permissionRequest;
    },
    get permissionCheck() {
      return permissionCheck;
    },
    get menuTemplate() {
      return menuTemplate;
    },
  };
}

let code: string;
let tmp: string;

beforeAll(async () => {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/main/electron/main.ts'],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    external: ['electron'],
    write: false,
    logLevel: 'silent',
  });
  code = result.outputFiles[0].text;
  tmp = mkdtempSync(path.join(tmpdir(), 'bs-main-'));
  mkdirSync(path.join(tmp, 'dist/main'), { recursive: true });
  mkdirSync(path.join(tmp, 'dist/renderer'), { recursive: true });
  writeFileSync(path.join(tmp, 'dist/renderer/index.html'), '<!doctype html><div id="root"></div>');
}, 60_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function runMain(fake: ReturnType<typeof createFakeElectron>) {
  const realRequire = createRequire(path.join(root, 'package.json'));
  const fakeRequire = (id: string) => (id === 'electron' ? fake.electron : realRequire(id));
  const module = { exports: {} };
  const dirname = path.join(tmp, 'dist/main');
  new Function('require', 'module', 'exports', '__dirname', '__filename', code)(
    fakeRequire,
    module,
    module.exports,
    dirname,
    path.join(dirname, 'electron.js'),
  );
}

describe('Electron main entry (with a fake electron module)', () => {
  it('a second instance quits without creating anything', async () => {
    const fake = createFakeElectron({ gotLock: false });
    runMain(fake);
    fake.ready();
    await new Promise((r) => setTimeout(r, 20));
    expect(fake.calls).toContain('quit');
    expect(fake.calls).not.toContain('new BrowserWindow');
    expect(fake.ipcHandlers.size).toBe(0);
  });

  it('wires up the secured app', async () => {
    const fake = createFakeElectron({ gotLock: true });
    runMain(fake);
    // Before ready: scheme privileges, sandbox, lock.
    expect(fake.calls[0]).toMatch(/^registerSchemesAsPrivileged .*"scheme":"app".*"standard":true.*"secure":true/);
    expect(fake.calls).toContain('enableSandbox');
    expect(fake.calls).not.toContain('new BrowserWindow');
    fake.ready();
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1));

    // Window: secure options, preload next to the main bundle, loads the app origin.
    const [window] = fake.windows;
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: path.join(tmp, 'dist/preload/index.js'),
    });
    expect(fake.calls).toContain('loadURL app://bundle-studio/index.html');
    expect(window.webContents.listeners.has('will-navigate')).toBe(true);
    expect(window.webContents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });

    // Permissions denied; CSP on app:// responses.
    const cb = vi.fn();
    fake.permissionRequest!({}, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(fake.permissionCheck!({}, 'notifications')).toBe(false);
    const headersCb = vi.fn();
    fake.headersListener!({ url: 'app://bundle-studio/index.html', responseHeaders: {} }, headersCb);
    expect(headersCb.mock.calls[0][0].responseHeaders['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);

    // Protocol serves dist/renderer with the CSP.
    const response = await fake.protocolHandler!(new Request('app://bundle-studio/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await response.text()).toContain('id="root"');

    // IPC: every channel, sender checked.
    expect([...fake.ipcHandlers.keys()].sort()).toEqual([...channels].sort());
    const appInfo = fake.ipcHandlers.get('app.info')!;
    expect(await appInfo({ senderFrame: { url: 'app://bundle-studio/index.html', parent: null }, sender: { id: 1 } }, {})).toMatchObject({
      ok: true,
      value: { mode: 'electron' },
    });
    expect(await appInfo({ senderFrame: { url: 'https://evil.example/', parent: null } }, {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const open = fake.ipcHandlers.get('dialog.openFolder')!;
    expect(await open({ senderFrame: { url: 'app://bundle-studio/index.html', parent: null } }, {})).toEqual({ ok: true, value: { path: null } });

    // Menu: File > Save reaches the renderer as a 'menu.command' event.
    expect(fake.calls).toContain('setApplicationMenu');
    const file = (fake.menuTemplate as { label?: string; submenu?: { accelerator?: string; click?: () => void }[] }[]).find((m) => m.label === '&File')!;
    file.submenu!.find((i) => i.accelerator === 'CmdOrCtrl+S')!.click!();
    expect(window.webContents.sent).toEqual([['menu.command', { command: 'save' }]]);
  });

  it("src.delete goes to the system trash through shell.trashItem", async () => {
    const fake = createFakeElectron({ gotLock: true });
    runMain(fake);
    fake.ready();
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
    const svc = path.join(tmp, 'trash-svc');
    mkdirSync(path.join(svc, 'meta'), { recursive: true });
    mkdirSync(path.join(svc, 'src', 'etc'), { recursive: true });
    writeFileSync(path.join(svc, 'meta', 'config.yaml'), 'build:\n  os: linux\n');
    writeFileSync(path.join(svc, 'src', 'etc', 'old.conf'), 'x');
    const sender = { senderFrame: { url: 'app://bundle-studio/index.html', parent: null }, sender: { id: 1 } };
    const result = await fake.ipcHandlers.get('src.delete')!(sender, { root: svc, path: 'etc/old.conf', mode: 'trash' });
    expect(result).toMatchObject({ ok: true, value: { trashed: true } });
    expect(fake.electron.shell.trashItem).toHaveBeenCalledWith(path.join(svc, 'src', 'etc', 'old.conf'));
  });

  it('cancels running jobs when the window closes', async () => {
    const fake = createFakeElectron({ gotLock: true });
    runMain(fake);
    fake.ready();
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
    const root = await serviceWithLongRootfsJob(path.join(tmp, 'svc'));
    const sender = { senderFrame: { url: 'app://bundle-studio/index.html', parent: null }, sender: { id: 1 } };
    const started = (await fake.ipcHandlers.get('preview.rootfs')!(sender, { root })) as { ok: true; value: { jobId: string } };
    expect(started.ok).toBe(true);
    const status = () => fake.ipcHandlers.get('job.status')!(sender, { jobId: started.value.jobId });
    expect(await status()).toMatchObject({ ok: true, value: { state: 'running' } });
    fake.windows[0].listeners.get('closed')!();
    await eventually(async () => expect(await status()).toMatchObject({ ok: true, value: { state: 'cancelled' } }));
  });

  it('sends service.changed to the window and stops the folder watches when it closes', async () => {
    const fake = createFakeElectron({ gotLock: true });
    runMain(fake);
    fake.ready();
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
    const root = path.join(tmp, 'watched');
    mkdirSync(path.join(root, 'meta'), { recursive: true });
    mkdirSync(path.join(root, 'src'));
    writeFileSync(path.join(root, 'meta', 'config.yaml'), 'publish:\n  version: 1.0.0\n');
    const sender = { senderFrame: { url: 'app://bundle-studio/index.html', parent: null }, sender: { id: 1 } };
    const watched = (await fake.ipcHandlers.get('service.watch')!(sender, { root })) as { ok: true; value: { watchId: string } };
    expect(watched.ok).toBe(true);
    writeFileSync(path.join(root, 'src', 'new.txt'), 'x');
    const window = fake.windows[0];
    await eventually(() =>
      expect(window.webContents.sent).toContainEqual(['service.changed', { watchId: watched.value.watchId, root, changes: [{ kind: 'src', paths: ['new.txt'] }] }]),
    );
    window.listeners.get('closed')!();
    expect(await fake.ipcHandlers.get('service.unwatch')!(sender, { watchId: watched.value.watchId })).toEqual({ ok: true, value: { stopped: false } });
  }, 30_000);
});
