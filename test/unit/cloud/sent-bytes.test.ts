// The watcher of a send's bytes (core/cloud/sent-bytes.ts), on this thread and on the built
// worker (dist/workers/bundle-check.js, `node scripts/build.mjs --quiet`): fed as multipart
// feeds it (each buffer read into again once see() resolves), it learns the digest of exactly
// the bytes it saw and the strict read of the bundle they make.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { watchHere, watchOnWorker, type SentBytesWatch } from '../../../src/main/core/cloud/sent-bytes';
import { makeCloudPki } from '../../support/fake-cloud';
import { tempDir } from '../credentials/pki-fixtures';
import { signedServiceBundle } from './bundles';

const BUILT_WORKER = path.resolve(__dirname, '../../../dist/workers/bundle-check.js');
const identity = { ino: 1, size: 0, mtimeMs: 0 };

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

/** Feeds `bytes` as a send would: each chunk copied into the next buffer, which is scribbled over once see() lets it go. */
async function feed(w: SentBytesWatch, bytes: Buffer, chunk: number, stopAt?: number): Promise<string | undefined> {
  let slot = 0;
  for (let at = 0; at < bytes.length; at += chunk) {
    if (stopAt !== undefined && at >= stopAt) {
      w.stop();
      return undefined;
    }
    const piece = bytes.subarray(at, Math.min(at + chunk, bytes.length));
    piece.copy(w.buffers[slot]);
    await w.see(slot, piece.length);
    w.buffers[slot].fill(0xa5); // what a reused buffer holds next: never what was seen
    slot = (slot + 1) % w.buffers.length;
  }
  return w.end(identity);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.each([
  ['on this thread', (mode: 'sha256' | 'members') => watchHere(mode, 'service.tar.gz')],
  ['on the built worker', (mode: 'sha256' | 'members') => watchOnWorker(mode, 'service.tar.gz', BUILT_WORKER)],
])('the sent bytes watched %s', (_where, watch) => {
  it('members: the digest of the bytes seen and the strict read of the bundle they make', async () => {
    const w = watch('members');
    const digest = await feed(w, bundle, 1 << 20);
    expect(digest).toBe(sha256(bundle));
    const v = await w.verdict;
    expect(v.file).toEqual(identity);
    expect(v.members?.problems).toEqual([]);
    expect(v.members?.members.map((m) => m.name)).toEqual(expect.arrayContaining(['config.yaml', 'service.tar.gz', 'package.sign']));
    expect(v.members?.configBytes?.toString('utf8')).toMatch(/publish:/);
  });

  it('members: bytes that are not the whole bundle make a verdict with its problem, never a pass', async () => {
    const w = watch('members');
    const cut = bundle.subarray(0, bundle.length - 700);
    expect(await feed(w, cut, 64 << 10)).toBe(sha256(cut));
    expect((await w.verdict).members?.problems.join(' ')).toMatch(/truncated/);
  });

  it('sha256: the digest only, of chunks of any size', async () => {
    const w = watch('sha256');
    expect(await feed(w, bundle, 300_001)).toBe(sha256(bundle));
    expect((await w.verdict).members).toBeUndefined();
  });

  it('a send stopped mid-way gives no verdict: it rejects as stopped', async () => {
    const w = watch('members');
    await feed(w, bundle, 1 << 20, 2 << 20);
    await expect(w.verdict).rejects.toMatchObject({ name: 'AbortError' });
  });
});
