// A new bundle is sent while it is checked (core/outbox/upload-file.ts): the request goes out
// before the check has seen the bundle's bytes (it sees the very chunks sent), and the body's
// closing boundary waits for the check and the entry. The check's verdict is held here (the
// real one, passed on once let go), so each test can look at the moment between the last file
// byte and the boundary.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { connectCloud, CredentialSession } from '../../../src/main/core/cloud';
import type * as SignedBundleModule from '../../../src/main/core/cloud/signed-bundle';
import { Outbox, pushEntry, uploadBundleFile, type OutboxEntry } from '../../../src/main/core/outbox';
import { eventually } from '../../support/eventually';
import { cloudTestSetup } from '../../support/cloud-test-setup';
import { type FakeCloud } from '../../support/fake-cloud';
import { failureOf } from '../../support/failure';
import { SERVICE_UID, sha256File, signedServiceBundle } from '../cloud/bundles';

const check = vi.hoisted(() => ({ hold: undefined as Promise<void> | undefined, calls: 0 }));
vi.mock('../../../src/main/core/cloud/signed-bundle', async (importOriginal) => {
  const real = await importOriginal<typeof SignedBundleModule>();
  return {
    ...real,
    // The real check of the bytes sent; its verdict reaches the upload once the hold is let go.
    checkWhileSending: (...args: Parameters<typeof real.checkWhileSending>) => {
      check.calls++;
      const hold = check.hold;
      const real_ = real.checkWhileSending(...args);
      const result = (async () => {
        await hold;
        return real_.result;
      })();
      result.catch(() => undefined);
      return { result, watcher: real_.watcher, giveUp: real_.giveUp };
    },
  };
});

const fixture = cloudTestSetup('bs-send-checking-');
let bundle: string;
let cloud: FakeCloud | undefined;
let n = 0;

beforeAll(async () => {
  bundle = await signedServiceBundle(path.join(fixture.dir, 'svc'), fixture.pki, { 'usr/bin/app': randomBytes(3 << 20) });
}, 120_000);
afterEach(() => {
  check.hold = undefined;
  check.calls = 0;
});

function connector(c: FakeCloud) {
  const session = new CredentialSession();
  return (entry: Pick<OutboxEntry, 'destination'>) =>
    connectCloud({ credentials: entry.destination.credentials, session, caFile: entry.destination.caFile, cloud: c.url, retry: { tries: 1, baseMs: 1, maxMs: 2 } });
}

const upload = (outbox: Outbox, c: FakeCloud, file = bundle, signal?: AbortSignal) =>
  uploadBundleFile({ outbox, file, configDir: path.join(fixture.dir, 'svc', 'meta'), homeDir: fixture.dir, caFile: fixture.files.ca, cloud: c.url, connect: connector(c), signal });

/** Holds the check until the returned function lets it go (with a failure, if given). */
function holdCheck(): (failure?: Error) => void {
  let release!: (failure?: Error) => void;
  check.hold = new Promise<void>((resolve, reject) => (release = (failure) => (failure ? reject(failure) : resolve())));
  check.hold.catch(() => undefined);
  return release;
}

