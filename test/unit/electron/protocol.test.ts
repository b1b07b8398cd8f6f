import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  APP_ENTRY_URL,
  createProtocolHandler,
  isAppUrl,
  mimeTypeFor,
  registerAppProtocol,
  resolveRequestPath,
} from '../../../src/main/electron/protocol';

const root = path.resolve('/srv/renderer');

describe('resolveRequestPath', () => {
  it('maps app URLs to files under the root', () => {
    expect(resolveRequestPath(root, 'app://bundle-studio/index.html')).toEqual({ ok: true, file: path.join(root, 'index.html') });
    expect(resolveRequestPath(root, 'app://bundle-studio/assets/index-abc.js?v=1#x')).toEqual({ ok: true, file: path.join(root, 'assets', 'index-abc.js') });
    expect(resolveRequestPath(root, 'app://bundle-studio/')).toEqual({ ok: true, file: path.join(root, 'index.html') });
    expect(resolveRequestPath(root, 'app://bundle-studio')).toEqual({ ok: true, file: path.join(root, 'index.html') });
    expect(resolveRequestPath(root, 'app://bundle-studio/sub/')).toEqual({ ok: true, file: path.join(root, 'sub', 'index.html') });
    expect(resolveRequestPath(root, 'app://bundle-studio/a%20b.png')).toEqual({ ok: true, file: path.join(root, 'a b.png') });
  });

  it.each([
    ['dot-dot', 'app://bundle-studio/../etc/passwd'],
    ['nested dot-dot', 'app://bundle-studio/assets/../../etc/passwd'],
    ['dot-dot at the end', 'app://bundle-studio/assets/..'],
    ['single dot', 'app://bundle-studio/./index.html'],
    ['encoded dot-dot', 'app://bundle-studio/%2e%2e/etc/passwd'],
    ['upper-case encoded dot-dot', 'app://bundle-studio/%2E%2E/%2E%2E/etc/passwd'],
    ['mixed encoded dot-dot', 'app://bundle-studio/.%2e/etc/passwd'],
    ['double-encoded dot-dot', 'app://bundle-studio/%252e%252e/etc/passwd'],
    ['encoded slash', 'app://bundle-studio/..%2fetc%2fpasswd'],
    ['encoded slash in a name', 'app://bundle-studio/assets%2findex.js'],
    ['absolute path', 'app://bundle-studio//etc/passwd'],
    ['encoded absolute path', 'app://bundle-studio/%2fetc/passwd'],
    ['windows drive', 'app://bundle-studio/C:/Windows/win.ini'],
    ['encoded windows drive', 'app://bundle-studio/C%3a%5cWindows'],
    ['backslash', 'app://bundle-studio/..\\..\\etc\\passwd'],
    ['encoded backslash', 'app://bundle-studio/..%5c..%5cetc%5cpasswd'],
    ['null byte', 'app://bundle-studio/index.html\0.png'],
    ['encoded null byte', 'app://bundle-studio/index.html%00.png'],
    ['empty segment', 'app://bundle-studio/assets//x.js'],
    ['malformed encoding', 'app://bundle-studio/%E0%A4%A'],
  ])('refuses %s', (_name, url) => {
    const result = resolveRequestPath(root, url);
    expect(result.ok).toBe(false);
  });

  it.each([
    'app://other-host/index.html',
    'app://bundle-studio.evil/index.html',
    'app://bundle-studio:8080/index.html',
    'app://user@bundle-studio/index.html',
    'file:///etc/passwd',
    'https://bundle-studio/index.html',
    '/etc/passwd',
  ])('refuses a URL outside the app origin: %s', (url) => {
    expect(resolveRequestPath(root, url)).toEqual({ ok: false, status: 403 });
  });

  it('recognizes the app origin', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('APP://BUNDLE-STUDIO/x')).toBe(true);
    expect(isAppUrl('app://bundle-studiox/')).toBe(false);
  });
});

describe('mimeTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['assets/index-abc.js', 'text/javascript; charset=utf-8'],
    ['a.mjs', 'text/javascript; charset=utf-8'],
    ['assets/index.CSS', 'text/css; charset=utf-8'],
    ['x.json', 'application/json; charset=utf-8'],
    ['x.js.map', 'application/json; charset=utf-8'],
    ['icon.svg', 'image/svg+xml'],
    ['icon.png', 'image/png'],
    ['font.woff2', 'font/woff2'],
    ['font.woff', 'font/woff'],
    ['font.ttf', 'font/ttf'],
    ['x.wasm', 'application/wasm'],
    ['favicon.ico', 'image/x-icon'],
    ['noext', 'application/octet-stream'],
    ['x.exe', 'application/octet-stream'],
  ])('%s -> %s', (file, type) => {
    expect(mimeTypeFor(file)).toBe(type);
  });
});

describe('protocol handler (real files)', () => {
  let tmp: string;
  let served: string;
  const get = (url: string, method = 'GET') => new Request(url, { method });

  beforeAll(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'bs-protocol-'));
    served = path.join(tmp, 'renderer');
    mkdirSync(path.join(served, 'assets'), { recursive: true });
    writeFileSync(path.join(served, 'index.html'), '<!doctype html><title>x</title>');
    writeFileSync(path.join(served, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(path.join(served, 'assets', 'app.css'), 'body{}');
    writeFileSync(path.join(tmp, 'secret.txt'), 'secret');
    symlinkSync(path.join(tmp, 'secret.txt'), path.join(served, 'assets', 'link.txt'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('serves files with their MIME type and the security headers', async () => {
    const handler = createProtocolHandler({ root: served, headers: { 'Content-Security-Policy': "default-src 'self'" } });
    const html = await handler(get('app://bundle-studio/index.html'));
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toBe("default-src 'self'");
    expect(await html.text()).toContain('<title>x</title>');
    const js = await handler(get('app://bundle-studio/assets/app.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log(1)');
    const css = await handler(get('app://bundle-studio/assets/app.css'));
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const root = await handler(get('app://bundle-studio/'));
    expect(root.status).toBe(200);
  });

  it('answers 404 for missing files and folders, 405 for other methods', async () => {
    const handler = createProtocolHandler({ root: served });
    expect((await handler(get('app://bundle-studio/nope.js'))).status).toBe(404);
    expect((await handler(get('app://bundle-studio/assets'))).status).toBe(404);
    expect((await handler(get('app://bundle-studio/index.html', 'POST'))).status).toBe(405);
    const head = await handler(get('app://bundle-studio/index.html', 'HEAD'));
    expect(head.status).toBe(200);
  });

  it('refuses traversal that the URL parser did not normalize away, and symlinks out of the root', async () => {
    const handler = createProtocolHandler({ root: served });
    // Request normalizes "..", so hand the handler a request-like object with the raw URL.
    const raw = (url: string) => ({ url, method: 'GET' }) as Request;
    expect((await handler(raw('app://bundle-studio/../secret.txt'))).status).toBe(400);
    expect((await handler(raw('app://bundle-studio/%2e%2e/secret.txt'))).status).toBe(400);
    expect((await handler(raw('app://bundle-studio/..%5csecret.txt'))).status).toBe(400);
    expect((await handler(raw(`app://bundle-studio/${tmp}/secret.txt`))).status).toBe(400);
    expect((await handler(get('app://bundle-studio/assets/link.txt'))).status).toBe(403);
  });

  it('registers on the app scheme', () => {
    const handle = vi.fn();
    registerAppProtocol({ handle }, { root: served });
    expect(handle).toHaveBeenCalledWith('app', expect.any(Function));
  });
});
