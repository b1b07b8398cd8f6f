// Browser mode when the server goes away: the bridge notices (a request that gets no
// answer, or the event stream failing), the app shows "Connection to Bundle Studio lost"
// with Retry, and calls in the meantime fail at once with 'disconnected' instead of hanging.
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../src/renderer/app/App';
import { createHttpBridge } from '../../src/renderer/api/http-bridge';
import { createClient } from '../../src/renderer/api/context';
import { runJob } from '../../src/renderer/api/jobs';
import { APP_INFO } from './app-harness';

class FakeEventSource {
  static last: FakeEventSource | null = null;
  readyState = 1;
  onmessage: ((m: MessageEvent) => void) | null = null;
  onerror: (() => void) | null = null;
  onopen: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
}

/** A server that answers like the real one until `down` is set. */
function fakeServer() {
  const server = { down: false, calls: [] as string[] };
  const fetch = vi.fn(async (url: string) => {
    if (server.down) throw new TypeError('Failed to fetch');
    const channel = url.replace('/api/', '');
    server.calls.push(channel);
    const answers: Record<string, unknown> = {
      'app.info': APP_INFO,
      'settings.get': { theme: 'light', previewTarget: 'unit', layerLibrary: '' },
      'outbox.list': { dir: '/home/jane/.config/bundle-studio/outbox', entries: [], auto: { state: 'idle', message: 'Nothing waits.' } },
    };
    const value = channel in answers ? answers[channel] : [];
    return new Response(JSON.stringify({ ok: true, value }), { status: 200 });
  });
  return { server, fetch: fetch as unknown as typeof globalThis.fetch };
}

describe('connection lost (browser mode)', () => {
  it('fails calls at once after a request found no server, until Retry finds it again', async () => {
    const { server, fetch } = fakeServer();
    const api = createHttpBridge({ token: 't', fetch, EventSource: FakeEventSource as unknown as typeof EventSource });
    const seen: string[] = [];
    api.connection!.subscribe((s) => seen.push(s));
    server.down = true;
    expect(await api.invoke('recent.list', {})).toMatchObject({ ok: false, error: { code: 'disconnected', message: expect.stringContaining('Connection to Bundle Studio lost') } });
    expect(api.connection!.state()).toBe('lost');
    server.down = false;
    // No request while lost: the answer is immediate.
    expect(await api.invoke('recent.list', {})).toMatchObject({ ok: false, error: { code: 'disconnected' } });
    expect(server.calls).toEqual([]);
    expect(await api.connection!.retry()).toBe(true);
    expect(await api.invoke('recent.list', {})).toEqual({ ok: true, value: [] });
    expect(seen).toEqual(['lost', 'connected']);
  });

  it('ends a job that is being followed instead of waiting for events that never come', async () => {
    const { server, fetch } = fakeServer();
    const running = vi.fn(async (url: string, init: RequestInit) => {
      if (url === '/api/bundle.sign') return new Response(JSON.stringify({ ok: true, value: { jobId: 'j1' } }), { status: 200 });
      return (fetch as unknown as (u: string, i: RequestInit) => Promise<Response>)(url, init);
    });
    const bridge = createHttpBridge({ token: 't', fetch: running as unknown as typeof globalThis.fetch, EventSource: FakeEventSource as unknown as typeof EventSource });
    const job = runJob(createClient(bridge), 'bundle.sign', { root: '/srv/svc' }, { pollMs: 5 });
    await new Promise((r) => setTimeout(r, 1));
    server.down = true;
    await expect(job).rejects.toMatchObject({ code: 'disconnected' });
  });

  it('shows the banner when the event stream fails, and Retry clears it once the server answers', async () => {
    const { server, fetch } = fakeServer();
    const api = createHttpBridge({ token: 't', fetch, EventSource: FakeEventSource as unknown as typeof EventSource });
    render(<App api={api} env="test" />);
    await screen.findByText('New service');
    expect(screen.queryByText('Connection to Bundle Studio lost')).not.toBeInTheDocument();
    server.down = true;
    act(() => FakeEventSource.last!.onerror!());
    expect(await screen.findByText('Connection to Bundle Studio lost')).toBeInTheDocument();
    // The next click fails with the reason, at once.
    expect(await api.invoke('recent.list', {})).toMatchObject({ ok: false, error: { code: 'disconnected' } });
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText(/Still no answer/)).toBeInTheDocument();
    server.down = false;
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.queryByText('Connection to Bundle Studio lost')).not.toBeInTheDocument());
  });

  it('clears the banner when the event stream reconnects by itself', async () => {
    const { fetch } = fakeServer();
    const api = createHttpBridge({ token: 't', fetch, EventSource: FakeEventSource as unknown as typeof EventSource });
    render(<App api={api} env="test" />);
    await screen.findByText('New service');
    act(() => FakeEventSource.last!.onerror!());
    await screen.findByText('Connection to Bundle Studio lost');
    act(() => FakeEventSource.last!.onopen!());
    await waitFor(() => expect(screen.queryByText('Connection to Bundle Studio lost')).not.toBeInTheDocument());
  });
});
