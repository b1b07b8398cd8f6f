// End to end, issue 11's app side against the fake cloud (HTTPS with a CA made here, client
// certificates required): Cloud settings (URL and CA file), the Outbox with a queued signed
// bundle pushed to done with Push now, and the account card asking users/me for the role.
// Screens in light and dark, checked by axe.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { Outbox, uploadBundleFile } from '../../src/main/core/outbox';
import { makeCloudPki, startFakeCloud, writeClientFiles, type FakeCloud } from '../support/fake-cloud';
import { openApp, screenshot, type AppSession } from '../support/browser';
import { expectAccessible } from '../support/axe';
import { SERVICE_UID, signedServiceBundle } from '../unit/cloud/bundles';

let work: string;
let app: AppSession | undefined;
let page: Page;
let cloud: FakeCloud;
let files: Awaited<ReturnType<typeof writeClientFiles>>;
let bundle: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bundle-studio-e2e-outbox-'));
  const pki = makeCloudPki();
  files = await writeClientFiles(work, pki);
  bundle = await signedServiceBundle(join(work, 'hello'), pki);
  cloud = await startFakeCloud(pki);
  app = await openApp(work);
  page = app.page;
}, 180_000);

afterAll(async () => {
  await app?.close();
  await cloud?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const both = async (name: string) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await screenshot(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
  await expectAccessible(page, name);
};

describe('outbox and account', () => {
  it('saves the cloud URL and CA file in Cloud settings; refuses an http URL as it is typed', async () => {
    await page.getByRole('button', { name: 'Cloud settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cloud settings' });
    await dialog.getByLabel('Cloud URL').fill('http://127.0.0.1:1');
    await dialog.getByText('The cloud is reached over https:// (mutual TLS).').waitFor();
    await dialog.getByLabel('Cloud URL').fill(cloud.url);
    await dialog.getByLabel(/Certificate authority/).fill(files.ca);
    await both('cloud-01-settings');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('shows a queued bundle in the Outbox and pushes it to done with Push now', async () => {
    // Signed and queued (as the sign step's Queue does), while the app runs.
    const outbox = new Outbox(join(work, '.config', 'outbox'));
    await uploadBundleFile({ outbox, file: bundle, configDir: join(work, 'hello', 'meta'), homeDir: work, queueOnly: true, connect: () => Promise.reject(new Error('queue only')) });
    await page.getByRole('button', { name: /Outbox/ }).click();
    await page.getByRole('heading', { name: 'Outbox' }).waitFor();
    const card = page.getByTestId('outbox-entry');
    await card.getByText('queued', { exact: true }).waitFor();
    await both('cloud-02-outbox-queued');
    await page.getByRole('button', { name: 'Push now' }).click();
    await card.getByText('done', { exact: true }).waitFor({ timeout: 30_000 });
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(1);
    await card.getByRole('button', { name: /History/ }).click();
    await page.mouse.move(0, 0);
    await card.getByTestId('entry-history').getByText(/Done: a v1 service version has no processing step/).waitFor();
    await both('cloud-03-outbox-done');
  });

  it('the account card asks users/me and shows user, role and domain', async () => {
    await page.getByLabel('Certificate to check').fill(files.p12);
    await page.getByRole('button', { name: 'Check account' }).click();
    const known = page.getByTestId('account-known');
    await known.waitFor();
    expect(await known.textContent()).toMatch(/jane.*jane@example\.com.*Service provider.*Domain 127\.0\.0\.1/);
    expect(await page.getByTestId('account-role').textContent()).toBe('Service provider');
    await both('cloud-04-account');
  });

  it('the page raised no errors', () => {
    expect(app?.pageErrors ?? []).toEqual([]);
  });
});
