// End to end, browser mode when its server stops: the page says "Connection to Bundle Studio
// lost" at once (the event stream ends), Retry says it is still gone, and a click meanwhile
// fails with that reason instead of hanging.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openApp, screenshot, type AppSession } from '../support/browser';
import { expectAccessible } from '../support/axe';

let work: string;
let app: AppSession | undefined;
let page: Page;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bundle-studio-e2e-connection-'));
  app = await openApp(work);
  page = app.page;
});

afterAll(async () => {
  await app?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('browser mode loses its server', () => {
  it('shows the start screen with no banner while the server runs', async () => {
    await page.getByText('browser mode').waitFor({ timeout: 20_000 });
    await screenshot(page, 'start-01-light');
    await expectAccessible(page, 'start-01-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'start-02-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await page.getByTestId('connection-lost').count()).toBe(0);
  });

  it('says the connection is lost when the server stops, and Retry says it still is', async () => {
    await app!.ui.stop();
    const banner = page.getByTestId('connection-lost');
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.textContent()).toContain('Connection to Bundle Studio lost');
    await screenshot(page, 'connection-01-lost-light');
    await expectAccessible(page, 'connection-01-lost-light');
    await banner.getByRole('button', { name: 'Retry' }).click();
    await banner.getByText(/Still no answer/).waitFor();
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'connection-02-still-lost-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('fails the next click with the reason instead of hanging', async () => {
    await page.getByText('Open service').first().click();
    await page.getByText(/Connection to Bundle Studio lost: its server has stopped/).first().waitFor({ timeout: 5_000 });
    await screenshot(page, 'connection-03-click-fails');
    await expectAccessible(page, 'connection-03-click-fails');
  });
});
