// A new bundle that grows between the moment its upload announces the body's length
// (Content-Length, from a stat of the file) and the end of its send: the bytes past the
// announced size must not go out. Before, they did, and took the place of the closing
// boundary that the upload holds back until its check has passed: the cloud had a whole body
// (Content-Length bytes) and stored the part, although the check refused the file and the
// upload said it failed.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { connectCloud, CredentialSession } from '../../../src/main/core/cloud';
import type * as MultipartModule from '../../../src/main/core/cloud/multipart';
import { Outbox, uploadBundleFile, type OutboxEntry } from '../../../src/main/core/outbox';
import { cloudTestSetup } from '../../support/cloud-test-setup';
import { type FakeCloud } from '../../support/fake-cloud';
import { failureOf } from '../../support/failure';
import { SERVICE_UID, signedServiceBundle } from '../cloud/bundles';

/** Run once the body's length is known (after multipartFile's stat), before any byte is read. */
const afterLength = vi.hoisted(() => ({ run: undefined as ((file: string) => Promise<void>) | undefined }));
vi.mock('../../../src/main/core/cloud/multipart', async (importOriginal) => {
  const real = await importOriginal<typeof MultipartModule>();
  return {
    ...real,
    multipartFile: async (part: MultipartModule.FilePart) => {
      const body = await real.multipartFile(part);
      const run = afterLength.run;
      afterLength.run = undefined;
      await run?.(part.path);
      return body;
    },
  };
});

const fixture = cloudTestSetup('bs-grown-');
let bundle: string;
let cloud: FakeCloud | undefined;

beforeAll(async () => {
  bundle = await signedServiceBundle(path.join(fixture.dir, 'svc'), fixture.pki, { 'usr/bin/app': randomBytes(1 << 20) });
}, 120_000);
afterEach(() => {
  afterLength.run = undefined;
});

function connector(c: FakeCloud) {
  const session = new CredentialSession();
  return (entry: Pick<OutboxEntry, 'destination'>) =>
    connectCloud({ credentials: entry.destination.credentials, session, caFile: entry.destination.caFile, cloud: c.url, retry: { tries: 1, baseMs: 1, maxMs: 2 } });
}

describe('a bundle that grows while it is sent', () => {
  it('sends no byte past the announced length: the cloud gets no whole body and stores nothing, the upload fails, no entry', async () => {
    cloud = await fixture.start();
    const outbox = new Outbox(path.join(fixture.dir, 'outbox-1'));
    const file = path.join(fixture.dir, 'growing.tar.gz');
    await fs.copyFile(bundle, file);
    // More bytes than the closing boundary has, appended once the length is announced.
    afterLength.run = (f) => fs.appendFile(f, Buffer.alloc(4096, 0x42));
    const f = await failureOf(uploadBundleFile({ outbox, file, configDir: path.join(fixture.dir, 'svc', 'meta'), homeDir: fixture.dir, caFile: fixture.files.ca, cloud: cloud.url, connect: connector(cloud) }));
    expect(f.message).toMatch(/changed|size|not a readable signed bundle/);
    expect(cloud.received.filter((u) => u.stored)).toEqual([]);
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(0);
    expect(await outbox.list()).toEqual([]);
  });
});
