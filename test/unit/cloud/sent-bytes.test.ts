// The watcher of a send's bytes (core/cloud/sent-bytes.ts), on this thread and on the built
// worker (dist/workers/bundle-check.js, `node scripts/build.mjs --quiet`): fed as multipart
// feeds it (each buffer read into again once see() resolves), it learns the digest of exactly
// the bytes it saw and the strict read of the bundle they make.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { watchHere, watchOnWorker } from '../../../src/main/core/cloud/sent-bytes';
import { makeCloudPki } from '../../support/fake-cloud';
import { tempDir } from '../credentials/pki-fixtures';
import { feedAsSent, SENT_IDENTITY } from '../../support/sent-bytes';
import { signedServiceBundle } from './bundles';

const BUILT_WORKER = path.resolve(__dirname, '../../../dist/workers/bundle-check.js');

let dir: string;
let bundle: Buffer;

beforeAll(async () => {
  expect(existsSync(BUILT_WORKER)).toBe(true);
  dir = await tempDir('bs-sent-bytes-');
  bundle = await fs.readFile(await signedServiceBundle(path.join(dir, 'svc'), makeCloudPki(), { 'usr/bin/app': randomBytes(5 << 20) }));
}, 120_000);
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.each([
  ['on this thread', (mode: 'sha256' | 'members') => watchHere(mode, 'service.tar.gz')],
  ['on the built worker', (mode: 'sha256' | 'members') => watchOnWorker(mode, 'service.tar.gz', BUILT_WORKER)],
])('the sent bytes watched %s', (_where, watch) => {
  it('members: the digest of the bytes seen and the strict read of the bundle they make', async () => {
    const w = watch('members');
    const digest = await feedAsSent(w, bundle, 1 << 20);
    expect(digest).toBe(sha256(bundle));
    const v = await w.verdict;
    expect(v.file).toEqual(SENT_IDENTITY);
    expect(v.members?.problems).toEqual([]);
    expect(v.members?.members.map((m) => m.name)).toEqual(expect.arrayContaining(['config.yaml', 'service.tar.gz', 'package.sign']));
    expect(v.members?.configBytes?.toString('utf8')).toMatch(/publish:/);
  });

  it('members: bytes that are not the whole bundle make a verdict with its problem, never a pass', async () => {
    const w = watch('members');
    const cut = bundle.subarray(0, bundle.length - 700);
    expect(await feedAsSent(w, cut, 64 << 10)).toBe(sha256(cut));
    expect((await w.verdict).members?.problems.join(' ')).toMatch(/truncated/);
  });

  it('sha256: the digest only, of chunks of any size', async () => {
    const w = watch('sha256');
    expect(await feedAsSent(w, bundle, 300_001)).toBe(sha256(bundle));
    expect((await w.verdict).members).toBeUndefined();
  });

  it('a send stopped mid-way gives no verdict: it rejects as stopped', async () => {
    const w = watch('members');
    await feedAsSent(w, bundle, 1 << 20, 2 << 20);
    await expect(w.verdict).rejects.toMatchObject({ name: 'AbortError' });
  });
});
