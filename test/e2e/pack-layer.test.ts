// End to end, as an OEM engineer without the Yocto flow would: the real renderer build in
// Debian's Chromium against the real `aos-bundle ui`. Pack a layer from two folders made here
// (a parent rootfs and a child rootfs with a dpkg status file), see the dry run's added,
// changed and deleted paths, pack it, check the image on disk against the digest shown, and
// add it to the catalog. Every new screen is photographed in light and dark and checked by axe.
// Then the Layers screen (task-10a's) lists it, with the dpkg library and its version, and
// exports its CycloneDX SBOM, and refuses removing it while a service's range selects it.
// Last, the same layer for arm64 packed into the same folder: each image keeps its descriptor.
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expectAccessible } from '../support/axe';
import { openApp, pickFolderInBrowser, screenshot, type AppSession } from '../support/browser';
import { eventually } from '../support/eventually';

let work: string;
let parent: string;
let child: string;
let library: string;
let app: AppSession | undefined;
let page: Page;
let pageErrors: Error[];

const DPKG_STATUS = 'Package: python3-requests\nStatus: install ok installed\nArchitecture: all\nVersion: 2.31.0-1\nDescription: HTTP library\n\n';

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
    - uid: aos-pylibs-layer
      minVersion: 1.0.0
      maxVersion: 2.0.0
