// The new-layer-bundle wizard, step by step: the folder, the item, the image rows (prefilled
// from the file name, editable, one per platform), the dependencies with the range picker,
// the certificate (a service provider's gets a warning that says it is a guess), and the
// review that writes config.yaml through deployment.create.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeFailure, type FakeHandlers } from '../../src/renderer/api/fake';
import { parseDeploymentConfig } from '../../src/shared/deployment-config';
import { renderApp } from './app-harness';

const errorOf = (input: HTMLElement) => input.closest('.mantine-InputWrapper-root')?.querySelector('.mantine-InputWrapper-error')?.textContent ?? null;
const next = () => fireEvent.click(screen.getByRole('button', { name: 'Next' }));

const SNAPSHOT = {
  root: '/home/jane/services/pylibs-bundle',
  configPath: '/home/jane/services/pylibs-bundle/config.yaml',
  configText: 'schemaVersion: 2\n',
  configMtimeMs: 1,
  diagnostics: [],
};

function summary(roleGuess?: string) {
  return {
    subject: { commonName: 'Jane Doe', organization: 'aoscloud.io', organizationalUnit: 'Example Motors' },
    issuer: 'CN=Aos OEM Issuing CA',
    serialNumber: '0A',
    validFrom: '2026-01-01T00:00:00.000Z',
    validTo: '2028-01-01T00:00:00.000Z',
    keyType: 'RSA 2048',
    status: 'valid' as const,
    ...(roleGuess ? { roleGuess } : {}),
  };
}

async function openWizard(handlers: FakeHandlers = {}) {
  const picked: string[] = [];
  const result = renderApp({
    'fs.browse': ({ path }) => ({ path: path ?? '/', parent: null, entries: [] }),
    'dialog.openFiles': () => ({ paths: picked.splice(0, 1) }),
    'credentials.describe': () => {
      throw fakeFailure('not-found');
    },
    'deployment.create': ({ dir }) => ({ root: dir, created: ['config.yaml'] }),
    'deployment.open': () => SNAPSHOT,
    'deployment.validate': () => ({ diagnostics: [] }),
    ...handlers,
  });
  fireEvent.click(screen.getByText('New layer bundle'));
  await waitFor(() => expect(screen.getByLabelText('Parent folder')).toHaveValue('/home/jane/services'));
  return { ...result, pick: (path: string) => picked.push(path) };
}

async function toImages(w: Awaited<ReturnType<typeof openWizard>>) {
  fireEvent.change(screen.getByLabelText('Bundle folder name'), { target: { value: 'pylibs-bundle' } });
  next();
  fireEvent.change(await screen.findByLabelText('Codename'), { target: { value: 'pylibs' } });
  next();
  await screen.findByRole('button', { name: 'Add image file…' });
  return w;
}

async function addImage(w: Awaited<ReturnType<typeof openWizard>>, path: string) {
  const before = screen.queryAllByTestId('image-row').length;
  w.pick(path);
  fireEvent.click(screen.getByRole('button', { name: 'Add image file…' }));
  await waitFor(() => expect(screen.getAllByTestId('image-row')).toHaveLength(before + 1));
}

