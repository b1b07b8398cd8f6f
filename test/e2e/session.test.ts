// End to end, how browser mode starts (issue 7 §3): `aos-bundle ui` opens the browser with
// nothing secret on the opener's command line (a fake xdg-open on PATH records it), the page
// it hands over trades a one-time code for the session, a reload keeps the session, and the
// same code does not work twice.
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshot, startUi, type UiProcess } from '../support/browser';
import { eventually } from '../support/eventually';

let work: string;
let ui: UiProcess | undefined;
let browser: Browser | undefined;
let record: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bundle-studio-session-e2e-'));
  const bin = join(work, 'bin');
  await mkdir(bin);
  record = join(work, 'opener-args.txt');
  // Stands in for the desktop's opener: records its arguments, opens nothing.
  await writeFile(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${record}"\n`);
  await chmod(join(bin, 'xdg-open'), 0o755);
  ui = await startUi({ cwd: work, open: true, env: { HOME: work, BUNDLE_STUDIO_CONFIG_DIR: join(work, '.config'), PATH: `${bin}:${process.env.PATH ?? ''}` } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await ui?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('browser mode session', () => {
  let launchFile: string;
  let code: string;
  let token: string;

  it('opens the browser with only the path of a private page on the command line', async () => {
    token = new URL(ui!.url).hash.replace('#token=', '');
    expect(token.length).toBeGreaterThanOrEqual(32);
    await eventually(async () => expect(existsSync(record)).toBe(true));
    const args = (await readFile(record, 'utf8')).trim().split('\n');
    expect(args).toHaveLength(1);
    launchFile = args[0];
    expect(launchFile).not.toContain(token);
    expect(launchFile).not.toMatch(/code=|token=|127\.0\.0\.1/);
    expect((await stat(launchFile)).mode & 0o777).toBe(0o600);
    const html = await readFile(launchFile, 'utf8');
    expect(html).not.toContain(token);
    code = /#code=([\w-]+)/.exec(html)![1];
  });

  it('trades the one-time code for the session: the app works, the URL holds neither code nor token', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(pathToFileURL(launchFile).href);
    await page.getByText('browser mode').waitFor({ timeout: 20_000 });
    expect(page.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await page.evaluate(() => sessionStorage.getItem('bundle-studio.token'))).toBe(token);
    // The page is gone once its code is spent.
    await eventually(async () => expect(existsSync(launchFile)).toBe(false));
    await screenshot(page, 'session-01-after-code');

    // F5 keeps the session.
    await page.reload();
    await page.getByText('browser mode').waitFor({ timeout: 20_000 });
    await context.close();
  });

  it('refuses the same code a second time', async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    const port = new URL(ui!.url).port;
    await page.goto(`http://127.0.0.1:${port}/#code=${code}`);
    await page.getByText('New service').first().waitFor({ timeout: 20_000 });
    expect(await page.evaluate(() => sessionStorage.getItem('bundle-studio.token'))).toBeNull();
    const status = await page.evaluate(async (c) => (await fetch('/api/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code: c }) })).status, code);
    expect(status).toBe(401);
    expect(await page.getByText('browser mode').count()).toBe(0);
    await context.close();
  });
});
