// A typed fake of `window.api` for renderer tests and the screenshot harness: one handler
// per channel, a log of calls, and `emit` to push events. A handler may return the value,
// throw an ApiError/AppFailure-like { error } to fail with a code, or be left out (the
// channel then fails with 'unsupported', like native dialogs in browser mode).
import type { Api, Channel, EventName, EventPayload, Input, Output } from '../../shared/contract';
import type { AppError, Result } from '../../shared/errors';

export type FakeHandlers = {
  [C in Channel]?: (input: Input<C>) => Output<C> | Promise<Output<C>>;
};

export interface FakeApi extends Api {
  calls: { channel: Channel; input: unknown }[];
  callsTo<C extends Channel>(channel: C): Input<C>[];
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  handlers: FakeHandlers;
}

/** Throw this from a handler to make the call fail with an AppError. */
export function fakeFailure(code: AppError['code'], message: string = code): { error: AppError } {
  return { error: { code, message } };
}

export function createFakeApi(handlers: FakeHandlers = {}): FakeApi {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const calls: FakeApi['calls'] = [];
  const fake: FakeApi = {
    calls,
    handlers,
    callsTo<C extends Channel>(channel: C) {
      return calls.filter((c) => c.channel === channel).map((c) => c.input as Input<C>);
    },
    async invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Result<Output<C>>> {
      calls.push({ channel, input });
      const handler = fake.handlers[channel] as ((input: Input<C>) => Output<C> | Promise<Output<C>>) | undefined;
      if (!handler) return { ok: false, error: { code: 'unsupported', message: `${channel} is not available here.` } };
      try {
        return { ok: true, value: await handler(input) };
      } catch (err) {
        const error = (err as { error?: AppError })?.error;
        if (error && typeof error.code === 'string') return { ok: false, error };
        return { ok: false, error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } };
      }
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => void set.delete(wrapped);
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
  };
  return fake;
}
