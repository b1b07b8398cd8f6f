// `aos-bundle upload | go | whoami | outbox` in-process against the fake cloud.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { cloudTestSetup } from '../../support/cloud-test-setup';
import { type FakeCloud } from '../../support/fake-cloud';
import { cli } from '../cli/helpers';
import { SERVICE_UID, sha256File, signedServiceBundle } from './bundles';
import { makeService } from '../bundle/service-fixture';

const fixture = cloudTestSetup('bs-cloud-cli-');
let svc: string;
let bundle: string;
let cloud: FakeCloud | undefined;
let n = 0;

beforeAll(async () => {
  svc = path.join(fixture.dir, 'svc');
  bundle = await signedServiceBundle(svc, fixture.pki, { 'usr/bin/app': randomBytes(256 << 10) });
}, 120_000);

const env = () => ({ HOME: fixture.dir, BUNDLE_STUDIO_CONFIG_DIR: path.join(fixture.dir, `config-${++n}`) });

describe('aos-bundle upload', () => {
  it('uploads the service folder\'s signed bundle; --json carries the server\'s answer; exit 0', async () => {
    cloud = await fixture.start();
    const r = await cli(['upload', '--ca', fixture.files.ca, '--cloud', cloud.url, '--json'], svc, { env: env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: true, state: 'done', alreadyThere: false, answer: { service: SERVICE_UID, version: '1.2.3', state: 'uploaded' } });
    expect(cloud.received[0]).toMatchObject({ clientCn: 'jane', sha256: sha256File(bundle), filename: 'service.tar.gz' });
  });

  it('a rejected upload prints every field and exits 1; the entry is failed in the outbox list', async () => {
    cloud = await fixture.start({ mode: 'reject' });
    const e = env();
    const r = await cli(['upload', bundle, '--ca', fixture.files.ca, '--cloud', cloud.url], fixture.dir, { env: e });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/state: failed/);
    expect(r.stderr).toMatch(/version: Version must be greater than 1\.2\.3; service: Service is archived; service: Service quota is exhausted; file\.config: quotas\.mem is too small/);
    const list = await cli(['outbox', 'list'], fixture.dir, { env: e });
    expect(list.stdout).toMatch(/^[0-9a-f]{16} {2}failed {6}service 2efd1506-564e-40de-9466-66ae7a25fac0 version 1\.2\.3/);
  });

  it('offline: queued (exit 1, says how to push); outbox push sends it later; remove after done', async () => {
    const e = env();
    const r = await cli(['upload', '--ca', fixture.files.ca, '--cloud', 'https://127.0.0.1:9', '--tries', '2'], svc, { env: e });
    expect(r.stderr).toMatch(/^retry: try 1 of 2 failed: .*connection refused/);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not uploaded; kept in the outbox as ([0-9a-f]{16}): `aos-bundle outbox push` sends it/);
    const id = /outbox: ([0-9a-f]{16})/.exec(r.stdout)![1];
    // The cloud is back (on another port: the entry is redirected by uploading again).
    cloud = await fixture.start();
    const bad = await cli(['outbox', 'remove', id], fixture.dir, { env: e });
    expect(bad.code).toBe(1);
    // A mistyped address is a usage error and leaves the queued entry as it was.
    const entryFile = (await cli(['outbox', 'list', '--json'], fixture.dir, { env: e })).stdout;
    const typo = await cli(['upload', '--ca', fixture.files.ca, '--cloud', 'http://127.0.0.1:9', '--queue'], svc, { env: e });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/--cloud: .*https:\/\//);
    expect((await cli(['outbox', 'list', '--json'], fixture.dir, { env: e })).stdout).toBe(entryFile);
    const again = await cli(['upload', '--ca', fixture.files.ca, '--cloud', cloud.url, '--queue'], svc, { env: e });
    expect(again.code).toBe(0);
    const push = await cli(['outbox', 'push', '--json'], fixture.dir, { env: e });
    expect(push.code).toBe(0);
    expect(JSON.parse(push.stdout).results).toMatchObject([{ id, state: 'done' }]);
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(1);
    expect((await cli(['outbox', 'remove', id], fixture.dir, { env: e })).code).toBe(0);
    expect((await cli(['outbox', 'list'], fixture.dir, { env: e })).stdout).toMatch(/The outbox is empty/);
  });

  it('an unknown server CA is a TLS failure on our side, exit 1', async () => {
    cloud = await fixture.start();
    const r = await cli(['upload', '--cloud', cloud.url], svc, { env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/TLS failed on our side/);
  });

  it('on a terminal, stderr shows upload progress; a cancel (Ctrl+C) leaves the entry queued, exit 1', async () => {
    cloud = await fixture.start({ mode: 'slow', slowTickMs: 30 });
    const controller = new AbortController();
    let err = '';
    const r = await cli(['upload', '--ca', fixture.files.ca, '--cloud', cloud.url], svc, {
      env: env(),
      stderrIsTTY: true,
      columns: 120,
      signal: controller.signal,
      stderr: (t) => {
        err += t;
        if (/sent +\d/.test(err) && /KiB \//.test(err)) controller.abort();
      },
    });
    // Bytes handed to the connection: "sent" (the slow cloud has read far fewer of them).
    expect(r.stderr).toContain('\r\u001b[Ksent ');
    expect(r.stderr).toMatch(/sent +[\d.]+ KiB \/ [\d.]+ KiB \(\d+%\)/);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/state: queued/);
    expect(r.stdout).toMatch(/message: Cancelled\. Held in the outbox: it goes out when you push it again\./);
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(0);
  });

  it('whoami without options uses the credentials the service config names', async () => {
    cloud = await fixture.start();
    const r = await cli(['whoami', '--ca', fixture.files.ca, '--cloud', cloud.url], svc, { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^user: jane\nemail: jane@example\.com\nrole: service provider\n/);
  });

  it('usage errors exit 2', async () => {
    expect((await cli(['upload', '--pkcs12', 'a.p12', '--key', 'k.pem'], svc, { env: env() })).code).toBe(2);
    expect((await cli(['outbox', 'frob'], svc, { env: env() })).code).toBe(2);
  });
});

