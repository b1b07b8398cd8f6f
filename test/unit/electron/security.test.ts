import { describe, expect, it, vi } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  applyContentSecurityPolicy,
  createWindowOptions,
  cspHeadersListener,
  denyAllPermissions,
  hardenWebContents,
  isAllowedExternalUrl,
  securityHeaders,
  type HardenableWebContents,
  type HeadersResponse,
  type PreventableEvent,
} from '../../../src/main/electron/security';

describe('window options', () => {
  it('isolates and sandboxes the renderer', () => {
    const o = createWindowOptions({ preloadPath: '/app/dist/preload/index.js' });
    expect(o.webPreferences).toMatchObject({
      preload: '/app/dist/preload/index.js',
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
    });
    expect(o.show).toBe(false);
    expect(o.title).toBe('Bundle Studio');
  });

  it('requires a preload path and passes the icon through', () => {
    expect(() => createWindowOptions({ preloadPath: '' })).toThrow(/preload/);
    expect(createWindowOptions({ preloadPath: '/p.js', iconPath: '/i.png' }).icon).toBe('/i.png');
    expect('icon' in createWindowOptions({ preloadPath: '/p.js' })).toBe(false);
  });
});

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name, values]),
  );
}

describe('content security policy', () => {
  const csp = directives(CONTENT_SECURITY_POLICY);

  it('allows scripts only from the app itself', () => {
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|wasm-unsafe-eval|strict-dynamic/);
  });

  it("allows inline styles (Mantine) but nothing else inline", () => {
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(CONTENT_SECURITY_POLICY.match(/'unsafe-inline'/g)).toHaveLength(1);
  });

  it('locks down objects, base URI, framing and forms', () => {
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
  });

  it('names no remote origin or wildcard', () => {
    for (const [name, values] of csp) {
      for (const v of values) {
        expect(v, `${name} ${v}`).toMatch(/^('self'|'none'|'unsafe-inline'|data:|blob:)$/);
      }
    }
  });

  it('is added to app:// responses, replacing any CSP they carry', () => {
    const callback = vi.fn<(r: HeadersResponse) => void>();
    cspHeadersListener(
      { url: 'app://bundle-studio/index.html', responseHeaders: { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] } },
      callback,
    );
    const headers = callback.mock.calls[0][0].responseHeaders!;
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(headers['content-security-policy']).toBeUndefined();
    expect(headers['Content-Type']).toEqual(['text/html']);
    expect(headers['X-Content-Type-Options']).toEqual(['nosniff']);
  });

  it('leaves other responses alone', () => {
    const callback = vi.fn();
    cspHeadersListener({ url: 'https://example.com/', responseHeaders: { a: ['b'] } }, callback);
    expect(callback).toHaveBeenCalledWith({});
  });

  it('registers on the session for app:// URLs only', () => {
    const onHeadersReceived = vi.fn();
    applyContentSecurityPolicy({ webRequest: { onHeadersReceived } });
    expect(onHeadersReceived).toHaveBeenCalledWith({ urls: ['app://*/*'] }, cspHeadersListener);
  });

  it('the protocol handler headers carry the same CSP', () => {
    expect(securityHeaders()['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
  });
});

describe('permissions', () => {
  it('denies every permission request and check', () => {
    let request: ((wc: unknown, p: string, cb: (g: boolean) => void) => void) | undefined;
    let check: ((wc: unknown, p: string) => boolean) | undefined;
    denyAllPermissions({
      setPermissionRequestHandler: (h) => (request = h),
      setPermissionCheckHandler: (h) => (check = h),
    });
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'openExternal', 'fullscreen', 'unknown']) {
      const cb = vi.fn();
      request!({}, permission, cb);
      expect(cb).toHaveBeenCalledExactlyOnceWith(false);
      expect(check!({}, permission)).toBe(false);
    }
  });
});

class FakeWebContents implements HardenableWebContents {
  listeners = new Map<string, (...args: never[]) => void>();
  openHandler?: (details: { url: string }) => { action: 'deny' } | { action: 'allow' };
  on(event: string, listener: (...args: never[]) => void) {
    this.listeners.set(event, listener);
    return this;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }) {
    this.openHandler = handler;
  }
  fire(event: string, url?: string): PreventableEvent & { prevented: boolean } {
    const e = { prevented: false, preventDefault() { this.prevented = true; } };
    (this.listeners.get(event) as unknown as (e: PreventableEvent, url?: string) => void)(e, url);
    return e;
  }
}

describe('navigation and new windows', () => {
  it('denies every navigation, redirect and webview', () => {
    const wc = new FakeWebContents();
    hardenWebContents(wc);
    expect(wc.fire('will-navigate', 'https://evil.example/').prevented).toBe(true);
    expect(wc.fire('will-navigate', 'app://bundle-studio/other.html').prevented).toBe(true);
    expect(wc.fire('will-navigate', 'file:///etc/passwd').prevented).toBe(true);
    expect(wc.fire('will-redirect', 'https://evil.example/').prevented).toBe(true);
    expect(wc.fire('will-attach-webview').prevented).toBe(true);
  });

  it('denies window.open and opens only allow-listed https links externally', async () => {
    const wc = new FakeWebContents();
    const openExternal = vi.fn(async () => undefined);
    hardenWebContents(wc, { openExternal, allowList: ['https://github.com/aosedge/'] });
    expect(wc.openHandler!({ url: 'https://github.com/aosedge/aos_core' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledExactlyOnceWith('https://github.com/aosedge/aos_core');
    for (const url of [
      'http://github.com/aosedge/x',
      'https://github.com/evil/x',
      'https://github.com.evil.example/aosedge/',
      'https://user:pw@github.com/aosedge/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'app://bundle-studio/index.html',
      'not a url',
    ]) {
      expect(wc.openHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(openExternal).toHaveBeenCalledTimes(1);
  });

  it('opens nothing externally without an openExternal function', () => {
    const wc = new FakeWebContents();
    hardenWebContents(wc);
    expect(wc.openHandler!({ url: 'https://github.com/aosedge/' })).toEqual({ action: 'deny' });
  });

  it('checks external URLs against the allow list', () => {
    expect(isAllowedExternalUrl('https://github.com/aosedge/aos_core')).toBe(true);
    expect(isAllowedExternalUrl('https://github.com/aosedge')).toBe(false);
    expect(isAllowedExternalUrl('https://github.com/aosedge/x', [])).toBe(false);
  });
});
