// In the real renderer: a warning at a field is orange with "Warning:", an error red; a
// placeholder in a field with a finding keeps the placeholder colour (never red like typed
// text); help texts show `code` as code; labels are words, then the key in mono. Light and dark.
import type { Locator, Page } from 'playwright-core';
import { appForSuite, createServiceInWizard, screenshot } from '../support/browser';
import { eventually } from '../support/eventually';

let work: string;
let page: Page;
let pageErrors: Error[];
appForSuite('bundle-studio-e2e-', (suite) => ({ work, page, pageErrors } = suite));

/** The colour of the message under the field whose input is `input`. */
const messageColour = (input: Locator) =>
  input.evaluate((el) => getComputedStyle(el.closest('.mantine-InputWrapper-root')!.querySelector('.mantine-InputWrapper-error')!).color);

describe('form texts', () => {
  it('opens a new service', async () => {
    await createServiceInWizard(page, work, 'hello-world', 'python3 /usr/bin/hello.py');
    await eventually(async () => expect(await page.getByTestId('service-name').textContent()).toBe('hello-world'));
  });

  it('paints a warning orange and an error red', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('tab', { name: /^Build\d*$/ }).click();
    const os = page.getByLabel('Operating system os', { exact: true });
    await os.fill('windows');
    const warning = page.getByTestId('form-build').getByTestId('field-feedback').filter({ hasText: 'windows' });
    await eventually(async () => expect(await warning.getAttribute('data-severity')).toBe('warning'));
    expect(await warning.textContent()).toMatch(/^Warning: /);
    // Backticks in the help text are code, not characters.
    expect(await page.getByTestId('form-build').textContent()).not.toContain('`');
    const warningColour = await messageColour(os);
    await screenshot(page, 'form-texts-01-warning-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'form-texts-02-warning-dark');

    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('tab', { name: /^Publish\d*$/ }).click();
    const version = page.getByLabel('Version version', { exact: true });
    await version.fill('1.0');
    const error = page.getByTestId('form-publish').getByTestId('field-feedback').filter({ hasText: 'SemVer' });
    await eventually(async () => expect(await error.getAttribute('data-severity')).toBe('error'));
    const errorColour = await messageColour(version);
    expect(warningColour).not.toBe(errorColour);
    const [r, g, b] = errorColour.match(/\d+/g)!.map(Number);
    expect(r, errorColour).toBeGreaterThan(Math.max(g, b) + 80); // red
    const [wr, wg, wb] = warningColour.match(/\d+/g)!.map(Number);
    // Orange: much red, some green, little blue; never the error's red.
    expect(wr, warningColour).toBeGreaterThan(wb + 80);
    expect(wg, warningColour).toBeGreaterThan(wb + 40);
    await screenshot(page, 'form-texts-03-error-light');
  });

  it('keeps a placeholder in a field with an error in the placeholder colour', async () => {
    await page.getByRole('tab', { name: 'Layers' }).click();
    await page.getByRole('button', { name: 'Add layer' }).click();
    // A fresh layer has no uid yet: the field says so, and its placeholder shows.
    const uid = page.getByLabel('Layer uid uid', { exact: true }).last();
    expect(await uid.inputValue()).toBe('');
    await eventually(async () => expect(await uid.getAttribute('data-error')).not.toBeNull());
    expect(await uid.getAttribute('placeholder')).toMatch(/^e\.g\. /);
    const placeholder = await uid.evaluate((el) => getComputedStyle(el, '::placeholder').color);
    const typed = await uid.evaluate((el) => getComputedStyle(el).color);
    expect(placeholder).not.toBe(typed);
    expect(placeholder).not.toBe(await messageColour(uid));
    await screenshot(page, 'form-texts-04-layer-placeholder-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'form-texts-05-layer-placeholder-dark');
  });

  it('labels the fields with words and the key in mono, thresholds with their unit', async () => {
    await page.getByRole('tab', { name: 'Configuration' }).click();
    await page.getByText('Alerts', { exact: true }).click();
    const ramMin = page.getByLabel('Lower threshold (percent) minThreshold', { exact: true }).first();
    await ramMin.waitFor();
    expect(await page.getByLabel('Upper threshold (bytes) maxThreshold', { exact: true }).count()).toBe(2); // upload, download
    await ramMin.scrollIntoViewIfNeeded();
    await screenshot(page, 'form-texts-06-alerts-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByText('Start', { exact: true }).scrollIntoViewIfNeeded();
    await screenshot(page, 'form-texts-07-start-light');
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
