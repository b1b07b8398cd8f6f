#!/usr/bin/env node
// The published entry point: the CLI is built into dist/ by `npm install` (prepare).
try {
  require.resolve('../dist/cli/index.js');
} catch {
  console.error('aos-bundle: the CLI is not built yet; run `npm install` (or `npm run build`) in the project folder.');
  process.exit(2);
}
require('../dist/cli/index.js').main();
