import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeFailure } from '../../src/renderer/api/fake';
import { formatDuration, overallPercent, RateMeter, secondsLeft } from '../../src/renderer/sign/progress-model';
import { parseKeyPath, rangeOfLocation } from '../../src/renderer/sign/config-location';
import { CONFIG, snapshotOf } from './fixtures';
import { renderService, yamlView } from './service-helpers';
import { CONFIG_PATH, INSPECT, P12, RESULT, ROOT, SUMMARY, VERIFY_OK } from './sign-fixtures';

const MB = 1024 * 1024;

function signHandlers(extra: Parameters<typeof renderService>[1] = {}) {
  return {
    'credentials.forService': () => ({ file: P12, summary: SUMMARY }),
    'bundle.sign': () => ({ jobId: 'job-1' }),
    'job.cancel': () => ({ cancelled: true }),
    'config.save': () => ({ configMtimeMs: 2000, diagnostics: [] }),
    ...extra,
  };
}

async function openSign() {
  fireEvent.click(screen.getByTestId('open-sign'));
  return screen.findByRole('dialog', { name: /Sign the service bundle/ });
}

const progress = (over: Partial<{ phase: string; done: number; total: number; filesDone: number; filesTotal: number }>) => ({
  jobId: 'job-1',
  phase: 'archive',
  done: 0,
  total: 10 * MB,
  filesDone: 0,
  filesTotal: 10,
  ...over,
});

