// The shared fake-cloud set-up cleans up after itself even when its own set-up fails part-way
// (the client files cannot be written): the temp folder it made is removed by its afterAll.
// Its hooks are taken from a stand-in beforeAll/afterAll/afterEach and run here by hand, so
// the failure is this test's to look at, not the file's.
import { promises as fs } from 'node:fs';
import os from 'node:os';

vi.mock('../../support/fake-cloud', async (original) => ({
  ...(await original<typeof import('../../support/fake-cloud')>()),
  // No RSA keys needed: the set-up fails right after making its folder.
  makeCloudPki: () => ({}),
  writeClientFiles: async () => {
    throw new Error('ENOSPC: no space left on device');
  },
}));

const PREFIX = `bs-setup-fails-${process.pid}-`;
const leftOver = async () => (await fs.readdir(os.tmpdir())).filter((n) => n.startsWith(PREFIX));

it('a set-up that fails after making its temp folder still removes it after the file', async () => {
  const { cloudTestSetup } = await import('../../support/cloud-test-setup');
  const hooks: Record<'beforeAll' | 'afterAll' | 'afterEach', (() => Promise<void>)[]> = { beforeAll: [], afterAll: [], afterEach: [] };
  const g = globalThis as unknown as Record<keyof typeof hooks, (fn: () => Promise<void>) => void>;
  const real = { beforeAll: g.beforeAll, afterAll: g.afterAll, afterEach: g.afterEach };
  for (const k of Object.keys(hooks) as (keyof typeof hooks)[]) g[k] = (fn) => void hooks[k].push(fn);
  try {
    cloudTestSetup(PREFIX);
  } finally {
    Object.assign(globalThis, real);
  }
  expect(hooks.beforeAll).toHaveLength(1);
  await expect(hooks.beforeAll[0]()).rejects.toThrow('ENOSPC');
  expect(await leftOver()).toHaveLength(1); // made, then the set-up failed
  for (const fn of hooks.afterAll) await fn();
  expect(await leftOver()).toEqual([]);
});
