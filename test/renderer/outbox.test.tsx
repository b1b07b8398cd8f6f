// The Outbox screen, the account card and the cloud settings, against a fake api: entries
// with their facts and history, Push now (a job) and its password prompt, Retry, Remove with
// a confirmation that says what a not-done entry loses, the empty state; the card's states
// (known with role, offline, TLS, 401/403, a protected key); the settings' URL and CA checks.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeFailure, type FakeApi } from '../../src/renderer/api/fake';
import type { OutboxEntryView, OutboxListing, WhoamiView } from '../../src/shared/contract';
import { forgetWhoami } from '../../src/renderer/cloud/role-store';
import { renderApp } from './app-harness';

const SHA = 'ab12cd34ef56'.padEnd(64, '0');

function entry(over: Partial<OutboxEntryView> = {}): OutboxEntryView {
  return {
    id: '0123456789abcdef',
    source: '/home/jane/services/hello/service.tar.gz',
    sha256: SHA,
    size: 2048,
    kind: 'service',
    what: 'service 2efd1506 version 1.2.3',
    state: 'queued',
    createdAt: '2026-12-01T10:00:00.000Z',
    updatedAt: '2026-12-01T10:00:00.000Z',
    history: [{ at: '2026-12-01T10:00:00.000Z', state: 'queued', message: 'Queued.' }],
    ...over,
  };
}

const listing = (entries: OutboxEntryView[], auto: OutboxListing['auto'] = { state: 'idle', message: 'Nothing waits in the outbox.' }): OutboxListing => ({ dir: '/home/jane/.config/bundle-studio/outbox', entries, auto });

const ME: WhoamiView = { username: 'jane', email: 'jane@example.com', role: 'oem', host: 'aoscloud.io', base: 'https://aoscloud.io:10000/', source: 'certificate', credentials: '/home/jane/.aos/security/aos-user-oem.p12' };

async function openOutbox() {
  fireEvent.click(await screen.findByRole('button', { name: /Outbox/ }));
  await screen.findByRole('heading', { name: 'Outbox' });
}

/** Finishes the job the last 'outbox.push' started, as main would. */
function finishPush(api: FakeApi, value: unknown, ok = true) {
  act(() => api.emit('job.done', ok ? { jobId: 'job-1', ok: true, value } : { jobId: 'job-1', ok: false, error: value as { code: 'wrong-password'; message: string } }));
}

