// Upload over mutual TLS against the fake cloud (test/support/fake-cloud.ts): what the cloud
// receives, every failure the brief names, retries, timeouts, cancel, and the v2 route.
import { randomBytes } from 'node:crypto';
import https from 'node:https';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  CloudClient,
  CloudFailure,
  CredentialSession,
  connectCloud,
  readSignedBundle,
  uploadSignedBundle,
  type CloudConnection,
  type UploadProgress,
} from '../../../src/main/core/cloud';
import { connectionFailure } from '../../../src/main/core/cloud/failures';
import { tlsIdentityOf } from '../../../src/main/core/cloud/identity';
import { loadPemPair } from '../../../src/main/core/credentials';
import { cloudTestSetup } from '../../support/cloud-test-setup';
import { type FakeCloud } from '../../support/fake-cloud';
import { failureOf } from '../../support/failure';
import { SERVICE_UID, sha256File, signedBatchBundle, signedServiceBundle } from './bundles';

const fixture = cloudTestSetup('bs-cloud-');
let bundle: string;
let cloud: FakeCloud | undefined;
const FAST_RETRY = { tries: 4, baseMs: 5, maxMs: 20 };

beforeAll(async () => {
  bundle = await signedServiceBundle(path.join(fixture.dir, 'svc'), fixture.pki, { 'usr/bin/app': randomBytes(3 << 20), 'etc/x.cfg': 'x=1\n' });
}, 120_000);

async function client(c: FakeCloud, over: Partial<CloudConnection> & { caFile?: string } = {}): Promise<{ client: CloudClient; log: string[] }> {
  const log: string[] = [];
  const made = await connectCloud({
    credentials: { kind: 'pkcs12', path: fixture.files.p12 },
    session: new CredentialSession(),
    caFile: over.caFile ?? fixture.files.ca,
    cloud: c.url,
    retry: FAST_RETRY,
    log: (l) => log.push(l),
  });
  return { client: over.identity || over.timeouts ? new CloudClient({ ...made.connection, ...over }) : made, log };
}

