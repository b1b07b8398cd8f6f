// A ChunkWatcher (multipart.ts) that learns what SentBytesReader learns of the bytes a send
// reads: on a worker thread, which sees the send's own buffers (shared memory, no copy on the
// sending thread), so the thread that sends only reads and sends. Where the worker is not built
// (the tests run the sources), the same reader runs on this thread; so it does when the built
// worker cannot start (watchOnWorker).
import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ChunkWatcher, FileIdentity } from './multipart';
import { SentBytesReader, sendStoppedError, type SentBytesMode, type SentBytesVerdict } from './sent-bytes-reader';

export type { SentBytesMode, SentBytesVerdict };
export { isSendStopped, sendStoppedError } from './sent-bytes-reader';

/** A watcher whose verdict comes once its end() has: the digest, and the members read in `members` mode. */
export interface SentBytesWatch extends ChunkWatcher {
  /** With the identity end() was given: the file the bytes were read from. */
  readonly verdict: Promise<SentBytesVerdict & { file: FileIdentity }>;
}

/** Bytes of each buffer: the send's read size. */
export const SENT_CHUNK = 2 << 20;
/** Buffers in turn: one being read into, one with the connection, one with the watcher. */
const BUFFERS = 3;

/** The built worker (src/main/workers/bundle-check.ts), beside the built CLI and app. */
const CHECK_WORKER = path.join(__dirname, '..', 'workers', 'bundle-check.js');

export function watchSentBytes(mode: SentBytesMode, file: string): SentBytesWatch {
  return existsSync(CHECK_WORKER) ? watchOnWorker(mode, file) : watchHere(mode, file);
}

function settled<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** The reader on this thread: each chunk is hashed (and copied) before its buffer is given back. */
export function watchHere(mode: SentBytesMode, file: string): SentBytesWatch {
  const reader = new SentBytesReader(mode, file);
  const verdict = settled<SentBytesVerdict & { file: FileIdentity }>();
  const buffers = Array.from({ length: BUFFERS }, () => Buffer.allocUnsafe(SENT_CHUNK));
  return {
    buffers,
    verdict: verdict.promise,
    see: (slot, length) => reader.take(buffers[slot].subarray(0, length)),
    async end(identity) {
      reader.finish().then((v) => verdict.resolve({ ...v, file: identity }), verdict.reject);
      return (await verdict.promise).sha256;
    },
    stop() {
      reader.stop();
      verdict.reject(sendStoppedError());
    },
  };
}

/**
 * The reader on the worker built at `workerFile` (the tests give the built one). Should the
 * worker fail to start or die before it has given back any buffer (a packaged app that cannot
 * load it), every chunk it was given is still in its buffer: the same reader takes over on
 * this thread from the first byte.
 */
