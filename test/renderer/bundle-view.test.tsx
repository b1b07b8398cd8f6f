// The bundle view: an item as a form and the whole config.yaml as YAML over one text, one
// Problems list, items added, duplicated and removed, an image added, an atomic save, the
// unsaved-changes guard; and the start screen's way in (New layer bundle, Open, Recent).
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DeploymentSnapshot } from '../../src/shared/contract';
import type { FakeHandlers } from '../../src/renderer/api/fake';
import { parseDeploymentConfig } from '../../src/shared/deployment-config';
import { renderApp } from './app-harness';
import { forgetCatalogVersions } from '../../src/renderer/common/use-catalog-versions';

export const BUNDLE_CONFIG = `# Layer bundle for the Python libraries
schemaVersion: 2
publish:
  tlsKey: aos-user-oem.p12 # the OEM user's key
items:
  - identity:
      type: layer
      codename: pylibs
      title: Python libraries
    # Bump for every upload.
    version: 1.0.0
    images:
      - mediaType: application/vnd.oci.image.layer.v1.tar+gzip
        archInfo:
          architecture: amd64
        osInfo:
          os: linux
        path: pylibs/linux-amd64-1.0.0.tar.gz
`;

const ROOT = '/home/jane/bundles/pylibs-bundle';
const snapshot = (configText = BUNDLE_CONFIG): DeploymentSnapshot => ({ root: ROOT, configPath: `${ROOT}/config.yaml`, configText, configMtimeMs: 1000, diagnostics: [] });

type Items = { identity: { codename: string }; version: string; images: { archInfo: { architecture: string } }[] }[];
const itemsOf = (text: string) => (parseDeploymentConfig(text).value as { items: Items }).items;

async function openBundle(handlers: FakeHandlers = {}) {
  const result = renderApp({
    'recent.list': () => [{ root: ROOT, name: 'pylibs-bundle', openedAt: '2026-11-20T10:00:00.000Z', kind: 'deployment' as const }],
    'deployment.open': () => snapshot(),
    'deployment.validate': () => ({ diagnostics: [] }),
    'deployment.save': () => ({ configMtimeMs: 2000, diagnostics: [] }),
    'deployment.contents': () => ({ packed: [], totalBytes: 0, notPacked: [], problems: [], warnings: [] }),
    ...handlers,
  });
  const list = await screen.findByRole('list', { name: 'Recent services' });
  expect(within(list).getByTestId('recent-kind')).toHaveTextContent('layer bundle');
  fireEvent.click(within(list).getByText('pylibs-bundle'));
  await screen.findByTestId('bundle-name');
  return result;
}

/** The text the editor holds now, as the YAML tab shows it. */
const yamlText = () => screen.getByTestId('yaml-editor').querySelector('.cm-content')!.textContent ?? '';
const lastSaved = (api: Awaited<ReturnType<typeof openBundle>>['api']) => api.callsTo('deployment.save').at(-1)!.text;

