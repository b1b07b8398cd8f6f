#!/usr/bin/env node
// `npm start`: builds when dist/ is missing or older than the sources, then starts the
// desktop app if the Electron runtime is installed, or browser mode (`aos-bundle ui`) if
// it is not. Extra arguments are forwarded: `npm start -- --port 5000`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What `npm start` needs from the build. */
export const BUILD_OUTPUTS = ['dist/main/electron.js', 'dist/preload/index.js', 'dist/renderer/index.html', 'dist/cli/index.js'];
/** What the build reads; newer than any output means stale. */
export const BUILD_INPUTS = ['src', 'scripts/build.mjs', 'vite.config.ts', 'vite.config.mts', 'postcss.config.cjs', 'tsconfig.json', 'package.json'];

function newestMtime(file) {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(file)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(file, entry)));
  }
  return newest;
}

/** 'missing', 'stale' or null (up to date). */
export function buildState(root = projectRoot) {
  const outputs = BUILD_OUTPUTS.map((f) => path.join(root, f));
  if (outputs.some((f) => !existsSync(f))) return 'missing';
  const oldestOutput = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  const newestInput = Math.max(...BUILD_INPUTS.map((f) => newestMtime(path.join(root, f))));
  return newestInput > oldestOutput ? 'stale' : null;
}

/**
 * The Electron executable, or null when the runtime is not installed. Mirrors what
 * require('electron') returns, without calling it: electron's index.js tries to download
 * the binary when it is missing, which cannot work offline.
 */
export function findElectron(root = projectRoot, env = process.env) {
  let packageDir;
  try {
    packageDir = path.dirname(createRequire(path.join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return null;
  }
  let relative = '';
  try {
    relative = readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim();
  } catch {
    /* not downloaded */
  }
  let candidate = null;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) candidate = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
  else if (relative) candidate = path.join(packageDir, 'dist', relative);
  return candidate && existsSync(candidate) ? candidate : null;
}

export const BROWSER_MODE_NOTICE =
  "Electron's runtime is not installed (`npm install` fetches it when online, or run `node node_modules/electron/install.js`); starting browser mode instead.";

/** The command `npm start` runs once the build is up to date. */
export function startCommand(args, { root = projectRoot, env = process.env, electron = findElectron(root, env) } = {}) {
  if (electron) {
    // Start the app folder (package.json "main" is dist/main/electron.js), so Electron
    // picks up the product name and its own user-data folder.
    const childEnv = { ...env };
    delete childEnv.ELECTRON_RUN_AS_NODE;
    return { mode: 'electron', command: electron, args: [root, ...args], env: childEnv };
  }
  return { mode: 'browser', command: process.execPath, args: [path.join(root, 'bin', 'aos-bundle.js'), 'ui', ...args], env };
}

function run(command, args, env) {
  const child = spawn(command, args, { cwd: projectRoot, stdio: 'inherit', env });
  const forward = (signal) => () => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward(signal));
  child.on('error', (err) => {
    console.error(`Could not start ${command}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function main(args) {
  const state = buildState();
  if (state) {
    console.log(state === 'missing' ? 'Building Bundle Studio…' : 'Sources changed since the last build; rebuilding…');
    const built = spawnSync(process.execPath, [path.join(projectRoot, 'scripts', 'build.mjs'), '--quiet'], {
      cwd: projectRoot,
      stdio: 'inherit',
    });
    if (built.status !== 0) {
      console.error('Build failed.');
      process.exit(built.status ?? 1);
    }
  }
  const start = startCommand(args);
  if (start.mode === 'browser') console.log(BROWSER_MODE_NOTICE);
  run(start.command, start.args, start.env);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2));
}
