// What every test file against the fake cloud sets up the same way: a temp folder, the cloud's
// PKI and the client's credential files in it (once per file: RSA keys are slow to make), the
// folder removed after the file's tests, and the cloud a test started stopped after it.
// Register it at the top of a test file; its fields are there from the first beforeAll on.
import { promises as fs } from 'node:fs';
import { tempDir } from '../unit/credentials/pki-fixtures';
import { makeCloudPki, startFakeCloud, writeClientFiles, type FakeCloud, type FakeCloudOptions, type FakeCloudPki } from './fake-cloud';

export type ClientFiles = Awaited<ReturnType<typeof writeClientFiles>>;

export interface CloudTestSetup {
  readonly dir: string;
  readonly pki: FakeCloudPki;
  readonly files: ClientFiles;
  /** Starts a fake cloud with this PKI, stopped after the test that started it. */
  start(options?: FakeCloudOptions): Promise<FakeCloud>;
}

export function cloudTestSetup(prefix: string): CloudTestSetup {
  let made: { dir: string; pki: FakeCloudPki; files: ClientFiles } | undefined;
  // Known as soon as it exists: a set-up that fails after making it still has it removed.
  let dir: string | undefined;
  const running: FakeCloud[] = [];
  const ready = () => {
    if (!made) throw new Error('cloudTestSetup: used before its beforeAll ran');
    return made;
  };
  beforeAll(async () => {
    dir = await tempDir(prefix);
    const pki = makeCloudPki();
    made = { dir, pki, files: await writeClientFiles(dir, pki) };
  }, 120_000);
  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
  });
  afterAll(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return ready().dir;
    },
    get pki() {
      return ready().pki;
    },
    get files() {
      return ready().files;
    },
    async start(options) {
      const cloud = await startFakeCloud(ready().pki, options);
      running.push(cloud);
      return cloud;
    },
  };
}
