// End to end, Upload as an OEM engineer meets it with a layer bundle (a schemaVersion 2
// deployment bundle): the fake cloud on loopback (HTTPS with a CA made here, client
// certificates required, role oem), the app's cloud setting pointing at it, a bundle folder
// whose aos-user-oem.p12 that cloud issued. Open the bundle, sign batch.tar.gz, Upload now,
// and follow the cloud's processing live (uploaded → processing → building, each in the
// cloud's words, while "Processing in the cloud" spins) to done with the cloud's build_info.
// The cloud holds exactly the signed bytes, sent with jane's client certificate. Each screen
// in light and dark, checked by axe. (upload.test.ts does the same for a v1 service.)
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { BATCH_CONFIG, makeBatchBundle } from '../unit/bundle/batch-fixture';
import { sha256File } from '../unit/cloud/bundles';
import { makeCloudPki, startFakeCloud, writeClientFiles, type FakeCloud } from '../support/fake-cloud';
import { appForSuite, pickFolderInBrowser, screenshotBothThemes } from '../support/browser';
import { expectAccessible } from '../support/axe';
import { eventually } from '../support/eventually';

// The fixture's layer item alone: a layer bundle is an OEM's upload.
const LAYER_CONFIG = BATCH_CONFIG.slice(0, BATCH_CONFIG.indexOf('  - identity:\n      type: service'));
const BUILD_INFO = { pylibs: ['built for amd64', 'built for arm64'] };

let page: Page;
let pageErrors: Error[];
let cloud: FakeCloud | undefined;
let bundleDir: string;

appForSuite(
  'bundle-studio-e2e-upload-v2-',
  (s) => ({ page, pageErrors } = s),
  async (dir) => {
    const pki = makeCloudPki();
    const client = await writeClientFiles(dir, pki);
    bundleDir = join(dir, 'pylibs-bundle');
    await makeBatchBundle(bundleDir, pki.user, [pki.ca], { config: LAYER_CONFIG });
    // The last state repeats until the test lets the cloud finish (bundles[0].states).
    cloud = await startFakeCloud(pki, { role: 'oem', processing: ['uploaded', 'processing', 'building'], buildInfo: BUILD_INFO });
    await mkdir(join(dir, '.config'), { recursive: true });
    await writeFile(join(dir, '.config', 'settings.json'), JSON.stringify({ cloud: { url: cloud.url, caFile: client.ca } }));
  },
);

afterAll(async () => {
  await cloud?.stop();
});

const drawer = () => page.getByRole('dialog', { name: /Sign the layer bundle/ });
const panel = () => drawer().getByTestId('upload-panel');

async function shots(name: string): Promise<void> {
  await panel().scrollIntoViewIfNeeded();
  await screenshotBothThemes(page, name);
  await expectAccessible(page, name);
}

/** The panel's states as `state:status`, in order. */
const states = () => panel().getByTestId('upload-states').getByRole('listitem').evaluateAll((items) => items.map((li) => `${li.getAttribute('data-state')}:${li.getAttribute('data-status')}`));

describe('an OEM engineer uploads a layer bundle and follows its processing in the cloud', () => {
  let bundle: string;

  it('opens the layer bundle, signs batch.tar.gz, and Upload now / Queue appear with the cloud setting', async () => {
    await page.getByText('Open service or layer bundle').first().click();
    await pickFolderInBrowser(page, bundleDir);
    await page.getByText('Found a layer bundle').waitFor();
    await eventually(async () => expect(await page.getByTestId('bundle-name').textContent()).toBe('pylibs-bundle'));
    await page.getByTestId('open-sign').click();
    await drawer().getByTestId('signer-card').waitFor();
    await drawer().getByTestId('sign-build').click();
    const result = drawer().getByTestId('sign-result');
    await result.waitFor({ timeout: 60_000 });
    bundle = (await result.getByTestId('sign-result-path').innerText()).trim();
    expect(bundle).toBe(join(bundleDir, 'batch.tar.gz'));
    await panel().waitFor();
    expect(await panel().getByTestId('upload-destination').innerText()).toContain(cloud!.url);
    await panel().getByTestId('upload-queue').waitFor();
    await shots('upload-v2-01-ready');
  }, 120_000);

  it('Upload now: the cloud\u2019s processing states are followed live, in its words', async () => {
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __states: string[] }).__states = seen;
      new MutationObserver(() => {
        const p = document.querySelector('[data-testid=upload-panel]');
        const current = p?.querySelector('[data-testid=upload-states] [data-status="in progress"]')?.getAttribute('data-state');
        const message = p?.querySelector('[data-testid=upload-state-message]')?.textContent ?? '';
        const line = `${current ?? '-'} | ${message}`;
        if (current && seen.at(-1) !== line) seen.push(line);
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await panel().getByTestId('upload-now').click();
    // The cloud says "building" until the test lets it finish: the screen holds still for its pictures.
    await panel().getByTestId('upload-state-message').filter({ hasText: 'The cloud: building.' }).waitFor({ timeout: 60_000 });
    expect(await states()).toEqual(['uploading:reached', 'uploaded:reached', 'processing:in progress', 'done:not yet']);
    expect(await panel().getByTestId('upload-progress').count()).toBe(0);
    const seen = await page.evaluate(() => (window as unknown as { __states: string[] }).__states);
    // Each of the cloud's answers in turn (the list is asked every few seconds).
    const processing = seen.filter((s) => s.startsWith('processing | The cloud:')).map((s) => s.slice('processing | '.length));
    expect(processing).toEqual(['The cloud: uploaded.', 'The cloud: processing.', 'The cloud: building.']);
    expect(seen[0]).toMatch(/^uploading \| Uploading to https:\/\/127\.0\.0\.1:\d+\/\.$/);
    await shots('upload-v2-02-processing');
  }, 120_000);

  it('ends done with the cloud\u2019s build_info, and the cloud holds the signed bytes once', async () => {
    cloud!.bundles[0].states.push('done');
    const done = panel().getByTestId('upload-done');
    await done.waitFor({ timeout: 60_000 });
    expect(await done.innerText()).toContain('Uploaded and processed');
    expect(await done.innerText()).toContain(`Deployment bundle ${cloud!.bundles[0].id} is done`);
    expect((await panel().getByTestId('upload-build-info').innerText()).trim()).toBe('Build info: pylibs: built for amd64; pylibs: built for arm64');
    expect(await states()).toEqual(['uploading:reached', 'uploaded:reached', 'processing:reached', 'done:reached']);
    expect(cloud!.received).toHaveLength(1);
    expect(cloud!.received[0]).toMatchObject({ route: 'deployment-bundle', stored: true, clientCn: 'jane', partName: 'file', partType: 'application/gzip', sha256: sha256File(bundle) });
    await shots('upload-v2-03-done');
  }, 120_000);

  it('left no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
