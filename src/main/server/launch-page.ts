// Opening the user's browser on browser mode without putting a secret on a command line
// (any local user can read those in /proc or `ps`). The browser is started with the path of
// a small HTML page that redirects to the server with a one-time code; the page lives in a
// private temp folder (0700) and is readable by the user alone (0600). The code is dead once
// the page has traded it for the session token (or after a couple of minutes), and the file
// goes with it.
import { spawn as nodeSpawn, type SpawnOptions } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OneTimeCode } from './ui-server';

export interface LaunchPage {
  /** The 0600 HTML file to hand to the browser. */
  file: string;
  /** Removes the file and its folder (idempotent). */
  remove(): Promise<void>;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Writes the redirect page for `url` into a fresh private temp folder. */
export async function writeLaunchPage(url: string, parent = tmpdir()): Promise<LaunchPage> {
  const dir = await mkdtemp(join(parent, 'bundle-studio-open-')); // mode 0700
  const file = join(dir, 'open.html');
  const href = escapeAttr(url);
  const html = [
    '<!doctype html>',
    '<meta charset="utf-8">',
    '<meta name="referrer" content="no-referrer">',
    `<meta http-equiv="refresh" content="0;url=${href}">`,
    '<title>Bundle Studio</title>',
    `<p>Opening Bundle Studio… <a href="${href}">continue</a></p>`,
    '',
  ].join('\n');
  try {
    await writeFile(file, html, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  let removed: Promise<void> | undefined;
  return { file, remove: () => (removed ??= rm(dir, { recursive: true, force: true })) };
}

export type SpawnLike = (command: string, args: string[], options: SpawnOptions) => { on(event: 'error', listener: (err: Error) => void): unknown; unref(): void };

/** The command that opens a file with the user's default handler (the browser, for .html). */
export function openerFor(target: string, platform: NodeJS.Platform = process.platform): [string, string[]] {
  if (platform === 'darwin') return ['open', [target]];
  if (platform === 'win32') return ['cmd', ['/c', 'start', '', target]];
  return ['xdg-open', [target]];
}

export interface OpenBrowserOptions {
  spawn?: SpawnLike;
  platform?: NodeJS.Platform;
  tmpDir?: string;
}

/**
 * Opens the user's browser on the server through a one-time code: only the path of the
 * private launch page appears on the opener's command line. The page is removed once the
 * code is spent (redeemed, expired, or the server stopped). Resolves with the page.
 */
export async function openBrowserWithCode(server: { issueCode(): OneTimeCode }, options: OpenBrowserOptions = {}): Promise<LaunchPage> {
  const once = server.issueCode();
  const page = await writeLaunchPage(once.url, options.tmpDir);
  void once.spent.then(() => page.remove());
  const [cmd, args] = openerFor(page.file, options.platform);
  try {
    const child = (options.spawn ?? (nodeSpawn as SpawnLike))(cmd, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser to open: the printed URL is enough.
  }
  return page;
}