describe('new-layer-bundle wizard', () => {
  it('asks for a folder name and shows where the bundle goes', async () => {
    await openWizard();
    next();
    expect(errorOf(screen.getByLabelText('Bundle folder name'))).toMatch(/Give the bundle folder a name/);
    fireEvent.change(screen.getByLabelText('Bundle folder name'), { target: { value: 'pylibs-bundle' } });
    expect(screen.getByTestId('target-dir')).toHaveTextContent('/home/jane/services/pylibs-bundle');
    next();
    expect(await screen.findByLabelText('Codename')).toBeInTheDocument();
  });

  it('refuses a folder that already is a layer bundle', async () => {
    await openWizard({
      'fs.browse': () => ({ path: '/home/jane/services', parent: '/home/jane', entries: [{ name: 'pylibs-bundle', kind: 'directory' as const, isService: false }] }),
      'folder.detect': ({ dir }) => ({ kind: 'deployment' as const, root: dir, message: 'a deployment bundle' }),
    });
    fireEvent.change(screen.getByLabelText('Bundle folder name'), { target: { value: 'pylibs-bundle' } });
    next();
    await waitFor(() => expect(errorOf(screen.getByLabelText('Bundle folder name'))).toMatch(/already a layer bundle/));
    expect(screen.queryByLabelText('Codename')).toBeNull();
  });

  it('checks the codename and the version of the item', async () => {
    await openWizard();
    fireEvent.change(screen.getByLabelText('Bundle folder name'), { target: { value: 'pylibs-bundle' } });
    next();
    fireEvent.change(await screen.findByLabelText('Codename'), { target: { value: 'py libs' } });
    fireEvent.change(screen.getByLabelText('Version'), { target: { value: '1.0' } });
    next();
    expect(errorOf(screen.getByLabelText('Codename'))).toMatch(/no spaces/);
    expect(errorOf(screen.getByLabelText('Version'))).toMatch(/strict SemVer/);
  });

  it('prefills an image row from its file name, keeps it editable, and warns when the name states another version', async () => {
    const w = await toImages(await openWizard());
    next();
    expect(await screen.findByTestId('images-error')).toHaveTextContent(/at least one image/);
    await addImage(w, '/home/jane/build/linux-arm64-1.1.0.tar.gz');
    const row = screen.getAllByTestId('image-row')[0];
    expect(within(row).getByLabelText('Architecture of image 1')).toHaveValue('arm64');
    expect(within(row).getByLabelText('OS of image 1')).toHaveValue('linux');
    // Outside the bundle folder: copied in under the codename.
    expect(row).toHaveTextContent('Copied into the bundle as pylibs/linux-arm64-1.1.0.tar.gz');
    expect(within(row).getByTestId('image-version-warning')).toHaveTextContent('The file name says version 1.1.0; the item\'s version is 1.0.0');
    fireEvent.change(within(row).getByLabelText('Architecture of image 1'), { target: { value: 'arm' } });
    fireEvent.change(within(row).getByLabelText('Variant of image 1'), { target: { value: 'v7' } });
    expect(within(row).getByLabelText('Architecture of image 1')).toHaveValue('arm');
    expect(within(row).getByLabelText('Variant of image 1')).toHaveValue('v7');
  });

  it('refuses two images for the same platform, and lets one be removed', async () => {
    const w = await toImages(await openWizard());
    await addImage(w, '/home/jane/build/linux-amd64-1.0.0.tar.gz');
    await addImage(w, '/home/jane/other/linux-amd64-1.0.0.tar.gz');
    next();
    expect(await screen.findByTestId('images-error')).toHaveTextContent(/Two images for linux\/amd64/);
    fireEvent.click(screen.getByRole('button', { name: 'Remove image 2' }));
    expect(screen.getAllByTestId('image-row')).toHaveLength(1);
    next();
    expect(await screen.findByRole('button', { name: 'Add dependency' })).toBeInTheDocument();
  });

  it('takes a dependency with the range picker and shows the range in words', async () => {
    const w = await toImages(await openWizard());
    await addImage(w, '/home/jane/build/linux-amd64-1.0.0.tar.gz');
    next();
    fireEvent.click(await screen.findByRole('button', { name: 'Add dependency' }));
    next();
    expect(await screen.findByText(/enter the codename of the layer it needs/)).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Codename of dependency 1'), { target: { value: 'base-python' } });
    fireEvent.change(screen.getByLabelText('Minimum version'), { target: { value: '1.0.0' } });
    fireEvent.change(screen.getByLabelText('Maximum version'), { target: { value: '2.0.0' } });
    expect(screen.getByTestId('layer-range-words')).toHaveTextContent('1.0.0 ≤ v < 2.0.0');
    next();
    expect(await screen.findByLabelText('Certificate file')).toBeInTheDocument();
  });

  it("warns that a service provider's certificate cannot upload layers, and says it is a guess", async () => {
    const w = await toImages(
      await openWizard({
        'credentials.describe': ({ path }) => {
          if (path.endsWith('aos-user-sp.p12')) return summary('service provider (guessed from the file name)');
          if (path.endsWith('aos-user-oem.p12')) return summary('OEM (guessed from the file name)');
          throw fakeFailure('not-found');
        },
      }),
    );
    await addImage(w, '/home/jane/build/linux-amd64-1.0.0.tar.gz');
    next();
    next();
    const field = await screen.findByLabelText('Certificate file');
    fireEvent.change(field, { target: { value: '/home/jane/keys/aos-user-sp.p12' } });
    const warning = await screen.findByTestId('role-warning', {}, { timeout: 2000 });
    expect(warning).toHaveTextContent('Only OEM users upload layers');
    expect(warning).toHaveTextContent('This is a guess from the file name');
    fireEvent.change(field, { target: { value: '/home/jane/keys/aos-user-oem.p12' } });
    await waitFor(() => expect(screen.getByTestId('certificate-summary')).toHaveTextContent('OEM'), { timeout: 2000 });
    expect(screen.queryByTestId('role-warning')).toBeNull();
  });

  it('reviews the config with the checker, creates the bundle with its images copied in, and opens it', async () => {
    const w = await toImages(await openWizard());
    await addImage(w, '/home/jane/build/linux-amd64-1.0.0.tar.gz');
    await addImage(w, '/home/jane/services/pylibs-bundle/images/linux-arm64-1.0.0.tar.gz');
    fireEvent.change(screen.getByLabelText('Architecture of image 1'), { target: { value: 'x86_64' } });
    next();
    fireEvent.click(await screen.findByRole('button', { name: 'Add dependency' }));
    fireEvent.change(screen.getByLabelText('Codename of dependency 1'), { target: { value: 'base-python' } });
    fireEvent.change(screen.getByLabelText('Minimum version'), { target: { value: '1.0.0' } });
    fireEvent.change(screen.getByLabelText('Maximum version'), { target: { value: '2.0.0' } });
    next();
    fireEvent.change(await screen.findByLabelText('Certificate file'), { target: { value: '/home/jane/services/pylibs-bundle/aos-user-oem.p12' } });
    next();
    const check = await screen.findByTestId('review-check');
    expect(check).toHaveTextContent(/x86_64/);
    expect(check).toHaveTextContent(/amd64/);
    expect(screen.getByRole('table', { name: 'Summary' })).toHaveTextContent('/home/jane/services/pylibs-bundle');

    fireEvent.click(screen.getByRole('button', { name: 'Create bundle' }));
    await screen.findByTestId('bundle-name');
    const [call] = w.api.callsTo('deployment.create');
    expect(call.dir).toBe('/home/jane/services/pylibs-bundle');
    // Only the image outside the folder is copied; the other keeps its place.
    expect(call.copies).toEqual([{ from: '/home/jane/build/linux-amd64-1.0.0.tar.gz', to: 'pylibs/linux-amd64-1.0.0.tar.gz' }]);
    const value = parseDeploymentConfig(call.text).value as {
      schemaVersion: number;
      publish: { tlsKey: string };
      items: { identity: { type: string; codename: string }; version: string; images: { archInfo: { architecture: string }; path: string; mediaType: string }[]; dependencies: { identity: { codename: string }; versions: string }[] }[];
    };
    expect(value.schemaVersion).toBe(2);
    // Inside the bundle folder: named by its file name, as the platform's lookup finds it.
    expect(value.publish.tlsKey).toBe('aos-user-oem.p12');
    expect(value.items[0].identity).toMatchObject({ type: 'layer', codename: 'pylibs' });
    expect(value.items[0].version).toBe('1.0.0');
    expect(value.items[0].images.map((i) => [i.archInfo.architecture, i.path])).toEqual([
      ['x86_64', 'pylibs/linux-amd64-1.0.0.tar.gz'],
      ['arm64', 'images/linux-arm64-1.0.0.tar.gz'],
    ]);
    expect(value.items[0].images[0].mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    expect(value.items[0].dependencies).toEqual([{ identity: { type: 'layer', codename: 'base-python' }, versions: '>=1.0.0 <2.0.0' }]);
    expect(w.api.callsTo('deployment.open')).toEqual([{ dir: '/home/jane/services/pylibs-bundle' }]);
  });
});
