// Browser mode: the same `window.api` over HTTP on loopback. The server answers every
// /api request that lacks the per-run token with 401, so the token (see session.ts for how
// the page gets it) travels in each request's Authorization header (and in the
// EventSource query, which cannot carry headers).
//
// The page outlives its server (`aos-bundle ui` stopped, the terminal closed), so the bridge
// watches the connection: a request that cannot reach the server, or the event stream
// failing, marks it lost. From then on calls fail at once with 'disconnected' (rather than
// each click waiting on a dead port, and a job waiting for events that never come) until
// Retry finds the server again or the event stream reconnects by itself.
import type { Api, Channel, ConnectionMonitor, ConnectionState, EventName, EventPayload, Input, Output } from '../../shared/contract';
import type { AppError, Result } from '../../shared/errors';

export interface HttpBridgeOptions {
  token: string;
  /** Injected for tests; defaults to the page's fetch and EventSource. */
  fetch?: typeof fetch;
  EventSource?: typeof EventSource;
  baseUrl?: string;
}

export const CONNECTION_LOST_MESSAGE = 'Connection to Bundle Studio lost: its server has stopped or cannot be reached. Nothing was done.';

function isResult(value: unknown): value is Result<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

const lostError = (): AppError => ({ code: 'disconnected', message: CONNECTION_LOST_MESSAGE });

export function createHttpBridge(options: HttpBridgeOptions): Api {
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const base = options.baseUrl ?? '';
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const watchers = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connected';
  let source: EventSource | null = null;

  function setState(next: ConnectionState): void {
    if (next === state) return;
    state = next;
    for (const watcher of [...watchers]) watcher(next);
  }

  function ensureEventSource(): void {
    const ES = options.EventSource ?? (typeof EventSource === 'undefined' ? undefined : EventSource);
    if (!ES) return;
    // A stream the browser gave up on (CLOSED) is opened afresh; one that is reconnecting is left to it.
    if (source && source.readyState !== 2) return;
    const stream = new ES(`${base}/api/events?token=${encodeURIComponent(options.token)}`);
    source = stream;
    stream.onmessage = (message: MessageEvent) => {
      let data: { event?: unknown; payload?: unknown };
      try {
        data = JSON.parse(String(message.data));
      } catch {
        return;
      }
      if (typeof data?.event !== 'string') return;
      for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
    };
    // The server never ends the stream while it runs: an error means it is gone (or going).
    stream.onerror = () => setState('lost');
    stream.onopen = () => setState('connected');
  }

  async function post(channel: string, input: unknown): Promise<Result<unknown>> {
    try {
      const response = await doFetch(`${base}/api/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${options.token}` },
        body: JSON.stringify(input ?? {}),
      });
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        body = undefined;
      }
      if (isResult(body)) return body;
      return { ok: false, error: { code: 'internal', message: `Unexpected reply from the server (HTTP ${response.status}).` } };
    } catch {
      // fetch rejects only when no HTTP answer came at all.
      setState('lost');
      return { ok: false, error: lostError() };
    }
  }

  const connection: ConnectionMonitor = {
    state: () => state,
    subscribe(watcher) {
      ensureEventSource();
      watchers.add(watcher);
      return () => void watchers.delete(watcher);
    },
    async retry() {
      const answer = await post('app.info', {});
      if (!answer.ok && answer.error.code === 'disconnected') return false;
      setState('connected');
      ensureEventSource();
      return true;
    },
  };

  const api: Api = {
    async invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Result<Output<C>>> {
      if (state === 'lost') return { ok: false, error: lostError() };
      return (await post(channel, input)) as Result<Output<C>>;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      ensureEventSource();
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => {
        set.delete(wrapped);
      };
    },
    connection,
  };
  return api;
}
