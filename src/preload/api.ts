// window.api for the Electron renderer. Only the contract's channel and event names are
// reachable (no raw ipcRenderer), listeners never see the IpcRendererEvent, and every call
// resolves to a Result. Imports names only (src/shared/channels), no zod: a sandboxed
// preload is one small CommonJS bundle.
import type { Api } from '../shared/contract';
import type { Result } from '../shared/errors';
import { isChannelName, isEventName } from '../shared/channels';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export interface WebUtilsLike {
  getPathForFile(file: File): string;
}

export interface ContextBridgeLike {
  exposeInMainWorld(apiKey: string, api: unknown): void;
}

function failure(code: 'invalid-input' | 'internal', message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

function isResult(value: unknown): value is Result<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

export function createPreloadApi(ipcRenderer: IpcRendererLike, webUtils?: WebUtilsLike): Api {
  const api = {
    invoke(channel: string, input: unknown): Promise<Result<unknown>> {
      if (!isChannelName(channel)) {
        return Promise.resolve(failure('invalid-input', `Unknown API method: ${String(channel).slice(0, 100)}`));
      }
      return ipcRenderer.invoke(channel, input).then(
        (value) => (isResult(value) ? value : failure('internal', `Malformed reply from ${channel}.`)),
        (err: unknown) => failure('internal', err instanceof Error ? err.message : String(err)),
      );
    },
    on(event: string, listener: (payload: unknown) => void): () => void {
      if (!isEventName(event)) throw new TypeError(`Unknown event: ${String(event).slice(0, 100)}`);
      if (typeof listener !== 'function') throw new TypeError('Listener must be a function');
      // The raw IpcRendererEvent (with its sender) stays here; the renderer gets the payload only.
      const wrapped = (_event: unknown, payload: unknown) => listener(payload);
      ipcRenderer.on(event, wrapped);
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        ipcRenderer.removeListener(event, wrapped);
      };
    },
    pathForFile(file: File): string | null {
      // Only the path string crosses back, never a handle to the file system.
      try {
        const path = webUtils?.getPathForFile(file);
        return typeof path === 'string' && path.length > 0 ? path : null;
      } catch {
        return null;
      }
    },
  };
  return Object.freeze(api) as unknown as Api;
}

export function exposeApi(contextBridge: ContextBridgeLike, ipcRenderer: IpcRendererLike, webUtils?: WebUtilsLike): Api {
  const api = createPreloadApi(ipcRenderer, webUtils);
  contextBridge.exposeInMainWorld('api', api);
  return api;
}