describe('sign step', () => {
  it('shows the certificate, builds with progress, and shows the result', async () => {
    const { api } = renderService(snapshotOf(), signHandlers({ 'shell.showInFolder': () => { throw fakeFailure('unsupported'); } }));
    const drawer = await openSign();

    const card = await within(drawer).findByTestId('signer-card');
    expect(card).toHaveTextContent('jane');
    expect(card).toHaveTextContent('aoscloud.io');
    expect(card).toHaveTextContent('Acme Services');
    expect(card).toHaveTextContent('jane@example.com');
    expect(card).toHaveTextContent('CN=Test SP Issuing CA');
    expect(within(card).getByTestId('certificate-status')).toHaveTextContent('valid');
    expect(within(card).getByTestId('role-guess')).toHaveTextContent('service provider, guessed from the file name');
    expect(api.callsTo('credentials.forService')).toEqual([{ root: ROOT, configText: CONFIG }]);

    fireEvent.click(within(drawer).getByTestId('sign-build'));
    await within(drawer).findByTestId('sign-progress');
    expect(api.callsTo('bundle.sign')).toEqual([{ root: ROOT }]);

    act(() => api.emit('job.progress', progress({ done: 4 * MB, filesDone: 3 })));
    expect(within(drawer).getByTestId('sign-phase')).toHaveTextContent('Packing and compressing src/');
    expect(within(drawer).getByTestId('sign-files')).toHaveTextContent('3 of 10');
    expect(within(drawer).getByTestId('sign-bytes')).toHaveTextContent('4.0 MiB of 10 MiB');
    expect(within(drawer).getByRole('progressbar', { name: 'Signing progress' })).toHaveAttribute('aria-valuenow', String(overallPercent(progress({ done: 4 * MB }))));
    // Another job's events are not ours.
    act(() => api.emit('job.progress', { ...progress({ done: 9 * MB, filesDone: 9 }), jobId: 'other' }));
    expect(within(drawer).getByTestId('sign-files')).toHaveTextContent('3 of 10');

    act(() => api.emit('job.done', { jobId: 'job-1', ok: true, value: RESULT }));
    const result = await within(drawer).findByTestId('sign-result');
    expect(within(result).getByTestId('sign-result-path')).toHaveTextContent(`${ROOT}/service.tar.gz`);
    expect(within(result).getByTestId('sign-result-sha256')).toHaveTextContent(RESULT.sha256);
    expect(within(result).getByTestId('sign-result-sha3')).toHaveTextContent(RESULT.inner.sha3_512);
    expect(within(result).getByText('SHA3-512 of service.tar.gz (signed in package.sign)')).toBeInTheDocument();
    expect(within(result).getByTestId('sign-result-size')).toHaveTextContent('10 MiB');
    expect(within(result).getByTestId('sign-warnings')).toHaveTextContent('points outside the source folder');
    expect(within(result).getByRole('button', { name: 'Copy SHA-256' })).toBeInTheDocument();

    // Browser mode: no file manager, so the folder's path to copy instead.
    fireEvent.click(within(result).getByRole('button', { name: 'Show in folder' }));
    expect(await within(result).findByTestId('folder-fallback')).toHaveTextContent(ROOT);
    expect(api.callsTo('shell.showInFolder')).toEqual([{ path: `${ROOT}/service.tar.gz` }]);
  });

  it('keeps the end of a job that finishes before bundle.sign answers', async () => {
    let answer: (v: { jobId: string }) => void = () => {};
    const { api } = renderService(snapshotOf(), signHandlers({ 'bundle.sign': () => new Promise((resolve) => (answer = resolve)) }));
    const drawer = await openSign();
    await within(drawer).findByTestId('signer-card');
    fireEvent.click(within(drawer).getByTestId('sign-build'));
    await waitFor(() => expect(api.callsTo('bundle.sign')).toHaveLength(1));
    act(() => {
      api.emit('job.progress', progress({ done: 10 * MB, filesDone: 10 }));
      api.emit('job.done', { jobId: 'job-1', ok: true, value: RESULT });
    });
    await act(async () => answer({ jobId: 'job-1' }));
    expect(await within(drawer).findByTestId('sign-result')).toBeInTheDocument();
  });

  it('cancels a running job and says so neutrally', async () => {
    const { api } = renderService(snapshotOf(), signHandlers());
    const drawer = await openSign();
    await within(drawer).findByTestId('signer-card');
    fireEvent.click(within(drawer).getByTestId('sign-build'));
    await within(drawer).findByTestId('sign-progress');
    act(() => api.emit('job.progress', progress({ done: 2 * MB, filesDone: 1 })));

    fireEvent.click(within(drawer).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(api.callsTo('job.cancel')).toEqual([{ jobId: 'job-1' }]));
    expect(within(drawer).getByTestId('sign-phase')).toHaveTextContent('Cancelling');

    act(() => api.emit('job.done', { jobId: 'job-1', ok: false, error: { code: 'cancelled', message: 'Cancelled.' } }));
    expect(await within(drawer).findByTestId('sign-cancelled')).toHaveTextContent('Signing was cancelled');
    expect(within(drawer).queryByTestId('sign-error')).toBeNull();
    expect(within(drawer).queryByTestId('sign-progress')).toBeNull();
    expect(within(drawer).getByTestId('sign-build')).toBeEnabled();
  });

  it('asks for the key password, uses it for one build, and never keeps it', async () => {
    const { api } = renderService(
      snapshotOf(),
      signHandlers({
        'credentials.forService': ({ password }) => {
          if (password === undefined) throw fakeFailure('wrong-password', 'The key in aos-user-sp.p12 is protected by a password: enter it to continue.');
          if (password !== 's3cret') throw fakeFailure('wrong-password', 'Wrong password for the key in aos-user-sp.p12.');
          return { file: P12, summary: SUMMARY };
        },
      }),
    );
    const drawer = await openSign();
    const prompt = await within(drawer).findByTestId('password-prompt');
    expect(prompt).toHaveTextContent('protected by a password');
    expect(within(drawer).getByTestId('sign-build')).toBeDisabled();

    const input = () => within(drawer).getByLabelText(/Key password/);
    fireEvent.change(input(), { target: { value: 'nope' } });
    fireEvent.click(within(drawer).getByRole('button', { name: 'Unlock' }));
    expect(await within(drawer).findByText(/Wrong password/)).toBeInTheDocument();
    expect(input()).toHaveValue('');

    fireEvent.change(input(), { target: { value: 's3cret' } });
    fireEvent.keyDown(input(), { key: 'Enter' });
    await within(drawer).findByTestId('signer-card');
    await waitFor(() => expect(within(drawer).queryByTestId('password-prompt')).toBeNull());
    fireEvent.click(within(drawer).getByTestId('sign-build'));
    await waitFor(() => expect(api.callsTo('bundle.sign')).toEqual([{ root: ROOT, password: 's3cret' }]));

    act(() => api.emit('job.done', { jobId: 'job-1', ok: true, value: RESULT }));
    await within(drawer).findByTestId('sign-result');
    // Used once: the next build asks again, and the field is empty.
    expect(within(drawer).getByTestId('password-prompt')).toBeInTheDocument();
    expect(input()).toHaveValue('');
    expect(within(drawer).getByTestId('sign-build')).toBeDisabled();
  });

  it('refuses to sign while the config has errors and jumps to the first one', async () => {
    const config = CONFIG.replace('version: "1.0.0"', 'version: "1.0"');
    const { api } = renderService(snapshotOf(config), signHandlers());
    const drawer = await openSign();
    await within(drawer).findByTestId('signer-card');
    const blocked = within(drawer).getByTestId('sign-blocked-errors');
    expect(blocked).toHaveTextContent(/Fix 1 error first/);
    expect(within(drawer).getByTestId('sign-build')).toBeDisabled();

    fireEvent.click(within(blocked).getByRole('button', { name: /Go to the first error/ }));
    await waitFor(() => expect(screen.getByRole('tab', { name: 'YAML' })).toHaveAttribute('aria-selected', 'true'));
    await waitFor(() => {
      const { from, to } = yamlView().state.selection.main;
      expect(config.slice(from, to)).toMatch(/1\.0/);
    });
    expect(api.callsTo('bundle.sign')).toEqual([]);
  });

  it('jumps to the line of config.yaml that a failed build names', async () => {
    const { api } = renderService(snapshotOf(), signHandlers());
    const drawer = await openSign();
    await within(drawer).findByTestId('signer-card');
    fireEvent.click(within(drawer).getByTestId('sign-build'));
    await within(drawer).findByTestId('sign-progress');
    act(() =>
      api.emit('job.done', {
        jobId: 'job-1',
        ok: false,
        error: { code: 'invalid-config', message: 'build.symlinks must be copy, delete or raise.', location: { file: CONFIG_PATH, line: 8, column: 3, path: 'build.symlinks' } },
      }),
    );
    const error = await within(drawer).findByTestId('sign-error');
    expect(error).toHaveTextContent('config.yaml, line 8');
    expect(error).toHaveTextContent('build.symlinks must be');
    await waitFor(() => expect(screen.getByRole('tab', { name: 'YAML' })).toHaveAttribute('aria-selected', 'true'));
    await waitFor(() => {
      const view = yamlView();
      const { from } = view.state.selection.main;
      expect(view.state.doc.lineAt(from).number).toBe(8);
      expect(view.state.sliceDoc(from, view.state.selection.main.to)).toBe('symlinks: copy');
    });
  });

  it('shows key errors on the certificate card', async () => {
    const { api } = renderService(snapshotOf(), signHandlers());
    const drawer = await openSign();
    await within(drawer).findByTestId('signer-card');
    fireEvent.click(within(drawer).getByTestId('sign-build'));
    await within(drawer).findByTestId('sign-progress');
    act(() => api.emit('job.done', { jobId: 'job-1', ok: false, error: { code: 'credentials', message: 'Only RSA keys can sign: this key is EC.' } }));
    const card = within(drawer).getByTestId('signer-card');
    expect(await within(card).findByTestId('credentials-error')).toHaveTextContent('Only RSA keys can sign');
    expect(within(drawer).queryByTestId('sign-error')).toBeNull();
  });

  it('shows a missing certificate where the card would be', async () => {
    renderService(
      snapshotOf(),
      signHandlers({ 'credentials.forService': () => { throw fakeFailure('not-found', 'aos-user-sp.p12 is neither in meta/ nor in ~/.aos/security/.'); } }),
    );
    const drawer = await openSign();
    expect(await within(drawer).findByTestId('credentials-error')).toHaveTextContent('neither in meta/ nor in ~/.aos/security/');
    expect(within(drawer).getByTestId('sign-build')).toBeDisabled();
  });

  it('refuses an expired certificate', async () => {
    renderService(snapshotOf(), signHandlers({ 'credentials.forService': () => ({ file: P12, summary: { ...SUMMARY, status: 'expired' as const } }) }));
    const drawer = await openSign();
    expect(await within(drawer).findByTestId('certificate-status')).toHaveTextContent('expired');
    expect(within(drawer).getByTestId('sign-build')).toBeDisabled();
    expect(within(drawer).getByTestId('sign-blocked')).toHaveTextContent('The certificate is expired');
  });

  it('saves unsaved edits first, asking once: the button says Save and build', async () => {
    const { api } = renderService(snapshotOf(), signHandlers());
    fireEvent.change(screen.getByLabelText('Working directory workingDir'), { target: { value: '/srv' } });
    const drawer = await openSign();
    await within(drawer).findByTestId('signer-card');
    const button = within(drawer).getByTestId('sign-build');
    expect(button).toHaveTextContent('Save and build');
    expect(within(drawer).getByTestId('sign-blocked')).toHaveTextContent('your unsaved changes are saved first');
    fireEvent.click(button);
    // No second question: the click saves, then builds.
    expect(within(drawer).queryByTestId('sign-ask-save')).toBeNull();
    await waitFor(() => expect(api.callsTo('bundle.sign')).toHaveLength(1));
    expect(api.callsTo('config.save')).toHaveLength(1);
    expect(api.callsTo('config.save')[0].text).toContain('workingDir: /srv');
    expect(api.calls.findIndex((c) => c.channel === 'config.save')).toBeLessThan(api.calls.findIndex((c) => c.channel === 'bundle.sign'));
  });

  it('shows the certificate the unsaved config names, not the one on disk', async () => {
    const { api } = renderService(
      snapshotOf(),
      signHandlers({
        'credentials.forService': ({ configText }) => ({
          file: configText?.includes('other-sp.p12') ? `${ROOT}/meta/other-sp.p12` : P12,
          summary: configText?.includes('other-sp.p12') ? { ...SUMMARY, subject: { ...SUMMARY.subject, commonName: 'bob' } } : SUMMARY,
        }),
      }),
    );
    fireEvent.change(screen.getByLabelText('Signing PKCS#12 sign_pkcs12'), { target: { value: 'other-sp.p12' } });
    const drawer = await openSign();
    const card = await within(drawer).findByTestId('signer-card');
    expect(card).toHaveTextContent('bob');
    expect(card).toHaveTextContent('other-sp.p12');
    expect(api.callsTo('credentials.forService').at(-1)?.configText).toContain('sign_pkcs12: other-sp.p12');
    expect(api.callsTo('config.save')).toEqual([]);
  });

  it('clears the outcome of an earlier build when the drawer opens again, and Verify a bundle… keeps the bundle built', async () => {
    const { api } = renderService(snapshotOf(), signHandlers({ 'bundle.verify': () => VERIFY_OK, 'bundle.inspect': () => INSPECT }));
    let drawer = await openSign();
    await within(drawer).findByTestId('signer-card');
    fireEvent.click(within(drawer).getByTestId('sign-build'));
    await within(drawer).findByTestId('sign-progress');
    act(() => api.emit('job.done', { jobId: 'job-1', ok: true, value: RESULT }));
    await within(drawer).findByTestId('sign-result');
    fireEvent.keyDown(drawer, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: /Sign the service bundle/ })).toBeNull());
    drawer = await openSign();
    await within(drawer).findByTestId('signer-card');
    expect(within(drawer).queryByTestId('sign-result')).toBeNull();
    expect(within(drawer).getByTestId('sign-build')).toHaveTextContent(/^Build$/);
    fireEvent.keyDown(drawer, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: /Sign the service bundle/ })).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'More actions' }));
    fireEvent.click(await screen.findByRole('menuitem', { name: /Verify a bundle/ }));
    const modal = await screen.findByRole('dialog', { name: /Verify a bundle/ });
    expect(within(modal).getByLabelText(/^Bundle/)).toHaveValue(RESULT.path);
  });

  it('passes an output file, relative to the service folder', async () => {
    const { api } = renderService(snapshotOf(), signHandlers());
    const drawer = await openSign();
    await within(drawer).findByTestId('signer-card');
    fireEvent.change(within(drawer).getByLabelText(/Output file/), { target: { value: 'out/hello.tar.gz' } });
    fireEvent.click(within(drawer).getByTestId('sign-build'));
    await waitFor(() => expect(api.callsTo('bundle.sign')).toEqual([{ root: ROOT, outFile: `${ROOT}/out/hello.tar.gz` }]));
  });
});

