// A new bundle sent while it is checked, over a connection that fails: the cloud drops the
// connection mid-body (the check of that attempt has no verdict: the next attempt's check
// decides), or answers 503 after the whole body (the first attempt's check decided: the
// retries are only hashed and compared). Each way the cloud stores the checked bytes once,
// under an entry named by their sha256; and a file rewritten between attempts (its mtime put
// back) is cut before the boundary on the retry, nothing of it stored.
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, promises as fs, statSync, utimesSync, writeSync } from 'node:fs';
import path from 'node:path';
import { connectCloud, CredentialSession } from '../../../src/main/core/cloud';
import { Outbox, uploadBundleFile, type OutboxEntry } from '../../../src/main/core/outbox';
import { cloudTestSetup } from '../../support/cloud-test-setup';
import { type FakeCloud, type FakeCloudMode } from '../../support/fake-cloud';
import { SERVICE_UID, sha256File, signedServiceBundle } from '../cloud/bundles';

const fixture = cloudTestSetup('bs-send-retries-');
let bundle: string;
let cloud: FakeCloud | undefined;
let n = 0;

beforeAll(async () => {
  bundle = await signedServiceBundle(path.join(fixture.dir, 'svc'), fixture.pki, { 'usr/bin/app': randomBytes(2 << 20) });
}, 120_000);

/** `betweenTries` runs (synchronously) before each retry's wait. */
function connector(c: FakeCloud, betweenTries?: () => void) {
  const session = new CredentialSession();
  return (entry: Pick<OutboxEntry, 'destination'>) =>
    connectCloud({ credentials: entry.destination.credentials, session, caFile: entry.destination.caFile, cloud: c.url, retry: { tries: 4, baseMs: 1, maxMs: 2 }, log: betweenTries });
}

const upload = (outbox: Outbox, c: FakeCloud, file = bundle, betweenTries?: () => void) =>
  uploadBundleFile({ outbox, file, configDir: path.join(fixture.dir, 'svc', 'meta'), homeDir: fixture.dir, caFile: fixture.files.ca, cloud: c.url, connect: connector(c, betweenTries) });

describe('a new bundle sent while it is checked, over a failing connection', () => {
  it.each<FakeCloudMode>(['drop', 'flaky'])('%s: the cloud stores the checked bytes once, the entry is theirs', async (mode) => {
    cloud = await fixture.start({ mode });
    const outbox = new Outbox(path.join(fixture.dir, `outbox-${++n}`));
    const { entry, result } = await upload(outbox, cloud);
    expect(result?.state).toBe('done');
    expect(entry.sha256).toBe(sha256File(bundle));
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(1);
    expect(cloud.received.filter((u) => u.stored).map((u) => u.sha256)).toEqual([sha256File(bundle)]);
  });

  it('flaky, the file rewritten in place between tries (its mtime put back): the retry is cut before its boundary, nothing stored, the entry failed', async () => {
    cloud = await fixture.start({ mode: 'flaky' });
    const outbox = new Outbox(path.join(fixture.dir, `outbox-${++n}`));
    const file = path.join(fixture.dir, `rewritten-${n}.tar.gz`);
    const whole = await fs.readFile(bundle);
    await fs.writeFile(file, whole);
    const when = new Date(Math.floor(Date.now() / 1000) * 1000);
    await fs.utimes(file, when, when);
    let rewritten = false;
    const { entry, result } = await upload(outbox, cloud, file, () => {
      if (rewritten) return;
      rewritten = true;
      const st = statSync(file);
      const fd = openSync(file, 'r+');
      writeSync(fd, Buffer.from([whole[whole.length >> 1] ^ 0xff]), 0, 1, whole.length >> 1);
      closeSync(fd);
      utimesSync(file, st.atime, st.mtime);
    });
    expect(rewritten).toBe(true);
    expect(result?.state).toBe('failed');
    expect(result?.message).toMatch(/changed/);
    expect(entry.sha256).toBe(sha256File(bundle));
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(0);
    expect(cloud.received.filter((u) => u.stored)).toEqual([]);
  });
});
