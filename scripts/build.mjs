// Builds everything `npm start`, `npm test` and the CLI need: the renderer with Vite,
// and the Node-side entry points (CLI, Electron main, preload) with esbuild.
// The preload is CommonJS because a sandboxed renderer can only load a CommonJS preload.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

const quiet = process.argv.includes('--quiet');
rmSync('dist', { recursive: true, force: true });

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  packages: 'external',
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  logLevel: quiet ? 'error' : 'info',
};

await Promise.all([
  esbuild({ ...node, entryPoints: { 'cli/index': 'src/main/cli/index.ts', 'cli/code-cache': 'src/main/cli/code-cache.ts' }, outdir: 'dist' }),
  // Upload's bundle check, on a worker thread of the CLI and of the app (core/cloud/signed-bundle.ts).
  esbuild({ ...node, entryPoints: { 'workers/bundle-check': 'src/main/workers/bundle-check.ts' }, outdir: 'dist' }),
  // In-process measurements for `npm run bench` (scripts/bench.mjs).
  esbuild({ ...node, entryPoints: { 'bench/in-process': 'src/main/bench/in-process.ts' }, outdir: 'dist' }),
  esbuild({ ...node, entryPoints: { 'main/electron': 'src/main/electron/main.ts' }, outdir: 'dist', external: ['electron'] }),
  esbuild({ ...node, entryPoints: { 'preload/index': 'src/preload/index.ts' }, outdir: 'dist', external: ['electron'], packages: undefined }),
]);
await viteBuild({ configFile: 'vite.config.mts', logLevel: quiet ? 'error' : 'info' });
