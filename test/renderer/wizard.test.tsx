import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeFailure, type FakeHandlers } from '../../src/renderer/api/fake';
import { renderApp } from './app-harness';
import { snapshotOf } from './fixtures';

const errorOf = (input: HTMLElement) => input.closest('.mantine-InputWrapper-root')?.querySelector('.mantine-InputWrapper-error')?.textContent ?? null;
const next = () => fireEvent.click(screen.getByRole('button', { name: 'Next' }));

async function openWizard(handlers: FakeHandlers = {}) {
  const result = renderApp({
    'service.init': ({ dir }) => ({ root: dir, created: ['meta/config.yaml', 'src/'] }),
    'service.open': ({ dir }) => ({ ...snapshotOf(), root: dir }),
    'config.validate': () => ({ diagnostics: [] }),
    'credentials.describe': () => {
      throw fakeFailure('not-found');
    },
    ...handlers,
  });
  fireEvent.click(screen.getByText('New service'));
  await waitFor(() => expect(screen.getByLabelText('Parent folder')).toHaveValue('/home/jane/services'));
  return result;
}

describe('new-service wizard', () => {
  it('does not leave step 1 without a valid name, and shows the final path', async () => {
    await openWizard();
    next();
    expect(errorOf(screen.getByLabelText('Service name'))).toMatch(/Give the service a name/);
    fireEvent.change(screen.getByLabelText('Service name'), { target: { value: 'my service' } });
    next();
    expect(errorOf(screen.getByLabelText('Service name'))).toMatch(/letters, digits/);
    fireEvent.change(screen.getByLabelText('Service name'), { target: { value: 'hello-world' } });
    expect(screen.getByTestId('target-dir')).toHaveTextContent('/home/jane/services/hello-world');
    next();
    expect(await screen.findByLabelText('Start command')).toBeInTheDocument();
  });

  it('checks the start command and the working directory', async () => {
    await openWizard();
    fireEvent.change(screen.getByLabelText('Service name'), { target: { value: 'hello-world' } });
    next();
    await screen.findByLabelText('Start command');
    fireEvent.change(screen.getByLabelText('Working directory'), { target: { value: 'app' } });
    next();
    expect(errorOf(screen.getByLabelText('Start command'))).toMatch(/how the service starts/);
    expect(errorOf(screen.getByLabelText('Working directory'))).toMatch(/absolute path/);
  });

  it('shows whose certificate a .p12 is, and asks for a password when needed', async () => {
    let wantPassword = true;
    await openWizard({
      'credentials.describe': ({ path, password }: { path: string; password?: string }) => {
        if (!path.endsWith('me.p12')) throw fakeFailure('not-found');
        if (wantPassword && password !== 'secret') throw fakeFailure('wrong-password', 'The certificate needs a password.');
        return {
          subject: { commonName: 'Jane Doe', organization: 'aoscloud.io', organizationalUnit: 'Acme', email: 'jane@acme.test' },
          issuer: 'CN=Aos SP Issuing CA,O=EPAM,OU=Aos',
          serialNumber: '62B17649000AD78B',
          validFrom: '2026-01-01T00:00:00.000Z',
          validTo: '2028-01-01T00:00:00.000Z',
          keyType: 'RSA 2048',
          roleGuess: 'service provider',
          status: 'valid' as const,
        };
      },
    });
    fireEvent.change(screen.getByLabelText('Service name'), { target: { value: 'hello-world' } });
    next();
    fireEvent.change(await screen.findByLabelText('Start command'), { target: { value: 'python3 /hello.py' } });
    next();
    fireEvent.change(await screen.findByLabelText('Certificate file'), { target: { value: '/home/jane/me.p12' } });
    const password = await screen.findByLabelText('Certificate password', {}, { timeout: 2000 });
    fireEvent.change(password, { target: { value: 'secret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    const card = await screen.findByTestId('certificate-summary');
    expect(within(card).getAllByText('Jane Doe').length).toBeGreaterThan(0);
    expect(within(card).getByText('jane@acme.test')).toBeInTheDocument();
    expect(within(card).getByText(/role guess: service provider/)).toBeInTheDocument();
    wantPassword = false;
  });

  it('creates the service and opens it', async () => {
    const { api } = await openWizard();
    fireEvent.change(screen.getByLabelText('Service name'), { target: { value: 'hello-world' } });
    next();
    fireEvent.change(await screen.findByLabelText('Start command'), { target: { value: 'python3 /usr/bin/services/hello.py' } });
    next();
    await screen.findByLabelText('Certificate file');
    next();
    expect(await screen.findByRole('table', { name: 'Summary' })).toHaveTextContent('/home/jane/services/hello-world');
    fireEvent.click(screen.getByRole('button', { name: 'Create service' }));
    await screen.findByTestId('service-name');
    expect(api.callsTo('service.init')).toEqual([
      { dir: '/home/jane/services/hello-world', name: 'hello-world', cmd: 'python3 /usr/bin/services/hello.py', workingDir: '/', arch: 'x86' },
    ]);
    expect(api.callsTo('service.open')).toEqual([{ dir: '/home/jane/services/hello-world' }]);
  });

  it('refuses, at the folder step, a name that already holds a service or is a file', async () => {
    await openWizard({
      'fs.browse': () => ({
        path: '/home/jane/services',
        parent: '/home/jane',
        entries: [
          { name: 'hello-world', kind: 'directory' as const, isService: true },
          { name: 'notes.txt', kind: 'file' as const, isService: false },
          { name: 'empty', kind: 'directory' as const, isService: false },
        ],
      }),
    });
    fireEvent.change(screen.getByLabelText('Service name'), { target: { value: 'hello-world' } });
    next();
    await waitFor(() => expect(errorOf(screen.getByLabelText('Service name'))).toMatch(/already a service/));
    expect(screen.queryByLabelText('Start command')).toBeNull();
    fireEvent.change(screen.getByLabelText('Service name'), { target: { value: 'notes.txt' } });
    next();
    await waitFor(() => expect(errorOf(screen.getByLabelText('Service name'))).toMatch(/A file named notes.txt/));
    // An existing folder without a service is fine: init adds meta/ and src/ and overwrites nothing.
    fireEvent.change(screen.getByLabelText('Service name'), { target: { value: 'empty' } });
    next();
    expect(await screen.findByLabelText('Start command')).toBeInTheDocument();
  });

  it('refuses, at the certificate step, a path where there is no file', async () => {
    const { api } = await openWizard({
      'fs.browse': ({ path }) => ({ path: path ?? '/', parent: '/', entries: path === '/home/jane/keys' ? [{ name: 'other.p12', kind: 'file' as const, isService: false }] : [] }),
    });
    fireEvent.change(screen.getByLabelText('Service name'), { target: { value: 'hello-world' } });
    next();
    fireEvent.change(await screen.findByLabelText('Start command'), { target: { value: 'python3 /usr/bin/services/hello.py' } });
    next();
    fireEvent.change(await screen.findByLabelText('Certificate file'), { target: { value: '/home/jane/keys/missing.p12' } });
    next();
    await waitFor(() => expect(errorOf(screen.getByLabelText('Certificate file'))).toMatch(/No file at \/home\/jane\/keys\/missing.p12/));
    expect(screen.queryByRole('table', { name: 'Summary' })).toBeNull();
    expect(api.callsTo('service.init')).toEqual([]);
  });

  it('starts in the parent folder the last new service went to, and remembers the one chosen', async () => {
    const { api } = renderApp({
      'settings.get': () => ({ theme: 'auto', previewTarget: 'v9', layerLibrary: '', lastFolders: { newService: '/srv/services' } }),
      'settings.set': (patch) => ({ theme: 'auto', previewTarget: 'v9', layerLibrary: '', ...patch }),
    });
    await waitFor(() => expect(api.callsTo('settings.get')).toHaveLength(1));
    await act(async () => undefined);
    fireEvent.click(screen.getByText('New service'));
    await waitFor(() => expect(screen.getByLabelText('Parent folder')).toHaveValue('/srv/services'));
    fireEvent.change(screen.getByLabelText('Parent folder'), { target: { value: '/srv/other' } });
    fireEvent.change(screen.getByLabelText('Service name'), { target: { value: 'hello-world' } });
    next();
    await screen.findByLabelText('Start command');
    expect(api.callsTo('settings.set')).toContainEqual({ lastFolders: { newService: '/srv/other' } });
  });
});
