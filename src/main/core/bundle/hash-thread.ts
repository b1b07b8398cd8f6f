// Digests computed on a worker thread, so that hashing overlaps the work of the thread that
// produces the bytes (tar, gzip bookkeeping, writes) instead of adding to it: SHA3-512 runs at
// about 200 MB/s, as slow as the rest of signing together. Bytes are copied into 1 MiB
// buffers transferred to the worker and back once hashed, then reused (the caller's buffers
// are recycled as soon as it goes on; nothing waits for a garbage collector), and the copies
// in flight are capped: update() waits while the worker is MAX_QUEUED bytes behind, so memory
// stays flat whatever the size. Where no worker can be started, the same digests are computed
// in this thread.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** Size of the buffers handed to the worker. */
const BATCH = 1 << 20;
/** Bytes handed over and not yet hashed before update() waits. */
const MAX_QUEUED = 4 << 20;

// CommonJS, evaluated by the worker: one Hash per algorithm; 'end' answers the hex digests
// and starts new ones, so one worker serves stream after stream. 'file' digests a file's first
// \`size\` bytes, read by the worker itself (synchronous reads block only the worker).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
function hashFile(m) {
  const h = createHash(m.algorithm);
  const buf = Buffer.allocUnsafe(Math.min(m.size, 4 << 20) || 1);
  const fd = fs.openSync(m.path, 'r');
  try {
    for (let pos = 0; pos < m.size; ) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, m.size - pos), pos);
      if (n === 0) throw new Error('the file ended at ' + pos + ' of ' + m.size + ' bytes');
      h.update(buf.subarray(0, n));
      pos += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}
const fresh = () => workerData.map((a) => createHash(a));
let hashes = fresh();
parentPort.on('message', (m) => {
  if (m.type === 'data') {
    const b = new Uint8Array(m.buffer, 0, m.length);
    for (const h of hashes) h.update(b);
    parentPort.postMessage({ type: 'ack', length: m.length, buffer: m.buffer }, [m.buffer]);
  } else if (m.type === 'end') {
    parentPort.postMessage({ type: 'digest', hex: hashes.map((h) => h.digest('hex')) });
    hashes = fresh();
  } else if (m.type === 'file') {
    try {
      parentPort.postMessage({ type: 'digest', hex: [hashFile(m)] });
    } catch (e) {
      parentPort.postMessage({ type: 'digest', error: String((e && e.message) || e) });
    }
  }
});
`;

interface Pending {
  resolve: (hex: string[]) => void;
  reject: (e: Error) => void;
}

/**
 * Digests of one stream of bytes at a time, computed off this thread. `update` copies the
 * bytes (the caller may reuse its buffers at once) and returns a promise only when it must
 * wait for the worker; `digest` resolves the hex digests, one per algorithm, and resets.
 */
export class HashThread {
  private worker: Worker | undefined;
  /** This thread's hashes when no worker could be started. */
  private local: Hash[] | undefined;
  private staging: Uint8Array | undefined;
  /** Buffers back from the worker, for the next batches. */
  private readonly free: ArrayBuffer[] = [];
  private fill = 0;
  private queued = 0;
  private failure: Error | undefined;
  private waiting: (() => void) | undefined;
  private readonly digests: Pending[] = [];

  constructor(private readonly algorithms: readonly string[]) {
    try {
      // A small heap: the worker allocates next to nothing (the buffers it hashes come and go back).
      this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: [...algorithms], resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 } });
    } catch {
      this.local = algorithms.map((a) => createHash(a));
      return;
    }
    this.worker.on('message', (m: { type: 'ack'; length: number; buffer: ArrayBuffer } | { type: 'digest'; hex?: string[]; error?: string }) => {
      if (m.type === 'ack') {
        this.queued -= m.length;
        this.free.push(m.buffer);
        if (this.queued <= MAX_QUEUED) this.wake();
      } else {
        const d = this.digests.shift();
        if (m.error !== undefined) d?.reject(new Error(m.error));
        else d?.resolve(m.hex!);
      }
      this.refWhileBusy();
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => {
      if (code !== 0 || this.digests.length) this.fail(new Error(`the hash worker stopped (exit code ${code})`));
    });
    this.refWhileBusy();
  }

  /** Adds `data` to the stream's digests. Await the result when it is a promise (backpressure). */
  update(data: Uint8Array): void | Promise<void> {
    if (this.failure) throw this.failure;
    if (this.local) {
      for (const h of this.local) h.update(data);
      return;
    }
    let off = 0;
    while (off < data.length) {
      const staging = (this.staging ??= new Uint8Array(this.free.pop() ?? new ArrayBuffer(BATCH)));
      const n = Math.min(data.length - off, BATCH - this.fill);
      staging.set(data.subarray(off, off + n), this.fill);
      this.fill += n;
      off += n;
      if (this.fill === BATCH) this.flush();
    }
    if (this.queued > MAX_QUEUED) return this.room();
  }

  /** The hex digests of everything given since the last digest(), one per algorithm. */
  async digest(): Promise<string[]> {
    if (this.failure) throw this.failure;
    if (this.local) {
      const hex = this.local.map((h) => h.digest('hex'));
      this.local = this.algorithms.map((a) => createHash(a));
      return hex;
    }
    this.flush();
    return new Promise<string[]>((resolve, reject) => {
      this.digests.push({ resolve, reject });
      this.worker!.postMessage({ type: 'end' });
      this.refWhileBusy();
    });
  }

  /**
   * The `algorithm` digest (hex) of a file's first `size` bytes, read and hashed by the worker
   * (after the stream bytes already handed over): a read-back that keeps this thread free.
   */
  async hashFile(file: string, size: number, algorithm: string): Promise<string> {
    if (this.failure) throw this.failure;
    if (!this.worker) return hashFileHere(file, size, algorithm);
    return new Promise<string>((resolve, reject) => {
      this.digests.push({ resolve: (hex) => resolve(hex[0]), reject });
      this.worker!.postMessage({ type: 'file', path: file, size, algorithm });
      this.refWhileBusy();
    });
  }

  /** Stops the worker (pending digests fail). */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (!w) return;
    w.removeAllListeners('exit');
    this.fail(new Error('the hash worker was closed'));
    await w.terminate();
  }

  private flush(): void {
    if (!this.staging || this.fill === 0) return;
    const buffer = this.staging.buffer as ArrayBuffer;
    this.worker!.postMessage({ type: 'data', buffer, length: this.fill }, [buffer]);
    this.queued += this.fill;
    this.staging = undefined;
    this.fill = 0;
    this.refWhileBusy();
  }

  /**
   * The worker keeps the process alive while it has bytes to hash or a digest to give (the
   * awaited answer comes from it: nothing else may be keeping the event loop running), and
   * never while idle, so that a stream left undigested cannot hold the process open.
   */
  private refWhileBusy(): void {
    if (this.queued > 0 || this.digests.length > 0) this.worker?.ref();
    else this.worker?.unref();
  }

  private room(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting = () => (this.failure ? reject(this.failure) : resolve());
    });
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.wake();
    for (const d of this.digests.splice(0)) d.reject(this.failure);
  }
}

/** hashFile without a worker: the same reads in this thread. */
function hashFileHere(file: string, size: number, algorithm: string): string {
  const h = createHash(algorithm);
  const buf = Buffer.allocUnsafe(Math.min(size, 4 << 20) || 1);
  const fd = openSync(file, 'r');
  try {
    for (let pos = 0; pos < size; ) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, size - pos), pos);
      if (n === 0) throw new Error(`the file ended at ${pos} of ${size} bytes`);
      h.update(buf.subarray(0, n));
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}
