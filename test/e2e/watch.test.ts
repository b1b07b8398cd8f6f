// End to end: the app knows the file system. With a service open in the real renderer and
// `aos-bundle ui`, files appear in src/ and config.yaml changes under it, written by
// another program (this test) while the user has unsaved edits.
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { initServiceTree } from '../../src/main/core/service-tree/init';
import { appForSuite, pickFolderInBrowser, screenshot } from '../support/browser';
import { expectAccessible } from '../support/axe';
import { eventually } from '../support/eventually';

let service: string;
let page: Page;
let pageErrors: Error[];
appForSuite(
  'bundle-studio-watch-e2e-',
  (suite) => ({ page, pageErrors } = suite),
  async (dir) => {
    service = join(dir, 'hello-watch');
    await initServiceTree({ dir: service, cmd: 'python3 /usr/bin/hello.py', workingDir: '/' });
  },
);

const configFile = () => join(service, 'meta', 'config.yaml');

describe('changes on disk show at once', () => {
  it('opens the service', async () => {
    await page.getByText('Open service').first().click();
    await pickFolderInBrowser(page, service);
    await eventually(async () => expect(await page.getByTestId('service-name').textContent({ timeout: 1000 })).toBe('hello-watch'));
  });

  it('refreshes the src/ tree and lists a FIFO as an error before Build', async () => {
    await writeFile(join(service, 'src', 'hello.py'), 'print("hello")\n');
    await eventually(async () => expect(await page.getByTestId('src-tree').textContent()).toContain('1 entry'));
    expect(spawnSync('mkfifo', [join(service, 'src', 'control.fifo')]).status).toBe(0);
    const problems = page.getByTestId('diagnostics');
    await eventually(async () => expect(await problems.textContent()).toContain('src/control.fifo is a named pipe (FIFO)'));
    expect(await problems.getByLabel('1 errors').count()).toBe(1);
  });

  it('the preview says the rootfs layer is not computed (the FIFO stops it) instead of showing a stand-in digest', async () => {
    await page.getByTestId('preview-toggle').click();
    const panel = page.getByTestId('preview-panel');
    await panel.getByRole('tab', { name: /^Manifest/ }).click();
    const layerDigest = panel.locator('[data-pointer="/manifest/v9/layers/0/digest"]');
    await eventually(async () => expect(await layerDigest.textContent()).toContain('not computed'), 20_000);
    expect(await panel.textContent()).not.toContain('sha256:0000000000');
    await screenshot(page, 'watch-00-preview-not-computed');
    await expectAccessible(page, 'watch-00-preview-not-computed');
    await page.getByTestId('preview-toggle').click();
  });

  it('shows the bar when config.yaml changes elsewhere while the editor has unsaved edits', async () => {
    await page.getByRole('tab', { name: 'Configuration' }).click();
    const cmd = page.locator('[data-path="configuration.cmd"]');
    await cmd.fill('python3 -u /usr/bin/hello.py');
    await page.getByTestId('dirty-indicator').waitFor();

    const before = await readFile(configFile(), 'utf8');
    await writeFile(configFile(), before.replace(/version: .*/, 'version: 2.5.0 # bumped by CI'));
    const bar = page.getByTestId('changed-on-disk');
    await bar.waitFor({ timeout: 10_000 });
    expect(await bar.textContent()).toContain('config.yaml changed on disk');
    // The editor keeps the user's version.
    expect(await cmd.inputValue()).toBe('python3 -u /usr/bin/hello.py');
    await screenshot(page, 'watch-01-changed-on-disk');
    await expectAccessible(page, 'watch-01-changed-on-disk');
  });

  it('shows the diff between the file on disk and the editor', async () => {
    await page.getByTestId('changed-on-disk').getByRole('button', { name: 'Show diff' }).click();
    const diff = page.getByTestId('config-diff');
    await diff.waitFor();
    const added = await diff.locator('[data-kind="added"]').allTextContents();
    const removed = await diff.locator('[data-kind="removed"]').allTextContents();
    expect(added.join('\n')).toContain('python3 -u /usr/bin/hello.py');
    expect(removed.join('\n')).toContain('version: 2.5.0 # bumped by CI');
    await screenshot(page, 'watch-02-diff');
    await expectAccessible(page, 'watch-02-diff');
    await page.keyboard.press('Escape');
    await diff.waitFor({ state: 'hidden' });
  });

  it('Keep mine: saving then writes the editor\'s version without a conflict (dark)', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'watch-03-changed-on-disk-dark');
    await page.getByTestId('changed-on-disk').getByRole('button', { name: 'Keep mine' }).click();
    await page.getByTestId('changed-on-disk').waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('dirty-indicator').waitFor({ state: 'hidden' });
    const saved = await readFile(configFile(), 'utf8');
    expect(saved).toContain('python3 -u /usr/bin/hello.py');
    expect(saved).not.toContain('bumped by CI');
    expect(await page.getByRole('dialog', { name: 'config.yaml changed on disk' }).count()).toBe(0);
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('reloads a clean editor silently, and its own save raised no bar', async () => {
    expect(await page.getByTestId('changed-on-disk').count()).toBe(0);
    const text = await readFile(configFile(), 'utf8');
    await writeFile(configFile(), text.replace('python3 -u /usr/bin/hello.py', 'python3 /usr/bin/other.py'));
    const cmd = page.locator('[data-path="configuration.cmd"]');
    await eventually(async () => expect(await cmd.inputValue()).toBe('python3 /usr/bin/other.py'));
    expect(await page.getByTestId('changed-on-disk').count()).toBe(0);
    expect(await page.getByTestId('dirty-indicator').count()).toBe(0);
    await screenshot(page, 'watch-04-reloaded');
    await expectAccessible(page, 'watch-04-reloaded');
  });

  it('had no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
