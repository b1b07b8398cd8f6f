// Browser mode: the same `window.api` over HTTP on loopback. The server answers every
// /api request that lacks the per-run token with 401, so the token (see session.ts for how
// the page gets it) travels in each request's Authorization header (and in the
// EventSource query, which cannot carry headers).
import type { Api, Channel, EventName, EventPayload, Input, Output } from '../../shared/contract';
import type { Result } from '../../shared/errors';

export interface HttpBridgeOptions {
  token: string;
  /** Injected for tests; defaults to the page's fetch and EventSource. */
  fetch?: typeof fetch;
  EventSource?: typeof EventSource;
  baseUrl?: string;
}

function isResult(value: unknown): value is Result<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

export function createHttpBridge(options: HttpBridgeOptions): Api {
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const base = options.baseUrl ?? '';
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let source: EventSource | null = null;

  function ensureEventSource(): void {
    const ES = options.EventSource ?? (typeof EventSource === 'undefined' ? undefined : EventSource);
    if (source || !ES) return;
    source = new ES(`${base}/api/events?token=${encodeURIComponent(options.token)}`);
    source.onmessage = (message: MessageEvent) => {
      let data: { event?: unknown; payload?: unknown };
      try {
        data = JSON.parse(String(message.data));
      } catch {
        return;
      }
      if (typeof data?.event !== 'string') return;
      for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
    };
  }

  const api: Api = {
    async invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Result<Output<C>>> {
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
        if (isResult(body)) return body as Result<Output<C>>;
        return { ok: false, error: { code: 'internal', message: `Unexpected reply from the server (HTTP ${response.status}).` } };
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        return { ok: false, error: { code: 'internal', message: `Cannot reach Bundle Studio's server: ${why}` } };
      }
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
  };
  return api;
}
