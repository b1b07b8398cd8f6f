import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeFailure } from '../../src/renderer/api/fake';
import { VerifyPanel } from '../../src/renderer/verify/VerifyBundleModal';
import { StartScreen } from '../../src/renderer/start/StartScreen';
import { APP_INFO, renderApp } from './app-harness';
import { renderWithApi } from './render';
import { snapshotOf } from './fixtures';
import { renderService } from './service-helpers';
import { INSPECT, P12, RESULT, ROOT, SUMMARY, VERIFY_FAIL, VERIFY_OK } from './sign-fixtures';

const BUNDLE = `${ROOT}/service.tar.gz`;

describe('verify report', () => {
  it('shows a sound bundle: verdict, checks, signer, members and contents', async () => {
    const { api } = renderWithApi(<VerifyPanel request={{ path: BUNDLE, certPath: P12, autoRun: true }} />, {
      'bundle.verify': () => VERIFY_OK,
      'bundle.inspect': () => INSPECT,
    });
    const report = await screen.findByTestId('verify-report');
    expect(api.callsTo('bundle.verify')).toEqual([{ path: BUNDLE, certPath: P12 }]);
    expect(api.callsTo('bundle.inspect')).toEqual([{ path: BUNDLE }]);

    const verdict = within(report).getByTestId('verify-verdict');
    expect(verdict).toHaveAttribute('data-ok', 'true');
    expect(verdict).toHaveTextContent('The bundle is sound');
    expect(verdict).toHaveTextContent('All 3 checks passed');
    expect(verdict).toHaveTextContent('signature was checked');
    const checks = within(report).getAllByTestId('verify-check');
    expect(checks).toHaveLength(3);
    expect(checks.every((c) => c.getAttribute('data-ok') === 'true')).toBe(true);
    expect(within(report).queryByTestId('verify-failures')).toBeNull();

    const signer = within(report).getByTestId('verify-signer');
    expect(signer).toHaveTextContent('CN=Test SP Issuing CA,O=Test,OU=Aos');
    expect(signer).toHaveTextContent('62B17649000AD78B');

    const members = within(report).getByTestId('verify-members');
    expect(within(members).getAllByRole('row')).toHaveLength(4);
    expect(members).toHaveTextContent('package.sign');
    expect(members).toHaveTextContent('rw-r--r--');

    const inside = within(report).getByTestId('verify-inspect');
    expect(inside).toHaveTextContent('1.0.0');
    expect(inside).toHaveTextContent('0c6bd4d2-6e7f-4b6e-9b1a-1f2c3d4e5f60');
    expect(inside).toHaveTextContent('python3 /usr/bin/services/hello.py');
    expect(within(inside).getByTestId('verify-service-summary')).toHaveTextContent('3 files, 4 folders, 0 symlinks');
  });

  it('names the member and the field that fail', async () => {
    renderWithApi(<VerifyPanel request={{ path: BUNDLE, autoRun: true }} />, {
      'bundle.verify': () => VERIFY_FAIL,
      'bundle.inspect': () => INSPECT,
    });
    const report = await screen.findByTestId('verify-report');
    const verdict = within(report).getByTestId('verify-verdict');
    expect(verdict).toHaveAttribute('data-ok', 'false');
    expect(verdict).toHaveTextContent('The bundle fails verification');
    expect(verdict).toHaveTextContent('1 of 2 checks failed');
    expect(verdict).toHaveTextContent('The signature was not checked.');
    const failures = within(report).getByTestId('verify-failures');
    expect(failures).toHaveTextContent('SHA3-512 does not match package.sign');
    expect(within(failures).getByTestId('check-member')).toHaveTextContent('service.tar.gz');
    expect(within(failures).getByTestId('check-field')).toHaveTextContent('payload.data[1].hash');
    const failed = within(report).getAllByTestId('verify-check').filter((c) => c.getAttribute('data-ok') === 'false');
    expect(failed).toHaveLength(2); // in "What fails" and among all checks
  });

  it('says why a file cannot be verified, and still reports without the inspect summary', async () => {
    renderWithApi(<VerifyPanel request={{ path: '/nowhere.tar.gz', autoRun: true }} />, {
      'bundle.verify': () => {
        throw fakeFailure('not-found', 'Bundle not found: /nowhere.tar.gz');
      },
      'bundle.inspect': () => INSPECT,
    });
    expect(await screen.findByTestId('verify-error')).toHaveTextContent('Bundle not found: /nowhere.tar.gz');
    expect(screen.queryByTestId('verify-report')).toBeNull();
  });

  it('asks for the password of a protected .p12 given as certificate', async () => {
    const { api } = renderWithApi(<VerifyPanel request={{ path: BUNDLE, certPath: '/keys/me.p12', autoRun: true }} />, {
      'bundle.verify': ({ password }) => {
        if (password !== 'pw') throw fakeFailure('wrong-password', 'The key in me.p12 is protected by a password: enter it to continue.');
        return VERIFY_OK;
      },
      'bundle.inspect': () => INSPECT,
    });
    const input = await screen.findByLabelText(/Certificate password/);
    fireEvent.change(input, { target: { value: 'pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    await screen.findByTestId('verify-report');
    expect(api.callsTo('bundle.verify').at(-1)).toEqual({ path: BUNDLE, certPath: '/keys/me.p12', password: 'pw' });
  });

  it('explains that a dropped file without a path must be picked instead', async () => {
    const { api } = renderWithApi(<VerifyPanel request={{}} />, { 'bundle.verify': () => VERIFY_OK });
    const file = new File(['x'], 'service.tar.gz', { type: 'application/gzip' });
    fireEvent.drop(screen.getByTestId('verify-drop-zone'), { dataTransfer: { types: ['Files'], files: [file] } });
    expect(await screen.findByTestId('verify-drop-note')).toHaveTextContent('Pick it with Browse… instead');
    expect(api.callsTo('bundle.verify')).toEqual([]);
  });

  it('verifies a dropped file whose path is known', async () => {
    const { api } = renderWithApi(<VerifyPanel request={{}} />, { 'bundle.verify': () => VERIFY_OK, 'bundle.inspect': () => INSPECT });
    const file = Object.assign(new File(['x'], 'service.tar.gz'), { path: '/drops/service.tar.gz' });
    fireEvent.drop(screen.getByTestId('verify-drop-zone'), { dataTransfer: { types: ['Files'], files: [file] } });
    await screen.findByTestId('verify-report');
    expect(api.callsTo('bundle.verify')).toEqual([{ path: '/drops/service.tar.gz' }]);
  });

  it('asks the desktop app\'s preload where a dropped file lives', async () => {
    const { api } = renderWithApi(<VerifyPanel request={{}} />, { 'bundle.verify': () => VERIFY_OK, 'bundle.inspect': () => INSPECT }, {
      pathForFile: (f: File) => (f.name === 'service.tar.gz' ? '/from/preload/service.tar.gz' : null),
    });
    fireEvent.drop(screen.getByTestId('verify-drop-zone'), { dataTransfer: { types: ['Files'], files: [new File(['x'], 'service.tar.gz')] } });
    await screen.findByTestId('verify-report');
    expect(api.callsTo('bundle.verify')).toEqual([{ path: '/from/preload/service.tar.gz' }]);
  });
});

describe('verify entries', () => {
  it('opens from the start screen and picks the bundle in the in-app browser', async () => {
    const { api } = renderApp({
      'dialog.openFiles': () => {
        throw fakeFailure('unsupported');
      },
      'fs.browse': ({ path }) => ({
        path: path ?? '/home/jane/services',
        parent: '/home/jane',
        entries: [{ name: 'service.tar.gz', kind: 'file' as const, isService: false }],
      }),
      'bundle.verify': () => VERIFY_OK,
      'bundle.inspect': () => INSPECT,
    });
    fireEvent.click(screen.getByText('Verify bundle'));
    const modal = await screen.findByRole('dialog', { name: /Verify a bundle/ });
    fireEvent.click(within(modal).getAllByRole('button', { name: 'Browse…' })[0]);
    const browser = await screen.findByRole('dialog', { name: 'Pick a bundle (.tar.gz)' });
    expect(api.callsTo('fs.browse')[0]).toMatchObject({ showFiles: true, extensions: ['gz', 'tgz'] });
    fireEvent.click(await within(browser).findByText('service.tar.gz'));
    fireEvent.click(within(browser).getByRole('button', { name: 'Select file' }));
    await waitFor(() => expect(within(modal).getByLabelText(/^Bundle/)).toHaveValue('/home/jane/services/service.tar.gz'));
    fireEvent.click(within(modal).getByRole('button', { name: 'Verify' }));
    expect(await within(modal).findByTestId('verify-verdict')).toHaveTextContent('The bundle is sound');
    expect(api.callsTo('bundle.verify')).toEqual([{ path: '/home/jane/services/service.tar.gz' }]);
  });

  it('verifies the bundle just signed, with the service certificate, from the Sign step', async () => {
    const { api } = renderService(snapshotOf(), {
      'credentials.forService': () => ({ file: P12, summary: SUMMARY }),
      'bundle.sign': () => ({ jobId: 'job-1' }),
      'bundle.verify': () => VERIFY_OK,
      'bundle.inspect': () => INSPECT,
    });
    fireEvent.click(screen.getByTestId('open-sign'));
    const drawer = await screen.findByRole('dialog', { name: /Sign the service bundle/ });
    await within(drawer).findByTestId('signer-card');
    fireEvent.click(within(drawer).getByTestId('sign-build'));
    await within(drawer).findByTestId('sign-progress');
    act(() => api.emit('job.done', { jobId: 'job-1', ok: true, value: RESULT }));
    fireEvent.click(await within(drawer).findByRole('button', { name: 'Verify this bundle' }));
    const modal = await screen.findByRole('dialog', { name: /Verify a bundle/ });
    expect(await within(modal).findByTestId('verify-verdict')).toHaveTextContent('The bundle is sound');
    expect(api.callsTo('bundle.verify')).toEqual([{ path: RESULT.path, certPath: P12 }]);
  });

  it('is in the service view header menu', async () => {
    renderService(snapshotOf());
    fireEvent.click(screen.getByRole('button', { name: 'More actions' }));
    fireEvent.click(await screen.findByRole('menuitem', { name: /Verify a bundle/ }));
    expect(await screen.findByRole('dialog', { name: /Verify a bundle/ })).toBeInTheDocument();
  });
});

describe('verify: what it asks for', () => {
  it('does not ask for a certificate when the bundle already fails (e.g. truncated)', async () => {
    const truncated = { ...VERIFY_FAIL, checks: [{ id: 'archive', ok: false, message: 'The bundle ends early: truncated gzip data' }], failures: [{ id: 'archive', ok: false, message: 'The bundle ends early: truncated gzip data' }] };
    renderWithApi(<VerifyPanel request={{ path: BUNDLE, autoRun: true }} />, { 'bundle.verify': () => truncated, 'bundle.inspect': () => INSPECT });
    const verdict = await screen.findByTestId('verify-verdict');
    expect(verdict).toHaveTextContent('The bundle fails verification');
    expect(verdict).not.toHaveTextContent(/certificate/i);
  });

  it('still suggests a certificate for a sound bundle checked without one', async () => {
    renderWithApi(<VerifyPanel request={{ path: BUNDLE, autoRun: true }} />, { 'bundle.verify': () => ({ ...VERIFY_OK, signatureChecked: false }), 'bundle.inspect': () => INSPECT });
    expect(await screen.findByTestId('verify-verdict')).toHaveTextContent('give the signer’s certificate');
  });

  const dragFiles = (type: string) => {
    const event = new Event(type, { bubbles: true, cancelable: true });
    Object.assign(event, { dataTransfer: { types: ['Files'], files: [], dropEffect: 'copy' } });
    return event;
  };

  it('shows no drop veil in browser mode, where a dropped file has no path, and keeps the page', async () => {
    renderApp();
    await screen.findByText('Verify bundle');
    const over = dragFiles('dragover');
    act(() => void document.dispatchEvent(dragFiles('dragenter')));
    act(() => void document.dispatchEvent(over));
    expect(screen.queryByTestId('verify-drop-overlay')).toBeNull();
    // The browser must not navigate away to the dropped file.
    expect(over.defaultPrevented).toBe(true);
    expect((over as Event & { dataTransfer: { dropEffect: string } }).dataTransfer.dropEffect).toBe('none');
  });

  it('shows the drop veil in the desktop app', async () => {
    renderWithApi(<StartScreen onNew={() => undefined} onNewBundle={() => undefined} onPackLayer={() => undefined} onLayers={() => undefined} onOpen={() => undefined} onOutbox={() => undefined} />, { 'app.info': () => APP_INFO, 'recent.list': () => [] }, { pathForFile: () => '/x/service.tar.gz' });
    await screen.findByText('Verify bundle');
    act(() => void document.dispatchEvent(dragFiles('dragenter')));
    expect(await screen.findByTestId('verify-drop-overlay')).toBeInTheDocument();
  });

  it('starts picking a bundle in the folder of the one picked last (and leaves the setting alone when it is the same folder)', async () => {
    const { api } = renderApp({
      'settings.get': () => ({ theme: 'auto', previewTarget: 'v9', layerLibrary: '', lastFolders: { verify: '/srv/bundles' } }),
      'settings.set': (patch) => ({ theme: 'auto', previewTarget: 'v9', layerLibrary: '', ...patch }),
      'dialog.openFiles': () => {
        throw fakeFailure('unsupported');
      },
      'fs.browse': ({ path }) => ({ path: path ?? '/home/jane', parent: '/', entries: [{ name: 'service.tar.gz', kind: 'file' as const, isService: false }] }),
    });
    await waitFor(() => expect(api.callsTo('settings.get')).toHaveLength(1));
    await act(async () => undefined);
    fireEvent.click(screen.getByText('Verify bundle'));
    const modal = await screen.findByRole('dialog', { name: /Verify a bundle/ });
    fireEvent.click(within(modal).getAllByRole('button', { name: 'Browse…' })[0]);
    const browser = await screen.findByRole('dialog', { name: 'Pick a bundle (.tar.gz)' });
    expect(api.callsTo('fs.browse')[0]).toMatchObject({ path: '/srv/bundles' });
    fireEvent.click(await within(browser).findByText('service.tar.gz'));
    fireEvent.click(within(browser).getByRole('button', { name: 'Select file' }));
    await waitFor(() => expect(within(modal).getByLabelText(/^Bundle/)).toHaveValue('/srv/bundles/service.tar.gz'));
    expect(api.callsTo('settings.set')).toEqual([]);
  });
});
