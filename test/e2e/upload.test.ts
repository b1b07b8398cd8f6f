// End to end, Upload as a service provider meets it: a fake cloud on loopback (HTTPS with a
// CA made here, client certificates required), the app's cloud setting pointing at it (URL
// and CA file, in the settings the server reads), a service whose meta/ holds a user
// certificate that cloud issued. Sign in the Sign drawer; Upload now while the cloud refuses
// (422 with several fields): every field message is listed; then, the cloud accepting (and
// reading slowly), Try again: the progress bar with bytes and rate, the states to done, and
// the cloud holds exactly the signed bytes, sent with jane's client certificate.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { makeService } from '../unit/bundle/service-fixture';
import { sha256File } from '../unit/cloud/bundles';
import { makeCloudPki, startFakeCloud, writeClientFiles, type FakeCloud } from '../support/fake-cloud';
import { openApp, pickFolderInBrowser, screenshot, settle, type AppSession } from '../support/browser';
import { expectAccessible } from '../support/axe';

let work: string;
let service: string;
let cloud: FakeCloud;
let app: AppSession | undefined;
let page: Page;
let pageErrors: Error[];

const MB = 1024 * 1024;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bundle-studio-e2e-upload-'));
  service = join(work, 'hello-upload');
  const pki = makeCloudPki();
  const client = await writeClientFiles(work, pki);
  // A few MB of random bytes: with the cloud reading slowly the bar is seen moving.
  const files: Record<string, string | Buffer> = { 'usr/bin/services/hello.py': 'print("hello")\n' };
  for (let i = 0; i < 3; i++) files[`var/data/blob-${i}.bin`] = randomBytes(2 * MB);
  await makeService(service, pki.user, [pki.ca], { files });
  cloud = await startFakeCloud(pki, { mode: 'reject', slowTickMs: 25 });
  // The app's cloud setting, as the Settings screen writes it.
  await mkdir(join(work, '.config'), { recursive: true });
  await writeFile(join(work, '.config', 'settings.json'), JSON.stringify({ cloud: { url: cloud.url, caFile: client.ca } }));
  app = await openApp(work);
  ({ page, pageErrors } = app);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await cloud?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const drawer = () => page.getByRole('dialog', { name: /Sign the service bundle/ });
const panel = () => drawer().getByTestId('upload-panel');

