// End to end, as an OEM engineer new to the app would: the real renderer build in Debian's
// Chromium against the real `aos-bundle ui`. Open the Layers screen from the start screen,
// choose the layer library and a workspace with a service that uses the layer, see the
// catalog, a version's libraries (with the source of each fact) and files, be refused when
// removing the version the service selects, and remove one it does not after confirming
// the file. Every new screen is photographed in light and dark and checked by axe.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { create as createTar } from 'tar';
import { expectAccessible } from '../support/axe';
import { openApp, pickFolderInBrowser, screenshot, type AppSession } from '../support/browser';
import { eventually } from '../support/eventually';

let work: string;
let library: string;
let app: AppSession | undefined;
let page: Page;
let pageErrors: Error[];

const SERVICE = `publisher:
  author: Jane Doe
build:
  os: linux
  arch: x86
  sign_pkcs12: aos-user-sp.p12
publish:
  url: aoscloud.io
  service_uid: 11111111-2222-3333-4444-555555555555
  tls_pkcs12: aos-user-sp.p12
configuration:
  cmd: /usr/bin/python3 /app/main.py
  layers:
    - uid: pylibs
      minVersion: 1.0.0
      maxVersion: 2.0.0
`;

/** A layer image with an npm package and a dpkg status: two fact sources to see in the table. */
async function makeLayerImage(file: string, version: string): Promise<void> {
  const content = join(work, `content-${version}`);
  await mkdir(join(content, 'usr', 'lib', 'node_modules', 'left-pad'), { recursive: true });
  await mkdir(join(content, 'var', 'lib', 'dpkg'), { recursive: true });
  await writeFile(join(content, 'usr', 'lib', 'node_modules', 'left-pad', 'package.json'), JSON.stringify({ name: 'left-pad', version: '1.3.0', license: 'WTFPL' }));
  await writeFile(join(content, 'var', 'lib', 'dpkg', 'status'), 'Package: python3-requests\nStatus: install ok installed\nArchitecture: all\nVersion: 2.31.0-1\n\n');
  await writeFile(join(content, '.wh.motd'), '');
  await createTar({ gzip: true, file, cwd: content, portable: true }, ['usr', 'var', '.wh.motd']);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bundle-studio-e2e-catalog-'));
  library = join(work, 'layer-library');
  await mkdir(join(library, 'pylibs'), { recursive: true });
  await makeLayerImage(join(library, 'pylibs', 'linux-amd64-1.0.0.tar.gz'), '1.0.0');
  await makeLayerImage(join(library, 'pylibs', 'linux-amd64-1.1.0.tar.gz'), '1.1.0');
  await mkdir(join(work, 'services', 'weather', 'meta'), { recursive: true });
  await mkdir(join(work, 'services', 'weather', 'src'), { recursive: true });
  await writeFile(join(work, 'services', 'weather', 'meta', 'config.yaml'), SERVICE);
  app = await openApp(work);
  ({ page, pageErrors } = app);
});

