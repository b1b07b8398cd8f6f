// The automatic push: while entries wait, a cheap check (users/me, one try) on start and
// then with growing delays; when the cloud answers, what waits is pushed — an entry a crash
// left "uploading" included — and the pusher goes idle. A protected key stops it until its
// password comes. Timers are the test's: no waiting on the clock.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { connectCloud, CredentialSession } from '../../../src/main/core/cloud';
import { Outbox, OutboxPusher, pushEntry, uploadBundleFile, type AutoPushStatus, type OutboxEntry, type Timers } from '../../../src/main/core/outbox';
import { cloudTestSetup } from '../../support/cloud-test-setup';
import { writeClientFiles, type FakeCloud } from '../../support/fake-cloud';
import { SERVICE_UID, signedServiceBundle } from '../cloud/bundles';

const fixture = cloudTestSetup('bs-pusher-');
let bundle: string;
let cloud: FakeCloud | undefined;
let n = 0;

beforeAll(async () => {
  bundle = await signedServiceBundle(path.join(fixture.dir, 'svc'), fixture.pki, { 'usr/bin/app': randomBytes(64 << 10) });
}, 120_000);

/** Timers held by the test: `fire()` runs the pending one. */
function testTimers() {
  const pending: { fn: () => void; ms: number }[] = [];
  const timers: Timers = {
    set: (fn, ms) => {
      const t = { fn, ms };
      pending.push(t);
      return t;
    },
    clear: (h) => {
      const i = pending.indexOf(h as (typeof pending)[number]);
      if (i >= 0) pending.splice(i, 1);
    },
  };
  return { timers, pending };
}

function setup(address: { url: string }, password?: string) {
  const outbox = new Outbox(path.join(fixture.dir, `outbox-${++n}`));
  const session = new CredentialSession();
  const { timers, pending } = testTimers();
  const seen: AutoPushStatus[] = [];
  const moved: { state: string; sent?: number; total?: number }[] = [];
  const pusher = new OutboxPusher({
    outbox,
    timers,
    random: () => 0.5,
    onStatus: (s) => seen.push(s),
    onEntry: (e, p) => moved.push({ state: e.state, ...(p ? { sent: p.sent, total: p.total } : {}) }),
    connect: (e: Pick<OutboxEntry, 'destination'>, how) =>
      connectCloud({ credentials: e.destination.credentials, session, password: how.password ?? password, caFile: fixture.files.ca, cloud: address.url, retry: { tries: how.quick ? 1 : 2, baseMs: 1, maxMs: 2 } }),
  });
  const queue = (credentials?: Parameters<typeof uploadBundleFile>[0]['credentials']) =>
    uploadBundleFile({ outbox, file: bundle, configDir: path.join(fixture.dir, 'svc', 'meta'), homeDir: fixture.dir, queueOnly: true, credentials, connect: () => Promise.reject(new Error('not used')) });
  return { outbox, pusher, pending, seen, queue, moved };
}

