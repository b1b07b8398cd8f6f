// End-to-end tests drive Debian's Chromium (never a downloaded browser) against the real
// renderer build served by the real CLI (`aos-bundle ui`) on loopback.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (see .ci/run).`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface UiProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `aos-bundle ui --no-open` (or, with `open`, lets it open the browser through the
 * opener found on PATH) and waits for the URL it prints: the page URL with the session
 * token in its fragment (`/#token=...`).
 */
export async function startUi(options: { cwd: string; env?: NodeJS.ProcessEnv; open?: boolean }): Promise<UiProcess> {
  const bin = join(__dirname, '..', '..', 'bin', 'aos-bundle.js');
  const child = spawn(process.execPath, [bin, 'ui', ...(options.open ? [] : ['--no-open'])], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`aos-bundle ui did not print a URL: ${stderr}`)), 20_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/#token=\S+/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    child.once('exit', (code) => reject(new Error(`aos-bundle ui exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Drawers and modals slide in: lets finite animations and transitions settle (spinners run
 * forever and are left alone), so a picture or a check sees the screen a person would see.
 */
export async function settle(page: Page): Promise<void> {
  // Two frames first: a change just made (emulateMedia's colour scheme, a click) reaches React
  // and the styles in the next frame, and only then do its transitions exist to be waited for.
  // Without them a "dark" screenshot right after emulateMedia could show the light screen.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.evaluate(() =>
    Promise.race([
      Promise.all(
        document
          .getAnimations()
          .filter((a) => a.effect?.getTiming().iterations !== Infinity)
          .map((a) => a.finished.catch(() => undefined)),
      ),
      new Promise((resolve) => setTimeout(resolve, 1000)),
    ]),
  );
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await settle(page);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * The screen in the light and the dark theme (the app follows the system's): `<name>-light`
 * and `<name>-dark`, the page left light.
 */
export async function screenshotBothThemes(page: Page, name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await page.waitForFunction((t) => document.documentElement.getAttribute('data-mantine-color-scheme') === t, theme);
    await screenshot(page, `${name}-${theme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForFunction(() => document.documentElement.getAttribute('data-mantine-color-scheme') === 'light');
}

export interface AppSession {
  ui: UiProcess;
  browser: Browser;
  page: Page;
  /** Uncaught errors of the page, for a last test to assert there were none. */
  pageErrors: Error[];
  close(): Promise<void>;
}

/**
 * The app as a new user meets it: `aos-bundle ui` run in `work`, which is also its HOME (so
 * recent services and ~/.aos come from the test), and a fresh Chromium page on its URL.
 */
export async function openApp(work: string): Promise<AppSession> {
  const ui = await startUi({ cwd: work, env: { HOME: work, BUNDLE_STUDIO_CONFIG_DIR: join(work, '.config') } });
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await ui.stop();
  };
  try {
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const pageErrors: Error[] = [];
    page.on('pageerror', (err) => pageErrors.push(err));
    await page.goto(ui.url);
    return { ui, browser, page, pageErrors, close };
  } catch (err) {
    // No session to close later: the server must not outlive the failed setup.
    await close();
    throw err;
  }
}

/**
 * Picks a folder in the in-app folder browser (browser mode's stand-in for a native
 * dialog): types the path, waits until that folder is the one shown, then selects it.
 */
export async function pickFolderInBrowser(page: Page, folder: string): Promise<void> {
  const modal = page.getByRole('dialog').filter({ has: page.getByRole('button', { name: 'Select this folder' }) });
  await modal.waitFor();
  const path = modal.getByLabel('Path');
  await path.fill(folder);
  await path.press('Enter');
  await modal.getByText(folder, { exact: true }).first().waitFor();
  await modal.getByRole('button', { name: 'Select this folder' }).click();
  await modal.waitFor({ state: 'hidden' });
}

/** What a suite's tests use of the app it opened with `appForSuite`. */
export interface SuiteApp {
  work: string;
  page: Page;
  pageErrors: Error[];
}

/**
 * Opens the app for one describe-file: a temp folder (`prefix`), made ready by `prepare`,
 * then the app in it (`openApp`); both closed and removed after the last test. `assign`
 * hands the session to the file's variables before its first test.
 */
export function appForSuite(prefix: string, assign: (suite: SuiteApp) => void, prepare?: (work: string) => Promise<void>): void {
  let work: string | undefined;
  let app: AppSession | undefined;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), prefix));
    await prepare?.(work);
    app = await openApp(work);
    assign({ work, page: app.page, pageErrors: app.pageErrors });
  });
  afterAll(async () => {
    await app?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });
}

/** The New service wizard with its defaults: `name` under `parent`, opened in the service view. */
export async function createServiceInWizard(page: Page, parent: string, name: string, cmd: string): Promise<void> {
  await page.getByText('New service').first().click();
  await page.getByLabel('Parent folder').fill(parent);
  await page.getByLabel('Service name').fill(name);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Start command').fill(cmd);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Create service' }).click();
  await page.getByTestId('service-name').filter({ hasText: name }).waitFor();
}
