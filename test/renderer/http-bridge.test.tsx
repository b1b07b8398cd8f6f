import { describe, expect, it, vi } from 'vitest';
import { createHttpBridge } from '../../src/renderer/api/http-bridge';
import { establishSession, takeSecretsFromLocation, TOKEN_KEY } from '../../src/renderer/api/session';

describe('browser-mode session', () => {
  beforeEach(() => window.sessionStorage.clear());
  afterEach(() => {
    window.sessionStorage.clear();
    window.history.replaceState(null, '', '/');
  });

  const replying = (status: number, body: unknown) => vi.fn(async () => new Response(JSON.stringify(body), { status }));

  it('takes the token from the page URL (query or fragment) and removes it from the address bar', () => {
    window.history.replaceState(null, '', '/?token=s3cret&x=1#top');
    expect(takeSecretsFromLocation()).toEqual({ token: 's3cret' });
    expect(window.location.search).toBe('?x=1');
    expect(window.location.hash).toBe('#top');
    window.history.replaceState(null, '', '/?x=1#token=t0k&view=2');
    expect(takeSecretsFromLocation()).toEqual({ token: 't0k' });
    expect(window.location.search).toBe('?x=1');
    expect(window.location.hash).toBe('#view=2');
    expect(window.location.href).not.toContain('t0k');
  });

  it('trades a one-time code for the token once, keeps the token for a reload, and never keeps the code', async () => {
    window.history.replaceState(null, '', '/#code=once-only');
    const fetch = replying(200, { ok: true, value: { token: 'the-token' } });
    expect(await establishSession({ fetch: fetch as unknown as typeof globalThis.fetch })).toBe('the-token');
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/session');
    expect(init).toMatchObject({ method: 'POST', body: JSON.stringify({ code: 'once-only' }) });
    expect(window.location.href).not.toContain('once-only');
    expect(window.sessionStorage.getItem(TOKEN_KEY)).toBe('the-token');
    // F5: no code in the URL any more; the token comes from sessionStorage, without a request.
    const again = vi.fn();
    expect(await establishSession({ fetch: again as unknown as typeof globalThis.fetch })).toBe('the-token');
    expect(again).not.toHaveBeenCalled();
    expect(JSON.stringify(Object.entries(window.sessionStorage))).not.toContain('once-only');
  });

  it('has no session when the code was already used, and keeps an earlier one', async () => {
    const spent = replying(401, { ok: false, error: { code: 'forbidden', message: 'This link was already used or has expired.' } });
    window.history.replaceState(null, '', '/#code=used');
    expect(await establishSession({ fetch: spent as unknown as typeof globalThis.fetch })).toBeNull();
    window.sessionStorage.setItem(TOKEN_KEY, 'earlier');
    window.history.replaceState(null, '', '/#code=used');
    expect(await establishSession({ fetch: spent as unknown as typeof globalThis.fetch })).toBe('earlier');
    const offline = vi.fn(async () => Promise.reject(new TypeError('Failed to fetch')));
    window.history.replaceState(null, '', '/#code=x');
    expect(await establishSession({ fetch: offline as unknown as typeof globalThis.fetch })).toBe('earlier');
  });
});

describe('browser-mode HTTP bridge', () => {
  it('POSTs the input as JSON with the bearer token and returns the Result', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ ok: true, value: [] }), { status: 200 }));
    const api = createHttpBridge({ token: 'tok', fetch: fetch as unknown as typeof globalThis.fetch });
    await expect(api.invoke('recent.list', {})).resolves.toEqual({ ok: true, value: [] });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/recent.list');
    expect(init.method).toBe('POST');
    expect(init.headers).toMatchObject({ 'Content-Type': 'application/json', Authorization: 'Bearer tok' });
    expect(init.body).toBe('{}');
  });

  it('passes error Results through and turns network failures into disconnected errors', async () => {
    const failing = createHttpBridge({
      token: 't',
      fetch: (async () => new Response(JSON.stringify({ ok: false, error: { code: 'forbidden', message: 'Missing or wrong token.' } }), { status: 401 })) as typeof fetch,
    });
    await expect(failing.invoke('recent.list', {})).resolves.toEqual({ ok: false, error: { code: 'forbidden', message: 'Missing or wrong token.' } });
    const offline = createHttpBridge({ token: 't', fetch: (async () => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch });
    const result = await offline.invoke('recent.list', {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('disconnected');
  });

  it('delivers server events to their listeners', () => {
    const sources: { onmessage: ((m: MessageEvent) => void) | null; url: string }[] = [];
    class FakeEventSource {
      onmessage: ((m: MessageEvent) => void) | null = null;
      constructor(readonly url: string) {
        sources.push(this);
      }
    }
    const api = createHttpBridge({ token: 'a b', EventSource: FakeEventSource as unknown as typeof EventSource });
    const seen: unknown[] = [];
    const off = api.on('menu.command', (p) => seen.push(p));
    const source = sources[0];
    expect(source.url).toBe('/api/events?token=a%20b');
    source.onmessage!({ data: JSON.stringify({ event: 'menu.command', payload: { command: 'save' } }) } as MessageEvent);
    off();
    source.onmessage!({ data: JSON.stringify({ event: 'menu.command', payload: { command: 'open' } }) } as MessageEvent);
    expect(seen).toEqual([{ command: 'save' }]);
  });
});
