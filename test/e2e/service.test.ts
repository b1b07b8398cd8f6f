// End to end, as a new user would: the real renderer build in Debian's Chromium, served by
// the real `aos-bundle ui` with the real core behind it. Create a service with the wizard,
// set its command, add a layer range, see a diagnostic for a bad value, fix it, save, and
// check that the file on disk kept the template's comments.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { checkServiceConfig } from '../../src/shared/service-config';
import { appForSuite, screenshot } from '../support/browser';
import { expectAccessible } from '../support/axe';
import { eventually } from '../support/eventually';

let work: string;
let page: Page;
let pageErrors: Error[];
appForSuite('bundle-studio-e2e-', (suite) => ({ work, page, pageErrors } = suite));

const diagnostics = () => page.getByTestId('diagnostics').getByTestId('diagnostic');

describe('a service provider creates and edits a service', () => {
  it('shows the start screen without the token in the address bar', async () => {
    await page.getByText('New service').first().waitFor();
    expect(page.url()).not.toContain('token=');
    await screenshot(page, 'service-01-start');
    await expectAccessible(page, 'service-01-start');
  });

  it('creates a service with the wizard', async () => {
    await page.getByText('New service').first().click();
    await page.getByLabel('Parent folder').fill(work);
    await page.getByLabel('Service name').fill('hello-world');
    expect(await page.getByTestId('target-dir').textContent()).toBe(join(work, 'hello-world'));
    await screenshot(page, 'service-02-wizard-folder');
    await expectAccessible(page, 'service-02-wizard-folder');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByLabel('Start command').fill('python3 /usr/bin/hello.py');
    await screenshot(page, 'service-03-wizard-run');
    await expectAccessible(page, 'service-03-wizard-run');
    await page.getByRole('button', { name: 'Next' }).click();
    await screenshot(page, 'service-04-wizard-certificate');
    await expectAccessible(page, 'service-04-wizard-certificate');
    await page.getByRole('button', { name: 'Next' }).click();
    await screenshot(page, 'service-05-wizard-review');
    await expectAccessible(page, 'service-05-wizard-review');
    await page.getByRole('button', { name: 'Create service' }).click();

    await eventually(async () => expect(await page.getByTestId('service-name').textContent()).toBe('hello-world'));
    const text = await readFile(join(work, 'hello-world', 'meta', 'config.yaml'), 'utf8');
    expect(text).toContain('python3 /usr/bin/hello.py');
    await screenshot(page, 'service-06-view');
    await expectAccessible(page, 'service-06-view');
  });

  it('sets the start command in the form', async () => {
    await page.getByRole('tab', { name: 'Configuration' }).click();
    const cmd = page.locator('[data-path="configuration.cmd"]');
    await cmd.fill('python3 -u /usr/bin/hello.py --verbose');
    await page.getByTestId('dirty-indicator').waitFor();
    expect(await cmd.inputValue()).toBe('python3 -u /usr/bin/hello.py --verbose');
    expect(await page.getByTestId('dirty-indicator').isVisible()).toBe(true);
    await expectAccessible(page, 'service-06b-configuration');
  });

  it('adds a layer range and shows it in words', async () => {
    await page.getByRole('tab', { name: 'Layers' }).click();
    await page.getByRole('button', { name: 'Add layer' }).click();
    await page.getByLabel('Layer uid').last().fill('aos-pylibs-layer');
    await page.getByLabel('Minimum version').last().fill('1.0.0');
    await page.getByLabel('Maximum version').last().fill('2.0.0');
    await eventually(async () => expect(await page.getByTestId('layer-range-words').last().textContent()).toBe('1.0.0 ≤ v < 2.0.0'));
    await screenshot(page, 'service-07-layers');
    await expectAccessible(page, 'service-07-layers');
  });

  it('shows a diagnostic for a bad value and clears it when fixed', async () => {
    await page.getByRole('tab', { name: 'Configuration' }).click();
    const workingDir = page.locator('[data-path="configuration.workingDir"]');
    await workingDir.fill('app');
    const bad = diagnostics().filter({ hasText: 'configuration.workingDir' });
    await eventually(async () => expect(await bad.count()).toBe(1));
    expect(await bad.getAttribute('data-severity')).toBe('error');
    await screenshot(page, 'service-08-diagnostic');
    await expectAccessible(page, 'service-08-diagnostic');

    // The diagnostic jumps to its line in the YAML editor.
    await bad.click();
    await page.getByTestId('yaml-editor').waitFor();
    await screenshot(page, 'service-09-yaml-jump');
    await expectAccessible(page, 'service-09-yaml-jump');

    await page.getByRole('tab', { name: 'Configuration' }).click();
    await page.locator('[data-path="configuration.workingDir"]').fill('/app');
    await eventually(async () => expect(await diagnostics().filter({ hasText: 'configuration.workingDir' }).count()).toBe(0));
  });

  it('saves with the keyboard, keeping every comment of the template', async () => {
    const file = join(work, 'hello-world', 'meta', 'config.yaml');
    const before = await readFile(file, 'utf8');
    await page.keyboard.press('Control+s');
    await eventually(async () => expect(await page.getByTestId('dirty-indicator').count()).toBe(0));
    const after = await readFile(file, 'utf8');

    const comments = (text: string) => text.split('\n').filter((l) => l.trim().startsWith('#'));
    expect(comments(after)).toEqual(comments(before));
    expect(after).toContain('python3 -u /usr/bin/hello.py --verbose');
    expect(after).toMatch(/workingDir: \/app/);
    expect(after).toMatch(/uid: aos-pylibs-layer/);
    const { parsed, diagnostics: found } = checkServiceConfig(after);
    expect(found.filter((d) => d.severity === 'error')).toEqual([]);
    expect((parsed.value as { configuration: { layers: unknown } }).configuration.layers).toEqual([
      { uid: 'aos-pylibs-layer', minVersion: '1.0.0', maxVersion: '2.0.0' },
    ]);
    await screenshot(page, 'service-10-saved');
  });

  it('lists the service among recent services after a reload', async () => {
    await page.getByRole('button', { name: 'Close service' }).click();
    await eventually(async () => expect(await page.getByRole('list', { name: 'Recent services' }).textContent()).toContain('hello-world'));
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'service-11-start-recent');
    await expectAccessible(page, 'service-11-start-recent');
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
