// Browser mode's session: how the page gets the per-run token without the token ever being
// on a command line. Opened by `aos-bundle ui`, the page carries a one-time code (#code=…)
// that it trades once for the token (POST /api/session); opened from the URL printed in the
// terminal, it carries the token itself (#token=…; ?token= is still understood). Either is
// removed from the address bar at once. The token is kept in sessionStorage, so a reload
// keeps the session and closing the tab ends it.

export const TOKEN_KEY = 'bundle-studio.token';

/** Reads `code` and `token` from the page URL (fragment or query) and removes them from it and from history. */
export function takeSecretsFromLocation(win: Window = window): { token?: string; code?: string } {
  const url = new URL(win.location.href);
  const hash = new URLSearchParams(url.hash.replace(/^#/, ''));
  const found: { token?: string; code?: string } = {};
  let inHash = false;
  let inQuery = false;
  for (const name of ['token', 'code'] as const) {
    const value = hash.get(name) ?? url.searchParams.get(name);
    if (hash.has(name)) {
      hash.delete(name);
      inHash = true;
    }
    if (url.searchParams.has(name)) {
      url.searchParams.delete(name);
      inQuery = true;
    }
    if (value !== null) found[name] = value;
  }
  if (inHash || inQuery) {
    const rest = inHash ? (hash.toString() ? `#${hash.toString()}` : '') : url.hash;
    // Out of the address bar, bookmarks and screenshots (and out of this history entry).
    win.history.replaceState(win.history.state, '', url.pathname + url.search + rest);
  }
  return found;
}

function storage(win: Window): Storage | null {
  try {
    return win.sessionStorage;
  } catch {
    return null; // storage disabled: the session lasts as long as the page
  }
}

export interface SessionOptions {
  win?: Window;
  fetch?: typeof fetch;
  baseUrl?: string;
}

/** The session token for this tab, or null when there is none (the API then answers 401). */
export async function establishSession(options: SessionOptions = {}): Promise<string | null> {
  const win = options.win ?? window;
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const store = storage(win);
  const { token, code } = takeSecretsFromLocation(win);
  let found = token ?? null;
  if (found === null && code !== undefined) found = await redeem(doFetch, options.baseUrl ?? '', code);
  if (found !== null) {
    store?.setItem(TOKEN_KEY, found);
    return found;
  }
  return store?.getItem(TOKEN_KEY) ?? null;
}

async function redeem(doFetch: typeof fetch, base: string, code: string): Promise<string | null> {
  try {
    const response = await doFetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code }),
      cache: 'no-store',
    });
    const body = (await response.json()) as { ok?: unknown; value?: { token?: unknown } };
    return body?.ok === true && typeof body.value?.token === 'string' ? body.value.token : null;
  } catch {
    return null;
  }
}
