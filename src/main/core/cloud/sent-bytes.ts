// A ChunkWatcher (multipart.ts) that learns what SentBytesReader learns of the bytes a send
// reads: on a worker thread, which sees the send's own buffers (shared memory, no copy on the
// sending thread), so the thread that sends only reads and sends. Where the worker is not built
// (the tests run the sources), the same reader runs on this thread. A built worker that cannot
// start fails the watch (its see() and verdict reject): the bytes it missed are sent already,
// so no reader here could take over, and the send is cut.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ChunkWatcher, FileIdentity } from './multipart';
import { SentBytesReader, type SentBytesMode, type SentBytesVerdict } from './sent-bytes-reader';

export type { SentBytesMode, SentBytesVerdict };

/** A watcher whose verdict comes once its end() has: the digest, and the members read in `members` mode. */
export interface SentBytesWatch extends ChunkWatcher {
  /** With the identity end() was given: the file the bytes were read from. */
  readonly verdict: Promise<SentBytesVerdict & { file: FileIdentity }>;
}

/** Bytes of each buffer: the send's read size. */
export const SENT_CHUNK = 1 << 20;
/** Buffers in turn: one being read into, one with the connection, one with the watcher. */
const BUFFERS = 3;

/** The built worker (src/main/workers/bundle-check.ts), beside the built CLI and app. */
const CHECK_WORKER = path.join(__dirname, '..', 'workers', 'bundle-check.js');

export function watchSentBytes(mode: SentBytesMode, file: string): SentBytesWatch {
  return existsSync(CHECK_WORKER) ? watchOnWorker(mode, file) : watchHere(mode, file);
}

const stopped = () => Object.assign(new Error('The send stopped before the end of the bundle.'), { name: 'AbortError' });

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
      verdict.reject(stopped());
    },
  };
}

/** The reader on the worker built at `workerFile` (the tests give the built one). */
export function watchOnWorker(mode: SentBytesMode, file: string, workerFile = CHECK_WORKER): SentBytesWatch {
  const shared = Array.from({ length: BUFFERS }, () => new SharedArrayBuffer(SENT_CHUNK));
  const buffers = shared.map((s) => Buffer.from(s));
  const verdict = settled<SentBytesVerdict & { file: FileIdentity }>();
  let identity: FileIdentity | undefined;
  const seen = new Map<number, () => void>();
  let failed: Error | undefined;
  // Small heaps: the worker holds a few 1 MiB chunks at a time and nothing else of size.
  const worker = new Worker(workerFile, { workerData: { mode, file, shared }, resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 64 } });
  const fail = (e: Error) => {
    failed ??= e;
    verdict.reject(failed);
    for (const wake of seen.values()) wake();
    seen.clear();
    worker.removeAllListeners();
    void worker.terminate();
  };
  worker.on('message', (m: { seen?: number; verdict?: SentBytesVerdict; error?: { message: string } }) => {
    if (m.seen !== undefined) {
      const wake = seen.get(m.seen);
      seen.delete(m.seen);
      wake?.();
    } else if (m.verdict) {
      const members = m.verdict.members;
      // Structured cloning turns a Buffer into a plain Uint8Array.
      const configBytes = members?.configBytes && Buffer.from(members.configBytes.buffer, members.configBytes.byteOffset, members.configBytes.byteLength);
      verdict.resolve({ ...m.verdict, ...(members ? { members: { ...members, configBytes } } : {}), file: identity! });
      worker.removeAllListeners();
      void worker.terminate();
    } else if (m.error) {
      fail(Object.assign(new Error(m.error.message), m.error));
    }
  });
  worker.once('error', (e) => fail(new Error(`The bundle check could not run: ${e.message}`)));
  worker.once('exit', () => fail(new Error('The bundle check stopped before its end.')));
  return {
    buffers,
    verdict: verdict.promise,
    see(slot, length) {
      if (failed) return Promise.reject(failed);
      return new Promise<void>((resolve, reject) => {
        seen.set(slot, () => (failed ? reject(failed) : resolve()));
        worker.postMessage({ see: slot, length });
      });
    },
    async end(file) {
      identity = file;
      if (!failed) worker.postMessage({ end: true });
      return (await verdict.promise).sha256;
    },
    stop() {
      fail(stopped());
    },
  };
}