describe('bundle view', () => {
  it('opens a recent layer bundle with deployment.open and says what it is', async () => {
    const { api } = await openBundle();
    expect(api.callsTo('deployment.open')).toEqual([{ dir: ROOT }]);
    expect(api.callsTo('service.open')).toEqual([]);
    expect(screen.getByTestId('bundle-kind')).toHaveTextContent('schemaVersion 2');
    expect(screen.getAllByTestId('item-row')).toHaveLength(1);
    expect(screen.getAllByTestId('item-row')[0]).toHaveTextContent('pylibs');
  });

  it('edits an item in the form: the YAML follows, comments stay, and Save writes it', async () => {
    const { api } = await openBundle();
    const form = screen.getByTestId('item-form');
    const codename = form.querySelector<HTMLInputElement>('[data-path="items[0].identity.codename"]')!;
    expect(codename).toHaveValue('pylibs');
    fireEvent.change(codename, { target: { value: 'pylibs-extra' } });
    await screen.findByTestId('dirty-indicator');
    expect(yamlText()).toContain('codename: pylibs-extra');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.callsTo('deployment.save')).toHaveLength(1));
    const saved = lastSaved(api);
    expect(saved).toContain('# Bump for every upload.');
    expect(saved).toContain("tlsKey: aos-user-oem.p12 # the OEM user's key");
    expect(itemsOf(saved)[0].identity.codename).toBe('pylibs-extra');
    expect(api.callsTo('deployment.save')[0]).toMatchObject({ root: ROOT, expectedMtimeMs: 1000 });
    await waitFor(() => expect(screen.queryByTestId('dirty-indicator')).toBeNull());
  });

  it('shows one Problems list for form and YAML; a click jumps to the line, and a fix in the form clears it', async () => {
    await openBundle({ 'deployment.open': () => snapshot(BUNDLE_CONFIG.replace('architecture: amd64', 'architecture: x86_64')) });
    const problem = await screen.findByText(/x86_64/, { selector: '[data-testid="diagnostics"] *' });
    expect(problem.textContent).toMatch(/amd64/);
    // The same finding under the form's field.
    const arch = screen.getByTestId('item-form').querySelector<HTMLInputElement>('[data-path="items[0].images[0].archInfo.architecture"]')!;
    expect(arch.closest('.mantine-InputWrapper-root')?.textContent).toMatch(/amd64/);
    fireEvent.click(problem.closest('button')!);
    await waitFor(() => expect(screen.getByRole('tab', { name: 'YAML' })).toHaveAttribute('aria-selected', 'true'));
    fireEvent.click(screen.getByRole('tab', { name: /^Item/ }));
    fireEvent.click(arch);
    fireEvent.click(await screen.findByRole('option', { name: 'amd64' }));
    await waitFor(() => expect(screen.queryByText(/x86_64/, { selector: '[data-testid="diagnostics"] *' })).toBeNull());
    expect(yamlText()).toContain('architecture: amd64');
  });

  it('adds, duplicates and removes items, and adds an image to one', async () => {
    const { api } = await openBundle();
    fireEvent.click(screen.getByRole('button', { name: 'Duplicate pylibs' }));
    await waitFor(() => expect(screen.getAllByTestId('item-row')).toHaveLength(2));
    fireEvent.click(screen.getByRole('button', { name: 'Add item' }));
    await waitFor(() => expect(screen.getAllByTestId('item-row')).toHaveLength(3));
    fireEvent.click(screen.getAllByTestId('item-row')[0]);
    fireEvent.click(screen.getByRole('button', { name: 'Add image' }));
    await waitFor(() => expect(screen.getAllByTestId('item-image')).toHaveLength(2));
    fireEvent.click(screen.getAllByRole('button', { name: /^Remove / }).find((b) => b.getAttribute('aria-label') === 'Remove item 3')!);
    await waitFor(() => expect(screen.getAllByTestId('item-row')).toHaveLength(2));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.callsTo('deployment.save')).toHaveLength(1));
    const items = itemsOf(lastSaved(api));
    expect(items).toHaveLength(2);
    expect(items[0].images).toHaveLength(2);
    // Codenames are unique per type: the copy gets its own.
    expect(items[1].identity.codename).toBe('pylibs-copy');
    expect(lastSaved(api)).toContain('# Bump for every upload.');
  });

  it('asks before leaving with unsaved edits', async () => {
    await openBundle();
    fireEvent.change(screen.getByTestId('item-form').querySelector('[data-path="items[0].version"]')!, { target: { value: '1.0.1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Close bundle' }));
    const dialog = await screen.findByRole('dialog', { name: 'Unsaved changes' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.getByTestId('bundle-name')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Close bundle' }));
    fireEvent.click(within(await screen.findByRole('dialog', { name: 'Unsaved changes' })).getByRole('button', { name: 'Discard changes' }));
    expect(await screen.findByText('New layer bundle')).toBeInTheDocument();
  });
});

