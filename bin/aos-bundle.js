#!/usr/bin/env node
// The published entry point: the CLI is built into dist/ by `npm install` (prepare).
try {
  require.resolve('../dist/cli/index.js');
} catch {
  console.error('aos-bundle: the CLI is not built yet; run `npm install` (or `npm run build`) in the project folder.');
  process.exit(2);
}
// Compiled code of the CLI's modules kept between runs (see src/main/cli/code-cache.ts).
const { installCodeCache, packageRoot } = require('../dist/cli/code-cache.js');
installCodeCache(packageRoot());
require('../dist/cli/index.js').main();
