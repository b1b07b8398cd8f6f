// A role refusal (403 for the certificate's role: a service provider's layer bundle) is not
// sent again by a push of everything (Push now, the automatic push, `outbox push`): the push
// reports it skipped with the reason and leaves the entry as it is, until something that could
// change the cloud's answer changed (the credential files, the role users/me tells). Naming the
// entry still sends it.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { connectCloud, CredentialSession } from '../../../src/main/core/cloud';
import { KnownRoles, Outbox, OutboxPusher, pushOutbox, uploadBundleFile, type AutoPushStatus, type OutboxEntry } from '../../../src/main/core/outbox';
import { cloudTestSetup } from '../../support/cloud-test-setup';
import { type FakeCloud } from '../../support/fake-cloud';
import { signedBatchBundle } from '../cloud/bundles';
import { makeCert, p12 } from '../credentials/pki-fixtures';

const fixture = cloudTestSetup('bs-role-refusal-');
let batch: string;
let cloud: FakeCloud | undefined;
let n = 0;

beforeAll(async () => {
  batch = await signedBatchBundle(fixture.dir, fixture.pki);
  await fs.copyFile(fixture.files.p12, path.join(fixture.dir, 'aos-user-sp.p12'));
}, 120_000);

function connector(c: FakeCloud) {
  const session = new CredentialSession();
  return (entry: Pick<OutboxEntry, 'destination'>) => connectCloud({ credentials: entry.destination.credentials, session, caFile: entry.destination.caFile, cloud: entry.destination.cloud ?? c.url, retry: { tries: 2, baseMs: 1, maxMs: 2 } });
}

const posts = (c: FakeCloud) => c.requests.filter((r) => r.startsWith('POST ')).length;

/** A service provider's layer bundle, queued, then pushed once: the cloud's 403 fails it. */
async function refusedEntry(c: FakeCloud) {
  const outbox = new Outbox(path.join(fixture.dir, `outbox-${++n}`));
  const connect = connector(c);
  const { entry } = await uploadBundleFile({ outbox, file: batch, configDir: fixture.dir, homeDir: fixture.dir, caFile: fixture.files.ca, cloud: c.url, connect, queueOnly: true, pollIntervalMs: 1 });
  const [first] = await pushOutbox({ outbox, connect, pollIntervalMs: 1 });
  expect(first).toMatchObject({ id: entry.id, state: 'failed', status: 403 });
  expect(posts(c)).toBe(1);
  return { outbox, connect, id: entry.id };
}

const REASON = /^Not sent: the cloud refused this certificate's role for this upload \(HTTP 403\) on .*, and the same certificate \(.*aos-user-sp\.p12\) is unchanged and its role has not been told otherwise since, so it would refuse it again\./;