describe('automatic push', () => {
  it('with nothing waiting it stays idle and schedules nothing', async () => {
    const { pusher, pending } = setup({ url: 'https://127.0.0.1:9' });
    await pusher.wake();
    expect(pusher.status().state).toBe('idle');
    expect(pending).toHaveLength(0);
  });

  it('offline: waits with growing delays (the next check shown); when the cloud answers, the entry is pushed to done once', async () => {
    const address = { url: 'https://127.0.0.1:9' };
    const { outbox, pusher, pending, queue } = setup(address);
    const { entry } = await queue();
    await pusher.wake();
    const first = pusher.status();
    expect(first).toMatchObject({ state: 'waiting', checks: 1 });
    expect(first.message).toMatch(/connection refused/);
    expect(pending.map((p) => p.ms)).toEqual([3750]); // 5 s ceiling, equal jitter at 0.5
    pending.shift()!.fn();
    await pusher.wake(); // waits for the check the timer started, then checks again
    expect(pusher.status()).toMatchObject({ state: 'waiting' });
    expect(pending.at(-1)!.ms).toBeGreaterThan(3750);
    expect((await outbox.get(entry.id)).state).toBe('queued');
    // The cloud is back.
    cloud = await fixture.start();
    address.url = cloud.url;
    pending.shift()!.fn();
    await pusher.wake();
    expect(pusher.status().state).toBe('idle');
    expect((await outbox.get(entry.id)).state).toBe('done');
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(1);
    expect(pending).toHaveLength(0);
  });

  it('tells every state and the bytes sent of an entry the automatic push takes (the screens follow it by them)', async () => {
    cloud = await fixture.start();
    const { pusher, queue, moved } = setup(cloud);
    const { entry } = await queue();
    await pusher.wake();
    const states = moved.filter((m) => m.sent === undefined).map((m) => m.state);
    expect(states).toEqual(['uploading', 'uploaded', 'done']);
    const bytes = moved.filter((m) => m.sent !== undefined);
    expect(bytes.every((m) => m.state === 'uploading' && m.total === entry.size)).toBe(true);
    expect(bytes.at(-1)!.sent).toBe(entry.size);
  });

  it('on start, an entry a crash left "uploading" is sent again and counted once', async () => {
    cloud = await fixture.start();
    const { outbox, pusher, queue } = setup(cloud);
    const { entry } = await queue();
    await outbox.transition(entry.id, 'uploading', 'Uploading (then the app was killed).');
    await fs.writeFile(path.join(outbox.dir, entry.id, 'lock'), '999999'); // a dead pid's lock
    await pusher.wake();
    const after = await outbox.get(entry.id);
    expect(after.state).toBe('done');
    expect(after.history.some((h) => /again: the last push ended mid-upload/.test(h.message))).toBe(true);
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(1);
  });

  it('a protected key it cannot open stops it (needs-password, no timer); Push now with the password sends it', async () => {
    cloud = await fixture.start();
    const locked = await writeClientFiles(await fs.mkdtemp(path.join(fixture.dir, 'pw-')), fixture.pki, 'pw-1');
    const { outbox, pusher, pending, queue } = setup(cloud);
    const { entry } = await queue({ kind: 'pkcs12', path: locked.p12 });
    await pusher.wake();
    expect(pusher.status().state).toBe('needs-password');
    expect(pending).toHaveLength(0);
    const results = await pusher.push({ password: 'pw-1' });
    expect(results.map((r) => r.state)).toEqual(['done']);
    expect((await outbox.get(entry.id)).state).toBe('done');
    expect(pusher.status().state).toBe('idle');
  });

  it('Push now and the automatic push never overlap: the second waits for the first', async () => {
    cloud = await fixture.start({ mode: 'slow', slowTickMs: 5 });
    const { outbox, pusher, queue } = setup(cloud);
    const { entry } = await queue();
    const auto = pusher.wake();
    const now = pusher.push({ ids: [entry.id] });
    const [, results] = await Promise.all([auto, now]);
    expect(results[0].message).toMatch(/Nothing to do: the entry is done/);
    expect((await outbox.get(entry.id)).history.filter((h) => h.state === 'uploading')).toHaveLength(1);
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(1);
  });

  it('an upload the user cancelled is held: the automatic push leaves it alone until Push now, which clears the hold and sends it once', async () => {
    cloud = await fixture.start({ mode: 'slow', slowTickMs: 5 });
    const { outbox, pusher, pending, queue } = setup(cloud);
    const { entry } = await queue();
    const abort = new AbortController();
    const connect = (e: Pick<OutboxEntry, 'destination'>) => connectCloud({ credentials: e.destination.credentials, session: new CredentialSession(), caFile: fixture.files.ca, cloud: cloud!.url, retry: { tries: 1, baseMs: 1, maxMs: 2 } });
    const cancelled = await pushEntry(entry.id, { outbox, connect, signal: abort.signal, onProgress: () => abort.abort() });
    expect(cancelled.error?.code).toBe('cancelled');
    const held = await outbox.get(entry.id);
    expect(held).toMatchObject({ state: 'queued', held: true });
    expect(held.history.at(-1)!.message).toMatch(/Cancelled\. Held in the outbox: it goes out when you push it again/);

    await pusher.wake();
    expect(pusher.status().state).toBe('idle');
    expect(pending).toHaveLength(0);
    expect((await outbox.get(entry.id)).state).toBe('queued');
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(0);

    const results = await pusher.push({ ids: [entry.id] });
    expect(results.map((r) => r.state)).toEqual(['done']);
    const after = await outbox.get(entry.id);
    expect(after.held).toBeUndefined();
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(1);
  });
});
