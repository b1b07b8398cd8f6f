import { describe, expect, it, vi } from 'vitest';
import { createHttpBridge, takeTokenFromLocation } from '../../src/renderer/api/http-bridge';

describe('browser-mode HTTP bridge', () => {
  it('takes the token from the page URL and removes it from the address bar', () => {
    window.history.replaceState(null, '', '/?token=s3cret&x=1#top');
    expect(takeTokenFromLocation()).toBe('s3cret');
    expect(window.location.search).toBe('?x=1');
    expect(window.location.hash).toBe('#top');
  });

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

  it('passes error Results through and turns network failures into internal errors', async () => {
    const failing = createHttpBridge({
      token: 't',
      fetch: (async () => new Response(JSON.stringify({ ok: false, error: { code: 'forbidden', message: 'Missing or wrong token.' } }), { status: 401 })) as typeof fetch,
    });
    await expect(failing.invoke('recent.list', {})).resolves.toEqual({ ok: false, error: { code: 'forbidden', message: 'Missing or wrong token.' } });
    const offline = createHttpBridge({ token: 't', fetch: (async () => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch });
    const result = await offline.invoke('recent.list', {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('internal');
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
