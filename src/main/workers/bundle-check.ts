// Worker entry (built to dist/workers/bundle-check.js): the strict read of a signed bundle's
// members and its sha256 for upload (core/cloud/signed-bundle.ts readSignedBundle), off the
// thread that sends it. Answers the members, config.yaml, the problems found and the sha256,
// or the read's error as a value; it loads the archive readers only (the caller parses the
// config).
import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { readBundleContents } from '../core/bundle/read';

// The sha256 is of the very bytes read for the members: one read of the file.
const hash = createHash('sha256');
void readBundleContents(workerData.file as string, { listLimit: 0, skipInner: true, onFileBytes: (c) => hash.update(c) }).then(
  (c) => parentPort!.postMessage({ contents: { members: c.members, configBytes: c.configBytes, problems: c.problems, sha256: hash.digest('hex') } }),
  (e: unknown) => parentPort!.postMessage({ error: { message: (e as Error).message, code: (e as NodeJS.ErrnoException).code, path: (e as NodeJS.ErrnoException).path, syscall: (e as NodeJS.ErrnoException).syscall } }),
);