/** The same screen in the dark theme too (the picture; axe checks both itself). */
async function screenshots(name: string): Promise<void> {
  await panel().scrollIntoViewIfNeeded();
  await screenshot(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction(() => document.documentElement.getAttribute('data-mantine-color-scheme') === 'dark');
  await settle(page);
  await screenshot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForFunction(() => document.documentElement.getAttribute('data-mantine-color-scheme') === 'light');
}

describe('a service provider uploads a signed service from the UI', () => {
  let bundle: string;

  it('signs the service, and Upload now / Queue appear under the result with the cloud setting', async () => {
    await page.getByText('Open service').first().click();
    await pickFolderInBrowser(page, service);
    await page.getByTestId('service-name').filter({ hasText: 'hello-upload' }).waitFor();
    await page.getByTestId('open-sign').click();
    await drawer().getByTestId('signer-card').waitFor();
    await drawer().getByTestId('sign-build').click();
    const result = drawer().getByTestId('sign-result');
    await result.waitFor({ timeout: 60_000 });
    bundle = (await result.getByTestId('sign-result-path').innerText()).trim();
    expect(bundle).toBe(join(service, 'service.tar.gz'));
    await panel().waitFor();
    expect(await panel().getByTestId('upload-destination').innerText()).toContain(cloud.url);
    await panel().getByTestId('upload-now').waitFor();
    await panel().getByTestId('upload-queue').waitFor();
    await screenshots('upload-01-ready');
    await expectAccessible(page, 'upload-01-ready');
  }, 120_000);

  it('Queue: the app\'s automatic push takes it at once, and the panel follows the entry live to how it ended (refused: failed, with the cloud\'s words)', async () => {
    await panel().getByTestId('upload-queue').click();
    await panel().getByTestId('upload-queued').waitFor();
    const followed = panel().getByTestId('upload-followed');
    await followed.and(page.locator('[data-state=failed]')).waitFor({ timeout: 60_000 });
    const failure = await followed.getByTestId('upload-failure').innerText();
    expect(failure).toContain('HTTP 422');
    expect(failure).toContain('Version must be greater than 1.2.3');
    expect(await panel().getByTestId('upload-now').innerText()).toContain('Try again now');
    expect(cloud.received).toHaveLength(1);
    await screenshots('upload-01b-queued-failed');
    await expectAccessible(page, 'upload-01b-queued-failed');
  }, 120_000);

  it('a refused upload (422 with several fields) lists every field message', async () => {
    await panel().getByTestId('upload-now').click();
    const failure = panel().getByTestId('upload-failure');
    await failure.waitFor({ timeout: 60_000 });
    expect(await failure.innerText()).toContain('The cloud refused the upload (HTTP 422)');
    const fields = await failure.getByTestId('upload-failure-fields').getByRole('listitem').allInnerTexts();
    expect(fields.map((f) => f.trim())).toEqual([
      'version: Version must be greater than 1.2.3.',
      'service: Service is archived.',
      'service: Service quota is exhausted.',
      'file.config: quotas.mem is too small',
    ]);
    expect(cloud.received).toHaveLength(2);
    await screenshots('upload-02-rejected');
    await expectAccessible(page, 'upload-02-rejected');
  }, 120_000);

  it('Try again, the cloud accepting: progress with bytes and rate, the states to done, the signed bytes in the cloud', async () => {
    cloud.mode = 'slow';
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __upload: string[] }).__upload = seen;
      new MutationObserver(() => {
        const bytes = document.querySelector('[data-testid=upload-bytes]')?.textContent ?? '';
        const rate = document.querySelector('[data-testid=upload-rate]')?.textContent ?? '';
        const line = `${bytes} | ${rate}`;
        if (bytes && seen.at(-1) !== line) seen.push(line);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await panel().getByTestId('upload-now').click();
    const progress = panel().getByTestId('upload-progress');
    await progress.waitFor({ timeout: 30_000 });
    await panel()
      .getByTestId('upload-rate')
      .filter({ hasText: /MB\/s/ })
      .waitFor({ timeout: 20_000 })
      .then(() => screenshots('upload-03-progress'))
      .catch(() => undefined);
    // The cloud reads slowly: every byte is handed to the connection well before it answers.
    await panel()
      .getByTestId('upload-waiting')
      .waitFor({ timeout: 60_000 })
      .then(() => screenshots('upload-03b-waiting'))
      .catch(() => undefined);
    const done = panel().getByTestId('upload-done');
    await done.waitFor({ timeout: 90_000 });
    const seen = await page.evaluate(() => (window as unknown as { __upload: string[] }).__upload);
    expect(seen.some((s) => / of .*MiB \| [\d.]+ MB\/s/.test(s))).toBe(true);
    expect(await done.innerText()).toMatch(/Uploaded service .* version 1\.2\.3/);
    const states = await panel().getByTestId('upload-states').getByRole('listitem').evaluateAll((items) => items.map((li) => `${li.getAttribute('data-state')}:${li.getAttribute('data-status')}`));
    expect(states).toEqual(['uploading:reached', 'uploaded:reached', 'done:reached']);
    const last = cloud.received.at(-1)!;
    expect(last).toMatchObject({ stored: true, clientCn: 'jane', partName: 'file', filename: 'service.tar.gz', sha256: sha256File(bundle) });
    await screenshots('upload-04-done');
    await expectAccessible(page, 'upload-04-done');
  }, 180_000);

  it('left no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
