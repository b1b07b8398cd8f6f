// Worker entry (built to dist/workers/bundle-check.js): what upload learns of a signed bundle,
// off the thread that sends it (core/cloud/sent-bytes.ts). It sees the chunks read (by the
// send, or by a whole read of the file) in the reader's own buffers (shared memory):
// `{ see, length }` for each, answered `{ seen }` once the buffer may be read into again,
// then `{ end: true }`, answered with the verdict (SentBytesReader).
// Failures come back as a message, never as a crash of the worker.
import { parentPort, workerData } from 'node:worker_threads';
import { SentBytesReader, type SentBytesMode } from '../core/cloud/sent-bytes-reader';

const port = parentPort!;

const failure = (e: unknown) => ({ error: { message: (e as Error).message, code: (e as NodeJS.ErrnoException).code, path: (e as NodeJS.ErrnoException).path, syscall: (e as NodeJS.ErrnoException).syscall } });

const shared = workerData.shared as SharedArrayBuffer[];
const reader = new SentBytesReader(workerData.mode as SentBytesMode, workerData.file as string);
// Chunks are taken one after the other, in the order sent.
let line: Promise<void> = Promise.resolve();
port.on('message', (m: { see?: number; length?: number; end?: boolean }) => {
  if (m.see !== undefined) {
    const slot = m.see;
    const chunk = Buffer.from(shared[slot], 0, m.length);
    line = line.then(() => reader.take(chunk)).then(() => port.postMessage({ seen: slot }));
  } else if (m.end) {
    line = line.then(() => reader.finish()).then((verdict) => port.postMessage({ verdict }));
  }
  line = line.catch((e: unknown) => port.postMessage(failure(e)));
});