afterAll(async () => {
  await app?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

async function shots(name: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await screenshot(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
  await expectAccessible(page, name);
}

describe('an OEM engineer manages the layer catalog', () => {
  it('opens Layers from the start screen and chooses the library and the workspace', async () => {
    await page.getByRole('button', { name: /^Layers/ }).click();
    await page.getByRole('heading', { name: 'Layers', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Choose library…' }).click();
    await pickFolderInBrowser(page, library);
    await page.getByRole('button', { name: 'Choose workspace…' }).click();
    await pickFolderInBrowser(page, join(work, 'services'));
    const rows = page.getByTestId('catalog-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    await page.getByText('dependants from 1 service and 0 bundles read').waitFor();
    expect(await rows.nth(0).textContent()).toContain('1.1.0');
    await shots('layers-catalog');
  });

  it("shows a version's libraries with their sources, and its files with the whiteout", async () => {
    await page.getByRole('button', { name: 'Open pylibs 1.1.0 amd64' }).click();
    const table = page.getByTestId('libraries');
    await table.waitFor();
    const leftPad = table.getByTestId('library-row').filter({ hasText: 'left-pad' });
    expect(await leftPad.textContent()).toContain('1.3.0');
    expect(await leftPad.textContent()).toContain('usr/lib/node_modules/left-pad/package.json');
    expect(await table.getByTestId('library-row').filter({ hasText: 'python3-requests' }).textContent()).toContain('var/lib/dpkg/status');
    await shots('layers-detail-libraries');
    await page.getByRole('tab', { name: /Files/ }).click();
    await page.getByText('whiteout: hides motd').waitFor();
    await shots('layers-detail-files');
    await page.getByRole('tab', { name: /Dependants/ }).click();
    await page.getByTestId('dependants').getByText('weather', { exact: true }).waitFor();
  });

  it('is refused removing the version the service selects, and sees the service', async () => {
    await page.getByRole('button', { name: 'Remove version' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('removal-refused').waitFor();
    expect(await dialog.getByTestId('dependants').textContent()).toContain('weather');
    expect(await dialog.getByRole('button', { name: /^Delete/ }).count()).toBe(0);
    await shots('layers-remove-refused');
    await dialog.getByRole('button', { name: 'Keep the version' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(existsSync(join(library, 'pylibs', 'linux-amd64-1.1.0.tar.gz'))).toBe(true);
  });

  it('removes a version no service selects after confirming the file it names', async () => {
    await page.getByRole('button', { name: 'Open pylibs 1.0.0 amd64' }).click();
    await page.getByRole('heading', { name: 'pylibs 1.0.0' }).waitFor();
    await page.getByRole('button', { name: 'Remove version' }).click();
    const dialog = page.getByRole('dialog');
    const file = join(library, 'pylibs', 'linux-amd64-1.0.0.tar.gz');
    await dialog.getByTestId('removal-files').getByText(file).waitFor();
    await shots('layers-remove-confirm');
    await dialog.getByRole('button', { name: 'Delete 1 file' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Open pylibs 1.0.0 amd64' }).waitFor({ state: 'detached' });
    expect(existsSync(file)).toBe(false);
    expect(await page.getByTestId('catalog-row').count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });

  it("matches a bundle's layer dependency by the codename a layer bundle gives the layer, and names the line of one that matches nothing", async () => {
    // The layer bundle uploads the catalog's pylibs folder under the codename python-libs
    // (deployment-bundle.md §2: a codename is the item's identity in the cloud, not the folder).
    await mkdir(join(work, 'services', 'pylibs-bundle'), { recursive: true });
    await writeFile(
      join(work, 'services', 'pylibs-bundle', 'config.yaml'),
      'schemaVersion: 2\npublish:\n  tlsKey: aos-user-oem.p12\nitems:\n  - identity: {type: layer, codename: python-libs}\n    version: 1.1.0\n    images:\n      - archInfo: {architecture: amd64}\n        path: pylibs/linux-amd64-1.1.0.tar.gz\n',
    );
    const web = join(work, 'services', 'web-bundle', 'config.yaml');
    await mkdir(join(work, 'services', 'web-bundle'), { recursive: true });
    await writeFile(
      web,
      'schemaVersion: 2\npublish:\n  tlsKey: aos-user-sp.p12\nitems:\n  - identity: {type: service, codename: web}\n    version: 1.0.0\n    images:\n      - archInfo: {architecture: amd64}\n        sourceFolder: web/amd64\n    dependencies:\n      - identity: {type: layer, codename: python-libs}\n        versions: ">=1.0.0 <2.0.0"\n      - identity: {type: layer, codename: pylibz}\n        versions: ">=1.0.0"\n',
    );
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByText('dependants from 1 service and 2 bundles read').waitFor();
    const problem = page.getByTestId('catalog-problem');
    await problem.waitFor();
    const text = await problem.textContent();
    expect(text).toContain(`${web}:13:43`);
    expect(text).toContain("items[0].dependencies[1].identity.codename 'pylibz' names no layer of the catalog");
    expect(text).toContain('codenames known: python-libs');
    await page.getByRole('button', { name: 'Open pylibs 1.1.0 amd64' }).click();
    await page.getByRole('tab', { name: /Dependants/ }).click();
    await eventually(async () => expect(await page.getByTestId('dependants').textContent()).toContain('web'));
    await problem.scrollIntoViewIfNeeded();
    await shots('layers-codename-problem');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectAccessible(page, 'layers-codename-problem (dark)');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(pageErrors).toEqual([]);
  });

  it("shows, in a bundle's dependency range picker, the versions of the layer its codename names", async () => {
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    // Opened once, the layer bundle is a recent one: its codename python-libs names the catalog's pylibs.
    for (const name of ['pylibs-bundle', 'web-bundle']) {
      if (name === 'web-bundle') await page.getByRole('button', { name: 'Close bundle' }).click();
      await page.getByText('Open service or layer bundle').first().click();
      await pickFolderInBrowser(page, join(work, 'services', name));
      await eventually(async () => expect(await page.getByTestId('bundle-name').textContent()).toBe(name));
    }
    const views = page.getByTestId('catalog-view');
    await eventually(async () => expect(await views.count()).toBe(2));
    await views.nth(0).getByTestId('catalog-matches').waitFor();
    expect(await views.nth(0).getByTestId('codename-folders').textContent()).toContain("Codename python-libs is the catalog's pylibs");
    expect(await views.nth(0).locator('tr[data-status="selected"]').textContent()).toContain('1.1.0');
    expect(await views.nth(1).textContent()).toContain('No layer of the layer library has the codename pylibz');
    await views.nth(0).scrollIntoViewIfNeeded();
    await shots('layers-bundle-dependency-codename');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectAccessible(page, 'layers-bundle-dependency-codename (dark)');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(pageErrors).toEqual([]);
  });
});
