// The worker-thread digests signing, verify and layer pack use: the same digests as
// node:crypto in this thread, whatever the chunking, stream after stream; copies taken at
// once (callers recycle their buffers); update() holds the caller back when the worker lags.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { HashThread } from '../../../src/main/core/bundle/hash-thread';

const open: HashThread[] = [];
const thread = (algorithms: string[]) => {
  const t = new HashThread(algorithms);
  open.push(t);
  return t;
};
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

/** Deterministic bytes (a counter through a multiplier), `n` long. */
const bytes = (n: number, seed: number) => {
  const b = Buffer.allocUnsafe(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
};
const hex = (alg: string, ...parts: Buffer[]) => {
  const h = createHash(alg);
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

describe('HashThread', () => {
  it('gives node:crypto\'s digests for chunks of any size, and starts afresh after each digest', async () => {
    const t = thread(['sha3-512', 'sha256']);
    const a = bytes(3 * (1 << 20) + 12345, 1);
    // Odd cuts: within one staging buffer, across two, an empty chunk.
    for (const [from, to] of [[0, 7], [7, 7], [7, 1 << 20], [1 << 20, 2 * (1 << 20) + 1], [2 * (1 << 20) + 1, a.length]]) await t.update(a.subarray(from, to));
    expect(await t.digest()).toEqual([hex('sha3-512', a), hex('sha256', a)]);
    const b = bytes(1000, 2);
    await t.update(b);
    expect(await t.digest()).toEqual([hex('sha3-512', b), hex('sha256', b)]);
    expect(await t.digest()).toEqual([hex('sha3-512'), hex('sha256')]);
  });

  it('copies the bytes at once: the caller may overwrite its buffer right after update()', async () => {
    const t = thread(['sha3-512']);
    const buf = Buffer.alloc(5000, 1);
    const expected = createHash('sha3-512');
    for (let i = 0; i < 300; i++) {
      buf.fill(i & 0xff);
      expected.update(buf);
      await t.update(buf);
    }
    expect(await t.digest()).toEqual([expected.digest('hex')]);
  });

  it('makes the caller wait once more than 8 MiB are waiting for the worker, and only then', async () => {
    const t = thread(['sha256']);
    // Acknowledgements arrive through this thread's event loop: none can come in between.
    expect(t.update(Buffer.alloc(4 << 20))).toBeUndefined();
    const wait = t.update(Buffer.alloc(6 << 20));
    expect(wait).toBeInstanceOf(Promise);
    await wait;
    expect(await t.digest()).toEqual([hex('sha256', Buffer.alloc(10 << 20))]);
  });

  it('digests a file the worker reads itself, after the stream bytes given before, and fails on a short file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hash-file-'));
    try {
      const file = path.join(dir, 'f.bin');
      const data = bytes((9 << 20) + 123, 5);
      writeFileSync(file, data);
      const t = thread(['sha3-512']);
      t.update(data.subarray(0, 1000));
      const [stream, whole, head] = await Promise.all([t.digest(), t.hashFile(file, data.length, 'sha256'), t.hashFile(file, 4096, 'sha256')]);
      expect(stream).toEqual([hex('sha3-512', data.subarray(0, 1000))]);
      expect(whole).toBe(hex('sha256', data));
      expect(head).toBe(hex('sha256', data.subarray(0, 4096)));
      await expect(t.hashFile(file, data.length + 1, 'sha256')).rejects.toThrow(/ended at/);
      // The worker goes on after a failed file.
      t.update(data.subarray(0, 10));
      expect(await t.digest()).toEqual([hex('sha3-512', data.subarray(0, 10))]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bytes after close()', async () => {
    const t = thread(['sha256']);
    await t.close();
    expect(() => t.update(Buffer.from('x'))).toThrow(/closed/);
  });

  it('keeps a process whose only work is the digest alive until the digest comes, then lets it exit', () => {
    // In a process of its own: a test runner keeps its event loop busy anyway.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hash-thread-'));
    try {
      const script = path.join(dir, 'run.js');
      buildSync({
        stdin: {
          contents: `import { HashThread } from './hash-thread';
            const t = new HashThread(['sha256']);
            t.update(Buffer.alloc(3 << 20, 7));
            // Never digested nor closed: must not keep the process running once idle.
            const idle = new HashThread(['sha256']);
            idle.update(Buffer.alloc(10));
            t.digest().then(([hex]) => console.log(hex));`,
          resolveDir: path.resolve('src/main/core/bundle'),
          loader: 'ts',
        },
        bundle: true,
        platform: 'node',
        outfile: script,
        logLevel: 'silent',
      });
      const out = execFileSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
      expect(out.trim()).toBe(hex('sha256', Buffer.alloc(3 << 20, 7)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