describe('a role refusal and a push of everything', () => {
  it('the failed entry is reported skipped with the reason, not sent, and left as it is', async () => {
    cloud = await fixture.start({ roles: { jane: 'service provider' } });
    const { outbox, connect, id } = await refusedEntry(cloud);
    const before = await fs.readFile(path.join(outbox.dir, id, 'entry.json'), 'utf8');
    const [r] = await pushOutbox({ outbox, connect, pollIntervalMs: 1 });
    expect(r).toMatchObject({ id, state: 'failed', skipped: true });
    expect(r.skipReason).toMatch(REASON);
    expect(r.skipReason).toMatch(/Retry it/);
    expect(r.message).toBe(r.skipReason);
    expect(posts(cloud)).toBe(1);
    expect(await fs.readFile(path.join(outbox.dir, id, 'entry.json'), 'utf8')).toBe(before);
  });

  it('retried (queued again, the certificate unchanged): Push now and the automatic push skip it; naming it sends it', async () => {
    cloud = await fixture.start({ roles: { jane: 'service provider' } });
    const { outbox, connect, id } = await refusedEntry(cloud);
    await outbox.retry(id);
    const [r] = await pushOutbox({ outbox, connect, pollIntervalMs: 1 });
    expect(r).toMatchObject({ id, state: 'queued', skipped: true });
    expect(r.skipReason).toMatch(REASON);
    expect(r.skipReason).toMatch(new RegExp(`push it by itself \\(its Push, or aos-bundle outbox push ${id}\\)`));
    expect(posts(cloud)).toBe(1);
    expect((await outbox.get(id)).state).toBe('queued');

    // The automatic push: nothing waits (no users/me check, no timer), nothing sent.
    const seen: AutoPushStatus[] = [];
    const pending: unknown[] = [];
    const pusher = new OutboxPusher({ outbox, connect: (e) => connect(e), pollIntervalMs: 1, onStatus: (s) => seen.push(s), timers: { set: (fn) => pending.push(fn), clear: () => undefined } });
    await pusher.wake();
    expect(seen.at(-1)).toMatchObject({ state: 'idle' });
    expect(pending).toEqual([]);
    // "Push now" of everything through the pusher: skipped too.
    const now = await pusher.push();
    expect(now).toMatchObject([{ id, skipped: true }]);
    expect(cloud.requests.filter((q) => q.startsWith('GET /api/v11/users/me'))).toEqual([]);
    expect(posts(cloud)).toBe(1);

    // Named: the user's choice, sent (and refused again, the marker renewed).
    const [named] = await pushOutbox({ outbox, connect, ids: [id], pollIntervalMs: 1 });
    expect(named).toMatchObject({ id, state: 'failed', status: 403 });
    expect(posts(cloud)).toBe(2);
    expect((await outbox.get(id)).roleRefusal).toBeDefined();
  });

  it('the role users/me now tells allows it: the retried entry goes out with the next push of everything', async () => {
    cloud = await fixture.start({ roles: { jane: 'service provider' }, processing: ['done'] });
    const { outbox, connect, id } = await refusedEntry(cloud);
    await outbox.retry(id);
    const roles = new KnownRoles();
    const creds = (await outbox.get(id)).destination.credentials;
    // Told still "service provider": still skipped, and the reason says what the cloud says.
    roles.remember(creds, 'service provider');
    const [still] = await pushOutbox({ outbox, connect, pollIntervalMs: 1, roleOf: (c) => roles.of(c) });
    expect(still.skipReason).toMatch(/the cloud still says its role is "service provider"/);
    expect(posts(cloud)).toBe(1);
    // The admin made jane an OEM user, and users/me said so.
    cloud.options.roles!.jane = 'oem';
    roles.remember(creds, 'oem');
    const [r] = await pushOutbox({ outbox, connect, pollIntervalMs: 1, roleOf: (c) => roles.of(c) });
    expect(r).toMatchObject({ id, state: 'done' });
    expect(r.skipped).toBeUndefined();
    expect(posts(cloud)).toBe(2);
    expect((await outbox.get(id)).roleRefusal).toBeUndefined();
  });

  it('a role users/me told before the 403 (it may upload, it said then) is what the cloud refused: it does not lift the skip', async () => {
    cloud = await fixture.start({ roles: { jane: 'service provider' } });
    const roles = new KnownRoles();
    // The account card opened first: users/me said OEM (the admin changed it since).
    roles.remember({ kind: 'pkcs12', path: path.join(fixture.dir, 'aos-user-sp.p12') }, 'oem');
    const { outbox, connect, id } = await refusedEntry(cloud);
    await outbox.retry(id);
    const [r] = await pushOutbox({ outbox, connect, pollIntervalMs: 1, roleOf: (c, since) => roles.of(c, since) });
    expect(r).toMatchObject({ id, state: 'queued', skipped: true });
    expect(r.skipReason).toMatch(REASON);
    // "Push now" of the app's pusher, which has the same roles: nothing sent either.
    const pusher = new OutboxPusher({ outbox, connect: (e) => connect(e), roles, pollIntervalMs: 1, timers: { set: () => undefined, clear: () => undefined } });
    expect(await pusher.push()).toMatchObject([{ id, skipped: true }]);
    expect(posts(cloud)).toBe(1);
  });

  it('the credential file changed since the 403 (another certificate there): the retried entry is sent again', async () => {
    cloud = await fixture.start({ roles: { jane: 'service provider' }, processing: ['done'] });
    const { outbox, id } = await refusedEntry(cloud);
    await outbox.retry(id);
    const p12 = (await outbox.get(id)).destination.credentials;
    expect(p12.kind).toBe('pkcs12');
    const file = p12.kind === 'pkcs12' ? p12.path : '';
    // Written anew (the same bytes, as a copy of another certificate would be: a new mtime).
    const bytes = await fs.readFile(file);
    await fs.rm(file);
    await fs.writeFile(file, bytes);
    cloud.options.roles!.jane = 'oem';
    const [r] = await pushOutbox({ outbox, connect: connector(cloud), pollIntervalMs: 1 });
    expect(r).toMatchObject({ id, state: 'done' });
    expect(posts(cloud)).toBe(2);
  });
});

