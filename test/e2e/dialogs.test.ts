// End to end, the screens issue 8 reworked, to look at in light and dark: the wizard's steps
// (with the disk checks at their step), the start screen's Recent services with Remove, the
// sign drawer with unsaved edits (one "Save and build"), and the export's new-folder proposal.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { makeTestPki } from '../unit/credentials/pki-fixtures';
import { makeService } from '../unit/bundle/service-fixture';
import { openApp, pickFolderInBrowser, screenshot, type AppSession } from '../support/browser';
import { expectAccessible } from '../support/axe';

let work: string;
let service: string;
let app: AppSession | undefined;
let page: Page;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bundle-studio-e2e-dialogs-'));
  service = join(work, 'hello-sign');
  const { ca, user } = makeTestPki();
  await makeService(service, user, [ca], { files: { 'usr/bin/hello.py': 'print("hi")\n' } });
  await mkdir(join(work, 'exports', 'old-export'), { recursive: true });
  await writeFile(join(work, 'exports', 'notes.txt'), 'x\n');
  app = await openApp(work);
  page = app.page;
});

afterAll(async () => {
  await app?.close();
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

describe('dialogs, drawers and states', () => {
  it('checks an existing service name at the folder step', async () => {
    await page.getByText('New service').first().click();
    await page.getByLabel('Service name').fill('hello-sign');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText(/is already a service/).waitFor();
    await both('wizard-01-folder-exists');
  });

  it('checks a missing certificate path at the certificate step', async () => {
    await page.getByLabel('Service name').fill('hello-new');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Start command').fill('python3 /usr/bin/hello.py');
    await both('wizard-02-run');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Certificate file').fill(join(work, 'missing.p12'));
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText(/No file at/).first().waitFor();
    await both('wizard-03-certificate-missing');
    await page.getByLabel('Certificate file').fill('');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('table', { name: 'Summary' }).waitFor();
    await both('wizard-04-review');
    await page.getByRole('button', { name: 'Create service' }).click();
    await page.getByTestId('service-name').filter({ hasText: 'hello-new' }).waitFor();
    await page.getByRole('button', { name: 'Close service' }).click();
  });

  it('lists recent services, each with Remove', async () => {
    const list = page.getByRole('list', { name: 'Recent services' });
    await list.getByText('hello-new', { exact: true }).waitFor();
    await both('start-03-recent');
    await list.getByRole('button', { name: 'Remove hello-new from Recent services' }).click();
    await page.getByText(/No recent services yet/).waitFor();
  });

  it('shows the certificate the unsaved config names and asks once to save', async () => {
    await page.getByText('Open service').first().click();
    await pickFolderInBrowser(page, service);
    await page.getByTestId('service-name').filter({ hasText: 'hello-sign' }).waitFor();
    await page.getByLabel('Working directory workingDir', { exact: true }).fill('/srv');
    await page.getByTestId('open-sign').click();
    const drawer = page.getByRole('dialog', { name: /Sign the service bundle/ });
    await drawer.getByTestId('signer-card').waitFor();
    expect(await drawer.getByTestId('sign-build').innerText()).toContain('Save and build');
    await both('sign-10-unsaved');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  });

  it('proposes a new folder before exporting into a folder that is not empty', async () => {
    await page.getByTestId('preview-toggle').click();
    await page.getByTestId('preview-panel').getByRole('button', { name: 'Export' }).click();
    await pickFolderInBrowser(page, join(work, 'exports'));
    const modal = page.getByRole('dialog', { name: 'Export into a new folder' });
    await modal.waitFor();
    expect(await modal.getByLabel('New folder').inputValue()).toBe('hello-sign-oci-v9');
    await both('export-01-new-folder');
    await modal.getByRole('button', { name: 'Export into hello-sign-oci-v9' }).click();
    await page.getByTestId('export-done').waitFor({ timeout: 30_000 });
    await both('export-02-done');
  });
});
