// End to end, as an OEM engineer new to the app would: the real renderer build in Debian's
// Chromium against the real `aos-bundle ui`. Turn two layer images (one per architecture,
// made here) into a layer bundle with the wizard, see the checker's diagnostic for an
// architecture written as x86_64 and fix it in the form, save, sign batch.tar.gz, and
// verify it from the start screen. Every new screen is photographed in light and dark.
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { create as createTar } from 'tar';
import { checkDeploymentConfig } from '../../src/shared/deployment-config';
import { makeTestPki, p12 } from '../unit/credentials/pki-fixtures';
import { expectAccessible } from '../support/axe';
import { openApp, pickFolderInBrowser, screenshot, type AppSession } from '../support/browser';
import { eventually } from '../support/eventually';

let work: string;
let images: string;
let bundle: string;
let app: AppSession | undefined;
let page: Page;
let pageErrors: Error[];

/** A small layer image: a gzip'd tar of a few files, as the platform's layer tools make them. */
async function makeLayerImage(file: string, arch: string): Promise<void> {
  const content = join(work, `content-${arch}`);
  await mkdir(join(content, 'usr', 'lib', 'python3', 'site-packages', 'pylibs'), { recursive: true });
  await writeFile(join(content, 'usr', 'lib', 'python3', 'site-packages', 'pylibs', '__init__.py'), `ARCH = "${arch}"\n`);
  await writeFile(join(content, 'usr', 'lib', 'python3', 'site-packages', 'pylibs', 'util.py'), 'def hello():\n    return "hi"\n');
  await createTar({ gzip: true, file, cwd: content, portable: true }, ['usr']);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bundle-studio-e2e-layers-'));
  images = join(work, 'images');
  bundle = join(work, 'pylibs-bundle');
  await mkdir(images);
  await makeLayerImage(join(images, 'linux-amd64-1.0.0.tar.gz'), 'amd64');
  await makeLayerImage(join(images, 'linux-arm64-1.0.0.tar.gz'), 'arm64');
  // The OEM user's certificate where the platform's tools keep it (HOME is `work`).
  const { ca, user } = makeTestPki();
  await mkdir(join(work, '.aos', 'security'), { recursive: true });
  await writeFile(join(work, '.aos', 'security', 'aos-user-oem.p12'), p12(user, [ca.cert], ''));
  app = await openApp(work);
  ({ page, pageErrors } = app);
});

