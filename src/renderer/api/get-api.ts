// Where `window.api` comes from: the Electron preload sets it; in browser mode we build
// the HTTP bridge once the page has its session token (session.ts). Screens never know
// which one they have.
import type { Api } from '../../shared/contract';
import { createHttpBridge } from './http-bridge';
import { establishSession } from './session';

declare global {
  interface Window {
    api?: Api;
  }
}

let cached: Promise<Api> | null = null;

export function getApi(): Promise<Api> {
  if (cached) return cached;
  if (window.api) return (cached = Promise.resolve(window.api));
  cached = establishSession().then((token) => createHttpBridge({ token: token ?? '' }));
  return cached;
}
