// The config editor never says "Saved" for less than it shows: in the real renderer, a
// layer maximum below its minimum blocks Ctrl+S and is listed in Problems, and the file on
// disk keeps its last good range. Then the YAML text with its search panel, light and dark.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { appForSuite, createServiceInWizard, screenshot } from '../support/browser';
import { expectAccessible } from '../support/axe';
import { eventually } from '../support/eventually';

let work: string;
let page: Page;
let pageErrors: Error[];
appForSuite('bundle-studio-e2e-', (suite) => ({ work, page, pageErrors } = suite));

const configFile = () => join(work, 'hello-world', 'meta', 'config.yaml');

describe('the config editor', () => {
  it('opens a new service', async () => {
    await createServiceInWizard(page, work, 'hello-world', 'python3 /usr/bin/hello.py');
    await eventually(async () => expect(await page.getByTestId('service-name').textContent()).toBe('hello-world'));
  });

  it('saves a valid layer range', async () => {
    await page.getByRole('tab', { name: 'Layers' }).click();
    await page.getByRole('button', { name: 'Add layer' }).click();
    await page.getByLabel('Layer uid').last().fill('aos-pylibs-layer');
    await page.getByLabel('Minimum version').last().fill('1.0.0');
    await page.getByLabel('Maximum version').last().fill('2.0.0');
    await eventually(async () => expect(await page.getByTestId('layer-range-words').last().textContent()).toBe('1.0.0 ≤ v < 2.0.0'));
    await page.keyboard.press('Control+s');
    await eventually(async () => expect(await page.getByTestId('dirty-indicator').count()).toBe(0));
    expect(await readFile(configFile(), 'utf8')).toMatch(/minVersion: 1\.0\.0\s+maxVersion: 2\.0\.0/);
  });

  it('refuses to save a maximum below the minimum, and lists it', async () => {
    const before = await readFile(configFile(), 'utf8');
    // The earlier save's "Saved" note goes first, so that a new one could not hide behind it.
    await eventually(async () => expect(await page.getByText('Saved', { exact: true }).count()).toBe(0));
    await page.getByLabel('Maximum version').last().fill('0.5.0');
    await page.getByTestId('dirty-indicator').waitFor();
    await page.keyboard.press('Control+s');
    await page.getByText('Not saved').first().waitFor();
    const listed = page.getByTestId('diagnostics').getByTestId('diagnostic').filter({ hasText: 'Maximum version of layer aos-pylibs-layer' });
    expect(await listed.count()).toBe(1);
    expect(await readFile(configFile(), 'utf8')).toBe(before);
    expect(await page.getByText('Saved', { exact: true }).count()).toBe(0);
    await screenshot(page, 'config-01-refused-save');
    await expectAccessible(page, 'config-01-refused-save');
  });

  it('shows the YAML text with search, in light and dark', async () => {
    await page.getByRole('tab', { name: 'YAML' }).click();
    await page.getByTestId('yaml-editor').locator('.cm-content').click();
    await page.keyboard.press('Control+f');
    await page.locator('.cm-search input[name=search]').fill('layers');
    await page.keyboard.press('Enter');
    await page.emulateMedia({ colorScheme: 'light' });
    await screenshot(page, 'config-02-yaml-search-light');
    await expectAccessible(page, 'config-02-yaml-search-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'config-03-yaml-search-dark');
  });

  it('reverts to saved after asking', async () => {
    await page.getByRole('button', { name: 'Revert to saved' }).click();
    await page.getByRole('dialog', { name: 'Revert to saved?' }).waitFor();
    await screenshot(page, 'config-04-revert-dark');
    await expectAccessible(page, 'config-04-revert-dark');
    await page.getByRole('dialog').getByRole('button', { name: 'Revert', exact: true }).click();
    await eventually(async () => expect(await page.getByTestId('dirty-indicator').count()).toBe(0));
    await page.getByRole('tab', { name: 'Layers' }).click();
    expect(await page.getByLabel('Maximum version').last().inputValue()).toBe('2.0.0');
    await page.emulateMedia({ colorScheme: 'light' });
    await screenshot(page, 'config-05-reverted-layers-light');
    await expectAccessible(page, 'config-05-reverted-layers-light');
  });

  it('edits a size with its unit picker', async () => {
    await page.getByRole('tab', { name: 'Configuration' }).click();
    await page.getByText('Resources and quotas').click();
    await page.getByLabel('Memory limit mem', { exact: true }).fill('256');
    await eventually(async () => expect(await page.getByTestId('dirty-indicator').count()).toBe(1));
    await page.getByText('Resources and quotas').scrollIntoViewIfNeeded();
    await screenshot(page, 'config-06-sizes-light');
    await expectAccessible(page, 'config-06-sizes-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'config-07-sizes-dark');
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