describe('a new bundle is sent while it is checked', () => {
  it('every file byte goes out before the check ends; the boundary waits for it and the entry, then the cloud stores the bundle once', async () => {
    cloud = await fixture.start();
    const outbox = new Outbox(path.join(fixture.dir, `outbox-${++n}`));
    const release = holdCheck();
    const size = (await fs.stat(bundle)).size;
    const uploading = upload(outbox, cloud);
    // The whole file is at the cloud, the check has not ended: no entry, nothing stored.
    await eventually(() => expect(cloud!.bodyBytes).toBeGreaterThanOrEqual(size));
    expect(await outbox.list()).toEqual([]);
    expect(cloud.received).toEqual([]);
    release();
    const { entry, result } = await uploading;
    expect(result?.state).toBe('done');
    expect(entry.history.map((h) => h.state)).toEqual(['queued', 'uploading', 'uploaded', 'done']);
    expect(entry.sha256).toBe(sha256File(bundle));
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(1);
    expect(cloud.received.map((u) => u.sha256)).toEqual([sha256File(bundle)]);
    expect(check.calls).toBe(1);
  });

  it('a bundle the check refuses is cut before its boundary: the cloud had every file byte and stores nothing, the error says why, no entry', async () => {
    cloud = await fixture.start();
    const outbox = new Outbox(path.join(fixture.dir, `outbox-${++n}`));
    // Its start (config.yaml) reads well; its end (package.sign, the gzip trailer) is gone.
    const whole = await fs.readFile(bundle);
    const broken = path.join(fixture.dir, 'broken.tar.gz');
    await fs.writeFile(broken, whole.subarray(0, whole.length - 600));
    const release = holdCheck();
    const uploading = failureOf(upload(outbox, cloud, broken));
    await eventually(() => expect(cloud!.bodyBytes).toBeGreaterThanOrEqual(whole.length - 600));
    release();
    const f = await uploading;
    expect(f.error.code).toBe('bundle');
    expect(f.message).toMatch(/broken\.tar\.gz is not a readable signed bundle: .*truncated/);
    expect(await outbox.list()).toEqual([]);
    expect(cloud.received).toEqual([]);
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(0);
  });

  it('killed before its entry exists (the connection gone mid-body, the check never ending): the cloud stores nothing, the file is untouched, the next upload stores it once', async () => {
    cloud = await fixture.start();
    const outbox = new Outbox(path.join(fixture.dir, `outbox-${++n}`));
    const before = { sha256: sha256File(bundle), stat: await fs.stat(bundle) };
    const release = holdCheck();
    const killed = new AbortController();
    const uploading = upload(outbox, cloud, bundle, killed.signal);
    uploading.catch(() => undefined);
    await eventually(() => expect(cloud!.bodyBytes).toBeGreaterThanOrEqual(before.stat.size));
    // What a kill leaves: the process's connection closes with the body unfinished, and
    // nothing of it runs on (the check, held, ends with the process).
    killed.abort();
    await eventually(() => expect(cloud!.openConnections()).toBe(0));
    release(new Error('killed'));
    await expect(uploading).rejects.toThrow('killed');
    check.hold = undefined;
    expect(await outbox.list()).toEqual([]);
    expect(cloud.received).toEqual([]);
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(0);
    const after = await fs.stat(bundle);
    expect([sha256File(bundle), after.ino, after.mtimeMs]).toEqual([before.sha256, before.stat.ino, before.stat.mtimeMs]);

    const { entry, result } = await upload(outbox, cloud);
    expect(result?.state).toBe('done');
    expect(entry.sha256).toBe(before.sha256);
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(1);
    expect(cloud.received.map((u) => u.sha256)).toEqual([before.sha256]);
  });

  it('a bundle rewritten in place during the send, its size and mtime put back, is judged by the bytes that went out: refused before its boundary, nothing stored, no entry', async () => {
    cloud = await fixture.start();
    const outbox = new Outbox(path.join(fixture.dir, `outbox-${++n}`));
    const whole = await fs.readFile(bundle);
    const file = path.join(fixture.dir, 'rewritten.tar.gz');
    // What goes out first: the bundle with one byte of its inner archive changed.
    const altered = Buffer.from(whole);
    altered[altered.length >> 1] ^= 0xff;
    await fs.writeFile(file, altered);
    // Whole milliseconds, so that utimes can put them back exactly.
    const when = new Date(Math.floor(Date.now() / 1000) * 1000);
    await fs.utimes(file, when, when);
    const st = await fs.stat(file);
    const release = holdCheck();
    const uploading = failureOf(upload(outbox, cloud, file));
    await eventually(() => expect(cloud!.bodyBytes).toBeGreaterThanOrEqual(whole.length));
    // Then the good bytes are written over it in place, and its times put back: a read of the
    // file now would pass.
    const fh = await fs.open(file, 'r+');
    await fh.write(whole, 0, whole.length, 0);
    await fh.close();
    await fs.utimes(file, st.atime, st.mtime);
    expect((await fs.stat(file)).mtimeMs).toBe(st.mtimeMs);
    release();
    // The check saw the bytes sent (the altered ones, whose outer CRC-32 fails): refused.
    const f = await uploading;
    expect(f.error.code).toBe('bundle');
    expect(f.message).toMatch(/rewritten\.tar\.gz is not a readable signed bundle: .*CRC-32/);
    expect(await outbox.list()).toEqual([]);
    expect(cloud.received).toEqual([]);
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(0);
  });

  it('a queued bundle rewritten in place before its push, its size and mtime put back, is cut before its boundary: the push sends only the bytes the entry names', async () => {
    cloud = await fixture.start();
    const outbox = new Outbox(path.join(fixture.dir, `outbox-${++n}`));
    const file = path.join(fixture.dir, 'queued-rewritten.tar.gz');
    const whole = await fs.readFile(bundle);
    await fs.writeFile(file, whole);
    const when = new Date(Math.floor(Date.now() / 1000) * 1000);
    await fs.utimes(file, when, when);
    const { entry: queued } = await uploadBundleFile({ outbox, file, configDir: path.join(fixture.dir, 'svc', 'meta'), homeDir: fixture.dir, caFile: fixture.files.ca, cloud: cloud.url, connect: connector(cloud), queueOnly: true });
    // The outbox's hard link is the same inode: one byte of it changed, its times put back.
    const fh = await fs.open(file, 'r+');
    await fh.write(Buffer.from([whole[whole.length >> 1] ^ 0xff]), 0, 1, whole.length >> 1);
    await fh.close();
    await fs.utimes(file, when, when);
    const result = await pushEntry(queued.id, { outbox, connect: connector(cloud) });
    expect(result.state).toBe('failed');
    expect(result.message).toMatch(/changed after it was queued/);
    expect(cloud.received).toEqual([]);
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(0);
  });
});