describe('aos-bundle upload of a deployment bundle (task-9b\'s signer)', () => {
  it('sign makes batch.tar.gz; upload DIR sends it to the v2 endpoint and --wait follows it to done', async () => {
    // Processing ends at the first look (the CLI polls every 3 s).
    cloud = await fixture.start({ role: 'oem', processing: ['done'] });
    const { makeBatchBundle } = await import('../bundle/batch-fixture');
    const root = await makeBatchBundle(path.join(fixture.dir, 'batch'), fixture.pki.user, [fixture.pki.ca]);
    const e = env();
    const signed = await cli(['sign', root], fixture.dir, { env: e });
    expect(signed.code).toBe(0);
    const batch = path.join(root, 'batch.tar.gz');
    const r = await cli(['upload', root, '--ca', fixture.files.ca, '--cloud', cloud.url, '--wait', '--json'], fixture.dir, { env: e });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: true, state: 'done', remoteId: 100 });
    expect(out.history.map((h: { state: string }) => h.state)).toEqual(['queued', 'uploading', 'uploaded', 'processing', 'done']);
    expect(out.message).toBe('Deployment bundle 100 is done: built 1 item.');
    expect(cloud.received[0]).toMatchObject({ route: 'deployment-bundle', partName: 'file', filename: 'batch.tar.gz', partType: 'application/gzip', clientCn: 'jane', sha256: sha256File(batch) });
  }, 30_000);
  it('a service provider\'s certificate: whoami says its role; upload gets the cloud\'s 403 in plain words, exit 1, no retry, the entry failed', async () => {
    cloud = await fixture.start({ roles: { jane: 'service provider' } });
    const { makeBatchBundle } = await import('../bundle/batch-fixture');
    const root = await makeBatchBundle(path.join(fixture.dir, 'batch-sp'), fixture.pki.user, [fixture.pki.ca]);
    const e = env();
    expect((await cli(['sign', root], fixture.dir, { env: e })).code).toBe(0);
    const me = await cli(['whoami', '--pkcs12', fixture.files.p12, '--ca', fixture.files.ca, '--cloud', cloud.url, '--json'], fixture.dir, { env: e });
    expect(JSON.parse(me.stdout)).toMatchObject({ ok: true, user: { username: 'jane', role: 'service provider' } });
    const r = await cli(['upload', root, '--ca', fixture.files.ca, '--cloud', cloud.url, '--tries', '3'], fixture.dir, { env: e });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/state: failed/);
    expect(r.stderr).toMatch(/recognised your certificate but your role may not do this: uploading .* was refused \(HTTP 403: You do not have permission to perform this action\)/);
    expect(r.stderr).toMatch(/Only OEM users upload layers and components \(their certificate is normally aos-user-oem\.p12\)/);
    expect(r.stderr).not.toMatch(/^retry:/m);
    expect(cloud.requests.filter((q) => q.startsWith('POST '))).toHaveLength(1);
    const list = await cli(['outbox', 'list'], fixture.dir, { env: e });
    expect(list.stdout).toMatch(/^[0-9a-f]{16} {2}failed /);
  }, 30_000);

  it('after a 403 for the role, outbox push skips the entry: one line with the reason, skipReason in --json, exit 1, nothing sent; outbox push ID sends it', async () => {
    cloud = await fixture.start({ roles: { jane: 'service provider' } });
    const { makeBatchBundle } = await import('../bundle/batch-fixture');
    const root = await makeBatchBundle(path.join(fixture.dir, 'batch-sp-push'), fixture.pki.user, [fixture.pki.ca]);
    const e = env();
    expect((await cli(['sign', root], fixture.dir, { env: e })).code).toBe(0);
    expect((await cli(['upload', root, '--ca', fixture.files.ca, '--cloud', cloud.url], fixture.dir, { env: e })).code).toBe(1);
    const c = cloud;
    const posts = () => c.requests.filter((q) => q.startsWith('POST ')).length;
    expect(posts()).toBe(1);
    const id = /^([0-9a-f]{16}) {2}failed /.exec((await cli(['outbox', 'list'], fixture.dir, { env: e })).stdout)![1];

    const push = await cli(['outbox', 'push'], fixture.dir, { env: e });
    expect(push.code).toBe(1);
    expect(push.stdout).toMatch(new RegExp(`^${id} {2}skipped {5}Not sent: the cloud refused this certificate's role for this upload \\(HTTP 403\\) on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC, [^\\n]*so it would refuse it again\\. [^\\n]*Retry it[^\\n]*\\n$`));
    const json = await cli(['outbox', 'push', '--json'], fixture.dir, { env: e });
    expect(json.code).toBe(1);
    const out = JSON.parse(json.stdout);
    expect(out).toMatchObject({ ok: false, results: [{ id, state: 'failed', skipped: true, skipReason: expect.stringMatching(/^Not sent: the cloud refused this certificate's role/) }] });
    expect(posts()).toBe(1);

    // Retried (queued again), still the same certificate: a push of everything still skips it.
    expect((await cli(['outbox', 'retry', id], fixture.dir, { env: e })).stdout).toBe(`${id}  queued\n`);
    const queued = await cli(['outbox', 'push'], fixture.dir, { env: e });
    expect(queued.code).toBe(1);
    expect(queued.stdout).toContain(`${id}  skipped     Not sent:`);
    expect(queued.stdout).toContain(`push it by itself (its Push, or aos-bundle outbox push ${id})`);
    expect(posts()).toBe(1);
    // Named, it is the user's choice: sent (and refused again).
    const named = await cli(['outbox', 'push', id], fixture.dir, { env: e });
    expect(named.code).toBe(1);
    expect(named.stdout).toMatch(new RegExp(`^${id} {2}failed {6}The cloud recognised your certificate but your role may not do this`));
    expect(posts()).toBe(2);
  }, 30_000);

  it('an entry.json with a hand-edited roleRefusal: outbox list and push leave it out but say so on stderr (file and field), push exits 1 with it under damaged in --json, remove --force removes it', async () => {
    cloud = await fixture.start({ roles: { jane: 'service provider' } });
    const { makeBatchBundle } = await import('../bundle/batch-fixture');
    const root = await makeBatchBundle(path.join(fixture.dir, 'batch-sp-damaged'), fixture.pki.user, [fixture.pki.ca]);
    const e = env();
    expect((await cli(['sign', root], fixture.dir, { env: e })).code).toBe(0);
    expect((await cli(['upload', root, '--ca', fixture.files.ca, '--cloud', cloud.url], fixture.dir, { env: e })).code).toBe(1);
    const listed = JSON.parse((await cli(['outbox', 'list', '--json'], fixture.dir, { env: e })).stdout) as { dir: string; entries: { id: string }[] };
    const id = listed.entries[0].id;
    const file = path.join(listed.dir, id, 'entry.json');
    const entry = JSON.parse(await fs.readFile(file, 'utf8')) as { roleRefusal: object };
    await fs.writeFile(file, JSON.stringify({ ...entry, roleRefusal: { ...entry.roleRefusal, at: 5 } }));
    const warning = `warning: The outbox entry ${id} is damaged (${file}: roleRefusal.at is not what Bundle Studio writes); remove it with \`aos-bundle outbox remove ${id} --force\`.\n`;
    const list = await cli(['outbox', 'list'], fixture.dir, { env: e });
    expect(list.code).toBe(0);
    expect(list.stderr).toBe(warning);
    const push = await cli(['outbox', 'push'], fixture.dir, { env: e });
    expect(push.code).toBe(1);
    expect(push.stderr).toBe(warning);
    const json = await cli(['outbox', 'push', '--json'], fixture.dir, { env: e });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, results: [], damaged: [{ code: 'io', location: { file, path: 'roleRefusal.at' } }] });
    expect((await cli(['outbox', 'remove', id, '--force'], fixture.dir, { env: e })).stdout).toBe(`${id}  removed\n`);
    expect((await cli(['outbox', 'list'], fixture.dir, { env: e })).stderr).toBe('');
    expect(cloud.requests.filter((q) => q.startsWith('POST '))).toHaveLength(1);
  }, 30_000);

  it('without --wait, an uploaded deployment bundle says it is not done yet and how to follow it; outbox push --wait ID does', async () => {
    cloud = await fixture.start({ role: 'oem', processing: ['processing', 'done'] });
    const { makeBatchBundle } = await import('../bundle/batch-fixture');
    const root = await makeBatchBundle(path.join(fixture.dir, 'batch-nowait'), fixture.pki.user, [fixture.pki.ca]);
    const e = env();
    expect((await cli(['sign', root], fixture.dir, { env: e })).code).toBe(0);
    const r = await cli(['upload', root, '--ca', fixture.files.ca, '--cloud', cloud.url], fixture.dir, { env: e });
    expect(r.code, r.stderr).toBe(0);
    const id = /^outbox: ([0-9a-f]{16})$/m.exec(r.stdout)![1];
    expect(r.stdout).toContain('state: uploaded\n');
    expect(r.stdout).toContain(`next: the cloud is still processing it; \`aos-bundle outbox push --wait ${id}\` follows it to done (or error) and shows its build_info.\n`);
    // A push without --wait moves nothing on: it says the same.
    const again = await cli(['outbox', 'push', id], fixture.dir, { env: e });
    expect(again.stdout).toContain(`    next: the cloud is still processing it; \`aos-bundle outbox push --wait ${id}\``);
    const followed = await cli(['outbox', 'push', '--wait', id], fixture.dir, { env: e });
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stdout).toBe(`${id}  done        Deployment bundle 100 is done: built 1 item.\n`);
    expect(cloud.received).toHaveLength(1);
  }, 30_000);
});

