// End to end, the Sign step as a service provider uses it: open a service (with a test
// PKCS#12 in meta/, made at test time) through the in-app folder browser, open Sign, see
// whose certificate signs, build with the progress bar showing, read the digests, verify
// it in the app, and check the file on disk with the core's own verifier.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { verifyBundle } from '../../src/main/core/bundle';
import { CA_SUBJECT, makeCert, makeTestPki } from '../unit/credentials/pki-fixtures';
import { makeService } from '../unit/bundle/service-fixture';
import { openApp, pickFolderInBrowser, screenshot, type AppSession } from '../support/browser';
import { expectAccessible } from '../support/axe';

let work: string;
let service: string;
let app: AppSession | undefined;
let page: Page;
let pageErrors: Error[];

const MB = 1024 * 1024;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bundle-studio-e2e-sign-'));
  service = join(work, 'hello-sign');
  const { ca, user } = makeTestPki();
  // Big enough (about 40 MB of random bytes in several files) that signing takes long
  // enough for the progress bar to be seen.
  const files: Record<string, string | Buffer> = {
    'usr/bin/services/hello.py': 'print("hello")\n',
    'etc/hello.cfg': 'greeting=hi\n',
  };
  for (let i = 0; i < 8; i++) files[`var/data/blob-${i}.bin`] = randomBytes(5 * MB);
  await makeService(service, user, [ca], { files });
  // Someone else's certificate from the same CA: the signature must not check out with it.
  const other = makeCert({ subject: [{ shortName: 'CN', value: 'mallory' }], issuer: CA_SUBJECT, issuerKey: ca.key, serialHex: '0BADC0DE' });
  await writeFile(join(work, 'mallory.pem'), other.certPem);
  app = await openApp(work);
  ({ page, pageErrors } = app);
});

