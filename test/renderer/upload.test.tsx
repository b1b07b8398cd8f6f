// The upload panel after signing: Upload now and Queue, the progress bar (bytes, rate, time
// left) and Cancel, the states live (a v2 bundle's processing with build_info), every field
// message of a refusal, 401/403 and TLS failures in words, a network failure kept in the
// outbox, and a protected TLS key's password asked once.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AppSettings, OutboxEntryView, UploadResult } from '../../src/shared/contract';
import { fakeFailure } from '../../src/renderer/api/fake';
import { UploadPanel } from '../../src/renderer/sign/UploadPanel';
import { useUploadJob } from '../../src/renderer/sign/use-upload-job';
import { snapshotOf } from './fixtures';
import { renderWithApi } from './render';
import { renderService } from './service-helpers';
import { P12, RESULT, ROOT, SUMMARY } from './sign-fixtures';
import { forgetWhoami, rememberWhoami } from '../../src/renderer/cloud/role-store';

const MB = 1024 * 1024;
const SETTINGS: AppSettings = { theme: 'light', previewTarget: 'v9', layerLibrary: '', cloud: { url: 'https://cloud.test:10000', caFile: '/home/jane/cloud-ca.pem' } };
const at = '2026-12-01T15:00:00.000Z';

function entry(over: Partial<OutboxEntryView> = {}): OutboxEntryView {
  return {
    id: '0123456789abcdef',
    source: RESULT.path,
    sha256: RESULT.sha256,
    size: 10 * MB,
    kind: 'service',
    what: 'service 2efd1506 version 1.0.0',
    state: 'done',
    createdAt: at,
    updatedAt: at,
    history: [
      { at, state: 'queued', message: 'Queued.' },
      { at, state: 'uploading', message: 'Uploading to https://cloud.test:10000.' },
      { at, state: 'uploaded', message: 'Uploaded service 2efd1506 version 1.0.0.' },
      { at, state: 'done', message: 'Done: a v1 service version has no processing step.' },
    ],
    ...over,
  };
}

const REJECTED: UploadResult = {
  entry: entry({ state: 'failed', history: [{ at, state: 'queued', message: 'Queued.' }, { at, state: 'uploading', message: 'Uploading.' }, { at, state: 'failed', message: 'The cloud refused…' }] }),
  message: 'The cloud refused uploading a service version (HTTP 422: …).',
  alreadyThere: false,
  failure: {
    code: 'rejected',
    status: 422,
    message: 'The cloud refused uploading a service version (HTTP 422: version: Version must be greater than 1.2.3; service: Service is archived; service: Service quota is exhausted).',
    fields: ['version: Version must be greater than 1.2.3.', 'service: Service is archived.', 'service: Service quota is exhausted.'],
  },
};

function Panel({ kind = 'service' as 'service' | 'deployment', credentials, itemTypes }: { kind?: 'service' | 'deployment'; credentials?: string; itemTypes?: string[] }) {
  const job = useUploadJob();
  return <UploadPanel job={job} bundle={kind === 'deployment' ? '/b/batch.tar.gz' : RESULT.path} root={kind === 'deployment' ? '/b' : ROOT} kind={kind} credentials={credentials} itemTypes={itemTypes} />;
}

function renderPanel(kind: 'service' | 'deployment' = 'service', handlers: Parameters<typeof renderWithApi>[1] = {}) {
  return renderWithApi(<Panel kind={kind} />, { 'settings.get': () => SETTINGS, 'cloud.upload': () => ({ jobId: 'up-1' }), 'job.cancel': () => ({ cancelled: true }), ...handlers });
}

async function startUpload() {
  const panel = await screen.findByTestId('upload-panel');
  await within(panel).findByText('https://cloud.test:10000');
  fireEvent.click(within(panel).getByTestId('upload-now'));
  return panel;
}

const states = (panel: HTMLElement) =>
  within(within(panel).getByTestId('upload-states'))
    .getAllByRole('listitem')
    .map((li) => `${li.getAttribute('data-state')}:${li.getAttribute('data-status')}`);