describe('aos-bundle whoami and go', () => {
  it('whoami with --pkcs12 prints user, email, role and which cloud', async () => {
    cloud = await fixture.start({ role: 'oem' });
    const r = await cli(['whoami', '--pkcs12', fixture.files.p12, '--ca', fixture.files.ca, '--cloud', cloud.url], fixture.dir, { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`user: jane\nemail: jane@example.com\nrole: oem\ncloud: ${cloud.url}/ (given with --cloud)\n`);
    const pem = await cli(['whoami', '--key', fixture.files.key, '--cert', fixture.files.cert, '--ca', fixture.files.ca, '--cloud', cloud.url, '--json'], fixture.dir, { env: env() });
    expect(JSON.parse(pem.stdout).user).toMatchObject({ role: 'oem', username: 'jane' });
  });

  it('go signs then uploads; a protected PKCS#12 takes its password once (--password-env) for both', async () => {
    cloud = await fixture.start();
    const root = path.join(fixture.dir, 'go-svc');
    await makeService(root, fixture.pki.user, [fixture.pki.ca], { p12: false });
    const { p12 } = await import('../credentials/pki-fixtures');
    await fs.writeFile(path.join(root, 'meta', 'aos-user-sp.p12'), p12(fixture.pki.user, [fixture.pki.ca.cert], 'secret'));
    const r = await cli(['go', '--ca', fixture.files.ca, '--cloud', cloud.url, '--password-env', 'PW'], root, { env: { ...env(), PW: 'secret' } });
    expect(r.stderr).toBe(`found: service tree (meta/config.yaml) in ${root}\n`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^path: .*service\.tar\.gz\n/);
    expect(r.stdout).toMatch(/state: done/);
    expect(r.stdout).not.toContain('secret');
    expect(cloud.received[0].sha256).toBe(sha256File(path.join(root, 'service.tar.gz')));
  });

  it('go in a deployment bundle signs batch.tar.gz and sends it to the deployment-bundles endpoint, following it to done', async () => {
    cloud = await fixture.start({ role: 'oem', processing: ['done'] });
    const { makeBatchBundle } = await import('../bundle/batch-fixture');
    const root = await makeBatchBundle(path.join(fixture.dir, 'go-batch'), fixture.pki.user, [fixture.pki.ca]);
    const r = await cli(['go', '--ca', fixture.files.ca, '--cloud', cloud.url, '--wait'], root, { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('found: deployment bundle (config.yaml, schemaVersion 2)');
    expect(r.stdout).toMatch(/^path: .*\/go-batch\/batch\.tar\.gz\n/);
    expect(r.stdout).toMatch(/state: done/);
    const batch = path.join(root, 'batch.tar.gz');
    expect(cloud.received).toHaveLength(1);
    expect(cloud.received[0]).toMatchObject({ route: 'deployment-bundle', filename: 'batch.tar.gz', sha256: sha256File(batch) });
    // A bundle with an error is neither signed nor uploaded.
    await fs.writeFile(path.join(root, 'config.yaml'), (await fs.readFile(path.join(root, 'config.yaml'), 'utf8')).replace('architecture: arm64', 'architecture: aarch64'));
    const bad = await cli(['go', '--ca', fixture.files.ca, '--cloud', cloud.url], root, { env: env() });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('aos-bundle go: config.yaml has 1 error');
    expect(cloud.received).toHaveLength(1);
  }, 30_000);
});