describe('outbox screen', () => {
  it('says the outbox is empty', async () => {
    renderApp({ 'outbox.list': () => listing([]) });
    await openOutbox();
    expect(await screen.findByTestId('outbox-empty')).toHaveTextContent('The outbox is empty');
    expect(screen.getByRole('button', { name: 'Push now' })).toBeDisabled();
  });

  it('shows each entry: bundle, kind, size, sha256 short, target, state, the last message and the history', async () => {
    renderApp({
      'outbox.list': () =>
        listing([
          entry({ state: 'failed', cloud: 'https://127.0.0.1:10000', history: [{ at: '2026-12-01T10:00:00.000Z', state: 'queued', message: 'Queued.' }, { at: '2026-12-01T10:01:00.000Z', state: 'failed', message: 'The cloud refused uploading the service version (HTTP 422: version: already taken; file: too big).' }] }),
        ]),
    });
    await openOutbox();
    const card = await screen.findByTestId('outbox-entry');
    expect(card).toHaveTextContent('service.tar.gz');
    expect(card).toHaveTextContent('Service');
    expect(card).toHaveTextContent('2.0 KiB');
    expect(within(card).getByText('ab12cd34ef56')).toBeInTheDocument();
    expect(card).toHaveTextContent('service 2efd1506 version 1.2.3');
    expect(card).toHaveTextContent('to https://127.0.0.1:10000');
    expect(within(card).getByTestId('entry-state')).toHaveTextContent('failed');
    // A failed entry opens its history: every step with its message.
    const history = within(card).getByTestId('entry-history');
    expect(history).toHaveTextContent('Queued.');
    expect(history).toHaveTextContent('version: already taken; file: too big');
  });

  it('an upload whose process stopped mid-way reads "interrupted", not "uploading", and says Push sends it again', async () => {
    renderApp({
      'outbox.list': () =>
        listing([
          entry({ id: '0123456789abcdef', state: 'uploading', interrupted: true, history: [{ at: '2026-12-01T10:00:00.000Z', state: 'uploading', message: 'Uploading to https://127.0.0.1:10000/.' }] }),
          entry({ id: 'fedcba9876543210', source: '/home/jane/other/service.tar.gz', state: 'uploading', history: [{ at: '2026-12-01T10:00:00.000Z', state: 'uploading', message: 'Uploading to https://127.0.0.1:10000/.' }] }),
        ]),
    });
    await openOutbox();
    const [cut, live] = await screen.findAllByTestId('outbox-entry');
    expect(within(cut).getByTestId('entry-state')).toHaveTextContent(/^interrupted$/);
    expect(within(cut).getByTestId('entry-interrupted')).toHaveTextContent('the program that was uploading it stopped mid-way, so nothing sends it now. Push sends it again');
    expect(within(cut).getByRole('button', { name: 'Push' })).toBeEnabled();
    expect(within(live).getByTestId('entry-state')).toHaveTextContent(/^uploading$/);
    expect(within(live).queryByTestId('entry-interrupted')).toBeNull();
  });

  it('an entry without a cloud of its own says, in plain words, where it goes', async () => {
    renderApp({ 'outbox.list': () => listing([entry({ state: 'queued' })]) });
    await openOutbox();
    const card = await screen.findByTestId('outbox-entry');
    expect(card).toHaveTextContent('to the cloud in Cloud settings, else the one its config or certificate names');
  });

  it('Retry queues a failed entry again', async () => {
    let state: OutboxEntryView['state'] = 'failed';
    const { api } = renderApp({ 'outbox.list': () => listing([entry({ state })]), 'outbox.retry': () => ((state = 'queued'), entry({ state })) });
    await openOutbox();
    fireEvent.click(await screen.findByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.getByTestId('entry-state')).toHaveTextContent('queued'));
    expect(api.callsTo('outbox.retry')).toEqual([{ id: '0123456789abcdef' }]);
  });

  it('Remove asks first; for a not-done entry it says the upload is lost and sends confirmed', async () => {
    let entries = [entry()];
    const { api } = renderApp({ 'outbox.list': () => listing(entries), 'outbox.remove': ({ id }) => ((entries = []), { removed: id }) });
    await openOutbox();
    fireEvent.click(await screen.findByRole('button', { name: 'Remove service.tar.gz' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove from the outbox?' });
    expect(dialog).toHaveTextContent(/is queued, not done: it has not reached the cloud, and removing it means it will not be uploaded/);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Keep it' }));
    expect(api.callsTo('outbox.remove')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Remove service.tar.gz' }));
    fireEvent.click(within(await screen.findByRole('dialog', { name: 'Remove from the outbox?' })).getByRole('button', { name: 'Remove' }));
    await screen.findByTestId('outbox-empty');
    expect(api.callsTo('outbox.remove')).toEqual([{ id: '0123456789abcdef', confirmed: true }]);
  });

  it('a done entry is cleared without "confirmed" (the cloud has it)', async () => {
    let entries = [entry({ state: 'done' })];
    const { api } = renderApp({ 'outbox.list': () => listing(entries), 'outbox.remove': ({ id }) => ((entries = []), { removed: id }) });
    await openOutbox();
    fireEvent.click(await screen.findByRole('button', { name: 'Remove service.tar.gz' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove from the outbox?' });
    expect(dialog).toHaveTextContent(/is done: the cloud has it/);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    await screen.findByTestId('outbox-empty');
    expect(api.callsTo('outbox.remove')).toEqual([{ id: '0123456789abcdef', confirmed: false }]);
  });

  it('shows the automatic push waiting for the cloud, with the next check', async () => {
    renderApp({ 'outbox.list': () => listing([entry()], { state: 'waiting', message: 'While asking who you are, the connection to 127.0.0.1 failed: nothing listens there (connection refused).', nextCheckAt: '2026-12-01T10:05:00.000Z', checks: 2 }) });
    await openOutbox();
    const auto = await screen.findByTestId('auto-push');
    expect(auto).toHaveTextContent(/Waiting for the cloud: next check at .*connection refused/);
  });

  it('follows what the automatic push does at once: the entry\'s state, its bytes sent, then the wait for the cloud\'s answer', async () => {
    const { api } = renderApp({ 'outbox.list': () => listing([entry()]) });
    await openOutbox();
    const card = await screen.findByTestId('outbox-entry');
    expect(within(card).getByTestId('entry-state')).toHaveTextContent('queued');
    const uploading = entry({ state: 'uploading', history: [...entry().history, { at: '2026-12-01T10:00:01.000Z', state: 'uploading', message: 'Uploading to https://aoscloud.io:10000.' }] });
    act(() => api.emit('outbox.changed', { entry: uploading, progress: { sent: 1024, total: 2048, rate: 1024 } }));
    expect(within(card).getByTestId('entry-state')).toHaveTextContent('uploading');
    expect(within(card).getByTestId('entry-last')).toHaveTextContent('Uploading to https://aoscloud.io:10000.');
    expect(within(card).getByTestId('entry-progress')).toHaveTextContent('1.0 KiB of 2.0 KiB sent');
    act(() => api.emit('outbox.changed', { entry: uploading, progress: { sent: 2048, total: 2048 } }));
    expect(within(card).getByTestId('entry-progress')).toHaveTextContent('All 2.0 KiB sent: waiting for the cloud’s answer…');
    const done = entry({ state: 'done', history: [...uploading.history, { at: '2026-12-01T10:00:02.000Z', state: 'uploaded', message: 'Uploaded.' }, { at: '2026-12-01T10:00:02.000Z', state: 'done', message: 'Done.' }] });
    act(() => api.emit('outbox.changed', { entry: done }));
    expect(within(card).getByTestId('entry-state')).toHaveTextContent('done');
    expect(within(card).queryByTestId('entry-progress')).toBeNull();
  });

  it('Push now runs the push job; a protected key asks for its password and pushes again with it', async () => {
    const { api } = renderApp({ 'outbox.list': () => listing([entry()]), 'outbox.push': () => ({ jobId: 'job-1' }) });
    await openOutbox();
    fireEvent.click(await screen.findByRole('button', { name: 'Push now' }));
    await waitFor(() => expect(api.callsTo('outbox.push')).toEqual([{}]));
    // Its bar counts bytes handed to the connection: "sent", then the wait for the cloud's answer.
    act(() => api.emit('job.progress', { jobId: 'job-1', phase: 'uploading', done: 1024, total: 2048, rate: 1024, secondsLeft: 1 }));
    expect(screen.getByTestId('push-progress')).toHaveTextContent('1.0 KiB of 2.0 KiB sent · 1.0 KiB/s · 1 s left to send');
    act(() => api.emit('job.progress', { jobId: 'job-1', phase: 'uploading', done: 2048, total: 2048 }));
    expect(screen.getByTestId('push-progress')).toHaveTextContent('All 2.0 KiB sent: waiting for the cloud’s answer…');
    finishPush(api, { code: 'wrong-password', message: 'The key in aos-user-sp.p12 is protected by a password: enter it to continue.' }, false);
    const prompt = await screen.findByTestId('push-password');
    expect(prompt).toHaveTextContent('protected by a password');
    fireEvent.change(within(prompt).getByLabelText(/Key password/), { target: { value: 'pw-1' } });
    fireEvent.click(within(prompt).getByRole('button', { name: 'Unlock and push' }));
    await waitFor(() => expect(api.callsTo('outbox.push')).toHaveLength(2));
    expect(api.callsTo('outbox.push')[1]).toEqual({ password: 'pw-1' });
    finishPush(api, { results: [{ id: '0123456789abcdef', state: 'done', message: 'Uploaded.' }] });
    await waitFor(() => expect(screen.queryByTestId('push-password')).not.toBeInTheDocument());
  });
  it('Push now says on its card why an entry was not sent (the cloud refused its role, nothing changed since); the next push that sends it clears that', async () => {
    const layer = entry({ kind: 'deployment', itemTypes: ['layer'], source: '/home/jane/pylibs/batch.tar.gz', what: 'deployment bundle: layer pylibs 1.0.0' });
    const other = entry({ id: 'fedcba9876543210', source: '/home/jane/other/service.tar.gz' });
    const { api } = renderApp({ 'outbox.list': () => listing([layer, other]), 'outbox.push': () => ({ jobId: 'job-1' }) });
    await openOutbox();
    fireEvent.click(await screen.findByRole('button', { name: 'Push now' }));
    await waitFor(() => expect(api.callsTo('outbox.push')).toEqual([{}]));
    const why = "Not sent: the cloud refused this certificate's role for this upload (HTTP 403) on 2026-12-01 10:01 UTC, and the same certificate (/home/jane/.aos/security/aos-user-sp.p12) is unchanged and its role has not been told otherwise since, so it would refuse it again.";
    finishPush(api, { results: [{ id: layer.id, state: 'queued', message: why, skipped: true, skipReason: why }, { id: other.id, state: 'done', message: 'Done.' }] });
    const [card, sent] = screen.getAllByTestId('outbox-entry');
    const note = await within(card).findByTestId('entry-skipped');
    expect(note).toHaveTextContent('Skipped by Push now');
    expect(note).toHaveTextContent(why);
    expect(within(sent).queryByTestId('entry-skipped')).toBeNull();
    // Its own Push names it: sent, and the note goes.
    fireEvent.click(within(card).getByRole('button', { name: 'Push' }));
    await waitFor(() => expect(api.callsTo('outbox.push')).toHaveLength(2));
    expect(api.callsTo('outbox.push')[1]).toEqual({ ids: [layer.id] });
    finishPush(api, { results: [{ id: layer.id, state: 'failed', message: 'The cloud recognised your certificate but your role may not do this.' }] });
    await waitFor(() => expect(within(card).queryByTestId('entry-skipped')).toBeNull());
  });

  it('an entry Push now skipped, then sent by its Retry (main sends it by itself): the note goes as soon as a push moves it', async () => {
    const layer = entry({ state: 'failed', kind: 'deployment', itemTypes: ['layer'], source: '/home/jane/pylibs/batch.tar.gz', what: 'deployment bundle: layer pylibs 1.0.0' });
    const other = entry({ id: 'fedcba9876543210', source: '/home/jane/other/service.tar.gz' });
    const { api } = renderApp({ 'outbox.list': () => listing([layer, other]), 'outbox.push': () => ({ jobId: 'job-1' }), 'outbox.retry': () => ({ ...layer, state: 'queued' }) });
    await openOutbox();
    fireEvent.click(await screen.findByRole('button', { name: 'Push now' }));
    await waitFor(() => expect(api.callsTo('outbox.push')).toEqual([{}]));
    const why = "Not sent: the cloud refused this certificate's role for this upload (HTTP 403) on 2026-12-01 10:01 UTC.";
    finishPush(api, { results: [{ id: layer.id, state: 'failed', message: why, skipped: true, skipReason: why }, { id: other.id, state: 'done', message: 'Done.' }] });
    const [card] = screen.getAllByTestId('outbox-entry');
    expect(await within(card).findByTestId('entry-skipped')).toHaveTextContent(why);
    fireEvent.click(within(card).getByRole('button', { name: /Retry/ }));
    await waitFor(() => expect(api.callsTo('outbox.retry')).toEqual([{ id: layer.id }]));
    // Main's push of it (not a job of this screen) moves it: it is no longer "skipped".
    act(() => api.emit('outbox.changed', { entry: { ...layer, state: 'uploading', updatedAt: '2099-01-01T00:00:00.000Z' } }));
    await waitFor(() => expect(within(card).queryByTestId('entry-skipped')).toBeNull());
  });
});

describe('account card', () => {
  const check = async (api: Partial<Parameters<typeof renderApp>[0]>) => {
    forgetWhoami();
    const r = renderApp({ 'outbox.list': () => listing([entry({ kind: 'deployment', credentials: ME.credentials })]), ...api });
    await openOutbox();
    fireEvent.change(screen.getByLabelText(/Certificate to check/), { target: { value: ME.credentials } });
    fireEvent.click(screen.getByRole('button', { name: 'Check account' }));
    return r;
  };

  it('shows user, e-mail, role and domain; the role replaces the guess on the gated action', async () => {
    const { api } = await check({ 'cloud.whoami': () => ME });
    const known = await screen.findByTestId('account-known');
    expect(known).toHaveTextContent('jane');
    expect(known).toHaveTextContent('jane@example.com');
    expect(within(known).getByTestId('account-role')).toHaveTextContent('OEM');
    expect(known).toHaveTextContent('Domain aoscloud.io');
    expect(known).toHaveTextContent("https://aoscloud.io:10000/ (the certificate's organisation (O))");
    expect(api.callsTo('cloud.whoami')).toEqual([{ pkcs12Path: ME.credentials }]);
    // The layer bundle entry's badge: OEM, allowed.
    const badge = screen.getByTestId('role-badge-deployment');
    expect(within(badge).getByText('OEM').closest('[aria-label]')).toHaveAttribute('aria-label', expect.stringMatching(/the cloud says this certificate is OEM/));
    // Refreshed on demand.
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(api.callsTo('cloud.whoami')).toHaveLength(2));
  });

  it('a service provider\'s certificate on a layer bundle: the badge says why the cloud will refuse it', async () => {
    await check({ 'cloud.whoami': () => ({ ...ME, role: 'service provider' }) });
    await screen.findByTestId('account-known');
    expect(screen.getByTestId('role-badge-deployment')).toHaveTextContent(/Layer and component bundles are uploaded by OEM users, and the cloud says this certificate is Service provider/);
    // Its Push would only meet the cloud's 403 again: not offered, the reason beside the badge.
    expect(within(screen.getByTestId('outbox-entry')).getByRole('button', { name: 'Push' })).toBeDisabled();
  });

  it('an entry\'s badge tells the role of its own certificate: checking another certificate leaves it grey', async () => {
    forgetWhoami();
    renderApp({ 'outbox.list': () => listing([entry({ kind: 'deployment', credentials: '/home/jane/.aos/security/aos-user-sp.p12' })]), 'cloud.whoami': () => ME });
    await openOutbox();
    fireEvent.change(screen.getByLabelText(/Certificate to check/), { target: { value: ME.credentials } });
    fireEvent.click(screen.getByRole('button', { name: 'Check account' }));
    await screen.findByTestId('account-known');
    const badge = screen.getByTestId('role-badge-deployment');
    expect(within(badge).getByText('OEM').closest('[aria-label]')).toHaveAttribute('aria-label', expect.stringMatching(/has not told this certificate's role yet/));
  });

  it('offline: says the cloud does not answer, with main\'s reason', async () => {
    await check({
      'cloud.whoami': () => {
        throw fakeFailure('network', 'While asking who you are, the connection to aoscloud.io failed: the host name could not be looked up (DNS; offline?).');
      },
    });
    const alert = await screen.findByTestId('account-error');
    expect(alert).toHaveTextContent('Offline: the cloud does not answer');
    expect(alert).toHaveTextContent('offline?');
  });

  it('TLS: says the secure connection failed and which side refused', async () => {
    await check({
      'cloud.whoami': () => {
        throw fakeFailure('tls', "TLS failed on the server's side: 127.0.0.1 refused our client certificate because the certificate is not issued by a certificate authority it trusts.");
      },
    });
    const alert = await screen.findByTestId('account-error');
    expect(alert).toHaveTextContent('The secure connection failed');
    expect(alert).toHaveTextContent("TLS failed on the server's side");
  });

  it('401/403: says the cloud refused the certificate, in main\'s plain words', async () => {
    await check({
      'cloud.whoami': () => {
        throw fakeFailure('unauthorized', 'The cloud did not accept your certificate while asking who you are (HTTP 401). The certificate may have expired.');
      },
    });
    const alert = await screen.findByTestId('account-error');
    expect(alert).toHaveTextContent('The cloud refused this certificate');
    expect(alert).toHaveTextContent('HTTP 401');
  });

  it('a protected key asks for its password once and asks again with it', async () => {
    const { api } = await check({
      'cloud.whoami': ({ password }) => {
        if (password !== 'pw') throw fakeFailure('wrong-password', 'The key in aos-user-oem.p12 is protected by a password: enter it to continue.');
        return ME;
      },
    });
    const prompt = await screen.findByTestId('account-password');
    fireEvent.change(within(prompt).getByLabelText(/Key password/), { target: { value: 'pw' } });
    fireEvent.click(within(prompt).getByRole('button', { name: 'Unlock' }));
    await screen.findByTestId('account-known');
    expect(api.callsTo('cloud.whoami')[1]).toEqual({ pkcs12Path: ME.credentials, password: 'pw' });
  });
});

describe('cloud settings', () => {
  const open = async (handlers: Parameters<typeof renderApp>[0] = {}) => {
    const r = renderApp({ 'outbox.list': () => listing([]), 'settings.get': () => ({ theme: 'auto', previewTarget: 'v9', layerLibrary: '' }), ...handlers });
    fireEvent.click(await screen.findByRole('button', { name: 'Cloud settings' }));
    return { ...r, dialog: await screen.findByRole('dialog', { name: 'Cloud settings' }) };
  };

  it('the URL field says which address it overrides, in whole words', async () => {
    const { dialog } = await open();
    expect(within(dialog).getByLabelText(/Cloud URL/)).toHaveAccessibleDescription(
      "Overrides the address that the bundle's config.yaml (publish.url or publish.domain) or else your certificate's organisation names, like aos-bundle --cloud. Empty: that address (port 10000).",
    );
  });

  it('checks the URL as it is typed (https://HOST:PORT only) and saves nothing while it is wrong', async () => {
    const { api, dialog } = await open();
    const url = within(dialog).getByLabelText(/Cloud URL/);
    fireEvent.change(url, { target: { value: 'http://cloud.example:10000' } });
    expect(within(dialog).getByText('The cloud is reached over https:// (mutual TLS).')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Save' })).toBeDisabled();
    fireEvent.change(url, { target: { value: 'https://cloud.example:10000/api' } });
    expect(within(dialog).getByText('Only https://HOST:PORT, with no path.')).toBeInTheDocument();
    expect(api.callsTo('settings.set')).toEqual([]);
  });

  it('shows what main refused at its field (a CA file that is no PEM), and saves good settings', async () => {
    let saved: unknown;
    const { api, dialog } = await open({
      'settings.set': (patch) => {
        if (patch.cloud?.caFile === '/tmp/notes.txt') throw { error: { code: 'credentials', message: 'The CA file /tmp/notes.txt holds no PEM certificate.', location: { file: '/tmp/notes.txt', path: 'cloud.caFile' } } };
        saved = patch;
        return { theme: 'auto', previewTarget: 'v9', layerLibrary: '', ...patch };
      },
    });
    fireEvent.change(within(dialog).getByLabelText(/Cloud URL/), { target: { value: 'https://127.0.0.1:10000' } });
    fireEvent.change(within(dialog).getByLabelText(/Certificate authority/), { target: { value: '/tmp/notes.txt' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByText('The CA file /tmp/notes.txt holds no PEM certificate.')).toBeInTheDocument();
    fireEvent.change(within(dialog).getByLabelText(/Certificate authority/), { target: { value: '/tmp/ca.pem' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Cloud settings' })).not.toBeInTheDocument());
    expect(saved).toEqual({ cloud: { url: 'https://127.0.0.1:10000', caFile: '/tmp/ca.pem' } });
    expect(api.callsTo('settings.set')).toHaveLength(2);
  });
});
