// Electron's security checklist as small pure functions and adapters. Every adapter takes
// the Electron objects it configures as parameters, so the unit tests pass fakes and this
// module never imports 'electron' at run time.
import { RENDERER_CSP } from '../security/csp';
import { APP_SCHEME, isAppUrl } from './protocol';

/** The subset of BrowserWindowConstructorOptions we set; the real type accepts it. */
export interface SecureWindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
  icon?: string;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    webviewTag: false;
    experimentalFeatures: false;
    navigateOnDragDrop: false;
    safeDialogs: true;
    spellcheck: boolean;
  };
}

export function createWindowOptions(opts: { preloadPath: string; iconPath?: string }): SecureWindowOptions {
  if (!opts.preloadPath) throw new Error('createWindowOptions: preloadPath is required');
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Bundle Studio',
    backgroundColor: '#1a1b1e',
    ...(opts.iconPath ? { icon: opts.iconPath } : {}),
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  };
}

// ---------------------------------------------------------------------------------------
// Content Security Policy

/**
 * The renderer's one CSP, shared with browser mode (src/main/security/csp.ts) so the e2e
 * tests run the renderer under the same policy: scripts only from 'self' (no inline, no
 * eval), inline styles because Mantine injects them, no remote origins, no plugins, no
 * <base>, not frameable. test/unit/electron/security.test.ts pins those properties.
 */
export const CONTENT_SECURITY_POLICY: string = RENDERER_CSP;

/** Headers added to every app:// response. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
  };
}

export interface HeadersDetails {
  url: string;
  responseHeaders?: Record<string, string[]>;
}
export interface HeadersResponse {
  cancel?: boolean;
  responseHeaders?: Record<string, string | string[]>;
}

/** The onHeadersReceived listener: app:// responses get the CSP, anything else passes unchanged. */
export function cspHeadersListener(details: HeadersDetails, callback: (response: HeadersResponse) => void): void {
  if (!isAppUrl(details.url)) {
    callback({});
    return;
  }
  const headers: Record<string, string[]> = {};
  const ours = securityHeaders();
  const lowerOurs = new Set(Object.keys(ours).map((k) => k.toLowerCase()));
  for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
    // Drop any CSP (or other header we own) the response carried, so ours is the only one.
    if (!lowerOurs.has(name.toLowerCase())) headers[name] = value;
  }
  for (const [name, value] of Object.entries(ours)) headers[name] = [value];
  callback({ responseHeaders: headers });
}

export interface WebRequestSession {
  webRequest: {
    onHeadersReceived(
      filter: { urls: string[] },
      listener: (details: HeadersDetails, callback: (response: HeadersResponse) => void) => void,
    ): void;
  };
}

export function applyContentSecurityPolicy(session: WebRequestSession): void {
  session.webRequest.onHeadersReceived({ urls: [`${APP_SCHEME}://*/*`] }, cspHeadersListener);
}

// ---------------------------------------------------------------------------------------
// Permissions

export interface PermissionSession {
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
}

/** The app needs no web permission (camera, notifications, clipboard read, ...): all denied. */
export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

// ---------------------------------------------------------------------------------------
// Navigation, new windows and external links

/**
 * The only external pages the app may open, in the user's browser: https URLs under these
 * prefixes. Everything else (http, file:, javascript:, other hosts) is refused.
 */
export const EXTERNAL_URL_ALLOW_LIST: readonly string[] = [
  'https://github.com/aosedge/',
  'https://docs.aosedge.tech/',
];

export function isAllowedExternalUrl(raw: string, allowList: readonly string[] = EXTERNAL_URL_ALLOW_LIST): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return false;
  const normalized = url.href;
  return allowList.some((prefix) => normalized.startsWith(prefix));
}

export interface PreventableEvent {
  preventDefault(): void;
}

export interface HardenableWebContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
}

export interface HardenOptions {
  /** shell.openExternal; when omitted no link is ever opened. */
  openExternal?: (url: string) => Promise<void> | void;
  allowList?: readonly string[];
  log?: (message: string) => void;
}

/**
 * Denies every navigation away from the loaded page, every redirect, every <webview> and
 * every window.open. Links to allow-listed https pages open in the user's browser instead.
 */
export function hardenWebContents(contents: HardenableWebContents, options: HardenOptions = {}): void {
  const log = options.log ?? (() => undefined);
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    log(`Blocked navigation to ${url}`);
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    log(`Blocked redirect to ${url}`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('Blocked <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (options.openExternal && isAllowedExternalUrl(url, options.allowList)) {
      void Promise.resolve(options.openExternal(url)).catch(() => undefined);
    } else {
      log(`Blocked window.open of ${url}`);
    }
    return { action: 'deny' };
  });
}