describe('sign output chosen in the save dialog', () => {
  it("passes main's grant with the file chosen in the native save dialog", async () => {
    const { api } = renderService(snapshotOf(), signHandlers({ 'dialog.saveFile': () => ({ path: '/elsewhere/b.tar.gz', grant: 'grant-1' }) }));
    const drawer = await openSign();
    await within(drawer).findByTestId('signer-card');
    fireEvent.click(within(drawer).getByRole('button', { name: 'Save as…' }));
    await waitFor(() => expect(within(drawer).getByLabelText(/Output file/)).toHaveValue('/elsewhere/b.tar.gz'));
    expect(api.callsTo('dialog.saveFile')).toEqual([{ title: 'Save the signed bundle', extensions: ['tar.gz'], defaultPath: `${ROOT}/service.tar.gz` }]);
    fireEvent.click(within(drawer).getByTestId('sign-build'));
    await waitFor(() => expect(api.callsTo('bundle.sign')).toEqual([{ root: ROOT, outFile: '/elsewhere/b.tar.gz', outGrant: 'grant-1' }]));
  });

  it('sends no grant for a typed path, nor for a path edited after the dialog', async () => {
    const { api } = renderService(snapshotOf(), signHandlers({ 'dialog.saveFile': () => ({ path: '/elsewhere/b.tar.gz', grant: 'grant-1' }) }));
    const drawer = await openSign();
    await within(drawer).findByTestId('signer-card');
    fireEvent.click(within(drawer).getByRole('button', { name: 'Save as…' }));
    await waitFor(() => expect(within(drawer).getByLabelText(/Output file/)).toHaveValue('/elsewhere/b.tar.gz'));
    fireEvent.change(within(drawer).getByLabelText(/Output file/), { target: { value: '/elsewhere/other.tar.gz' } });
    fireEvent.click(within(drawer).getByTestId('sign-build'));
    await waitFor(() => expect(api.callsTo('bundle.sign')).toEqual([{ root: ROOT, outFile: '/elsewhere/other.tar.gz' }]));
  });

  it('falls back to the in-app folder browser where there is no save dialog, without a grant', async () => {
    const { api } = renderService(snapshotOf(), signHandlers({ 'fs.browse': ({ path }) => ({ path: path ?? ROOT, parent: '/', entries: [] }) }));
    const drawer = await openSign();
    await within(drawer).findByTestId('signer-card');
    fireEvent.click(within(drawer).getByRole('button', { name: 'Save as…' }));
    const browser = await screen.findByRole('dialog', { name: 'Save the signed bundle' });
    await within(browser).findAllByText(ROOT);
    fireEvent.click(within(browser).getByRole('button', { name: 'Select this folder' }));
    await waitFor(() => expect(within(drawer).getByLabelText(/Output file/)).toHaveValue(`${ROOT}/service.tar.gz`));
    expect(api.callsTo('dialog.saveFile')).toHaveLength(1);
    fireEvent.click(within(drawer).getByTestId('sign-build'));
    await waitFor(() => expect(api.callsTo('bundle.sign')).toEqual([{ root: ROOT, outFile: `${ROOT}/service.tar.gz` }]));
  });
});

