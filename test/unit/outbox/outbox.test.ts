// The outbox in-process: entries on disk, states and history, network failures queueing,
// a crashed push resumed without a second copy in the cloud, remove and retry rules.
import { randomBytes } from 'node:crypto';
import { promises as fs, statSync } from 'node:fs';
import path from 'node:path';
import { connectCloud, CredentialSession } from '../../../src/main/core/cloud';
import { Outbox, pushOutbox, uploadBundleFile, type OutboxEntry } from '../../../src/main/core/outbox';
import { cloudTestSetup } from '../../support/cloud-test-setup';
import { type FakeCloud } from '../../support/fake-cloud';
import { failureOf } from '../../support/failure';
import { SERVICE_UID, sha256File, signedBatchBundle, signedServiceBundle } from '../cloud/bundles';

const fixture = cloudTestSetup('bs-outbox-');
let bundle: string;
let cloud: FakeCloud | undefined;
let n = 0;

beforeAll(async () => {
  bundle = await signedServiceBundle(path.join(fixture.dir, 'svc'), fixture.pki, { 'usr/bin/app': randomBytes(1 << 20) });
}, 120_000);

const freshOutbox = () => new Outbox(path.join(fixture.dir, `outbox-${++n}`));

function connector(c: FakeCloud | { url: string }, tries = 2) {
  const session = new CredentialSession();
  return (entry: Pick<OutboxEntry, 'destination'>) =>
    connectCloud({
      credentials: entry.destination.credentials,
      session,
      caFile: entry.destination.caFile,
      cloud: entry.destination.cloud ?? c.url,
      retry: { tries, baseMs: 1, maxMs: 2 },
    });
}

const upload = (outbox: Outbox, c: FakeCloud | { url: string }, extra: Partial<Parameters<typeof uploadBundleFile>[0]> = {}) =>
  uploadBundleFile({ outbox, file: bundle, configDir: path.join(fixture.dir, 'svc', 'meta'), homeDir: fixture.dir, caFile: fixture.files.ca, cloud: c.url, connect: connector(c), ...extra });

