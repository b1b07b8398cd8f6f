// End to end: the src/ tree in Debian's Chromium against the real `aos-bundle ui`. Rename a
// file inline from its context menu, filter, move the focus with the keys, delete after the
// confirmation (permanent: browser mode has no trash), add a file once its destination is
// shown, and drag a file onto a folder; each step is checked on disk.
import { lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { initServiceTree } from '../../src/main/core/service-tree/init';
import { appForSuite, pickFolderInBrowser, screenshot } from '../support/browser';
import { expectAccessible } from '../support/axe';
import { eventually } from '../support/eventually';
import { rowName } from '../support/tree-names';

let service: string;
let page: Page;
let pageErrors: Error[];
appForSuite(
  'bundle-studio-src-e2e-',
  (suite) => ({ page, pageErrors } = suite),
  async (dir) => {
    service = join(dir, 'hello-src');
    await initServiceTree({ dir: service, cmd: 'python3 /usr/bin/hello.py', workingDir: '/' });
    await mkdir(join(service, 'src', 'usr', 'bin'), { recursive: true });
    await mkdir(join(service, 'src', 'etc'), { recursive: true });
    await writeFile(join(service, 'src', 'usr', 'bin', 'hello.py'), 'print("hello")\n', { mode: 0o755 });
    await writeFile(join(service, 'src', 'etc', 'old.conf'), 'key = value\n');
  },
);

const tree = () => page.getByRole('tree', { name: 'src/ files' });
const item = (name: string) => tree().getByRole('treeitem', { name: rowName(name) });
const exists = (p: string) => lstat(p).then(() => true, () => false);

describe('the src/ tree edits the rootfs', () => {
  it('opens the service', async () => {
    await page.getByText('Open service').first().click();
    await pickFolderInBrowser(page, service);
    await eventually(async () => expect(await page.getByTestId('service-name').textContent({ timeout: 1000 })).toBe('hello-src'));
    await item('etc').waitFor();
  });

  it('renames a file inline from its context menu', async () => {
    await item('etc').click();
    await item('old.conf').click({ button: 'right' });
    await page.getByRole('menuitem', { name: /Rename/ }).waitFor();
    await screenshot(page, 'src-tree-01-context-menu');
    await expectAccessible(page, 'src-tree-01-context-menu');
    await page.getByRole('menuitem', { name: /Rename/ }).click();
    const field = page.getByRole('textbox', { name: 'New name for old.conf' });
    await field.fill('app.conf');
    await screenshot(page, 'src-tree-02-rename');
    await expectAccessible(page, 'src-tree-02-rename');
    await field.press('Enter');
    await item('app.conf').waitFor();
    expect(await readFile(join(service, 'src', 'etc', 'app.conf'), 'utf8')).toBe('key = value\n');
    expect(await exists(join(service, 'src', 'etc', 'old.conf'))).toBe(false);
  });

  it('filters by name and moves with the keyboard', async () => {
    await page.getByRole('textbox', { name: 'Filter src/ by name' }).fill('hello');
    await item('hello.py').waitFor();
    expect(await tree().getByRole('treeitem').allTextContents()).toHaveLength(3); // usr, bin, hello.py
    await screenshot(page, 'src-tree-03-filter');
    await expectAccessible(page, 'src-tree-03-filter');
    await page.getByRole('textbox', { name: 'Filter src/ by name' }).fill('');
    await item('app.conf').focus();
    await page.keyboard.press('Home');
    expect(await item('etc').evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('deletes a file after a confirmation that says it is permanent', async () => {
    await item('app.conf').focus();
    await page.keyboard.press('Delete');
    const dialog = page.getByRole('dialog', { name: 'Delete src/etc/app.conf?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('permanently');
    await screenshot(page, 'src-tree-04-delete-confirm');
    await expectAccessible(page, 'src-tree-04-delete-confirm');
    await dialog.getByRole('button', { name: 'Delete permanently' }).click();
    await item('app.conf').waitFor({ state: 'detached' });
    expect(await readdir(join(service, 'src', 'etc'))).toEqual([]);
  });

  it('adds a file into the chosen folder after showing where it goes', async () => {
    await item('usr').click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Add files' }).click();
    await (await chooser).setFiles({ name: 'tool.sh', mimeType: 'text/plain', buffer: Buffer.from('echo hi\n') });
    const dialog = page.getByRole('dialog', { name: 'Add to src/' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('into src/usr/');
    await screenshot(page, 'src-tree-06-add-confirm');
    await expectAccessible(page, 'src-tree-06-add-confirm');
    expect(await exists(join(service, 'src', 'usr', 'tool.sh'))).toBe(false);
    await dialog.getByRole('button', { name: 'Copy into src/usr/' }).click();
    await eventually(async () => expect(await readFile(join(service, 'src', 'usr', 'tool.sh'), 'utf8')).toBe('echo hi\n'));
  });

  it('moves a file by dragging it onto a folder', async () => {
    await item('bin').click();
    await item('hello.py').dragTo(item('etc'));
    await eventually(async () => expect(await readdir(join(service, 'src', 'etc'))).toEqual(['hello.py']));
    expect(await exists(join(service, 'src', 'usr', 'bin', 'hello.py'))).toBe(false);
    await item('hello.py').waitFor();
    expect(await item('hello.py').getAttribute('aria-level')).toBe('2');
  });

  it('looks right in the dark theme too', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await item('usr').click({ button: 'right' });
    await page.getByRole('menuitem', { name: /Rename/ }).waitFor();
    await screenshot(page, 'src-tree-05-menu-dark');
    await page.getByRole('menuitem', { name: /New file in src\/usr\// }).click();
    const dialog = page.getByRole('dialog', { name: /^New file in src\/usr/ });
    await dialog.getByLabel('File name').fill('notes.txt');
    await screenshot(page, 'src-tree-07-new-file-dark');
    await expectAccessible(page, 'src-tree-07-new-file');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await exists(join(service, 'src', 'usr', 'notes.txt'))).toBe(false);
    await page.emulateMedia({ colorScheme: 'light' });
    expect(pageErrors).toEqual([]);
  });
});
