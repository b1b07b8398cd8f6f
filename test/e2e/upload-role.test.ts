// End to end, a service provider's certificate meets a layer bundle (an OEM's upload): the
// fake cloud tells jane's certificate the role "service provider" and answers its layer
// bundle upload 403, as the cloud does (deployment-bundle.md §5). Before the role is known,
// Upload now goes out and the panel says, in plain words, that the certificate was recognised
// but its role may not upload this, which certificate to use instead, and that the outbox
// entry is failed (a 403 is not tried again). Check account then asks users/me: the role
// shows, and the panel no longer offers the upload, the reason beside its badge. Retried
// (queued again) with the same certificate, the Outbox's Push now does not send it again: its
// card says why. Each screen in light and dark, checked by axe.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { BATCH_CONFIG, makeBatchBundle } from '../unit/bundle/batch-fixture';
import { makeCloudPki, startFakeCloud, writeClientFiles, type FakeCloud } from '../support/fake-cloud';
import { appForSuite, pickFolderInBrowser, screenshotBothThemes } from '../support/browser';
import { expectAccessible } from '../support/axe';
import { eventually } from '../support/eventually';
import { Outbox } from '../../src/main/core/outbox';

const LAYER_CONFIG = BATCH_CONFIG.slice(0, BATCH_CONFIG.indexOf('  - identity:\n      type: service'));

let page: Page;
let pageErrors: Error[];
let work: string;
let cloud: FakeCloud | undefined;
let bundleDir: string;

appForSuite(
  'bundle-studio-e2e-upload-role-',
  (s) => ({ page, pageErrors, work } = s),
  async (dir) => {
    const pki = makeCloudPki();
    const client = await writeClientFiles(dir, pki);
    bundleDir = join(dir, 'pylibs-bundle');
    await makeBatchBundle(bundleDir, pki.user, [pki.ca], { config: LAYER_CONFIG });
    cloud = await startFakeCloud(pki, { roles: { jane: 'service provider' } });
    await mkdir(join(dir, '.config'), { recursive: true });
    await writeFile(join(dir, '.config', 'settings.json'), JSON.stringify({ cloud: { url: cloud.url, caFile: client.ca } }));
  },
);

afterAll(async () => {
  await cloud?.stop();
});

const drawer = () => page.getByRole('dialog', { name: /Sign the layer bundle/ });
const panel = () => drawer().getByTestId('upload-panel');

async function shots(name: string): Promise<void> {
  await panel().scrollIntoViewIfNeeded();
  await screenshotBothThemes(page, name);
  await expectAccessible(page, name);
}

describe('a service provider\u2019s certificate and a layer bundle', () => {
  it('signs; Upload now, the role not yet known, meets the cloud\u2019s 403: explained in plain words, the entry failed, not tried again', async () => {
    await page.getByText('Open service or layer bundle').first().click();
    await pickFolderInBrowser(page, bundleDir);
    await eventually(async () => expect(await page.getByTestId('bundle-name').textContent()).toBe('pylibs-bundle'));
    await page.getByTestId('open-sign').click();
    await drawer().getByTestId('signer-card').waitFor();
    await drawer().getByTestId('sign-build').click();
    await drawer().getByTestId('sign-result').waitFor({ timeout: 60_000 });
    await panel().getByTestId('upload-now').click();
    const failure = panel().getByTestId('upload-failure');
    await failure.waitFor({ timeout: 60_000 });
    const text = await failure.innerText();
    expect(text).toContain('Your role may not upload this (HTTP 403)');
    expect(text).toContain('The cloud recognised your certificate but your role may not do this');
    expect(text).toContain('You do not have permission to perform this action');
    expect(text).toContain('Only OEM users upload layers and components (their certificate is normally aos-user-oem.p12)');
    // The cloud's one message is said once, in the sentence: no list repeating it.
    expect(await failure.getByTestId('upload-failure-fields').count()).toBe(0);
    expect(text).toMatch(/Outbox entry [0-9a-f]{16} is marked failed/);
    expect(await failure.getAttribute('data-code')).toBe('unauthorized');
    expect(cloud!.refused).toEqual([{ route: 'deployment-bundle', clientCn: 'jane', role: 'service provider' }]);
    expect(cloud!.requests.filter((r) => r.startsWith('POST '))).toHaveLength(1);
    await shots('upload-role-01-refused');
  }, 120_000);

  it('Check account: the cloud says "service provider", and the panel no longer offers the upload, saying why', async () => {
    const account = drawer().getByTestId('account-card');
    await account.getByRole('button', { name: 'Check account' }).click();
    await account.getByTestId('account-role').filter({ hasText: 'Service provider' }).waitFor({ timeout: 30_000 });
    const again = panel().getByTestId('upload-now');
    await eventually(async () => expect(await again.isDisabled()).toBe(true));
    const reason = await panel().getByTestId('role-reason').innerText();
    expect(reason).toMatch(/Layer and component bundles are uploaded by OEM users, and the cloud says this certificate is Service provider .*will refuse it/);
    // Try again is not offered, so the failure no longer speaks of it.
    expect(await panel().getByTestId('upload-failure').innerText()).not.toContain('Try again');
    await shots('upload-role-02-gated');
  }, 120_000);

  it('retried with the same certificate, the Outbox\u2019s Push now does not send it again: its card says why', async () => {
    // As `aos-bundle outbox retry ID` does: queued again, nothing else changed.
    const outbox = new Outbox(join(work, '.config', 'outbox'));
    const [entry] = await outbox.list();
    await outbox.retry(entry.id);
    await page.keyboard.press('Escape');
    await drawer().waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Close bundle' }).click();
    await page.getByRole('button', { name: /Outbox/ }).click();
    await page.getByRole('heading', { name: 'Outbox' }).waitFor();
    const card = page.getByTestId('outbox-entry');
    await card.getByTestId('entry-state').filter({ hasText: 'queued' }).waitFor();
    // Its own Push is not offered (the role is known), Push now is (something waits).
    expect(await card.getByRole('button', { name: 'Push', exact: true }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Push now' }).click();
    const skipped = card.getByTestId('entry-skipped');
    await skipped.waitFor({ timeout: 30_000 });
    const text = await skipped.innerText();
    expect(text).toContain('Skipped by Push now');
    expect(text).toMatch(/Not sent: the cloud refused this certificate's role for this upload \(HTTP 403\) on \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(text).toContain('so it would refuse it again');
    expect(cloud!.requests.filter((r) => r.startsWith('POST '))).toHaveLength(1);
    expect((await outbox.get(entry.id)).state).toBe('queued');
    await page.mouse.move(0, 0);
    await skipped.scrollIntoViewIfNeeded();
    await screenshotBothThemes(page, 'upload-role-03-outbox-skipped');
    await expectAccessible(page, 'upload-role-03-outbox-skipped');
    // The note's colours in the dark theme too.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction(() => document.documentElement.getAttribute('data-mantine-color-scheme') === 'dark');
    await expectAccessible(page, 'upload-role-03-outbox-skipped-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  }, 120_000);

  it('left no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
