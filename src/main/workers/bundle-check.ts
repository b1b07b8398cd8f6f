// Worker entry (built to dist/workers/bundle-check.js): the strict read of a signed bundle's
// members and its sha256 for upload (core/cloud/signed-bundle.ts readSignedBundle), off the
// thread that sends it. Answers the members, config.yaml, the problems found and the sha256,
// or the read's error as a value; it loads the archive readers only (the caller parses the
// config).
import { parentPort, workerData } from 'node:worker_threads';
import { readBundleMembers } from '../core/bundle/read';

void readBundleMembers(workerData.file as string).then(
  (contents) => parentPort!.postMessage({ contents }),
  (e: unknown) => parentPort!.postMessage({ error: { message: (e as Error).message, code: (e as NodeJS.ErrnoException).code, path: (e as NodeJS.ErrnoException).path, syscall: (e as NodeJS.ErrnoException).syscall } }),
);