describe('outbox', () => {
  it('uploads through an entry: a hard link of the signed file, its sha256, the target, states and history on disk', async () => {
    cloud = await fixture.start();
    const outbox = freshOutbox();
    const { entry, result } = await upload(outbox, cloud);
    expect(result?.state).toBe('done');
    expect(entry.state).toBe('done');
    expect(entry.history.map((h) => h.state)).toEqual(['queued', 'uploading', 'uploaded', 'done']);
    expect(entry.sha256).toBe(sha256File(bundle));
    expect(entry.target).toMatchObject({ api: 'service-version', serviceUid: SERVICE_UID, version: '1.2.3' });
    expect(entry.destination.credentials).toEqual({ kind: 'pkcs12', path: path.join(fixture.dir, 'svc', 'meta', 'aos-user-sp.p12') });
    const linked = outbox.bundlePath(entry.id);
    expect(statSync(linked).ino).toBe(statSync(bundle).ino);
    const onDisk = JSON.parse(await fs.readFile(path.join(outbox.dir, entry.id, 'entry.json'), 'utf8'));
    expect(onDisk.state).toBe('done');
    expect(JSON.stringify(onDisk)).not.toMatch(/PRIVATE KEY|password/i);
    // Done, and kept until the user clears it.
    expect((await outbox.list()).map((e) => e.id)).toEqual([entry.id]);
    await outbox.remove(entry.id);
    expect(await outbox.list()).toEqual([]);
  });

  it('a network failure queues the entry (history says why); the next push sends it once', async () => {
    const outbox = freshOutbox();
    const { entry } = await upload(outbox, { url: 'https://127.0.0.1:9' });
    expect(entry.state).toBe('queued');
    expect(entry.history.at(-1)?.message).toMatch(/connection refused.*Queued: it goes out on the next push\./);
    const f = await failureOf(outbox.remove(entry.id));
    expect(f.message).toMatch(/has not reached the cloud.*--force/);
    cloud = await fixture.start();
    const c = cloud;
    const results = await pushOutbox({ outbox, connect: (e) => connector(c)({ ...e, destination: { ...e.destination, cloud: c.url } }) });
    expect(results.map((r) => r.state)).toEqual(['done']);
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(1);
    expect((await pushOutbox({ outbox, connect: connector(c) }))).toEqual([]);
  });

  it('an entry left "uploading" by a dead pusher is retried; the 422 "already exists" counts as uploaded and says so', async () => {
    cloud = await fixture.start();
    const outbox = freshOutbox();
    // The cloud got it, but the pusher died before it heard back: entry still uploading, lock of a dead pid.
    const { entry } = await upload(outbox, cloud, { queueOnly: true });
    await (await uploadBundleFile({ outbox: freshOutbox(), file: bundle, configDir: path.join(fixture.dir, 'svc', 'meta'), homeDir: fixture.dir, caFile: fixture.files.ca, cloud: cloud.url, connect: connector(cloud) })).result;
    await outbox.transition(entry.id, 'uploading', 'Uploading (then killed).');
    await fs.writeFile(path.join(outbox.dir, entry.id, 'lock'), '999999');
    const [r] = await pushOutbox({ outbox, connect: connector(cloud) });
    expect(r).toMatchObject({ state: 'done', alreadyThere: true });
    expect(r.message).toMatch(/already has service .* version 1\.2\.3 .*counted as uploaded/);
    const after = await outbox.get(entry.id);
    expect(after.history.map((h) => h.state)).toEqual(['queued', 'uploading', 'uploading', 'uploaded', 'done']);
    expect(after.history[2].message).toMatch(/again: the last push ended mid-upload/);
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(1);
  });

  it('a queued file changed after it was queued is not sent: the entry fails and says why', async () => {
    cloud = await fixture.start();
    const outbox = freshOutbox();
    const copy = path.join(fixture.dir, `changed-${n}.tar.gz`);
    await fs.copyFile(bundle, copy);
    const { entry } = await uploadBundleFile({ outbox, file: copy, configDir: path.join(fixture.dir, 'svc', 'meta'), homeDir: fixture.dir, caFile: fixture.files.ca, cloud: cloud.url, connect: connector(cloud), queueOnly: true });
    const fh = await fs.open(outbox.bundlePath(entry.id), 'r+');
    await fh.write(Buffer.from('X'), 0, 1, 100);
    await fh.close();
    const [r] = await pushOutbox({ outbox, connect: connector(cloud) });
    expect(r.state).toBe('failed');
    expect(r.message).toMatch(/no longer matches its sha256/);
    expect(cloud.received).toEqual([]);
  });

  it('a live pusher\'s lock is respected', async () => {
    cloud = await fixture.start();
    const outbox = freshOutbox();
    const { entry } = await upload(outbox, cloud, { queueOnly: true });
    await fs.writeFile(path.join(outbox.dir, entry.id, 'lock'), String(process.ppid));
    const [r] = await pushOutbox({ outbox, connect: connector(cloud) });
    expect(r).toMatchObject({ skipped: true, state: 'queued' });
    expect(cloud.received).toEqual([]);
  });

  it('an entry is interrupted only while it is "uploading" and no live process holds it', async () => {
    const outbox = freshOutbox();
    const { entry } = await upload(outbox, { url: 'https://127.0.0.1:9' }, { queueOnly: true });
    expect(await outbox.interrupted(entry)).toBe(false); // queued: it waits, nothing was cut off
    const uploading = await outbox.transition(entry.id, 'uploading', 'Uploading (then killed).');
    // The lock of a live pusher (another process): it is uploading.
    await fs.writeFile(path.join(outbox.dir, entry.id, 'lock'), String(process.ppid));
    expect(await outbox.interrupted(uploading)).toBe(false);
    // Its process is gone (the lock of a dead pid), or it left no lock: nothing sends it now.
    await fs.writeFile(path.join(outbox.dir, entry.id, 'lock'), '999999');
    expect(await outbox.interrupted(uploading)).toBe(true);
    await fs.rm(path.join(outbox.dir, entry.id, 'lock'));
    expect(await outbox.interrupted(uploading)).toBe(true);
    // While this process pushes it, it is not interrupted.
    const release = await outbox.lock(entry.id);
    expect(await outbox.interrupted(uploading)).toBe(false);
    await release?.();
  });

  it('a refusal fails the entry with every message; retry queues it again; the same bytes make the same entry', async () => {
    cloud = await fixture.start({ mode: 'reject' });
    const outbox = freshOutbox();
    const { entry } = await upload(outbox, cloud);
    expect(entry.state).toBe('failed');
    expect(entry.history.at(-1)?.message).toMatch(/HTTP 422: version: .*service: Service is archived; service: Service quota is exhausted; file\.config: /);
    expect((await outbox.retry(entry.id)).state).toBe('queued');
    cloud.mode = 'ok';
    const again = await upload(outbox, cloud);
    expect(again.entry.id).toBe(entry.id);
    expect(again.entry.state).toBe('done');
    expect(await outbox.list()).toHaveLength(1);
  });

  it('v2: uploaded → processing → done, each cloud state in the history; a crashed v2 upload found in the cloud is adopted, not sent twice', async () => {
    cloud = await fixture.start({ role: 'oem' });
    const outbox = freshOutbox();
    const batch = await signedBatchBundle(path.join(fixture.dir), fixture.pki);
    await fs.copyFile(fixture.files.p12, path.join(fixture.dir, 'aos-user-sp.p12'));
    const base = { outbox, file: batch, configDir: fixture.dir, homeDir: fixture.dir, caFile: fixture.files.ca, cloud: cloud.url, connect: connector(cloud), pollIntervalMs: 1 };
    const { entry } = await uploadBundleFile(base);
    expect(entry.state).toBe('done');
    expect(entry.history.map((h) => h.state)).toEqual(['queued', 'uploading', 'uploaded', 'processing', 'processing', 'processing', 'processing', 'done']);
    expect(entry.history.slice(4, 7).map((h) => h.message)).toEqual(['The cloud: uploaded.', 'The cloud: processing.', 'The cloud: building.']);
    expect(entry.history.at(-1)?.message).toBe('Deployment bundle 100 is done: built 1 item.');
    expect(entry.remoteId).toBe(100);
    // Now as if the pusher died after the cloud stored the bundle.
    const other = freshOutbox();
    const q = await uploadBundleFile({ ...base, outbox: other, queueOnly: true });
    await other.transition(q.entry.id, 'uploading', 'Uploading (then killed).');
    cloud.bundles[0].items = [{ type: 'layer', codename: 'pylibs', version: '1.0.0' }];
    const [r] = await pushOutbox({ outbox: other, connect: connector(cloud), pollIntervalMs: 1 });
    expect(r).toMatchObject({ state: 'done', alreadyThere: true, remoteId: 100 });
    expect(cloud.received).toHaveLength(1);
  });
});