describe('what goes in', () => {
  it('shows a private key that would be packed as a warning naming the file', async () => {
    const message = 'items[0].images[0].sourceFolder "x86": etc/server.pem looks like a private key (.pem) and would be packed into the bundle; a key in a bundle is almost always a mistake: move it out of the folder.';
    await openBundle({
      'deployment.contents': () => ({ packed: [{ path: 'x86/etc/server.pem', size: 120 }], totalBytes: 120, notPacked: [], problems: [], warnings: [{ path: 'items[0].images[0].sourceFolder', message }] }),
    });
    fireEvent.click(screen.getByRole('tab', { name: 'What goes in' }));
    const box = await screen.findByTestId('contents-warnings');
    expect(box).toHaveTextContent('Packed, but probably by mistake');
    expect(box).toHaveTextContent('etc/server.pem looks like a private key');
  });
});

describe('bundle watch', () => {
  it('watches the bundle: an image changing on disk re-validates, config.yaml changed by another program reloads a clean editor', async () => {
    const changed = BUNDLE_CONFIG.replace('title: Python libraries', 'title: Python libs');
    let opened = 0;
    const { api } = await openBundle({
      'service.watch': () => ({ watchId: 'w1' }),
      'service.unwatch': () => ({ stopped: true }),
      'deployment.open': () => snapshot(opened++ === 0 ? BUNDLE_CONFIG : changed),
    });
    await waitFor(() => expect(api.callsTo('service.watch')).toEqual([{ root: ROOT }]));
    const validations = api.callsTo('deployment.validate').length;
    api.emit('service.changed', { watchId: 'w1', root: ROOT, changes: [{ kind: 'src', paths: ['pylibs/linux-amd64-1.0.0.tar.gz'] }] });
    await waitFor(() => expect(api.callsTo('deployment.validate').length).toBeGreaterThan(validations));
    api.emit('service.changed', { watchId: 'w1', root: ROOT, changes: [{ kind: 'config', paths: ['config.yaml'] }] });
    await waitFor(() => expect(api.callsTo('deployment.open')).toHaveLength(2));
    await waitFor(() => expect(yamlText()).toContain('title: Python libs'));
  });
});

