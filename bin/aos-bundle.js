#!/usr/bin/env node
// The published entry point: the CLI is built into dist/ by `npm install` (prepare).
try {
  require.resolve('../dist/cli/index.js');
} catch {
  console.error('aos-bundle: the CLI is not built yet; run `npm install` (or `npm run build`) in the project folder.');
  process.exit(2);
}
// Compression (core/bundle/parallel-gzip.ts) keeps a block per core, and more, on libuv's
// thread pool; the reads of the archive walk and the writes share that pool, and with its
// default 4 threads they queue behind deflate jobs. More threads let them through at once.
process.env.UV_THREADPOOL_SIZE ||= '8';
// Compiled code of the CLI's modules kept between runs (see src/main/cli/code-cache.ts).
const { installCodeCache, packageRoot } = require('../dist/cli/code-cache.js');
installCodeCache(packageRoot());
require('../dist/cli/index.js').main();
