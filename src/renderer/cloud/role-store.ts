// What the cloud said of each certificate this window asked about (users/me), by credential
// file: the account card writes it, and the screens that showed an offline guess of the
// role from the file name (the signer card, the layer bundle wizard) show the cloud's role
// instead once it is known. Memory only: a new window asks again.
import { useSyncExternalStore } from 'react';
import type { WhoamiView } from '../../shared/contract';

const known = new Map<string, WhoamiView>();
const listeners = new Set<() => void>();
let version = 0;

export function rememberWhoami(me: WhoamiView): void {
  known.set(me.credentials, me);
  version += 1;
  for (const l of [...listeners]) l();
}

/** Forgets everything (tests; a new session). */
export function forgetWhoami(): void {
  known.clear();
  version += 1;
  for (const l of [...listeners]) l();
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => void listeners.delete(l);
};

/** The cloud's answer for this credential file, once asked in this window. */
export function useKnownWhoami(credentials: string | undefined): WhoamiView | undefined {
  useSyncExternalStore(subscribe, () => version);
  return credentials === undefined ? undefined : known.get(credentials);
}