describe('sign progress model', () => {
  it('measures the rate over recent samples and the time left', () => {
    const meter = new RateMeter(3000, 250);
    meter.add({ phase: 'archive', done: 0, total: 100e6 }, 0);
    expect(meter.rate()).toBeNull();
    meter.add({ phase: 'archive', done: 10e6, total: 100e6 }, 500);
    expect(meter.rate()).toBeCloseTo(20e6);
    meter.add({ phase: 'archive', done: 40e6, total: 100e6 }, 2000);
    expect(meter.rate()).toBeCloseTo(20e6);
    expect(secondsLeft({ phase: 'archive', done: 40e6, total: 100e6 }, meter.rate())).toBeCloseTo(3);
    // A new phase starts a new measurement.
    meter.add({ phase: 'package', done: 0, total: 50e6 }, 2100);
    expect(meter.rate()).toBeNull();
  });

  it('words durations and maps phases onto one bar', () => {
    expect(formatDuration(null)).toBe('–');
    expect(formatDuration(0.2)).toBe('under a second');
    expect(formatDuration(12.2)).toBe('13 s');
    expect(formatDuration(125)).toBe('2 min 05 s');
    expect(overallPercent(null)).toBe(0);
    expect(overallPercent({ phase: 'archive', done: 0, total: 10 })).toBe(2);
    expect(overallPercent({ phase: 'package', done: 10, total: 10 })).toBe(100);
  });

  it('finds a config location by line or by key path', () => {
    expect(parseKeyPath('configuration.layers[0].uid')).toEqual(['configuration', 'layers', 0, 'uid']);
    const byLine = rangeOfLocation(CONFIG, { file: CONFIG_PATH, line: 8 });
    expect(CONFIG.slice(byLine!.offset, byLine!.endOffset)).toBe('symlinks: copy');
    const byPath = rangeOfLocation(CONFIG, { file: CONFIG_PATH, path: 'publish.tls_pkcs12' });
    expect(byPath!.line).toBe(12);
  });
});
