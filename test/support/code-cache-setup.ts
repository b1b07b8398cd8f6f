// One V8 code cache (src/main/cli/code-cache.ts) for every CLI process the tests start, in a
// temp folder of this run: the tests' own HOMEs stay as they made them (many list them), and
// the CLI starts warm after its first run. Removed when the run ends.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bs-code-cache-'));
  process.env.BUNDLE_STUDIO_CODE_CACHE = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