describe('a role refusal and what the app run already opened', () => {
  it('the certificate replaced in place by the right one: the same app run sends it with the new one, not the one it opened before', async () => {
    cloud = await fixture.start({ roles: { jane: 'service provider', olga: 'oem' }, processing: ['done'] });
    // One session for the whole run, as the app has: it opened jane's certificate for the 403.
    const { outbox, connect, id } = await refusedEntry(cloud);
    await outbox.retry(id);
    const creds = (await outbox.get(id)).destination.credentials;
    const file = creds.kind === 'pkcs12' ? creds.path : '';
    // The user copies the OEM user's certificate over it (same path).
    const olga = makeCert({ subject: [{ shortName: 'CN', value: 'olga' }, { shortName: 'O', value: 'aoscloud.io' }], issuer: [{ shortName: 'CN', value: 'Fake Cloud CA' }, { shortName: 'O', value: 'Fake Cloud' }], issuerKey: fixture.pki.ca.key, serialHex: '62B17649000AD78C', bits: 2048 });
    const jane = await fs.readFile(file);
    await fs.writeFile(`${file}.new`, p12(olga, [fixture.pki.ca.cert], ''));
    await fs.rename(`${file}.new`, file);
    try {
      const [r] = await pushOutbox({ outbox, connect, pollIntervalMs: 1 });
      expect(cloud.refused.map((x) => x.clientCn)).toEqual(['jane']);
      expect(cloud.received.map((u) => u.clientCn)).toEqual(['olga']);
      expect(r).toMatchObject({ id, state: 'done' });
      expect(posts(cloud)).toBe(2);
    } finally {
      await fs.writeFile(file, jane); // the file's other tests are jane's
    }
  });

  it('the certificate replaced while the refused upload was on its way: the 403 is kept against the files it was sent with, so the next push of everything sends it', async () => {
    cloud = await fixture.start({ roles: { jane: 'service provider' }, processing: ['done'] });
    const outbox = new Outbox(path.join(fixture.dir, `outbox-${++n}`));
    const base = connector(cloud);
    const { entry } = await uploadBundleFile({ outbox, file: batch, configDir: fixture.dir, homeDir: fixture.dir, caFile: fixture.files.ca, cloud: cloud.url, connect: base, queueOnly: true, pollIntervalMs: 1 });
    const creds = entry.destination.credentials;
    const file = creds.kind === 'pkcs12' ? creds.path : '';
    // Opened, and then the file is replaced (another certificate) before the cloud answers.
    const replacing = await replacedOnceOpened(base, file);
    const [first] = await pushOutbox({ outbox, connect: replacing, pollIntervalMs: 1 });
    expect(first).toMatchObject({ state: 'failed', status: 403 });
    await sentOnceOem(outbox, entry.id, cloud);
  });
});

/** A connector that, once it has opened the client, puts a new file (the same bytes: a new inode and mtime) where the certificate was. */
async function replacedOnceOpened(base: ReturnType<typeof connector>, file: string) {
  const bytes = await fs.readFile(file);
  return async (e: Pick<OutboxEntry, 'destination'>) => {
    const client = await base(e);
    await fs.rm(file);
    await fs.writeFile(file, bytes);
    return client;
  };
}

/** Queued again and jane now an OEM user: the next push of everything sends the entry to done, not skipped. */
async function sentOnceOem(outbox: Outbox, id: string, c: FakeCloud) {
  await outbox.retry(id);
  c.options.roles!.jane = 'oem';
  const [r] = await pushOutbox({ outbox, connect: connector(c), pollIntervalMs: 1 });
  expect(r.skipped).toBeUndefined();
  expect(r).toMatchObject({ id, state: 'done' });
}

describe('a new upload refused while its certificate was replaced', () => {
  it('the upload sent as it is checked (its client opened before its entry): the 403 is kept against the files before they were opened', async () => {
    cloud = await fixture.start({ roles: { jane: 'service provider' }, processing: ['done'] });
    const outbox = new Outbox(path.join(fixture.dir, `outbox-${++n}`));
    const base = connector(cloud);
    const file = path.join(fixture.dir, 'aos-user-sp.p12');
    // Opened, then another certificate copied over the file while the upload goes out.
    const replacing = await replacedOnceOpened(base, file);
    const { entry, result } = await uploadBundleFile({ outbox, file: batch, configDir: fixture.dir, homeDir: fixture.dir, caFile: fixture.files.ca, cloud: cloud.url, connect: replacing, pollIntervalMs: 1 });
    expect(result).toMatchObject({ state: 'failed', status: 403 });
    await sentOnceOem(outbox, entry.id, cloud);
  });
});