`;

async function put(root: string, rel: string, text: string): Promise<void> {
  const file = join(root, rel);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, text);
  await chmod(file, 0o644);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bundle-studio-e2e-pack-'));
  parent = join(work, 'base-rootfs');
  child = join(work, 'rootfs');
  library = join(work, 'layers');
  for (const root of [parent, child]) {
    await put(root, 'etc/os-release', 'ID=poky\n');
    await put(root, 'usr/bin/tool', '#!/bin/sh\n');
  }
  await put(parent, 'etc/motd', 'old\n');
  await put(parent, 'etc/gone.conf', 'gone\n');
  await put(child, 'etc/motd', 'new!\n');
  await put(child, 'usr/lib/python3/dist-packages/requests/__init__.py', '__version__ = "2.31.0"\n');
  await put(child, 'var/lib/dpkg/status', DPKG_STATUS);
  // A service whose range selects the layer: the removal check must refuse.
  await put(join(work, 'services', 'weather'), 'meta/config.yaml', SERVICE);
  await mkdir(join(work, 'services', 'weather', 'src'));
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
  await expectAccessible(page, `${name} (dark)`);
  await page.emulateMedia({ colorScheme: 'light' });
  await expectAccessible(page, name);
}

const next = () => page.getByRole('button', { name: 'Next', exact: true }).click();

describe('an OEM engineer packs a layer from a rootfs and its parent', () => {
  it('packs it, with a dry run first, and adds it to the catalog', async () => {
    await page.getByText('Pack layer', { exact: true }).click();
    await page.getByLabel('Root filesystem folder').fill(child);
    await shots('pack-layer-rootfs');
    await next();

    await page.getByRole('button', { name: 'Add parent folder…' }).click();
    await pickFolderInBrowser(page, parent);
    await page.getByTestId('pack-parent').waitFor();
    expect(await page.getByTestId('pack-parent').textContent()).toContain(parent);
    await shots('pack-layer-parent');
    await next();

    await page.getByLabel('Version').fill('1.2.0');
    await page.getByTestId('pack-architecture').click();
    await page.getByRole('option', { name: 'amd64' }).click();
    expect(await page.getByLabel('Output folder').inputValue()).toBe(work);
    await shots('pack-layer-version');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();

    // The dry run: added, changed and deleted relative to the parent; nothing written yet.
    const preview = page.getByTestId('plan-preview');
    await preview.waitFor();
    const added = await page.getByTestId('plan-added').textContent();
    expect(added).toContain('/var/lib/dpkg/status');
    expect(added).toContain('/usr/lib/python3/dist-packages/requests/__init__.py');
    expect(added).not.toContain('/etc/os-release');
    await shots('pack-layer-preview');
    await page.getByRole('tab', { name: /Changed/ }).click();
    expect(await page.getByTestId('plan-changed').textContent()).toContain('/etc/motd');
    await page.getByRole('tab', { name: /Deleted/ }).click();
    const deleted = await page.getByTestId('plan-deleted').textContent();
    expect(deleted).toContain('/etc/gone.conf');
    expect(deleted).toContain('.wh.');
    await shots('pack-layer-preview-deleted');
    await expect(readFile(join(work, 'linux-amd64-1.2.0.tar.gz'))).rejects.toThrow();

    await page.getByRole('button', { name: 'Pack layer', exact: true }).click();
    const result = page.getByTestId('pack-result');
    await result.waitFor({ timeout: 30_000 });
    const image = await readFile(join(work, 'linux-amd64-1.2.0.tar.gz'));
    const digest = `sha256:${createHash('sha256').update(image).digest('hex')}`;
    expect(await page.getByTestId('pack-digest').textContent()).toBe(digest);
    expect(await page.getByTestId('pack-size').textContent()).toContain(`${image.length} bytes`);
    expect(JSON.parse(await readFile(join(work, 'linux-amd64-1.2.0.layer.json'), 'utf8')).digest).toBe(digest);
    await shots('pack-layer-result');

    await page.getByRole('button', { name: 'Add to the catalog' }).click();
    await page.getByLabel('Layer library folder').fill(library);
    await page.getByLabel('Layer uid').fill('aos-pylibs-layer');
    await page.getByRole('button', { name: 'Copy into the catalog' }).click();
    await page.getByTestId('catalog-added').waitFor();
    expect(await readFile(join(library, 'aos-pylibs-layer', 'linux-amd64-1.2.0.tar.gz'))).toEqual(image);
    await shots('pack-layer-catalog');

    // "Add to a layer bundle": the layer-bundle wizard with the packed image already in it.
    await page.getByRole('button', { name: 'Add to a layer bundle' }).click();
    await page.getByRole('heading', { name: 'New layer bundle' }).waitFor();
    await page.getByLabel('Bundle folder name').fill('pylibs-bundle');
    await next();
    await eventually(async () => expect(await page.getByLabel('Version').inputValue()).toBe('1.2.0'));
    await page.getByLabel('Codename').fill('pylibs');
    await next();
    await eventually(async () => expect(await page.getByLabel('Architecture of image 1').inputValue()).toBe('amd64'));
    expect(pageErrors).toEqual([]);
  });

  it('finds the packed layer in the Layers screen with its library and version', async () => {
    await page.getByRole('button', { name: 'Start screen' }).click();
    await page.getByRole('button', { name: /^Layers/ }).click();
    await page.getByRole('heading', { name: 'Layers', level: 1 }).waitFor();
    // The library the catalog step used became the app's layer library.
    await page.getByRole('button', { name: 'Open aos-pylibs-layer 1.2.0 amd64' }).click();
    const row = page.getByTestId('libraries').getByTestId('library-row').filter({ hasText: 'python3-requests' });
    await row.waitFor();
    expect(await row.textContent()).toContain('2.31.0-1');
    expect(await row.textContent()).toContain('var/lib/dpkg/status');

    // Export the SBOM (browser mode: the folder picker, then the proposed file name).
    const sboms = join(work, 'sboms');
    await mkdir(sboms);
    await page.getByRole('button', { name: 'Export SBOM' }).click();
    await page.getByRole('menuitem', { name: 'CycloneDX 1.6 JSON' }).click();
    await pickFolderInBrowser(page, sboms);
    await page.getByText('SBOM saved').first().waitFor();
    const files = await readdir(sboms);
    // Named by the layer's uid and image: another layer's SBOM saved beside it keeps its own name.
    expect(files).toEqual(['aos-pylibs-layer-linux-amd64-1.2.0.cdx.json']);
    const bom = JSON.parse(await readFile(join(sboms, files[0]), 'utf8')) as { bomFormat: string; specVersion: string; components: { name: string; version: string; purl?: string }[] };
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
    expect(bom.components).toContainEqual(expect.objectContaining({ name: 'python3-requests', version: '2.31.0-1' }));

    // The service's range selects 1.2.0: removing it is refused, naming the service.
    await page.getByRole('button', { name: 'Choose workspace…' }).click();
    await pickFolderInBrowser(page, join(work, 'services'));
    await page.getByRole('button', { name: 'Open aos-pylibs-layer 1.2.0 amd64' }).click();
    await page.getByRole('button', { name: 'Remove version' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('removal-refused').waitFor();
    expect(await dialog.getByTestId('dependants').textContent()).toContain('weather');
    expect(await dialog.getByRole('button', { name: /^Delete/ }).count()).toBe(0);
    expect(await readFile(join(library, 'aos-pylibs-layer', 'linux-amd64-1.2.0.tar.gz'))).toBeTruthy();
    expect(pageErrors).toEqual([]);
  });

  it('packs a second architecture into the same output folder, and the first image keeps its descriptor', async () => {
    const amd64Descriptor = await readFile(join(work, 'linux-amd64-1.2.0.layer.json'), 'utf8');
    // The refused removal's dialog is still open from the test before.
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByText('Pack layer', { exact: true }).click();
    await page.getByLabel('Root filesystem folder').fill(child);
    await next();
    await page.getByRole('button', { name: 'Add parent folder…' }).click();
    await pickFolderInBrowser(page, parent);
    await page.getByTestId('pack-parent').waitFor();
    await next();
    await page.getByLabel('Version').fill('1.2.0');
    await page.getByTestId('pack-architecture').click();
    await page.getByRole('option', { name: 'arm64' }).click();
    expect(await page.getByLabel('Output folder').inputValue()).toBe(work);
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await page.getByTestId('plan-preview').waitFor();
    await page.getByRole('button', { name: 'Pack layer', exact: true }).click();
    const result = page.getByTestId('pack-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toContain(join(work, 'linux-arm64-1.2.0.layer.json'));

    const image = await readFile(join(work, 'linux-arm64-1.2.0.tar.gz'));
    const digest = `sha256:${createHash('sha256').update(image).digest('hex')}`;
    expect(await page.getByTestId('pack-digest').textContent()).toBe(digest);
    const arm64 = JSON.parse(await readFile(join(work, 'linux-arm64-1.2.0.layer.json'), 'utf8')) as { digest: string; platform: { architecture: string } };
    expect(arm64).toMatchObject({ digest, platform: { architecture: 'arm64' } });
    // The amd64 image packed first and its descriptor are untouched.
    expect(await readFile(join(work, 'linux-amd64-1.2.0.layer.json'), 'utf8')).toBe(amd64Descriptor);
    const amd64 = JSON.parse(amd64Descriptor) as { digest: string; platform: { architecture: string } };
    expect(amd64.platform.architecture).toBe('amd64');
    expect(amd64.digest).toBe(`sha256:${createHash('sha256').update(await readFile(join(work, 'linux-amd64-1.2.0.tar.gz'))).digest('hex')}`);
    expect((await readdir(work)).filter((n) => n.startsWith('linux-')).sort()).toEqual(['linux-amd64-1.2.0.layer.json', 'linux-amd64-1.2.0.tar.gz', 'linux-arm64-1.2.0.layer.json', 'linux-arm64-1.2.0.tar.gz']);
    await shots('pack-layer-result-second-arch');
    expect(pageErrors).toEqual([]);
  });
});