export function watchOnWorker(mode: SentBytesMode, file: string, workerFile = CHECK_WORKER): SentBytesWatch {
  const shared = Array.from({ length: BUFFERS }, () => new SharedArrayBuffer(SENT_CHUNK));
  const buffers = shared.map((s) => Buffer.from(s));
  const verdict = settled<SentBytesVerdict & { file: FileIdentity }>();
  let identity: FileIdentity | undefined;
  /** Chunks given to the worker and not given back, in order, each with its waiter. */
  const pending: { slot: number; length: number; done: { resolve: () => void; reject: (e: Error) => void } }[] = [];
  let givenBack = 0;
  let ended = false;
  let failed: Error | undefined;
  /** The reader on this thread, once it has taken over. */
  let here: SentBytesReader | undefined;
  // Small heaps: the worker holds a few chunks' bookkeeping at a time and nothing else of size.
  const worker = new Worker(workerFile, { workerData: { mode, file, shared }, resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 64 } });
  const quit = () => {
    worker.removeAllListeners();
    void worker.terminate();
  };
  const fail = (e: Error) => {
    failed ??= e;
    verdict.reject(failed);
    for (const p of pending.splice(0)) p.done.reject(failed);
    quit();
  };
  /** The worker is gone: this thread reads what it was given (still in the buffers), and the rest. */
  const takeOver = async (why: Error) => {
    quit();
    if (failed) return;
    if (givenBack > 0) return fail(why); // chunks it gave back are gone from the buffers
    here = new SentBytesReader(mode, file);
    try {
      for (const p of pending.splice(0)) {
        await here.take(buffers[p.slot].subarray(0, p.length));
        p.done.resolve();
      }
      if (ended) here.finish().then((v) => verdict.resolve({ ...v, file: identity! }), verdict.reject);
    } catch (e) {
      fail(e as Error);
    }
  };
  worker.on('message', (m: { seen?: number; verdict?: SentBytesVerdict; error?: { message: string } }) => {
    if (m.seen !== undefined) {
      givenBack++;
      pending.shift()?.done.resolve();
    } else if (m.verdict) {
      const members = m.verdict.members;
      // Structured cloning turns a Buffer into a plain Uint8Array.
      const configBytes = members?.configBytes && Buffer.from(members.configBytes.buffer, members.configBytes.byteOffset, members.configBytes.byteLength);
      verdict.resolve({ ...m.verdict, ...(members ? { members: { ...members, configBytes } } : {}), file: identity! });
      quit();
    } else if (m.error) {
      fail(Object.assign(new Error(m.error.message), m.error));
    }
  });
  worker.once('error', (e) => void takeOver(new Error(`The bundle check could not run: ${e.message}`)));
  worker.once('exit', () => void takeOver(new Error('The bundle check stopped before its end.')));
  return {
    buffers,
    verdict: verdict.promise,
    see(slot, length) {
      if (failed) return Promise.reject(failed);
      if (here) return here.take(buffers[slot].subarray(0, length));
      return new Promise<void>((resolve, reject) => {
        pending.push({ slot, length, done: { resolve, reject } });
        worker.postMessage({ see: slot, length });
      });
    },
    async end(file) {
      identity = file;
      ended = true;
      if (here) here.finish().then((v) => verdict.resolve({ ...v, file }), verdict.reject);
      else if (!failed) worker.postMessage({ end: true });
      return (await verdict.promise).sha256;
    },
    stop() {
      here?.stop();
      fail(sendStoppedError());
    },
  };
}

/**
 * What a watch of `mode` learns of a file read whole (a bundle checked before it is sent):
 * the same readers as for a send's bytes, fed from one read of the file, the next chunk read
 * while the last is seen. The identity is the open file's at the end of the read.
 */
export async function watchFile(mode: SentBytesMode, file: string, signal?: AbortSignal): Promise<SentBytesVerdict & { file: FileIdentity }> {
  const watch = watchSentBytes(mode, file);
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    watch.stop();
    throw e;
  }
  const seen: (Promise<void> | undefined)[] = watch.buffers.map(() => undefined);
  let ended = false;
  let next: Promise<{ bytesRead: number }> | undefined;
  try {
    let at = 0;
    let slot = 0;
    next = fh.read(watch.buffers[0], 0, watch.buffers[0].length, 0);
    for (;;) {
      const { bytesRead } = await next;
      next = undefined;
      if (bytesRead === 0) break;
      if (signal?.aborted) throw sendStoppedError();
      seen[slot] = watch.see(slot, bytesRead);
      seen[slot]!.catch(() => undefined);
      at += bytesRead;
      slot = (slot + 1) % watch.buffers.length;
      await seen[slot];
      next = fh.read(watch.buffers[slot], 0, watch.buffers[slot].length, at);
    }
    await Promise.all(seen);
    const st = await fh.stat();
    ended = true;
    await watch.end({ ino: st.ino, size: st.size, mtimeMs: st.mtimeMs });
    return await watch.verdict;
  } finally {
    if (!ended) watch.stop();
    await next?.catch(() => undefined);
    await Promise.all(seen.map((p) => p?.catch(() => undefined)));
    await fh.close();
  }
}