afterAll(async () => {
  await app?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** The same screen in the light and the dark theme (the app follows the system's), checked by axe in both. */
async function shots(name: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await screenshot(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
  await expectAccessible(page, name);
}

/** Picks a file in the in-app browser (browser mode's stand-in for a native dialog). */
async function pickFileInBrowser(folder: string, name: string): Promise<void> {
  const modal = page.getByRole('dialog').filter({ has: page.getByRole('button', { name: 'Select file' }) });
  await modal.waitFor();
  const path = modal.getByLabel('Path');
  // The start folder's listing first (it fills the field), so that it cannot answer after the typed one.
  await eventually(async () => expect(await path.inputValue()).not.toBe(''));
  await path.fill(folder);
  await path.press('Enter');
  await modal.getByText(name, { exact: true }).click();
  await modal.getByRole('button', { name: 'Select file' }).click();
  await modal.waitFor({ state: 'hidden' });
}

const next = () => page.getByRole('button', { name: 'Next' }).click();
const diagnostics = () => page.getByTestId('diagnostics').getByTestId('diagnostic');

describe('an OEM engineer turns two layer images into a signed layer bundle', () => {
  it('finds New layer bundle on the start screen', async () => {
    await page.getByText('New layer bundle').first().waitFor();
    await shots('layers-01-start');
  });

  it('walks through the wizard', async () => {
    await page.getByText('New layer bundle').first().click();
    await page.getByLabel('Parent folder').fill(work);
    await page.getByLabel('Bundle folder name').fill('pylibs-bundle');
    expect(await page.getByTestId('target-dir').textContent()).toBe(bundle);
    await shots('layers-02-wizard-folder');
    await next();

    await page.getByLabel('Codename').fill('pylibs');
    await page.getByLabel('Title').fill('Python libraries');
    await page.getByLabel('Version').fill('1.0.0');
    await shots('layers-03-wizard-item');
    await next();

    for (const name of ['linux-amd64-1.0.0.tar.gz', 'linux-arm64-1.0.0.tar.gz']) {
      await page.getByRole('button', { name: 'Add image file…' }).click();
      await pickFileInBrowser(images, name);
    }
    const rows = page.getByTestId('image-row');
    await eventually(async () => expect(await rows.count()).toBe(2));
    // Prefilled from the file names, and editable.
    expect(await page.getByLabel('Architecture of image 1').inputValue()).toBe('amd64');
    expect(await page.getByLabel('Architecture of image 2').inputValue()).toBe('arm64');
    expect(await page.getByLabel('OS of image 1').inputValue()).toBe('linux');
    // The engineer writes the architecture as their build system names it.
    await page.getByLabel('Architecture of image 1').fill('x86_64');
    await page.keyboard.press('Escape');
    await shots('layers-04-wizard-images');
    await next();

    await page.getByRole('button', { name: 'Add dependency' }).click();
    await page.getByLabel('Codename of dependency 1').fill('base-python');
    await page.getByLabel('Minimum version').fill('1.0.0');
    await page.getByLabel('Maximum version').fill('2.0.0');
    await eventually(async () => expect(await page.getByTestId('layer-range-words').textContent()).toBe('1.0.0 ≤ v < 2.0.0'));
    await shots('layers-05-wizard-dependencies');
    await next();

    // The default certificate in ~/.aos/security/ shows whose it is.
    await page.getByTestId('certificate-summary').waitFor();
    expect(await page.getByTestId('certificate-summary').innerText()).toContain('OEM');
    await shots('layers-06-wizard-certificate');
    await next();

    // The review runs the checker on the config it will write: the bad name shows here already.
    const check = page.getByTestId('review-check');
    await check.waitFor();
    expect(await check.innerText()).toMatch(/x86_64.*amd64/s);
    await shots('layers-07-wizard-review');
    await page.getByRole('button', { name: 'Create bundle' }).click();

    await eventually(async () => expect(await page.getByTestId('bundle-name').textContent()).toBe('pylibs-bundle'));
    const text = await readFile(join(bundle, 'config.yaml'), 'utf8');
    expect(text).toMatch(/schemaVersion: 2/);
    expect(text).toContain('codename: pylibs');
    expect((await stat(join(bundle, 'pylibs', 'linux-amd64-1.0.0.tar.gz'))).isFile()).toBe(true);
    expect((await stat(join(bundle, 'pylibs', 'linux-arm64-1.0.0.tar.gz'))).isFile()).toBe(true);
  });

  it('shows the diagnostic for x86_64, jumps to its line, and clears it when fixed in the form', async () => {
    const bad = diagnostics().filter({ hasText: 'x86_64' });
    await eventually(async () => expect(await bad.count()).toBe(1));
    expect(await bad.innerText()).toContain('amd64');
    expect(await bad.getAttribute('data-severity')).toBe('error');
    await shots('layers-08-view-diagnostic');

    await bad.click();
    await page.getByTestId('yaml-editor').waitFor();
    await shots('layers-09-view-yaml');

    await page.getByRole('tab', { name: 'Item' }).click();
    const arch = page.locator('[data-path="items[0].images[0].archInfo.architecture"]');
    await arch.click();
    await page.getByRole('option', { name: 'amd64', exact: true }).click();
    await eventually(async () => expect(await diagnostics().filter({ hasText: 'x86_64' }).count()).toBe(0));
    await shots('layers-10-view-item-form');
  });

  it('saves, keeping the comments, and lists what goes in', async () => {
    const before = await readFile(join(bundle, 'config.yaml'), 'utf8');
    await page.keyboard.press('Control+s');
    await eventually(async () => expect(await page.getByTestId('dirty-indicator').count()).toBe(0));
    const after = await readFile(join(bundle, 'config.yaml'), 'utf8');
    const comments = (text: string) => text.split('\n').filter((l) => l.trim().startsWith('#'));
    expect(comments(after)).toEqual(comments(before));
    const errors = checkDeploymentConfig(after).diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toEqual([]);

    await page.getByRole('tab', { name: 'What goes in' }).click();
    const packed = page.getByTestId('packed-file');
    await eventually(async () => expect(await packed.count()).toBe(3));
    const listed = await page.getByTestId('what-goes-in').innerText();
    expect(listed).toContain('pylibs/linux-amd64-1.0.0.tar.gz');
    expect(listed).toContain('config.yaml');
    await shots('layers-11-view-what-goes-in');
  });

  it('previews each image\'s descriptor (digest, diff_id, platform) in the Preview tab', async () => {
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByRole('button', { name: 'Compute descriptors' }).click();
    const table = page.getByRole('table', { name: 'Descriptor of pylibs/linux-amd64-1.0.0.tar.gz' });
    await table.waitFor({ timeout: 30_000 });
    const text = await table.innerText();
    expect(text).toMatch(/sha256:[0-9a-f]{64}/);
    expect(text).toContain('diff_id');
    expect(text).toContain('amd64 linux');
    await page.mouse.move(0, 0); // the pointer off the button it clicked: the screen at rest
    await shots('layers-11b-view-preview');
    await page.getByRole('tab', { name: 'What goes in' }).click();
  });

  it('signs batch.tar.gz with progress and a result', async () => {
    await page.getByTestId('open-sign').click();
    const drawer = page.getByRole('dialog', { name: /Sign the layer bundle/ });
    await drawer.getByTestId('signer-card').waitFor();
    await shots('layers-12-sign-drawer');
    await drawer.getByTestId('sign-build').click();
    await drawer.getByTestId('sign-result').waitFor({ timeout: 60_000 });
    expect((await stat(join(bundle, 'batch.tar.gz'))).size).toBeGreaterThan(0);
    await shots('layers-13-sign-result');
    await page.keyboard.press('Escape');
  });

  it('verifies the signed bundle from the start screen', async () => {
    await page.getByRole('button', { name: 'Close bundle' }).click();
    await page.getByText('Verify bundle').first().click();
    const modal = page.getByRole('dialog', { name: /Verify a bundle/ });
    await modal.getByLabel('Bundle').fill(join(bundle, 'batch.tar.gz'));
    await modal.getByLabel("Signer's certificate (optional)").fill(join(work, '.aos', 'security', 'aos-user-oem.p12'));
    await modal.getByRole('button', { name: 'Verify', exact: true }).click();
    const verdict = modal.getByTestId('verify-verdict');
    await verdict.waitFor({ timeout: 30_000 });
    expect(await verdict.getAttribute('data-ok')).toBe('true');
    expect(await verdict.innerText()).toContain('The signature was checked');
    await shots('layers-14-verify');
    await page.keyboard.press('Escape');
  });

  it('lists the bundle among the recent ones, as a layer bundle', async () => {
    const list = page.getByRole('list', { name: 'Recent services' });
    await eventually(async () => expect(await list.textContent()).toContain('pylibs-bundle'));
    expect(await list.getByTestId('recent-kind').first().textContent()).toBe('layer bundle');
    await shots('layers-15-start-recent');
  });

  it('opens it again with Open, saying what it found', async () => {
    await page.getByText('Open service or layer bundle').first().click();
    await pickFolderInBrowser(page, bundle);
    await page.getByText('Found a layer bundle').waitFor();
    await eventually(async () => expect(await page.getByTestId('bundle-name').textContent()).toBe('pylibs-bundle'));
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
