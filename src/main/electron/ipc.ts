// IPC: one ipcMain.handle per contract channel. Each call is checked in this order:
//   1. the sender is the app's own top frame (app://bundle-studio), else 'forbidden';
//   2. the input passes the channel's schema (parseInput), else 'invalid-input';
//   3. only then the handler runs; whatever it throws becomes an AppError, and its result
//      is checked against the output schema.
// The promise always resolves to a Result, so error codes survive the boundary.
import { channels, contract, eventNames, events, parseInput } from '../../shared/contract';
import type { Channel, EventName, EventPayload, Output, ValidInput } from '../../shared/contract';
import { fail, toAppError } from '../../shared/errors';
import type { Result } from '../../shared/errors';
import { APP_HOST, APP_SCHEME } from './protocol';

/** What a handler gets besides its validated input. */
export interface CallContext {
  /** The webContents id of the calling window. */
  senderId?: number;
}

/**
 * One handler per channel; it receives the input after validation. The map from
 * createApiHandlers (src/main/api/handlers.ts) fits, and tests pass fakes.
 */
export type HandlerMap = {
  [C in Channel]: (input: ValidInput<C>, ctx: CallContext) => Promise<Output<C>>;
};

export interface SenderFrame {
  url: string;
  parent: unknown;
}

export interface InvokeEvent {
  senderFrame: SenderFrame | null;
  sender?: { id?: number };
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** True if the URL is on app://bundle-studio. Non-special schemes have an opaque origin, so compare parts. */
export function isAppOrigin(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.hostname === APP_HOST && url.port === '' && !url.username && !url.password;
}

/** The sender must be a live top-level frame showing the app itself. */
export function isTrustedSender(event: InvokeEvent | null | undefined): boolean {
  const frame = event?.senderFrame;
  if (!frame) return false;
  if (frame.parent !== null) return false;
  return typeof frame.url === 'string' && isAppOrigin(frame.url);
}

export interface RegisterIpcOptions {
  ipcMain: IpcMainLike;
  handlers: HandlerMap;
  /** Override for tests or extra rules; defaults to isTrustedSender. */
  isTrusted?: (event: InvokeEvent) => boolean;
  log?: (message: string) => void;
}

/** Builds the function registered for one channel; exported for tests. */
export function createChannelListener<C extends Channel>(
  channel: C,
  handler: HandlerMap[C],
  options: Pick<RegisterIpcOptions, 'isTrusted' | 'log'> = {},
): (event: InvokeEvent, ...args: unknown[]) => Promise<Result<Output<C>>> {
  const trusted = options.isTrusted ?? isTrustedSender;
  const log = options.log ?? (() => undefined);
  return async (event, ...args) => {
    if (!trusted(event)) {
      log(`Refused ${channel} from untrusted sender ${event?.senderFrame?.url ?? '(no frame)'}`);
      return fail('forbidden', `Refused ${channel}: the caller is not the application window.`);
    }
    if (args.length > 1) return fail('invalid-input', `Invalid input for ${channel}: expected one argument.`);
    const parsed = parseInput(channel, args[0]);
    if (!parsed.ok) return parsed;
    try {
      const value = await handler(parsed.value, { senderId: event.sender?.id });
      // Outputs are checked too (as the HTTP bridge does), so a handler bug is an error value.
      const checked = contract[channel].output.safeParse(value);
      if (!checked.success) {
        log(`${channel} returned a result that does not match the contract`);
        return fail('internal', `The ${channel} result did not match the contract.`);
      }
      return { ok: true, value: checked.data as Output<C> };
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  };
}

/** Registers every channel of the contract; returns a function that removes them again. */
export function registerIpcHandlers(options: RegisterIpcOptions): () => void {
  const missing = channels.filter((c) => typeof options.handlers[c] !== 'function');
  if (missing.length) throw new Error(`No IPC handler for: ${missing.join(', ')}`);
  for (const channel of channels) {
    const handler = options.handlers[channel] as HandlerMap[typeof channel];
    options.ipcMain.handle(channel, createChannelListener(channel, handler, options));
  }
  return () => {
    for (const channel of channels) options.ipcMain.removeHandler(channel);
  };
}

// ---------------------------------------------------------------------------------------
// Events main -> renderer

export interface EventTarget {
  isDestroyed(): boolean;
  getURL(): string;
  send(channel: string, ...args: unknown[]): void;
}

export type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/**
 * Sends contract events to the app's windows with webContents.send(eventName, payload).
 * Unknown event names and payloads that fail the event's schema are dropped (and logged),
 * never sent; windows that are not showing the app get nothing.
 */
export function createEventForwarder(getTargets: () => EventTarget[], log: (message: string) => void = () => undefined): Emit {
  return (event, payload) => {
    if (!(eventNames as string[]).includes(event)) {
      log(`Dropped unknown event ${String(event)}`);
      return;
    }
    const checked = events[event].safeParse(payload);
    if (!checked.success) {
      log(`Dropped ${event}: payload does not match the contract`);
      return;
    }
    for (const target of getTargets()) {
      if (target.isDestroyed() || !isAppOrigin(target.getURL())) continue;
      target.send(event, checked.data);
    }
  };
}
