// The cloud and outbox channels through dispatch, against the fake cloud (HTTPS, client
// certificates required): whoami from a service folder with the app's cloud settings, the
// settings' checks, a protected key asked for once per session, and the outbox's add, push
// (a job), list, retry and remove (a not-done entry only when confirmed).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createApiHandlers, dispatch } from '../../../src/main/api/handlers';
import { Outbox } from '../../../src/main/core/outbox';
import type { EventPayload } from '../../../src/shared/contract';
import { cloudTestSetup } from '../../support/cloud-test-setup';
import { writeClientFiles, type FakeCloud } from '../../support/fake-cloud';
import { eventually } from '../../support/eventually';
import { SERVICE_UID, signedServiceBundle } from '../cloud/bundles';

const fixture = cloudTestSetup('bs-cloud-api-');
let svc: string;
let bundle: string;
let cloud: FakeCloud | undefined;
let n = 0;

beforeAll(async () => {
  svc = path.join(fixture.dir, 'svc');
  bundle = await signedServiceBundle(svc, fixture.pki, { 'usr/bin/app': randomBytes(64 << 10) });
}, 120_000);

type Ok<T = unknown> = { ok: true; value: T };

function api() {
  const done: EventPayload<'job.done'>[] = [];
  const handlers = createApiHandlers({
    mode: 'browser',
    settingsDir: path.join(fixture.dir, `settings-${++n}`),
    homeDir: fixture.dir,
    cwd: fixture.dir,
    emit: (event, payload) => event === 'job.done' && done.push(payload as EventPayload<'job.done'>),
  });
  const call = async (channel: string, input: unknown) => dispatch(handlers, channel, input);
  const value = async <T = Record<string, unknown>>(channel: string, input: unknown): Promise<T> => {
    const r = await call(channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return (r as Ok<T>).value;
  };
  const job = async (channel: string, input: unknown) => {
    const { jobId } = await value<{ jobId: string }>(channel, input);
    await eventually(() => expect(done.find((d) => d.jobId === jobId)).toBeDefined());
    return done.find((d) => d.jobId === jobId)!;
  };
  return { call, value, job };
}

describe('cloud settings', () => {
  it('refuses a cloud URL that is not https://HOST:PORT and a CA file that is not a readable PEM certificate; keeps good ones', async () => {
    const { call, value } = api();
    const http = await call('settings.set', { cloud: { url: 'http://127.0.0.1:10000' } });
    expect(http).toMatchObject({ ok: false, error: { code: 'invalid-input', location: { path: 'cloud.url' } } });
    expect((http as { error: { message: string } }).error.message).toMatch(/The cloud URL must start with https:\/\//);
    const path1 = await call('settings.set', { cloud: { url: 'https://cloud.example:10000/api' } });
    expect(path1).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    await fs.writeFile(path.join(fixture.dir, 'not-a-ca.txt'), 'hello\n');
    const notPem = await call('settings.set', { cloud: { caFile: path.join(fixture.dir, 'not-a-ca.txt') } });
    expect(notPem).toMatchObject({ ok: false, error: { code: 'credentials', location: { path: 'cloud.caFile' } } });
    expect((notPem as { error: { message: string } }).error.message).toMatch(/holds no PEM certificate/);
    const missing = await call('settings.set', { cloud: { caFile: path.join(fixture.dir, 'missing.pem') } });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    // Nothing was saved by the refused calls.
    expect((await value<{ cloud?: unknown }>('settings.get', {})).cloud).toBeUndefined();
    const saved = await value('settings.set', { cloud: { url: 'https://127.0.0.1:12345', caFile: fixture.files.ca } });
    expect(saved.cloud).toEqual({ url: 'https://127.0.0.1:12345', caFile: fixture.files.ca });
  });
});

describe('cloud.whoami', () => {
  it('asks users/me with the credentials the service names, through the cloud URL and CA of the settings', async () => {
    cloud = await fixture.start({ role: 'oem' });
    const { value } = api();
    await value('settings.set', { cloud: { url: cloud.url, caFile: fixture.files.ca } });
    const me = await value('cloud.whoami', { root: svc });
    expect(me).toMatchObject({ username: 'jane', email: 'jane@example.com', role: 'oem', host: '127.0.0.1', base: `${cloud.url}/`, source: 'override' });
    expect(me.credentials).toBe(path.join(svc, 'meta', 'aos-user-sp.p12'));
  });

  it('a protected PKCS#12 answers wrong-password until its password comes, then is kept opened for the session only', async () => {
    cloud = await fixture.start();
    const protectedDir = path.join(fixture.dir, 'protected');
    await fs.mkdir(protectedDir, { recursive: true });
    const locked = await writeClientFiles(protectedDir, fixture.pki, 'secret-pw');
    const { call, value } = api();
    await value('settings.set', { cloud: { url: cloud.url, caFile: fixture.files.ca } });
    expect(await call('cloud.whoami', { pkcs12Path: locked.p12 })).toMatchObject({ ok: false, error: { code: 'wrong-password' } });
    expect(await call('cloud.whoami', { pkcs12Path: locked.p12, password: 'nope' })).toMatchObject({ ok: false, error: { code: 'wrong-password' } });
    expect(await value('cloud.whoami', { pkcs12Path: locked.p12, password: 'secret-pw' })).toMatchObject({ username: 'jane' });
    // Asked once: the same session needs no password again.
    expect(await value('cloud.whoami', { pkcs12Path: locked.p12 })).toMatchObject({ username: 'jane' });
    // A new run (new handlers) asks again: nothing was written anywhere.
    const other = api();
    await other.value('settings.set', { cloud: { url: cloud.url, caFile: fixture.files.ca } });
    expect(await other.call('cloud.whoami', { pkcs12Path: locked.p12 })).toMatchObject({ ok: false, error: { code: 'wrong-password' } });
  });

  it('says which side refused TLS: without the CA the server certificate is refused on our side', async () => {
    cloud = await fixture.start();
    const { call, value } = api();
    await value('settings.set', { cloud: { url: cloud.url } });
    const r = await call('cloud.whoami', { root: svc });
    expect(r).toMatchObject({ ok: false, error: { code: 'tls' } });
    expect((r as { error: { message: string } }).error.message).toMatch(/TLS failed on our side/);
  });
});

describe('outbox channels', () => {
  it('adds a signed bundle (queued), pushes it as a job to done, lists it with its history, removes it once done', async () => {
    cloud = await fixture.start();
    const { value, job } = api();
    await value('settings.set', { cloud: { url: cloud.url, caFile: fixture.files.ca } });
    const entry = await value('outbox.add', { path: bundle, root: svc });
    expect(entry).toMatchObject({ source: bundle, kind: 'service', what: `service ${SERVICE_UID} version 1.2.3` });
    expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);
    const id = entry.id as string;
    // The automatic push may take it first (it wakes on add); Push now waits for it.
    const pushed = await job('outbox.push', { ids: [id] });
    expect(pushed.ok).toBe(true);
    const listing = await value<{ entries: { id: string; state: string; history: { state: string }[] }[]; auto: { state: string } }>('outbox.list', {});
    expect(listing.entries).toHaveLength(1);
    expect(listing.entries[0]).toMatchObject({ id, state: 'done' });
    expect(listing.entries[0].history.map((h) => h.state)).toEqual(['queued', 'uploading', 'uploaded', 'done']);
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(1);
    await eventually(async () => expect((await value<{ auto: { state: string } }>('outbox.list', {})).auto.state).toBe('idle'));
    expect(await value('outbox.remove', { id })).toEqual({ removed: id });
    expect((await value<{ entries: unknown[] }>('outbox.list', {})).entries).toEqual([]);
  });

  it('removes a not-done entry only when confirmed; retries a failed one', async () => {
    const { call, value } = api();
    // No cloud listens: the entry stays queued.
    await value('settings.set', { cloud: { url: 'https://127.0.0.1:9', caFile: fixture.files.ca } });
    const { id } = await value<{ id: string }>('outbox.add', { path: bundle, root: svc });
    const refused = await call('outbox.remove', { id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((refused as { error: { message: string } }).error.message).toMatch(/is queued: it has not reached the cloud/);
    expect(await call('outbox.retry', { id })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await value('outbox.remove', { id, confirmed: true })).toEqual({ removed: id });
    expect((await value<{ entries: unknown[] }>('outbox.list', {})).entries).toEqual([]);
  });

  it('lists an entry a killed process left "uploading" as interrupted (a live upload is not)', async () => {
    const { value } = api();
    await value('settings.set', { cloud: { url: 'https://127.0.0.1:9', caFile: fixture.files.ca } });
    const { id } = await value<{ id: string }>('outbox.add', { path: bundle, root: svc });
    // The automatic push tries it first (it wakes on add) and, no cloud answering, waits.
    await eventually(async () => expect((await value<{ auto: { state: string } }>('outbox.list', {})).auto.state).toBe('waiting'));
    const { dir: outboxDir } = await value<{ dir: string }>('outbox.list', {});
    await new Outbox(outboxDir).transition(id, 'uploading', 'Uploading (then killed).');
    await fs.writeFile(path.join(outboxDir, id, 'lock'), '999999');
    expect((await value<{ entries: unknown[] }>('outbox.list', {})).entries).toMatchObject([{ id, state: 'uploading', interrupted: true }]);
    await fs.writeFile(path.join(outboxDir, id, 'lock'), String(process.ppid));
    expect((await value<{ entries: { interrupted?: boolean }[] }>('outbox.list', {})).entries[0].interrupted).toBeUndefined();
    await fs.rm(path.join(outboxDir, id, 'lock'));
    expect(await value('outbox.remove', { id, confirmed: true })).toEqual({ removed: id });
  });

  it('a failed entry (the cloud refused it) needs confirming to remove; Retry queues it again', async () => {
    cloud = await fixture.start({ mode: 'reject' });
    const { call, value, job } = api();
    await value('settings.set', { cloud: { url: cloud.url, caFile: fixture.files.ca } });
    const { id } = await value<{ id: string }>('outbox.add', { path: bundle, root: svc });
    await job('outbox.push', { ids: [id] });
    const listed = await value<{ entries: { state: string; history: { message: string }[] }[] }>('outbox.list', {});
    expect(listed.entries[0].state).toBe('failed');
    expect(await call('outbox.remove', { id })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const again = await value('outbox.retry', { id });
    expect(again.state).toBe('queued');
    expect(await value('outbox.remove', { id, confirmed: true })).toEqual({ removed: id });
  });
});