describe('bundle preview', () => {
  it('computes each image\'s descriptor with deployment.preview and shows digest, size, diff_id and platform', async () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const diffId = `sha256:${'b'.repeat(64)}`;
    const { api } = await openBundle({ 'deployment.preview': () => ({ jobId: 'preview-1' }) });
    fireEvent.click(screen.getByRole('tab', { name: 'Preview' }));
    expect(await screen.findByText(/What a unit sees \(deployment bundle\)/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Compute descriptors' }));
    await waitFor(() => expect(api.callsTo('deployment.preview')).toEqual([{ root: ROOT }]));
    api.emit('job.done', {
      jobId: 'preview-1',
      ok: true,
      value: {
        kind: 'deployment-bundle',
        root: ROOT,
        items: [{
          type: 'layer', codename: 'pylibs', version: '1.0.0', notes: [],
          images: [{ key: 'items[0].images[0]', kind: 'layer', source: 'pylibs/linux-amd64-1.0.0.tar.gz', diffId, descriptor: { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest, size: 3072, platform: { architecture: 'amd64', os: 'linux', 'os.version': '5.10' } } }],
        }],
      },
    });
    const table = await screen.findByRole('table', { name: 'Descriptor of pylibs/linux-amd64-1.0.0.tar.gz' });
    expect(table).toHaveTextContent(digest);
    expect(table).toHaveTextContent(diffId);
    expect(table).toHaveTextContent('3072');
    expect(table).toHaveTextContent('amd64 linux, os.version 5.10');
    expect(table).toHaveTextContent('application/vnd.oci.image.layer.v1.tar+gzip');
    expect(screen.getByTestId('preview-item')).toHaveTextContent('layer pylibs 1.0.0');
  });
});

describe("a layer dependency's catalog view", () => {
  // A layer built on a parent: the dependency names the parent by codename, which a layer
  // bundle the app knows gave the catalog folder aos-base-python (deployment-bundle.md §2).
  const withDependency = BUNDLE_CONFIG + '    dependencies:\n      - identity: {type: layer, codename: base-python}\n        versions: ">=1.0.0 <2.0.0"\n';
  const row = (uid: string, version: string) => ({ uid, version, os: 'linux', architecture: 'amd64', file: `/srv/layers/${uid}/linux-amd64-${version}.tar.gz`, size: 10, dependants: 0 });
  const catalog = (codenames: Record<string, string[]>) => ({
    library: '/srv/layers',
    layers: [
      { uid: 'aos-base-python', folder: '/srv/layers/aos-base-python', versions: [row('aos-base-python', '1.4.0'), row('aos-base-python', '2.1.0')], architectures: ['amd64'], dependants: 0 },
      { uid: 'base-python', folder: '/srv/layers/base-python', versions: [row('base-python', '1.9.0')], architectures: ['amd64'], dependants: 0 },
    ],
    codenames,
    consumers: { services: 0, bundles: 1 },
    problems: [],
  });
  const open = async (codenames: Record<string, string[]>) => {
    const { api } = await openBundle({
      'settings.get': () => ({ theme: 'light', previewTarget: 'v9', layerLibrary: '/srv/layers' }),
      'deployment.open': () => snapshot(withDependency),
      'layers.catalog': () => ({ jobId: 'cat-1' }),
    });
    await waitFor(() => expect(api.callsTo('layers.catalog')).toHaveLength(1));
    api.emit('job.done', { jobId: 'cat-1', ok: true, value: catalog(codenames) });
  };

  it('lists the versions of the catalog layer the codename names, not of a folder that happens to have that name', async () => {
    forgetCatalogVersions();
    await open({ 'base-python': ['aos-base-python'], 'python-libs': ['base-python'] });
    const matches = await screen.findByTestId('catalog-matches');
    const rows = within(matches).getAllByRole('row').slice(1).map((r) => `${(r as HTMLTableRowElement).cells[0].textContent} ${r.getAttribute('data-status')}`);
    expect(rows).toEqual(['2.1.0 outside-range', '1.4.0 selected']);
    expect(screen.getByTestId('codename-folders')).toHaveTextContent("Codename base-python is the catalog's aos-base-python");
  });

  it('says when no catalog layer has the codename', async () => {
    forgetCatalogVersions();
    await open({ 'python-libs': ['aos-base-python', 'base-python'] });
    expect(await screen.findByText(/No layer of the layer library has the codename base-python/)).toBeInTheDocument();
    expect(screen.queryByTestId('catalog-matches')).toBeNull();
  });
});

describe('start screen and layer bundles', () => {
  it('opens a picked folder as what it holds, and says which kind it found', async () => {
    const { api } = renderApp({
      'dialog.openFolder': () => ({ path: ROOT }),
      'folder.detect': ({ dir }) => ({ kind: 'deployment' as const, root: dir, message: `${dir} is a deployment bundle (config.yaml, schemaVersion 2).` }),
      'deployment.open': () => snapshot(),
      'deployment.validate': () => ({ diagnostics: [] }),
      'deployment.contents': () => ({ packed: [], totalBytes: 0, notPacked: [], problems: [], warnings: [] }),
    });
    fireEvent.click(screen.getByText('Open service or layer bundle'));
    await screen.findByTestId('bundle-name');
    expect(await screen.findByText('Found a layer bundle')).toBeInTheDocument();
    expect(api.callsTo('folder.detect')).toEqual([{ dir: ROOT }]);
    expect(api.callsTo('deployment.open')).toEqual([{ dir: ROOT }]);
  });

  it('says what a folder holds instead when it is neither kind', async () => {
    const { api } = renderApp({
      'dialog.openFolder': () => ({ path: '/tmp/empty' }),
      'folder.detect': ({ dir }) => ({ kind: 'none' as const, root: dir, message: `${dir} is neither a service tree nor a deployment bundle.` }),
    });
    fireEvent.click(screen.getByText('Open service or layer bundle'));
    expect(await screen.findByText(/is neither a service tree nor a deployment bundle/)).toBeInTheDocument();
    expect(api.callsTo('deployment.open')).toEqual([]);
    expect(api.callsTo('service.open')).toEqual([]);
  });
});
