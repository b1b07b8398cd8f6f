// Where `window.api` comes from: the Electron preload sets it; in browser mode we build
// the HTTP bridge from the token in the page URL. Screens never know which one they have.
import type { Api } from '../../shared/contract';
import { createHttpBridge, takeTokenFromLocation } from './http-bridge';

declare global {
  interface Window {
    api?: Api;
  }
}

let cached: Api | null = null;

export function getApi(): Api {
  if (cached) return cached;
  if (window.api) return (cached = window.api);
  const token = takeTokenFromLocation() ?? '';
  cached = createHttpBridge({ token });
  return cached;
}