describe('upload of a v1 service bundle', () => {
  it('sends the signed file as part "file" with the query from the config inside the bundle, over mutual TLS', async () => {
    cloud = await fixture.start();
    // The service's config changes after signing: what is uploaded is what was signed.
    const configPath = path.join(fixture.dir, 'svc', 'meta', 'config.yaml');
    const original = await fs.readFile(configPath, 'utf8');
    await fs.writeFile(configPath, original.replace('version: "1.2.3"', 'version: "9.9.9"'));
    try {
      const signed = await readSignedBundle(bundle);
      const { client: c } = await client(cloud);
      const progress: UploadProgress[] = [];
      const outcome = await uploadSignedBundle({ client: c, bundle: signed, onProgress: (p) => progress.push(p) });
      expect(outcome.state).toBe('done');
      expect(outcome.alreadyThere).toBe(false);
      expect(outcome.answer).toMatchObject({ service: SERVICE_UID, version: '1.2.3' });
      expect(cloud.received).toHaveLength(1);
      const got = cloud.received[0];
      expect(got).toMatchObject({ route: 'service-version', partName: 'file', filename: 'service.tar.gz', partType: 'application/gzip', clientCn: 'jane' });
      expect(got.query).toEqual({ service: SERVICE_UID, version: '1.2.3', package_version: '2' });
      expect(got.sha256).toBe(sha256File(bundle));
      expect(got.size).toBe((await fs.stat(bundle)).size);
      expect(signed.sha256).toBe(got.sha256);
      expect(progress[0].sent).toBe(0);
      expect(progress.at(-1)).toMatchObject({ sent: got.size, total: got.size, attempt: 1 });
    } finally {
      await fs.writeFile(configPath, original);
    }
  });

  it('connects with a PEM key + certificate pair as well, and users/me gives role and user', async () => {
    cloud = await fixture.start({ role: 'oem' });
    const c = await connectCloud({ credentials: { kind: 'pem', keyPath: fixture.files.key, certPath: fixture.files.cert }, session: new CredentialSession(), caFile: fixture.files.ca, cloud: cloud.url });
    const me = await c.me();
    expect(me).toMatchObject({ role: 'oem', username: 'jane', email: 'jane@example.com' });
    expect(me.raw.organisation).toBe('Acme Services');
  });

  it('retries 503 twice with backoff, logging each try, and the cloud stores the bundle once', async () => {
    cloud = await fixture.start({ mode: 'flaky' });
    const { client: c, log } = await client(cloud);
    const outcome = await uploadSignedBundle({ client: c, bundle: await readSignedBundle(bundle) });
    expect(outcome.state).toBe('done');
    expect(log).toHaveLength(2);
    expect(log[0]).toMatch(/^try 1 of 4 failed: The cloud is unavailable uploading the service version \(HTTP 503: Service Unavailable\)\. Trying again in/);
    expect(cloud.requests.filter((r) => r.startsWith('POST'))).toHaveLength(3);
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(1);
  });

  it('shows every field of a 422 (nested too) and never retries a 4xx', async () => {
    cloud = await fixture.start({ mode: 'reject' });
    const { client: c, log } = await client(cloud);
    const f = await failureOf(uploadSignedBundle({ client: c, bundle: await readSignedBundle(bundle) }));
    expect(f.error.code).toBe('rejected');
    expect(f.message).toContain('HTTP 422');
    // Every field, each said once: its own closing stop gives way to the separator.
    expect(f.message).toContain('version: Version must be greater than 1.2.3; service: Service is archived; service: Service quota is exhausted; file.config: quotas.mem is too small)');
    expect((f as CloudFailure).detail.fields?.[0]).toBe('version: Version must be greater than 1.2.3.');
    expect((f as CloudFailure).detail.fields).toHaveLength(4);
    expect(log).toEqual([]);
    expect(cloud.received).toHaveLength(1);
  });

  it('a second upload of the same version is a 422 "already exists" and counts as uploaded, saying so', async () => {
    cloud = await fixture.start();
    const { client: c } = await client(cloud);
    const signed = await readSignedBundle(bundle);
    await uploadSignedBundle({ client: c, bundle: signed });
    const again = await uploadSignedBundle({ client: c, bundle: signed });
    expect(again).toMatchObject({ state: 'done', alreadyThere: true });
    expect(again.message).toMatch(/already has service .* version 1\.2\.3 .*counted as uploaded/);
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(1);
  });

  it('a connection dropped mid-upload is retried from the first byte; the cloud holds the exact bytes once', async () => {
    cloud = await fixture.start({ mode: 'drop', dropAfterBytes: 512 << 10 });
    const { client: c, log } = await client(cloud);
    const progress: UploadProgress[] = [];
    const outcome = await uploadSignedBundle({ client: c, bundle: await readSignedBundle(bundle), onProgress: (p) => progress.push(p) });
    expect(outcome.state).toBe('done');
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/connection .* failed/);
    expect(progress.some((p) => p.attempt === 2 && p.sent === 0)).toBe(true);
    expect(cloud.received).toHaveLength(1);
    expect(cloud.received[0].sha256).toBe(sha256File(bundle));
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(1);
  });

  it('a stalled transfer times out (retried, then a network failure); the connect timeout is separate', async () => {
    cloud = await fixture.start({ mode: 'slow', slowTickMs: 60_000 });
    const { client: c, log } = await client(cloud, { timeouts: { connectMs: 5000, stallMs: 300 }, retry: { tries: 2, baseMs: 1, maxMs: 1 } });
    const f = await failureOf(uploadSignedBundle({ client: c, bundle: await readSignedBundle(bundle) }));
    expect(f.error.code).toBe('network');
    expect(f.message).toMatch(/the transfer with 127\.0\.0\.1 stalled: nothing moved for 0\.3 s/);
    expect(log).toHaveLength(1);
  });

  it('cancels an upload in progress (AbortSignal) and nothing is stored', async () => {
    cloud = await fixture.start({ mode: 'slow', slowTickMs: 50 });
    const { client: c } = await client(cloud);
    const controller = new AbortController();
    const f = await failureOf(
      uploadSignedBundle({ client: c, bundle: await readSignedBundle(bundle), signal: controller.signal, onProgress: (p) => p.sent > 0 && controller.abort() }),
    );
    expect(f.error.code).toBe('cancelled');
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(0);
  });
});