describe('upload after signing', () => {
  it('appears under a signed bundle: Upload now sends it with the cloud setting, progress with bytes, rate and time left, Cancel, then done', async () => {
    const { api } = renderService(snapshotOf(), {
      'settings.get': () => SETTINGS,
      'credentials.forService': () => ({ file: P12, summary: SUMMARY }),
      'bundle.sign': () => ({ jobId: 'job-1' }),
      'cloud.upload': () => ({ jobId: 'up-1' }),
      'job.cancel': () => ({ cancelled: true }),
    });
    fireEvent.click(screen.getByTestId('open-sign'));
    const drawer = await screen.findByRole('dialog', { name: /Sign the service bundle/ });
    await within(drawer).findByTestId('signer-card');
    expect(within(drawer).queryByTestId('upload-panel')).toBeNull();
    fireEvent.click(within(drawer).getByTestId('sign-build'));
    await within(drawer).findByTestId('sign-progress');
    act(() => api.emit('job.done', { jobId: 'job-1', ok: true, value: RESULT }));
    const panel = await within(drawer).findByTestId('upload-panel');
    expect(within(panel).getByTestId('upload-destination')).toHaveTextContent('/home/jane/cloud-ca.pem');
    fireEvent.click(within(panel).getByTestId('upload-now'));
    await waitFor(() => expect(api.callsTo('cloud.upload')).toEqual([{ path: RESULT.path, root: ROOT, cloud: 'https://cloud.test:10000', caFile: '/home/jane/cloud-ca.pem' }]));

    act(() => api.emit('job.progress', { jobId: 'up-1', phase: 'uploading', done: 0, total: 10 * MB, message: 'Uploading to https://cloud.test:10000.' }));
    act(() => api.emit('job.progress', { jobId: 'up-1', phase: 'uploading', done: 4 * MB, total: 10 * MB, rate: 2_000_000, secondsLeft: 3.2 }));
    expect(within(panel).getByTestId('upload-bytes')).toHaveTextContent('4.0 MiB of 10 MiB');
    expect(within(panel).getByTestId('upload-rate')).toHaveTextContent('2.0 MB/s');
    expect(within(panel).getByTestId('upload-eta')).toHaveTextContent('4 s');
    expect(within(panel).getByRole('progressbar', { name: 'Bytes sent' })).toHaveAttribute('aria-valuenow', '40');
    // Bytes handed to the connection, said as such: "sent", never "uploaded".
    expect(within(panel).getByTestId('upload-phase')).toHaveTextContent(/^Sending$/);
    expect(within(panel).getByTestId('upload-progress')).toHaveTextContent('40% sent');
    expect(states(panel)).toEqual(['uploading:in progress', 'uploaded:not yet', 'done:not yet']);

    fireEvent.click(within(panel).getByTestId('upload-cancel'));
    await waitFor(() => expect(api.callsTo('job.cancel')).toEqual([{ jobId: 'up-1' }]));
    expect(within(panel).getByTestId('upload-progress')).toHaveTextContent('Cancelling…');

    act(() => api.emit('job.done', { jobId: 'up-1', ok: true, value: { entry: entry(), message: 'Uploaded service 2efd1506 version 1.0.0 to https://cloud.test:10000.', alreadyThere: false } }));
    const done = await within(panel).findByTestId('upload-done');
    expect(done).toHaveTextContent('Uploaded service 2efd1506 version 1.0.0 to https://cloud.test:10000.');
    expect(states(panel)).toEqual(['uploading:reached', 'uploaded:reached', 'done:reached']);
    expect(within(panel).queryByTestId('upload-now')).toBeNull();
  });

  it('a v2 deployment bundle shows processing live, then done with the build_info', async () => {
    const { api } = renderPanel('deployment');
    const panel = await startUpload();
    await waitFor(() => expect(api.callsTo('cloud.upload')).toHaveLength(1));
    act(() => api.emit('job.progress', { jobId: 'up-1', phase: 'uploading', done: 2 * MB, total: 2 * MB, rate: 1e6, secondsLeft: 0 }));
    act(() => api.emit('job.progress', { jobId: 'up-1', phase: 'uploaded', done: 2 * MB, total: 2 * MB, message: 'Uploaded as deployment bundle 100.' }));
    expect(states(panel)).toEqual(['uploading:reached', 'uploaded:in progress', 'processing:not yet', 'done:not yet']);
    expect(within(panel).queryByTestId('upload-progress')).toBeNull();
    act(() => api.emit('job.progress', { jobId: 'up-1', phase: 'processing', done: 2 * MB, total: 2 * MB, message: 'The cloud: building.' }));
    expect(states(panel)).toEqual(['uploading:reached', 'uploaded:reached', 'processing:in progress', 'done:not yet']);
    expect(within(panel).getByTestId('upload-state-message')).toHaveTextContent('The cloud: building.');
    const history = [
      { at, state: 'queued' as const, message: 'Queued.' },
      { at, state: 'uploading' as const, message: 'Uploading.' },
      { at, state: 'uploaded' as const, message: 'Uploaded as deployment bundle 100.' },
      { at, state: 'processing' as const, message: 'The cloud: building.' },
      { at, state: 'done' as const, message: 'Deployment bundle 100 is done: built 1 item.' },
    ];
    act(() =>
      api.emit('job.done', { jobId: 'up-1', ok: true, value: { entry: entry({ kind: 'deployment', remoteId: 100, history }), message: 'Deployment bundle 100 is done: built 1 item.', alreadyThere: false, buildInfo: 'built 1 item' } }),
    );
    const done = await within(panel).findByTestId('upload-done');
    expect(done).toHaveTextContent('Uploaded and processed');
    expect(within(done).getByTestId('upload-build-info')).toHaveTextContent('Build info: built 1 item');
    expect(states(panel)).toEqual(['uploading:reached', 'uploaded:reached', 'processing:reached', 'done:reached']);
    // Said once, in the alert: not again as the last step's line above it.
    expect(within(panel).getAllByText(/Deployment bundle 100 is done: built 1 item\./)).toHaveLength(1);
    expect(within(panel).queryByTestId('upload-state-message')).toBeNull();
  });

  it('a refusal lists every field message, not only the first, and offers to try again', async () => {
    const { api } = renderPanel();
    const panel = await startUpload();
    await waitFor(() => expect(api.callsTo('cloud.upload')).toHaveLength(1));
    act(() => api.emit('job.done', { jobId: 'up-1', ok: true, value: REJECTED }));
    const failure = await within(panel).findByTestId('upload-failure');
    expect(failure).toHaveTextContent('The cloud refused the upload (HTTP 422)');
    expect(failure).toHaveTextContent('The cloud gave 3 reasons:');
    expect(within(within(failure).getByTestId('upload-failure-fields')).getAllByRole('listitem').map((li) => li.textContent)).toEqual(REJECTED.failure!.fields);
    expect(failure).toHaveTextContent('marked failed');
    expect(states(panel)).toEqual(['uploading:reached', 'failed:failed']);
    // Said once, in the alert: the failed step's line does not repeat it.
    expect(within(panel).queryByTestId('upload-state-message')).toBeNull();
    expect(within(panel).getByTestId('upload-now')).toHaveTextContent('Try again now');

    // Tried again: the entry's history keeps the refused try; the steps show this one only.
    fireEvent.click(within(panel).getByTestId('upload-now'));
    await waitFor(() => expect(api.callsTo('cloud.upload')).toHaveLength(2));
    const retried = entry({ history: [...REJECTED.entry.history, ...entry().history] });
    act(() => api.emit('job.done', { jobId: 'up-1', ok: true, value: { entry: retried, message: 'Uploaded.', alreadyThere: false } }));
    await within(panel).findByTestId('upload-done');
    expect(states(panel)).toEqual(['uploading:reached', 'uploaded:reached', 'done:reached']);
  });

  it.each([
    [{ code: 'unauthorized' as const, status: 401, message: 'The cloud did not accept your certificate while uploading (HTTP 401: Invalid certificate). The certificate may have expired…', fields: ['Invalid certificate.'] }, 'The cloud did not accept your certificate (HTTP 401)'],
    [{ code: 'unauthorized' as const, status: 403, message: 'The cloud recognised your certificate but your role may not do this: uploading the service version was refused (HTTP 403: You do not have permission). Services are uploaded by service providers…', fields: ['You do not have permission.'] }, 'Your role may not upload this (HTTP 403)'],
    [{ code: 'tls' as const, message: "TLS failed on the server's side: 127.0.0.1 refused our client certificate because …", fields: [] }, 'The secure connection to the cloud failed'],
  ])('says %#: certificates and roles in plain words, TLS with the side that failed', async (failure, title) => {
    const { api } = renderPanel();
    const panel = await startUpload();
    await waitFor(() => expect(api.callsTo('cloud.upload')).toHaveLength(1));
    act(() => api.emit('job.done', { jobId: 'up-1', ok: true, value: { ...REJECTED, failure } }));
    const shown = await within(panel).findByTestId('upload-failure');
    expect(shown).toHaveTextContent(title);
    expect(shown).toHaveTextContent(failure.message);
    // Main's sentence carries the cloud's messages already: no list says them a second time.
    expect(within(shown).queryByTestId('upload-failure-fields')).toBeNull();
  });

  it('a network failure says the bundle stays queued in the outbox', async () => {
    const { api } = renderPanel();
    const panel = await startUpload();
    await waitFor(() => expect(api.callsTo('cloud.upload')).toHaveLength(1));
    const queued = entry({ state: 'queued' });
    act(() =>
      api.emit('job.done', { jobId: 'up-1', ok: true, value: { entry: queued, message: 'x', alreadyThere: false, failure: { code: 'network', message: 'While uploading, the connection to 127.0.0.1 failed: nothing listens there (connection refused) (ECONNREFUSED).', fields: [] } } }),
    );
    const shown = await within(panel).findByTestId('upload-failure');
    expect(shown).toHaveTextContent('Not uploaded: the cloud could not be reached');
    expect(shown).toHaveTextContent('connection refused');
    expect(shown).toHaveTextContent('stays queued in the outbox as 0123456789abcdef: the app sends it by itself when the cloud answers again, and the Outbox shows how it goes');
  });

  it('a cancelled upload says so, and that the bundle stays in the outbox, held until pushed again', async () => {
    const { api } = renderPanel();
    const panel = await startUpload();
    await waitFor(() => expect(api.callsTo('cloud.upload')).toHaveLength(1));
    act(() =>
      api.emit('job.done', {
        jobId: 'up-1',
        ok: true,
        value: { entry: entry({ state: 'queued', held: true }), message: 'Cancelled. Held in the outbox: it goes out when you push it again.', alreadyThere: false, failure: { code: 'cancelled', message: 'Cancelled.', fields: [] } },
      }),
    );
    const shown = await within(panel).findByTestId('upload-failure');
    expect(shown).toHaveAttribute('data-code', 'cancelled');
    expect(shown).toHaveTextContent('Upload cancelled');
    expect(shown).toHaveTextContent('stays in the outbox as 0123456789abcdef, held: it goes out only when you push it again');
    expect(within(panel).getByTestId('upload-now')).toHaveTextContent('Try again now');
  });

  it('a problem in the bundle itself (no service id) says to sign again and offers no retry of the same file', async () => {
    const { api } = renderPanel();
    const panel = await startUpload();
    await waitFor(() => expect(api.callsTo('cloud.upload')).toHaveLength(1));
    const message = 'The config.yaml inside service.tar.gz has no publish.service_uid: the cloud needs the service\'s id (from its service page). Set it and sign again.';
    act(() => api.emit('job.done', { jobId: 'up-1', ok: false, error: { code: 'invalid-config', message, location: { file: 'service.tar.gz (config.yaml inside)', path: 'publish.service_uid' } } }));
    expect(await within(panel).findByText(/Set it and sign again/)).toBeInTheDocument();
    expect(within(panel).queryByTestId('upload-now')).toBeNull();
    expect(within(panel).queryByRole('button', { name: /Try again/ })).toBeNull();
  });

  it('a protected TLS key: asks for the password, sends it once with the next try, never keeps it on screen', async () => {
    let calls = 0;
    const { api } = renderPanel('service', {
      'cloud.upload': () => {
        calls++;
        return { jobId: `up-${calls}` };
      },
    });
    const panel = await startUpload();
    await waitFor(() => expect(api.callsTo('cloud.upload')).toHaveLength(1));
    act(() => api.emit('job.done', { jobId: 'up-1', ok: false, error: { code: 'wrong-password', message: 'The key in aos-user-sp.p12 is protected by a password: enter it to continue.' } }));
    const prompt = await within(panel).findByTestId('upload-password');
    expect(prompt).toHaveTextContent('protected by a password');
    fireEvent.change(within(prompt).getByLabelText(/TLS key password/), { target: { value: 'hunter2' } });
    fireEvent.click(within(prompt).getByRole('button', { name: 'Unlock and upload' }));
    await waitFor(() => expect(api.callsTo('cloud.upload')).toHaveLength(2));
    expect(api.callsTo('cloud.upload')[1]).toMatchObject({ path: RESULT.path, password: 'hunter2' });
    expect(api.callsTo('cloud.upload')[0]).not.toHaveProperty('password');
    act(() => api.emit('job.done', { jobId: 'up-2', ok: true, value: { entry: entry(), message: 'Uploaded.', alreadyThere: false } }));
    await within(panel).findByTestId('upload-done');
    expect(document.body.innerHTML).not.toContain('hunter2');
  });

  it('Queue puts the bundle in the outbox without sending it, and says the app sends it in the background (the automatic push)', async () => {
    const { api } = renderPanel('service', { 'outbox.add': () => entry({ state: 'queued', history: [{ at, state: 'queued', message: 'Queued.' }] }) });
    const panel = await screen.findByTestId('upload-panel');
    await within(panel).findByText('https://cloud.test:10000');
    fireEvent.click(within(panel).getByTestId('upload-queue'));
    const queued = await within(panel).findByTestId('upload-queued');
    expect(queued).toHaveTextContent('Kept in the outbox as 0123456789abcdef');
    // outbox.add wakes the automatic push: saying it waits for a Push now would be untrue.
    expect(queued).toHaveTextContent('The app sends it in the background as soon as the cloud answers, and shows here (and in the Outbox) how it goes; Upload now sends it at once');
    expect(queued).not.toHaveTextContent('next push');
    // Nothing failed: the button is Upload now, not Try again.
    expect(within(panel).getByTestId('upload-now')).toHaveTextContent(/^Upload now$/);
    expect(api.callsTo('outbox.add')).toEqual([{ path: RESULT.path, root: ROOT, cloud: 'https://cloud.test:10000', caFile: '/home/jane/cloud-ca.pem' }]);
    expect(api.callsTo('cloud.upload')).toEqual([]);
  });

  it('once every byte is sent and the cloud has not answered, says it waits for the cloud\'s answer, not that it uploaded', async () => {
    const { api } = renderPanel();
    const panel = await startUpload();
    await waitFor(() => expect(api.callsTo('cloud.upload')).toHaveLength(1));
    await within(panel).findByTestId('upload-states');
    act(() => api.emit('job.progress', { jobId: 'up-1', phase: 'uploading', done: 9 * MB, total: 10 * MB, rate: 1e6, secondsLeft: 1 }));
    expect(within(panel).getByTestId('upload-phase')).toHaveTextContent(/^Sending$/);
    expect(within(panel).queryByTestId('upload-waiting')).toBeNull();
    act(() => api.emit('job.progress', { jobId: 'up-1', phase: 'uploading', done: 10 * MB, total: 10 * MB, rate: 1e6, secondsLeft: 0 }));
    expect(within(panel).getByTestId('upload-progress')).toHaveAttribute('data-phase', 'waiting');
    expect(within(panel).getByTestId('upload-phase')).toHaveTextContent('Waiting for the cloud’s answer…');
    expect(within(panel).getByTestId('upload-waiting')).toHaveTextContent('the cloud has the bundle only once it answers');
    expect(within(panel).getByTestId('upload-eta')).toHaveTextContent('all sent');
    expect(states(panel)).toEqual(['uploading:in progress', 'uploaded:not yet', 'done:not yet']);
    act(() => api.emit('job.progress', { jobId: 'up-1', phase: 'uploaded', done: 10 * MB, total: 10 * MB, message: 'Uploaded service 2efd1506 version 1.0.0.' }));
    expect(within(panel).queryByTestId('upload-progress')).toBeNull();
    expect(states(panel)).toEqual(['uploading:reached', 'uploaded:in progress', 'done:not yet']);
  });

  it('after Queue, follows the entry live as the app\'s push takes it: uploading with bytes sent, waiting for the answer, uploaded, done', async () => {
    const queuedEntry = entry({ state: 'queued', history: [{ at, state: 'queued', message: 'Queued.' }] });
    const { api } = renderPanel('service', { 'outbox.add': () => queuedEntry });
    const panel = await screen.findByTestId('upload-panel');
    await within(panel).findByText('https://cloud.test:10000');
    fireEvent.click(within(panel).getByTestId('upload-queue'));
    await within(panel).findByTestId('upload-queued');
    expect(within(panel).queryByTestId('upload-followed')).toBeNull();
    const h = (n: number) => entry().history.slice(0, n);
    // Another entry's change is not this panel's.
    act(() => api.emit('outbox.changed', { entry: entry({ id: 'ffffffffffffffff', state: 'uploading', history: h(2) }), progress: { sent: 1, total: 2 } }));
    expect(within(panel).queryByTestId('upload-followed')).toBeNull();

    act(() => api.emit('outbox.changed', { entry: entry({ state: 'uploading', history: h(2) }) }));
    act(() => api.emit('outbox.changed', { entry: entry({ state: 'uploading', history: h(2) }), progress: { sent: 4 * MB, total: 10 * MB, rate: 2_000_000, secondsLeft: 3 } }));
    const followed = within(panel).getByTestId('upload-followed');
    expect(followed).toHaveAttribute('data-state', 'uploading');
    expect(within(panel).getByTestId('upload-bytes')).toHaveTextContent('4.0 MiB of 10 MiB');
    expect(within(panel).getByTestId('upload-phase')).toHaveTextContent(/^Sending$/);
    // The push is the app's: Cancel lives in the Outbox, and Upload now would only race it.
    expect(within(panel).queryByTestId('upload-cancel')).toBeNull();
    expect(within(panel).queryByTestId('upload-now')).toBeNull();
    expect(states(panel)).toEqual(['uploading:in progress', 'uploaded:not yet', 'done:not yet']);
    act(() => api.emit('outbox.changed', { entry: entry({ state: 'uploading', history: h(2) }), progress: { sent: 10 * MB, total: 10 * MB } }));
    expect(within(panel).getByTestId('upload-phase')).toHaveTextContent('Waiting for the cloud’s answer…');

    act(() => api.emit('outbox.changed', { entry: entry({ state: 'uploaded', history: h(3) }) }));
    // A progress event sent before the state change and delivered after it does not take it back.
    act(() => api.emit('outbox.changed', { entry: entry({ state: 'uploading', history: h(2) }), progress: { sent: 10 * MB, total: 10 * MB } }));
    expect(within(panel).queryByTestId('upload-progress')).toBeNull();
    expect(states(panel)).toEqual(['uploading:reached', 'uploaded:in progress', 'done:not yet']);
    act(() => api.emit('outbox.changed', { entry: entry() }));
    expect(within(panel).getByTestId('upload-done')).toHaveTextContent('Done: a v1 service version has no processing step.');
    expect(states(panel)).toEqual(['uploading:reached', 'uploaded:reached', 'done:reached']);
    expect(within(panel).queryByTestId('upload-now')).toBeNull();
    expect(api.callsTo('cloud.upload')).toEqual([]);
  });

  it('after Queue, an entry the push fails shows failed with its last error, and offers Try again now', async () => {
    const { api } = renderPanel('service', { 'outbox.add': () => entry({ state: 'queued', history: [{ at, state: 'queued', message: 'Queued.' }] }) });
    const panel = await screen.findByTestId('upload-panel');
    await within(panel).findByText('https://cloud.test:10000');
    fireEvent.click(within(panel).getByTestId('upload-queue'));
    await within(panel).findByTestId('upload-queued');
    const why = 'The cloud recognised your certificate but your role may not do this: uploading a service version was refused (HTTP 403: You do not have permission to perform this action).';
    act(() =>
      api.emit('outbox.changed', {
        entry: entry({ state: 'failed', history: [{ at, state: 'queued', message: 'Queued.' }, { at, state: 'uploading', message: 'Uploading.' }, { at, state: 'failed', message: why }] }),
      }),
    );
    expect(within(panel).getByTestId('upload-failure')).toHaveTextContent(why);
    expect(within(panel).getByTestId('upload-failure')).toHaveTextContent('Outbox entry 0123456789abcdef is marked failed');
    expect(states(panel)).toEqual(['uploading:reached', 'failed:failed']);
    expect(within(panel).getByTestId('upload-now')).toHaveTextContent('Try again now');
  });

  it('after Queue, an entry the push put back in the queue (the cloud did not answer) says why, and offers Upload now again', async () => {
    const { api } = renderPanel('service', { 'outbox.add': () => entry({ state: 'queued', history: [{ at, state: 'queued', message: 'Queued.' }] }) });
    const panel = await screen.findByTestId('upload-panel');
    await within(panel).findByText('https://cloud.test:10000');
    fireEvent.click(within(panel).getByTestId('upload-queue'));
    await within(panel).findByTestId('upload-queued');
    const back = 'While uploading, the connection to cloud.test failed: the connection was reset (ECONNRESET). Queued: it goes out on the next push.';
    const h = [{ at, state: 'queued' as const, message: 'Queued.' }, { at, state: 'uploading' as const, message: 'Uploading.' }];
    act(() => api.emit('outbox.changed', { entry: entry({ state: 'uploading', history: h }), progress: { sent: MB, total: 10 * MB } }));
    expect(within(panel).queryByTestId('upload-now')).toBeNull();
    act(() => api.emit('outbox.changed', { entry: entry({ state: 'queued', history: [...h, { at, state: 'queued', message: back }] }) }));
    expect(within(panel).getByTestId('upload-queued')).toHaveTextContent('Queued in the outbox');
    expect(within(panel).getByTestId('upload-state-message')).toHaveTextContent(back);
    expect(within(panel).queryByTestId('upload-progress')).toBeNull();
    expect(within(panel).getByTestId('upload-now')).toHaveTextContent(/^Upload now$/);
  });

  it('after Queue, a change that comes before outbox.add answers is not lost', async () => {
    const early: { emit?: () => void } = {};
    const { api } = renderPanel('service', {
      'outbox.add': async () => {
        early.emit?.();
        return entry({ state: 'queued', history: [{ at, state: 'queued', message: 'Queued.' }] });
      },
    });
    early.emit = () => api.emit('outbox.changed', { entry: entry({ state: 'uploading', history: entry().history.slice(0, 2) }), progress: { sent: MB, total: 10 * MB } });
    const panel = await screen.findByTestId('upload-panel');
    await within(panel).findByText('https://cloud.test:10000');
    fireEvent.click(within(panel).getByTestId('upload-queue'));
    expect(await within(panel).findByTestId('upload-followed')).toHaveAttribute('data-state', 'uploading');
    expect(within(panel).getByTestId('upload-bytes')).toHaveTextContent('1.0 MiB of 10 MiB');
  });

  it('Queue for bytes the outbox already holds says so, and which state they are in, instead of "Queued"', async () => {
    renderPanel('service', { 'outbox.add': () => entry() });
    const panel = await screen.findByTestId('upload-panel');
    await within(panel).findByText('https://cloud.test:10000');
    fireEvent.click(within(panel).getByTestId('upload-queue'));
    const shown = await within(panel).findByTestId('upload-queued');
    expect(shown).toHaveTextContent('Already in the outbox');
    expect(shown).toHaveTextContent('0123456789abcdef, which is done: nothing was added.');
    expect(shown).not.toHaveTextContent('Queued in the outbox');
    expect(within(panel).queryByTestId('upload-now')).toBeNull();
  });

  it('without a cloud setting, the bundle goes where its config says; a bundle that cannot be read says why', async () => {
    const { api } = renderWithApi(<Panel />, { 'cloud.upload': () => { throw fakeFailure('not-a-bundle', 'service.tar.gz is not a signed bundle.'); } });
    const panel = await screen.findByTestId('upload-panel');
    expect(within(panel).getByTestId('upload-destination')).toHaveTextContent('the cloud publish.url names');
    expect(within(panel).getByTestId('upload-destination')).toHaveTextContent('the system’s certificate authorities');
    fireEvent.click(within(panel).getByTestId('upload-now'));
    expect(await within(panel).findByTestId('upload-error')).toHaveTextContent('service.tar.gz is not a signed bundle.');
    expect(api.callsTo('cloud.upload')).toEqual([{ path: RESULT.path, root: ROOT }]);
  });

  it('badges Upload now with the role it needs: grey until the cloud has told the role; a layer bundle from a service provider is not offered, the reason shown', () => {
    const p12 = '/b/aos-user-sp.p12';
    renderWithApi(<Panel kind="deployment" credentials={p12} itemTypes={['layer']} />, { 'settings.get': () => SETTINGS });
    const badge = () => screen.getByTestId('role-badge-deployment');
    expect(badge()).toHaveTextContent('OEM');
    expect(badge()).not.toHaveTextContent(/will refuse/);
    expect(screen.getByTestId('upload-now')).toBeEnabled();
    act(() => rememberWhoami({ role: 'service provider', host: 'cloud.test', base: 'https://cloud.test:10000', source: 'default', credentials: p12 }));
    expect(screen.getByTestId('role-reason')).toHaveTextContent(/Layer and component bundles are uploaded by OEM users, and the cloud says this certificate is Service provider.*will refuse it/);
    expect(screen.getByTestId('upload-now')).toBeDisabled();
    expect(screen.getByTestId('upload-queue')).toBeDisabled();
    act(() => rememberWhoami({ role: 'oem', host: 'cloud.test', base: 'https://cloud.test:10000', source: 'default', credentials: p12 }));
    expect(screen.getByTestId('upload-now')).toBeEnabled();
    expect(screen.queryByTestId('role-reason')).toBeNull();
    act(() => forgetWhoami());
  });

  it('a service from an OEM user: the spec does not say the cloud refuses it, so it is offered, with "may refuse" and why', () => {
    const p12 = '/s/aos-user-oem.p12';
    renderWithApi(<Panel credentials={p12} />, { 'settings.get': () => SETTINGS });
    act(() => rememberWhoami({ role: 'oem', host: 'cloud.test', base: 'https://cloud.test:10000', source: 'default', credentials: p12 }));
    expect(screen.getByTestId('role-reason')).toHaveTextContent(/Services are uploaded by service providers, and the cloud says this certificate is OEM.*may refuse it \(HTTP 403\)/);
    expect(screen.getByTestId('role-reason')).not.toHaveTextContent(/will refuse/);
    expect(screen.getByTestId('upload-now')).toBeEnabled();
    act(() => forgetWhoami());
  });

  it('a deployment bundle of services needs a service provider', () => {
    renderWithApi(<Panel kind="deployment" credentials="/b/sp.p12" itemTypes={['service']} />, { 'settings.get': () => SETTINGS });
    expect(screen.getByTestId('role-badge-deployment')).toHaveTextContent('Service provider');
  });
});