afterAll(async () => {
  await app?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const drawer = () => page.getByRole('dialog', { name: /Sign the service bundle/ });

describe('a service provider signs a service from the UI', () => {
  it('opens the service through the in-app folder browser', async () => {
    await page.getByText('Open service').first().click();
    await pickFolderInBrowser(page, service);
    await page.getByTestId('service-name').filter({ hasText: 'hello-sign' }).waitFor();
    expect(await page.getByTestId('service-name').textContent()).toBe('hello-sign');
    await screenshot(page, 'sign-01-service');
    await expectAccessible(page, 'sign-01-service');
  });

  it('shows whose certificate will sign', async () => {
    await page.getByTestId('open-sign').click();
    const card = drawer().getByTestId('signer-card');
    await card.waitFor();
    const text = await card.innerText();
    expect(text).toContain('jane');
    expect(text).toContain('aoscloud.io');
    expect(text).toContain('Acme Services');
    expect(text).toContain('jane@example.com');
    expect(text).toContain('Test SP Issuing CA');
    expect(await card.getByTestId('certificate-status').innerText()).toMatch(/valid/i);
    expect(await card.getByTestId('role-guess').innerText()).toContain('guessed from the file name');
    await screenshot(page, 'sign-02-certificate');
    await expectAccessible(page, 'sign-02-certificate');
  });

  it('builds with a visible progress bar and shows the digests', async () => {
    // Record every state of the progress panel the page shows, however briefly.
    await page.evaluate(() => {
      const seen: { files: string; bytes: string; phase: string }[] = [];
      (window as unknown as { __signProgress: typeof seen }).__signProgress = seen;
      const observer = new MutationObserver(() => {
        const panel = document.querySelector('[data-testid=sign-progress]');
        if (!panel) return;
        const text = (id: string) => panel.querySelector(`[data-testid=${id}]`)?.textContent ?? '';
        const entry = { files: text('sign-files'), bytes: text('sign-bytes'), phase: text('sign-phase') };
        const last = seen[seen.length - 1];
        if (!last || last.files !== entry.files || last.bytes !== entry.bytes || last.phase !== entry.phase) seen.push(entry);
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await drawer().getByTestId('sign-build').click();
    const progress = drawer().getByTestId('sign-progress');
    await progress.waitFor({ state: 'visible', timeout: 10_000 });
    // Try to catch it with bytes counted for the screenshot; it may finish first.
    await drawer()
      .getByTestId('sign-bytes')
      .filter({ hasText: / of / })
      .waitFor({ timeout: 3000 })
      .then(() => screenshot(page, 'sign-03-progress'))
      .catch(() => undefined);

    const result = drawer().getByTestId('sign-result');
    await result.waitFor({ timeout: 60_000 });
    const seen = await page.evaluate(() => (window as unknown as { __signProgress: { files: string; bytes: string; phase: string }[] }).__signProgress);
    expect(seen.length).toBeGreaterThan(0);
    // Progress with real numbers was on screen at least once.
    expect(seen.some((s) => /^\d+ of 10$/.test(s.files) && / of /.test(s.bytes))).toBe(true);

    const path = (await result.getByTestId('sign-result-path').innerText()).trim();
    const sha256 = (await result.getByTestId('sign-result-sha256').innerText()).trim();
    const sha3 = (await result.getByTestId('sign-result-sha3').innerText()).trim();
    expect(path).toBe(join(service, 'service.tar.gz'));
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(sha3).toMatch(/^[0-9a-f]{128}$/);
    expect(await sha256Of(path)).toBe(sha256);
    expect((await stat(path)).size).toBeGreaterThan(40 * MB);
    await result.scrollIntoViewIfNeeded();
    await screenshot(page, 'sign-04-result');
    await expectAccessible(page, 'sign-04-result');

    // Browser mode: the folder's path instead of a file manager.
    await result.getByRole('button', { name: 'Show in folder' }).click();
    expect(await result.getByTestId('folder-fallback').innerText()).toContain(service);

    const report = await verifyBundle(path, { cert: join(service, 'meta', 'aos-user-sp.p12') });
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.signatureChecked).toBe(true);
  });

  it('verifies the new bundle in the app', async () => {
    await drawer().getByRole('button', { name: 'Verify this bundle' }).click();
    const modal = page.getByRole('dialog', { name: /Verify a bundle/ });
    const verdict = modal.getByTestId('verify-verdict');
    await verdict.waitFor({ timeout: 30_000 });
    expect(await verdict.getAttribute('data-ok')).toBe('true');
    expect(await verdict.innerText()).toContain('signature was checked');
    expect(await modal.getByTestId('verify-service-summary').innerText()).toContain('11 files'); // config.yaml and the 10 files of src/
    await screenshot(page, 'sign-05-verify');
    await expectAccessible(page, 'sign-05-verify');
    await modal.getByTestId('verify-members').scrollIntoViewIfNeeded();
    await screenshot(page, 'sign-05b-verify-contents');
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'hidden' });
  });

  it('verifies any bundle from the start screen, and names what fails', async () => {
    await page.getByRole('button', { name: 'Close service' }).click();
    await page.getByText('Verify bundle').first().waitFor();
    await screenshot(page, 'sign-06-start');
    await expectAccessible(page, 'sign-06-start');
    await page.getByText('Verify bundle').first().click();
    const modal = page.getByRole('dialog', { name: /Verify a bundle/ });
    await modal.getByLabel(/^Bundle/).fill(join(service, 'service.tar.gz'));
    await modal.getByLabel(/Signer's certificate/).fill(join(work, 'mallory.pem'));
    await modal.getByRole('button', { name: 'Verify' }).click();
    const verdict = modal.getByTestId('verify-verdict');
    await verdict.waitFor({ timeout: 30_000 });
    expect(await verdict.getAttribute('data-ok')).toBe('false');
    const failures = await modal.getByTestId('verify-failures').innerText();
    expect(failures).toContain('package.sign');
    await screenshot(page, 'sign-07-verify-failing');
    await expectAccessible(page, 'sign-07-verify-failing');
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'hidden' });
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
