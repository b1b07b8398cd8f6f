// The upload channels through dispatch against the fake cloud (HTTPS, client certificates
// required): 'cloud.upload' runs the CLI's use-case as a job, with byte progress and each
// state change as events, and ends with a result that keeps every field message of a
// refusal; a protected PKCS#12 is opened once per session; 'outbox.add' only queues.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createApiHandlers, dispatch } from '../../../src/main/api/handlers';
import { contract, events as contractEvents, type EventPayload, type UploadResult } from '../../../src/shared/contract';
import { cloudTestSetup } from '../../support/cloud-test-setup';
import { type FakeCloud } from '../../support/fake-cloud';
import { Outbox } from '../../../src/main/core/outbox';
import { p12 } from '../credentials/pki-fixtures';
import { SERVICE_UID, sha256File, signedBatchBundle, signedServiceBundle } from '../cloud/bundles';

const fixture = cloudTestSetup('bs-cloud-api-');
let bundle: string;
let batch: string;
let cloud: FakeCloud | undefined;
let n = 0;

beforeAll(async () => {
  bundle = await signedServiceBundle(path.join(fixture.dir, 'svc'), fixture.pki, { 'usr/bin/app': Buffer.alloc(600_000, 1) });
  batch = await signedBatchBundle(path.join(fixture.dir, 'b2'), fixture.pki);
  await fs.writeFile(path.join(fixture.dir, 'b2', 'aos-user-sp.p12'), p12(fixture.pki.user, [fixture.pki.ca.cert], ''));
}, 120_000);

function api(options: { pollMs?: number } = {}) {
  const events: { event: string; payload: unknown }[] = [];
  const waiters = new Map<string, (p: EventPayload<'job.done'>) => void>();
  const handlers = createApiHandlers({
    mode: 'browser',
    settingsDir: path.join(fixture.dir, `settings-${++n}`),
    homeDir: fixture.dir,
    cwd: fixture.dir,
    cloudPollIntervalMs: options.pollMs ?? 1,
    cloudRetry: { tries: 2, baseMs: 1, maxMs: 2 },
    emit: (event, payload) => {
      events.push({ event, payload });
      if (event === 'job.done') waiters.get((payload as EventPayload<'job.done'>).jobId)?.(payload as EventPayload<'job.done'>);
    },
  });
  const call = async (channel: string, input: unknown) => dispatch(handlers, channel, input);
  /** Starts an upload and waits for its 'job.done'. */
  const upload = async (input: Record<string, unknown>) => {
    const started = await call('cloud.upload', input);
    if (!started.ok) throw new Error(started.error.message);
    const jobId = (started.value as { jobId: string }).jobId;
    const done = await new Promise<EventPayload<'job.done'>>((resolve) => waiters.set(jobId, resolve));
    const progress = events.filter((e) => e.event === 'job.progress' && (e.payload as { jobId: string }).jobId === jobId).map((e) => e.payload as EventPayload<'job.progress'>);
    return { done, progress, jobId };
  };
  /** The 'job.done' of a job already started (it may have come already). */
  const jobDone = (jobId: string) =>
    vi.waitFor(
      () => {
        const d = events.find((e) => e.event === 'job.done' && (e.payload as { jobId: string }).jobId === jobId);
        if (!d) throw new Error('not yet');
        return d.payload as EventPayload<'job.done'>;
      },
      { timeout: 20_000, interval: 20 },
    );
  return { call, upload, events, jobDone };
}

