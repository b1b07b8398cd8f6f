// The watcher of a send's bytes (core/cloud/sent-bytes.ts) where its members read leaves the
// stored-block path: an outer gzip that is compressed (zlib inflates the send's reused shared
// buffers: its input must be copies), one whose compressed blocks come after stored ones (the
// window from reused chunks), each fed in 1 MiB buffers scribbled over once seen; and a worker
// that cannot start (this thread takes over) or dies midway (the watch fails, nothing hangs).
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { watchHere, watchOnWorker } from '../../../src/main/core/cloud/sent-bytes';
import { makeCloudPki } from '../../support/fake-cloud';
import { tempDir } from '../credentials/pki-fixtures';
import { storedThenCompressed } from '../../support/gzip-streams';
import { feedAsSent } from '../../support/sent-bytes';
import { signedServiceBundle } from './bundles';

const BUILT_WORKER = path.resolve(__dirname, '../../../dist/workers/bundle-check.js');

let dir: string;
let tar: Buffer;

beforeAll(async () => {
  expect(existsSync(BUILT_WORKER)).toBe(true);
  dir = await tempDir('bs-sent-bytes-attack-');
  const signed = await fs.readFile(await signedServiceBundle(path.join(dir, 'svc'), makeCloudPki(), { 'usr/bin/app': randomBytes(3 << 20), 'usr/share/text': Buffer.from('abc'.repeat(400_000)) }));
  tar = zlib.gunzipSync(signed);
}, 120_000);
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.each([
  ['on this thread', (mode: 'sha256' | 'members') => watchHere(mode, 'service.tar.gz')],
  ['on the built worker', (mode: 'sha256' | 'members') => watchOnWorker(mode, 'service.tar.gz', BUILT_WORKER)],
])('the sent bytes of a bundle whose outer gzip is compressed, watched %s', (_where, watch) => {
  it.each([1, 6, 9])('level %i from the first block: the strict read passes on zlib\'s bytes', async (level) => {
    const gz = zlib.gzipSync(tar, { level });
    const w = watch('members');
    expect(await feedAsSent(w, gz, 1 << 20)).toBe(sha256(gz));
    const v = await w.verdict;
    expect(v.members?.problems).toEqual([]);
    expect(v.members?.configBytes?.toString('utf8')).toMatch(/publish:/);
  });

  it.each([(1 << 20) - 3, 1 << 20, (1 << 20) + 4000, 2_500_000])('stored up to %i bytes, compressed after: passes', async (storedBytes) => {
    const gz = await storedThenCompressed(tar.subarray(0, storedBytes), tar.subarray(storedBytes));
    const w = watch('members');
    expect(await feedAsSent(w, gz, 1 << 20)).toBe(sha256(gz));
    expect((await w.verdict).members?.problems).toEqual([]);
  });

  it('compressed, one byte of its deflate data changed: a problem, never a pass', async () => {
    const gz = Buffer.from(zlib.gzipSync(tar, { level: 6 }));
    gz[gz.length >> 1] ^= 0x40;
    const w = watch('members');
    await feedAsSent(w, gz, 1 << 20);
    expect((await w.verdict).members?.problems.length).toBeGreaterThan(0);
  });
});

describe('a check worker that cannot start', () => {
  it('the reader on this thread takes over from the first byte (every chunk given is still in its buffer): the same digest and verdict', async () => {
    const broken = path.join(dir, 'broken-worker.js');
    await fs.writeFile(broken, 'throw new Error("no such worker");\n');
    const gz = zlib.gzipSync(tar, { level: 0 });
    const w = watchOnWorker('members', 'service.tar.gz', broken);
    expect(await feedAsSent(w, gz, 1 << 20)).toBe(sha256(gz));
    const v = await w.verdict;
    expect(v.members?.problems).toEqual([]);
    expect(v.members?.configBytes?.toString('utf8')).toMatch(/publish:/);
  });

  it('one that dies after giving a buffer back fails the watch (that chunk is gone): see() and the verdict reject, nothing hangs', async () => {
    const dying = path.join(dir, 'dying-worker.js');
    await fs.writeFile(dying, 'const { parentPort } = require("node:worker_threads");\nparentPort.on("message", (m) => { if (m.see !== undefined) { parentPort.postMessage({ seen: m.see }); setTimeout(() => process.exit(3), 20); } });\n');
    const w = watchOnWorker('members', 'service.tar.gz', dying);
    w.buffers[0].fill(1, 0, 100);
    await w.see(0, 100);
    await expect(w.verdict).rejects.toThrow(/stopped before its end/);
    await expect(w.see(1, 100)).rejects.toThrow(/stopped before its end/);
  });
});
