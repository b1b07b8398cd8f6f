import { describe, expect, it, vi } from 'vitest';
import { createPreloadApi, exposeApi, type IpcRendererLike } from '../../../src/preload/api';
import { channelNames, eventNameList } from '../../../src/shared/channels';

function fakeIpcRenderer() {
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const ipc = {
    listeners,
    invoke: vi.fn(async (channel: string, input: unknown) => ({ ok: true, value: { channel, input } }) as unknown),
    on: vi.fn((channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    }),
    removeListener: vi.fn((channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      listeners.get(channel)?.delete(listener);
    }),
    emit(channel: string, payload: unknown) {
      const rawEvent = { sender: { send: () => undefined }, senderId: 0, ports: [] };
      for (const l of listeners.get(channel) ?? []) l(rawEvent, payload);
    },
  };
  return ipc satisfies IpcRendererLike;
}

describe('preload window.api', () => {
  it('tells where a dropped file lives through webUtils, and null when it cannot', () => {
    const file = new File(['x'], 'service.tar.gz');
    const webUtils = { getPathForFile: vi.fn((f: File) => (f === file ? '/home/me/service.tar.gz' : '')) };
    const api = createPreloadApi(fakeIpcRenderer(), webUtils);
    expect(api.pathForFile?.(file)).toBe('/home/me/service.tar.gz');
    expect(api.pathForFile?.(new File([], 'other'))).toBeNull();
    const throwing = createPreloadApi(fakeIpcRenderer(), { getPathForFile: () => { throw new Error('not a file'); } });
    expect(throwing.pathForFile?.(file)).toBeNull();
    expect(createPreloadApi(fakeIpcRenderer()).pathForFile?.(file)).toBeNull();
  });

  it('exposes exactly invoke, on and pathForFile as window.api', () => {
    const exposeInMainWorld = vi.fn();
    exposeApi({ exposeInMainWorld }, fakeIpcRenderer());
    expect(exposeInMainWorld).toHaveBeenCalledOnce();
    const [key, api] = exposeInMainWorld.mock.calls[0];
    expect(key).toBe('api');
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on', 'pathForFile']);
    expect(Object.isFrozen(api)).toBe(true);
    // No raw ipcRenderer, send or sendSync reachable.
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/ipc|send/i);
  });

  it('invokes every known channel', async () => {
    const ipc = fakeIpcRenderer();
    const api = createPreloadApi(ipc);
    for (const channel of channelNames) {
      const result = await api.invoke(channel, {} as never);
      expect(result).toEqual({ ok: true, value: { channel, input: {} } });
    }
    expect(ipc.invoke).toHaveBeenCalledTimes(channelNames.length);
  });

  it.each(['fs.unlink', 'ELECTRON_BROWSER_WINDOW_ALERT', '__proto__', 'constructor', 'toString', '', 'app.info ', 42])(
    'refuses unknown channel %s without touching IPC',
    async (channel) => {
      const ipc = fakeIpcRenderer();
      const api = createPreloadApi(ipc);
      const result = await api.invoke(channel as never, {} as never);
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      expect(ipc.invoke).not.toHaveBeenCalled();
    },
  );

  it('turns IPC failures and malformed replies into Results', async () => {
    const ipc = fakeIpcRenderer();
    ipc.invoke.mockRejectedValueOnce(new Error('No handler registered'));
    ipc.invoke.mockResolvedValueOnce('weird');
    const api = createPreloadApi(ipc);
    expect(await api.invoke('app.info', {})).toEqual({ ok: false, error: { code: 'internal', message: 'No handler registered' } });
    expect(await api.invoke('app.info', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('listeners get the payload only, never the IpcRendererEvent', () => {
    const ipc = fakeIpcRenderer();
    const api = createPreloadApi(ipc);
    const listener = vi.fn();
    api.on('menu.command', listener);
    ipc.emit('menu.command', { command: 'save' });
    expect(listener).toHaveBeenCalledExactlyOnceWith({ command: 'save' });
  });

  it('on returns an unsubscribe function (idempotent)', () => {
    const ipc = fakeIpcRenderer();
    const api = createPreloadApi(ipc);
    const a = vi.fn();
    const b = vi.fn();
    const offA = api.on('job.progress', a);
    api.on('job.progress', b);
    offA();
    offA();
    ipc.emit('job.progress', { jobId: 'j', phase: 'p', done: 1, total: 1 });
    expect(a).not.toHaveBeenCalled();
    expect(b).toHaveBeenCalledOnce();
    expect(ipc.removeListener).toHaveBeenCalledOnce();
  });

  it('subscribes to known events only', () => {
    const ipc = fakeIpcRenderer();
    const api = createPreloadApi(ipc);
    for (const event of eventNameList) expect(typeof api.on(event, () => undefined)).toBe('function');
    expect(() => api.on('app.info' as never, () => undefined)).toThrow(TypeError);
    expect(() => api.on('ipc-message' as never, () => undefined)).toThrow(TypeError);
    expect(() => api.on('menu.command', 'nope' as never)).toThrow(TypeError);
    expect(ipc.on).toHaveBeenCalledTimes(eventNameList.length);
  });
});