describe('cloud.upload', () => {
  it('uploads a service version as a job: byte progress with rate, the states as events, the entry done', async () => {
    cloud = await fixture.start();
    const { upload } = api();
    const { done, progress } = await upload({ path: bundle, root: path.join(fixture.dir, 'svc'), cloud: cloud.url, caFile: fixture.files.ca });
    expect(done.ok).toBe(true);
    const result = done.value as UploadResult;
    expect(result.entry).toMatchObject({ state: 'done', kind: 'service', sha256: sha256File(bundle), cloud: cloud.url });
    expect(result.entry.what).toContain(SERVICE_UID);
    expect(result.entry.history.map((h) => h.state)).toEqual(['queued', 'uploading', 'uploaded', 'done']);
    expect(result.failure).toBeUndefined();
    const bytes = progress.filter((p) => p.phase === 'uploading' && p.done > 0);
    expect(bytes.at(-1)).toMatchObject({ done: result.entry.size, total: result.entry.size });
    expect(typeof bytes.at(-1)?.rate).toBe('number');
    expect(progress.map((p) => p.phase)).toEqual(expect.arrayContaining(['uploaded', 'done']));
    expect(cloud.received[0]).toMatchObject({ clientCn: 'jane', sha256: sha256File(bundle), query: expect.objectContaining({ service: SERVICE_UID }) });
  });

  it('the same bytes again, already done: says it is done where it went and nothing was sent again, not "Uploaded"', async () => {
    cloud = await fixture.start();
    const { upload } = api();
    const input = { path: bundle, root: path.join(fixture.dir, 'svc'), cloud: cloud.url, caFile: fixture.files.ca };
    const first = (await upload(input)).done.value as UploadResult;
    expect(first).toMatchObject({ alreadyThere: false, entry: { state: 'done' } });
    const again = (await upload(input)).done.value as UploadResult;
    expect(again.alreadyThere).toBe(true);
    expect(again.message).toBe(`These bytes are outbox entry ${first.entry.id}, done at ${cloud.url} since ${first.entry.history.at(-1)!.at}: nothing was sent again (remove the entry in the Outbox to send them once more).`);
    expect(again.failure).toBeUndefined();
    expect(cloud.received).toHaveLength(1);
  });

  it('a refusal (422 with several fields) fails the entry and keeps every field message', async () => {
    cloud = await fixture.start({ mode: 'reject' });
    const { upload } = api();
    const { done } = await upload({ path: bundle, cloud: cloud.url, caFile: fixture.files.ca });
    const result = done.value as UploadResult;
    expect(result.entry.state).toBe('failed');
    expect(result.failure).toMatchObject({ code: 'rejected', status: 422 });
    expect(result.failure?.fields).toEqual(['version: Version must be greater than 1.2.3.', 'service: Service is archived.', 'service: Service quota is exhausted.', 'file.config: quotas.mem is too small']);
  });

  it('a service provider\'s certificate uploading a layer bundle: the cloud\'s 403 in plain words (certificates and roles), the entry failed, never tried again', async () => {
    cloud = await fixture.start({ roles: { jane: 'service provider' } });
    const { upload, call } = api();
    await call('settings.set', { cloud: { url: cloud.url, caFile: fixture.files.ca } });
    expect(await call('cloud.whoami', { pkcs12Path: fixture.files.p12 })).toMatchObject({ ok: true, value: { username: 'jane', role: 'service provider' } });
    const { done } = await upload({ path: batch, cloud: cloud.url, caFile: fixture.files.ca });
    const result = done.value as UploadResult;
    expect(result.entry.state).toBe('failed');
    expect(result.failure).toMatchObject({ code: 'unauthorized', status: 403, fields: ['You do not have permission to perform this action.'] });
    expect(result.failure?.message).toMatch(/recognised your certificate but your role may not do this/);
    expect(result.failure?.message).toMatch(/Only OEM users upload layers and components/);
    expect(result.failure?.message).toMatch(/aos-user-oem\.p12/);
    expect(result.entry.history.at(-1)).toMatchObject({ state: 'failed', message: result.failure?.message });
    // A 4xx is never retried: one POST, and the cloud holds nothing.
    expect(cloud.requests.filter((r) => r === 'POST /api/v11/deployment-bundles/upload/')).toHaveLength(1);
    expect(cloud.refused).toEqual([{ route: 'deployment-bundle', clientCn: 'jane', role: 'service provider' }]);
    expect(cloud.bundles).toEqual([]);
  });

  it('the same bundle queued: the automatic push meets the 403, the entry ends failed with it, and the screens are told (outbox.changed)', async () => {
    cloud = await fixture.start({ roles: { jane: 'service provider' } });
    const { call, events } = api();
    const added = await call('outbox.add', { path: batch, cloud: cloud.url, caFile: fixture.files.ca });
    expect(added.ok).toBe(true);
    const id = added.ok ? (added.value as { id: string }).id : '';
    const changes = () => events.filter((e) => e.event === 'outbox.changed').map((e) => e.payload as EventPayload<'outbox.changed'>);
    await vi.waitFor(() => expect(changes().at(-1)?.entry.state).toBe('failed'), { timeout: 20_000, interval: 20 });
    const last = changes().at(-1)!.entry;
    expect(last.id).toBe(id);
    expect(last.history.at(-1)!.message).toMatch(/HTTP 403: You do not have permission to perform this action.*Only OEM users upload layers/);
    expect(changes().map((c) => c.entry.state)).toEqual(expect.arrayContaining(['uploading', 'failed']));
    // Each passes the contract's schema (the Electron forwarder drops any that does not).
    for (const c of changes()) expect(contractEvents['outbox.changed'].safeParse(c).success).toBe(true);
    expect(cloud.requests.filter((r) => r.startsWith('POST '))).toHaveLength(1);
  });

  it('after the 403, Push now (outbox.push, every entry) skips it with the reason and sends nothing; once users/me says OEM, Retry sends it', async () => {
    cloud = await fixture.start({ roles: { jane: 'service provider' }, processing: ['done'] });
    const { call, upload, jobDone } = api();
    await call('settings.set', { cloud: { url: cloud.url, caFile: fixture.files.ca } });
    const first = (await upload({ path: batch, cloud: cloud.url, caFile: fixture.files.ca })).done.value as UploadResult;
    expect(first.entry.state).toBe('failed');
    const c = cloud;
    const posts = () => c.requests.filter((r) => r.startsWith('POST ')).length;
    const pushAll = async () => {
      const started = await call('outbox.push', {});
      const jobId = (started as { value: { jobId: string } }).value.jobId;
      const done = await jobDone(jobId);
      expect(done.ok).toBe(true);
      // What the screen gets passes the contract's result schema, the reason included.
      expect(contract['outbox.push'].result.parse(done.value)).toEqual(done.value);
      return (done.value as { results: { id: string; state: string; skipped?: boolean; skipReason?: string }[] }).results;
    };
    const [skipped] = await pushAll();
    expect(skipped).toMatchObject({ id: first.entry.id, state: 'failed', skipped: true });
    expect(skipped.skipReason).toMatch(/^Not sent: the cloud refused this certificate's role for this upload \(HTTP 403\)/);
    expect(posts()).toBe(1);
    // The account card asks users/me: the admin made jane an OEM user. Retry sends it by itself.
    c.options.roles!.jane = 'oem';
    expect(await call('cloud.whoami', { pkcs12Path: fixture.files.p12 })).toMatchObject({ ok: true, value: { role: 'oem' } });
    expect(await call('outbox.retry', { id: first.entry.id })).toMatchObject({ ok: true, value: { state: 'queued' } });
    await vi.waitFor(() => expect(c.bundles).toHaveLength(1), { timeout: 20_000, interval: 20 });
    expect(posts()).toBe(2);
  });

  it('a 403 from the cloud the Cloud settings named: another cloud set there lifts the skip (the entry left its cloud to the settings)', async () => {
    const first = await fixture.start({ roles: { jane: 'service provider' } });
    const second = await fixture.start({ roles: { jane: 'oem' }, processing: ['done'] });
    const { call, jobDone } = api();
    await call('settings.set', { cloud: { url: first.url, caFile: fixture.files.ca } });
    // Queued with no cloud of its own: the settings' is where it goes. Queuing wakes the automatic push, which meets the 403.
    const added = await call('outbox.add', { path: batch });
    expect(added).toMatchObject({ ok: true, value: { state: 'queued' } });
    const id = (added as { value: { id: string } }).value.id;
    await vi.waitFor(() => expect(first.refused).toHaveLength(1), { timeout: 20_000, interval: 20 });
    const outbox = new Outbox(path.join(fixture.dir, `settings-${n}`, 'outbox'));
    await vi.waitFor(async () => expect((await outbox.get(id)).state).toBe('failed'), { timeout: 20_000, interval: 20 });
    // The user points the app at the right cloud and queues the entry again from the CLI.
    await call('settings.set', { cloud: { url: second.url, caFile: fixture.files.ca } });
    await outbox.retry(id);
    const started = await call('outbox.push', {});
    const jobId = (started as { value: { jobId: string } }).value.jobId;
    const done = await jobDone(jobId);
    expect((done.value as { results: unknown[] }).results).toMatchObject([{ id, state: 'done' }]);
    expect(second.bundles).toHaveLength(1);
    expect(first.refused).toHaveLength(1);
  });

  it('an OEM\'s certificate: the same layer bundle is taken (201)', async () => {
    cloud = await fixture.start({ roles: { jane: 'oem' }, processing: ['done'] });
    const { upload, call } = api();
    await call('settings.set', { cloud: { url: cloud.url, caFile: fixture.files.ca } });
    expect(await call('cloud.whoami', { pkcs12Path: fixture.files.p12 })).toMatchObject({ ok: true, value: { role: 'oem' } });
    const { done } = await upload({ path: batch, cloud: cloud.url, caFile: fixture.files.ca });
    expect((done.value as UploadResult).entry.state).toBe('done');
    expect(cloud.refused).toEqual([]);
  });

  it('a cloud nobody answers queues the entry again, and says why', async () => {
    const { upload } = api();
    const { done } = await upload({ path: bundle, cloud: 'https://127.0.0.1:9', caFile: fixture.files.ca });
    const result = done.value as UploadResult;
    expect(result.entry.state).toBe('queued');
    expect(result.failure).toMatchObject({ code: 'network', fields: [] });
    expect(result.failure?.message).toMatch(/connection refused/);
  });

  it('Cancel (job.cancel) mid-upload stops it: the entry is queued again and held (the automatic push leaves it), the result says cancelled', async () => {
    cloud = await fixture.start({ mode: 'slow', slowTickMs: 50 });
    const { call, jobDone } = api();
    const started = await call('cloud.upload', { path: bundle, cloud: cloud.url, caFile: fixture.files.ca });
    const jobId = (started as { value: { jobId: string } }).value.jobId;
    const c = cloud;
    await vi.waitFor(() => expect(c.bodyBytes).toBeGreaterThan(0), { timeout: 20_000 });
    expect(await call('job.cancel', { jobId })).toMatchObject({ ok: true, value: { cancelled: true } });
    const done = await jobDone(jobId);
    const result = done.value as UploadResult;
    expect(result.entry.state).toBe('queued');
    expect(result.failure).toMatchObject({ code: 'cancelled' });
    expect(result.entry.held).toBe(true);
    expect(result.entry.history.at(-1)?.message).toMatch(/^Cancelled\. Held in the outbox/);
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(0);
  });

  it('a v2 deployment bundle is followed through processing to done, with build_info', async () => {
    cloud = await fixture.start({ role: 'oem', buildInfo: { items: ['pylibs 1.0.0 built'] } });
    const { upload } = api();
    const { done, progress } = await upload({ path: batch, cloud: cloud.url, caFile: fixture.files.ca });
    const result = done.value as UploadResult;
    expect(result.entry).toMatchObject({ state: 'done', kind: 'deployment', remoteId: 100 });
    expect(result.buildInfo).toBe('items: pylibs 1.0.0 built');
    expect(progress.map((p) => p.phase)).toEqual(expect.arrayContaining(['uploaded', 'processing', 'done']));
    expect(progress.some((p) => p.phase === 'processing' && /building/.test(p.message ?? ''))).toBe(true);
  });

  it('asks for a protected PKCS#12 password once per session: main keeps the opened key, not the password', async () => {
    const svc = path.join(fixture.dir, 'locked');
    const locked = await signedServiceBundle(svc, fixture.pki);
    await fs.writeFile(path.join(svc, 'meta', 'aos-user-sp.p12'), p12(fixture.pki.user, [fixture.pki.ca.cert], 'hunter2'));
    cloud = await fixture.start();
    const { upload, call } = api();
    const first = await upload({ path: locked, root: svc, cloud: cloud.url, caFile: fixture.files.ca });
    expect(first.done).toMatchObject({ ok: false, error: { code: 'wrong-password' } });
    const second = await upload({ path: locked, root: svc, cloud: cloud.url, caFile: fixture.files.ca, password: 'hunter2' });
    expect((second.done.value as UploadResult).entry.state).toBe('done');
    // Another bundle with the same credentials: no password needed any more.
    const again = await signedServiceBundle(path.join(fixture.dir, 'locked2'), fixture.pki);
    await fs.copyFile(path.join(svc, 'meta', 'aos-user-sp.p12'), path.join(fixture.dir, 'locked2', 'meta', 'aos-user-sp.p12'));
    const third = await upload({ path: again, root: svc, cloud: cloud.url, caFile: fixture.files.ca });
    expect(third.done.ok).toBe(true);
    const entry = (third.done.value as UploadResult).entry;
    const onDisk = await fs.readFile(path.join(fixture.dir, `settings-${n}`, 'outbox', entry.id, 'entry.json'), 'utf8');
    expect(onDisk).not.toContain('hunter2');
    expect(await call('cloud.upload', { path: locked, password: 'x'.repeat(2000) })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});

describe('outbox.add', () => {
  it('queues a signed bundle without sending it', async () => {
    cloud = await fixture.start();
    const { call } = api();
    const added = await call('outbox.add', { path: bundle, cloud: cloud.url, caFile: fixture.files.ca });
    expect(added).toMatchObject({ ok: true, value: { state: 'queued', kind: 'service', history: [expect.objectContaining({ state: 'queued' })] } });
    expect(cloud.received).toEqual([]);
  });
});