describe('TLS failures say which side refused and why', () => {
  it('our side: the server certificate is not from a CA we trust (no --ca, or the wrong one)', async () => {
    cloud = await fixture.start();
    await fs.writeFile(path.join(fixture.dir, 'stranger-ca.pem'), fixture.pki.strangerCa.certPem);
    const { client: c } = await client(cloud, { caFile: path.join(fixture.dir, 'stranger-ca.pem') });
    const f = await failureOf(c.me());
    expect(f.error.code).toBe('tls');
    expect(f.message).toMatch(/^TLS failed on our side: the server certificate of 127\.0\.0\.1 was refused because .*--ca FILE/);
    expect(cloud.requests).toEqual([]);
  });

  it("the server's side: a client certificate from a CA the cloud does not know is refused", async () => {
    cloud = await fixture.start();
    const stranger = tlsIdentityOf(await loadPemPair(...(await strangerFiles())));
    const { client: c } = await client(cloud, { identity: stranger });
    const f = await failureOf(c.me());
    expect(f.error.code).toBe('tls');
    expect(f.message).toMatch(/TLS failed on the server's side: 127\.0\.0\.1 refused our client certificate because/);
    expect(cloud.requests).toEqual([]);
  });

  it('no client certificate: the cloud requires one, and the failure says so', async () => {
    cloud = await fixture.start();
    const err = await new Promise<unknown>((resolve) => {
      const req = https.request({ host: '127.0.0.1', port: cloud!.port, path: '/api/v11/users/me/', ca: fixture.pki.ca.certPem }, (res) => resolve(res.statusCode));
      req.on('error', resolve);
      req.end();
    });
    const f = connectionFailure(err, '127.0.0.1', 'asking who you are');
    expect(f.error.code).toBe('tls');
    expect(f.message).toMatch(/server's side: .*requires a client certificate and got none/);
    expect(cloud.requests).toEqual([]);
  });
});

async function strangerFiles(): Promise<[string, string]> {
  const key = path.join(fixture.dir, 'stranger-key.pem');
  const cert = path.join(fixture.dir, 'stranger-cert.pem');
  await fs.writeFile(key, fixture.pki.stranger.keyPem);
  await fs.writeFile(cert, fixture.pki.stranger.certPem);
  return [key, cert];
}

describe('v2 deployment bundles and lists', () => {
  it('uploads batch.tar.gz to the v2 endpoint and follows processing (paginated list) to done with build_info', async () => {
    cloud = await fixture.start({ role: 'oem', buildInfo: { log: ['layer pylibs 1.0.0 built'] } });
    for (let i = 0; i < 3; i++) cloud.bundles.push({ id: 10 + i, states: ['done'], file_size: 1, items: [] });
    const batch = await signedBatchBundle(fixture.dir, fixture.pki);
    const signed = await readSignedBundle(batch);
    expect(signed.target).toMatchObject({ api: 'deployment-bundle', filename: 'batch.tar.gz', items: [{ type: 'layer', codename: 'pylibs', version: '1.0.0' }] });
    expect(signed.credentials).toMatchObject({ kind: 'pkcs12', ref: 'aos-user-sp.p12' });
    const { client: c } = await client(cloud);
    const states: string[] = [];
    const outcome = await uploadSignedBundle({ client: c, bundle: signed, pollIntervalMs: 1, onStatus: (s) => states.push(String(s.state)) });
    expect(outcome).toMatchObject({ state: 'done', remoteId: 103 });
    expect(outcome.message).toBe('Deployment bundle 103 is done: log: layer pylibs 1.0.0 built.');
    expect(states).toEqual(['uploaded', 'processing', 'building', 'done']);
    expect(cloud.received[0]).toMatchObject({ route: 'deployment-bundle', partName: 'file', filename: 'batch.tar.gz', clientCn: 'jane', sha256: sha256File(batch) });
    // Pages of two: ours (the fourth) was on the second page.
    expect(cloud.requests.filter((r) => r === 'GET /api/v11/deployment-bundles/').length).toBeGreaterThanOrEqual(8);
  });

  it('an error in processing fails with the build_info', async () => {
    cloud = await fixture.start({ role: 'oem', processing: ['processing', 'error'], buildInfo: { items: [{ codename: ['pylibs 1.0.0 already exists'] }] } });
    const { client: c } = await client(cloud);
    const outcome = await uploadSignedBundle({ client: c, bundle: await readSignedBundle(await signedBatchBundle(fixture.dir, fixture.pki)), pollIntervalMs: 1 });
    expect(outcome.state).toBe('failed');
    expect(outcome.message).toContain('items.0.codename: pylibs 1.0.0 already exists');
  });

  it('lists layers with search, keeping fields the app does not know', async () => {
    cloud = await fixture.start();
    const { client: c } = await client(cloud);
    const page = await c.layers('py');
    expect(page.items.map((l) => l.name)).toEqual(['pylibs', 'base-python']);
    expect(page.items[0].flavour).toBe('extra-field');
    expect((await c.layers('base')).items).toHaveLength(1);
  });
});
