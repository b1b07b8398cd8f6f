import { describe, expect, it, vi } from 'vitest';
import { channels, type Channel } from '../../../src/shared/contract';
import { appError } from '../../../src/shared/errors';
import {
  createChannelListener,
  createEventForwarder,
  isAppOrigin,
  isTrustedSender,
  registerIpcHandlers,
  type HandlerMap,
  type InvokeEvent,
} from '../../../src/main/electron/ipc';

const top = { url: 'app://bundle-studio/index.html', parent: null };
const trusted: InvokeEvent = { senderFrame: top, sender: { id: 7 } };

const appInfo = { version: '1.0.0', mode: 'electron' as const, platform: 'linux', homeDir: '/home/u', cwd: '/' };

function fakeHandlers(): HandlerMap {
  const map = {} as Record<Channel, ReturnType<typeof vi.fn>>;
  for (const c of channels) map[c] = vi.fn(async () => ({}));
  map['app.info'] = vi.fn(async () => appInfo);
  map['src.mkdir'] = vi.fn(async () => ({ entries: [], total: 0, truncated: false, totalBytes: 0, special: [] }));
  return map as unknown as HandlerMap;
}

function fakeIpcMain() {
  const handlers = new Map<string, (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>>();
  return {
    handlers,
    handle: vi.fn((channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    }),
    removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
  };
}

describe('sender check', () => {
  it('trusts only the top frame on app://bundle-studio', () => {
    expect(isTrustedSender(trusted)).toBe(true);
    expect(isTrustedSender({ senderFrame: null })).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
    expect(isTrustedSender({ senderFrame: { url: 'app://bundle-studio/index.html', parent: {} } })).toBe(false);
    for (const url of [
      'https://evil.example/',
      'file:///work/dist/renderer/index.html',
      'app://other/index.html',
      'app://bundle-studio.evil/index.html',
      'app://bundle-studio:1/index.html',
      'http://127.0.0.1:5173/',
      'about:blank',
      'devtools://devtools/bundled/x.html',
      '',
    ]) {
      expect(isTrustedSender({ senderFrame: { url, parent: null } }), url).toBe(false);
    }
    expect(isAppOrigin('app://bundle-studio/')).toBe(true);
  });
});

describe('IPC registration', () => {
  it('registers exactly one handler per contract channel and can remove them', () => {
    const ipcMain = fakeIpcMain();
    const dispose = registerIpcHandlers({ ipcMain, handlers: fakeHandlers() });
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...channels].sort());
    dispose();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('refuses a handler map with a missing channel', () => {
    const handlers = fakeHandlers() as Partial<HandlerMap>;
    delete handlers['src.list'];
    expect(() => registerIpcHandlers({ ipcMain: fakeIpcMain(), handlers: handlers as HandlerMap })).toThrow(/src\.list/);
  });

  it('calls the handler with validated input and wraps the value in a Result', async () => {
    const ipcMain = fakeIpcMain();
    const handlers = fakeHandlers();
    registerIpcHandlers({ ipcMain, handlers });
    const result = await ipcMain.handlers.get('app.info')!(trusted, {});
    expect(result).toEqual({ ok: true, value: appInfo });
    const mkdir = await ipcMain.handlers.get('src.mkdir')!(trusted, { root: '/svc', path: 'bin' });
    expect(mkdir).toMatchObject({ ok: true });
    expect(handlers['src.mkdir']).toHaveBeenCalledWith({ root: '/svc', path: 'bin' }, { senderId: 7 });
  });

  it.each([
    ['a subframe', { senderFrame: { url: 'app://bundle-studio/index.html', parent: top } }],
    ['another origin', { senderFrame: { url: 'https://evil.example/', parent: null } }],
    ['a file: page', { senderFrame: { url: 'file:///index.html', parent: null } }],
    ['a destroyed frame', { senderFrame: null }],
  ])('answers forbidden to %s before validating input, without calling the handler', async (_name, event) => {
    const ipcMain = fakeIpcMain();
    const handlers = fakeHandlers();
    registerIpcHandlers({ ipcMain, handlers });
    // Invalid input too: the sender check must come first.
    const result = await ipcMain.handlers.get('src.mkdir')!(event as InvokeEvent, { bogus: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const valid = await ipcMain.handlers.get('src.mkdir')!(event as InvokeEvent, { root: '/svc', path: 'bin' });
    expect(valid).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(handlers['src.mkdir']).not.toHaveBeenCalled();
  });

  it.each([
    ['a missing field', { root: '/svc' }],
    ['a wrong type', { root: '/svc', path: 42 }],
    ['an unknown key', { root: '/svc', path: 'bin', extra: 1 }],
    ['an empty root', { root: '', path: 'bin' }],
    ['a string', 'rm -rf /'],
  ])('answers invalid-input for %s without calling the handler', async (_name, input) => {
    const ipcMain = fakeIpcMain();
    const handlers = fakeHandlers();
    registerIpcHandlers({ ipcMain, handlers });
    const result = await ipcMain.handlers.get('src.mkdir')!(trusted, input);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(handlers['src.mkdir']).not.toHaveBeenCalled();
  });

  it('refuses extra arguments', async () => {
    const handler = vi.fn(async () => appInfo);
    const listener = createChannelListener('app.info', handler);
    expect(await listener(trusted, {}, 'more')).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(handler).not.toHaveBeenCalled();
  });

  it('turns thrown errors into AppErrors without stack traces', async () => {
    const failing = createChannelListener('app.info', async () => {
      throw appError('not-found', 'No such service');
    });
    expect(await failing(trusted, {})).toEqual({ ok: false, error: { code: 'not-found', message: 'No such service' } });
    const crash = createChannelListener('app.info', async () => {
      throw new TypeError('boom');
    });
    expect(await crash(trusted, {})).toEqual({ ok: false, error: { code: 'internal', message: 'boom' } });
  });

  it('refuses results that do not match the output schema', async () => {
    const listener = createChannelListener('app.info', (async () => ({ version: 1 })) as never);
    expect(await listener(trusted, {})).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});

describe('event forwarding', () => {
  function target(url = 'app://bundle-studio/index.html', destroyed = false) {
    return { isDestroyed: () => destroyed, getURL: () => url, send: vi.fn() };
  }

  it('sends contract events to app windows only', () => {
    const app = target();
    const foreign = target('https://evil.example/');
    const dead = target(undefined, true);
    const emit = createEventForwarder(() => [app, foreign, dead]);
    emit('menu.command', { command: 'save' });
    const progress = { jobId: 'j1', phase: 'hash', done: 1, total: 2 };
    emit('job.progress', progress);
    expect(app.send.mock.calls).toEqual([
      ['menu.command', { command: 'save' }],
      ['job.progress', progress],
    ]);
    expect(foreign.send).not.toHaveBeenCalled();
    expect(dead.send).not.toHaveBeenCalled();
  });

  it('drops unknown events and payloads that break the contract', () => {
    const app = target();
    const log = vi.fn();
    const emit = createEventForwarder(() => [app], log);
    emit('nope' as never, {} as never);
    emit('menu.command', { command: 'format-disk' } as never);
    expect(app.send).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledTimes(2);
  });
});