describe('a hostile or damaged roleRefusal in entry.json', () => {
  const cases: [string, unknown, string][] = [
    // Before, this one crashed every push of everything (TypeError: r.at.slice is not a function).
    ['at a number', { at: 5, destination: '', files: 'REAL' }, 'roleRefusal.at'],
    ['at missing', { destination: '', files: [] }, 'roleRefusal.at'],
    ['destination an object', { at: '2026-12-01T10:00:00.000Z', destination: {}, files: [] }, 'roleRefusal.destination'],
    ['files a string', { at: '2026-12-01T10:00:00.000Z', destination: '', files: '/etc/passwd' }, 'roleRefusal.files'],
    ['a file a path', { at: '2026-12-01T10:00:00.000Z', destination: '', files: ['/etc/passwd'] }, 'roleRefusal.files.0'],
    ['files too many', { at: '2026-12-01T10:00:00.000Z', destination: '', files: Array.from({ length: 100_000 }, () => null) }, 'roleRefusal.files'],
    ['an inode a string', { at: '2026-12-01T10:00:00.000Z', destination: '', files: [{ ino: 'x', size: 1, mtimeMs: 1 }] }, 'roleRefusal.files.0'],
    ['not an object', 'refused', 'roleRefusal'],
  ];
  it.each([
    ['no credentials', { credentials: null }, 'destination.credentials'],
    ['a credential path a number', { credentials: { kind: 'pkcs12', path: 7 } }, 'destination.credentials'],
    ['a cloud an object', { credentials: { kind: 'pkcs12', path: '/x.p12' }, cloud: {} }, 'destination.cloud'],
  ])('a destination with %s, its roleRefusal made to match: refused by name; a push of everything does not crash on it', async (_name, destination, field) => {
    cloud = await fixture.start({ roles: { jane: 'service provider' } });
    const { outbox, connect, id } = await refusedEntry(cloud);
    const file = path.join(outbox.dir, id, 'entry.json');
    const entry = JSON.parse(await fs.readFile(file, 'utf8')) as { roleRefusal: Record<string, unknown> };
    // Before, null credentials crashed every push of everything (a TypeError reading their kind).
    await fs.writeFile(file, JSON.stringify({ ...entry, state: 'queued', destination, roleRefusal: { ...entry.roleRefusal, destination: JSON.stringify(destination) } }));
    await expect(outbox.get(id)).rejects.toMatchObject({ error: { code: 'io', location: { file, path: field } } });
    await expect(pushOutbox({ outbox, connect, pollIntervalMs: 1 })).resolves.toEqual([]);
    expect(posts(cloud)).toBe(1);
  });

  it.each(cases)('%s: refused with an error naming entry.json and the field; a push of everything goes on with the others', async (_name, hostile, field) => {
    cloud = await fixture.start({ roles: { jane: 'service provider' } });
    const { outbox, connect, id } = await refusedEntry(cloud);
    const file = path.join(outbox.dir, id, 'entry.json');
    const entry = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
    // Where the hostile value needs the real destination to get past the first comparison, it has it.
    const real = entry.roleRefusal as { destination: string; files: unknown };
    const h = hostile as { destination?: unknown; files?: unknown };
    const value = h && typeof h === 'object' && h.destination === '' ? { ...h, destination: real.destination, ...(h.files === 'REAL' ? { files: real.files } : {}) } : hostile;
    await fs.writeFile(file, JSON.stringify({ ...entry, state: 'queued', roleRefusal: value }));
    const failure = await outbox.get(id).then(
      () => undefined,
      (e: unknown) => (e as { error: { code: string; message: string; location?: { file: string; path?: string } } }).error,
    );
    expect(failure?.code).toBe('io');
    expect(failure?.location).toEqual({ file, path: field });
    expect(failure?.message).toContain(file);
    expect(failure?.message).toContain(field);
    // A push of everything does not crash on it (it is left out, as a damaged entry is).
    await expect(pushOutbox({ outbox, connect, pollIntervalMs: 1 })).resolves.toEqual([]);
    expect(posts(cloud)).toBe(1);
    // As the error says: removed when forced (only then).
    await expect(outbox.remove(id)).rejects.toMatchObject({ error: { code: 'io' } });
    await outbox.remove(id, { force: true });
    expect(await outbox.exists(id)).toBe(false);
  });
});
