#!/usr/bin/env node
// Runs from `postinstall`: fetches Electron's runtime so that `npm install && npm start`
// opens the desktop window. package.json's allowScripts denies electron's own install
// script, because a failed download there fails the whole `npm install`; this runs the
// same script (node_modules/electron/install.js) under rules that never fail the install:
//   - nothing happens when ELECTRON_SKIP_BINARY_DOWNLOAD is set, when CI is set (CI
//     machines build installers with electron-builder, which fetches Electron itself), or
//     when ELECTRON_OVERRIDE_DIST_PATH names a runtime of the user's own;
//   - a quick TCP check of the download host comes first, so an offline machine answers
//     in milliseconds (a few seconds at worst) instead of waiting on fetch;
//   - the download is bounded in time, and every failure, a timeout included, prints one
//     line, removes whatever was half extracted and exits 0. `npm start` then falls back
//     to browser mode, as it does whenever the runtime is missing.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const OFFLINE_NOTICE =
  "Electron's runtime could not be downloaded (offline?): `npm start` will use browser mode; run `node node_modules/electron/install.js` when online.";
export const INSTALLED_NOTICE = "Electron's runtime downloaded: `npm start` opens the desktop window.";
export const CI_NOTICE = "CI is set: Electron's runtime is not downloaded (`npm start` will use browser mode).";

/** Where @electron/get downloads from when no mirror is configured. */
const DEFAULT_MIRROR = 'https://github.com/electron/electron/releases/download/';
const REACH_TIMEOUT_MS = 5_000;
const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

/** An environment flag counts as set unless it is empty, "0" or "false" (CI=false is common). */
const flag = (value) => value !== undefined && !['', '0', 'false'].includes(String(value).trim().toLowerCase());

/** Why nothing is to be fetched, or null. */
export function skipReason(env = process.env) {
  if (flag(env.ELECTRON_SKIP_BINARY_DOWNLOAD) || flag(env.npm_config_electron_skip_binary_download)) return 'skip';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) return 'override';
  if (flag(env.CI)) return 'ci';
  return null;
}

/**
 * The mirror @electron/get will use, looked up in the order it looks (.npmrc through
 * npm_config_*, package.json config, then the environment).
 */
export function mirrorUrl(env = process.env) {
  return (
    env.npm_config_electron_mirror ||
    env.NPM_CONFIG_ELECTRON_MIRROR ||
    env.npm_package_config_electron_mirror ||
    env.ELECTRON_MIRROR ||
    DEFAULT_MIRROR
  );
}

/**
 * The host and port the download's first connection goes to: the mirror, or the proxy
 * when @electron/get is told to use one (ELECTRON_GET_USE_PROXY with HTTP(S)_PROXY).
 * Null when there is nothing to check (a mirror that is not an http(s) URL).
 */
export function downloadEndpoint(env = process.env) {
  let url;
  try {
    url = new URL(mirrorUrl(env));
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (env.ELECTRON_GET_USE_PROXY) {
    const proxy = url.protocol === 'https:' ? env.HTTPS_PROXY || env.https_proxy : env.HTTP_PROXY || env.http_proxy;
    if (proxy) {
      try {
        url = new URL(proxy);
      } catch {
        /* an unparsable proxy: check the mirror itself */
      }
    }
  }
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port };
}

/** Resolves true when a TCP connection to host:port opens within timeoutMs. */
export function reachable({ host, port }, timeoutMs = REACH_TIMEOUT_MS) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The electron package folder, or null when electron is not installed. */
function electronPackageDir(root) {
  try {
    return path.dirname(createRequire(path.join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** Electron's own test (install.js isInstalled): the right version, path.txt, and the binary. */
export function runtimeInstalled(packageDir) {
  try {
    const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
    if (readFileSync(path.join(packageDir, 'dist', 'version'), 'utf8').trim().replace(/^v/, '') !== version) return false;
    const relative = readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim();
    return relative !== '' && existsSync(path.join(packageDir, 'dist', relative));
  } catch {
    return false;
  }
}

/** Runs install.js; resolves true when it exits 0 within timeoutMs. Its output is kept back. */
function runInstall(packageDir, env, timeoutMs) {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(process.execPath, [path.join(packageDir, 'install.js')], {
        cwd: packageDir,
        env: { ...env, ELECTRON_GET_NO_PROGRESS: '1' },
        stdio: 'ignore',
        windowsHide: true,
      });
    } catch {
      resolve(false);
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

/**
 * Fetches the runtime when it is missing. Never throws; returns what happened:
 * 'skipped', 'ci', 'present', 'installed' or 'failed'.
 */
export async function fetchElectron({
  root = projectRoot,
  env = process.env,
  reachTimeoutMs = REACH_TIMEOUT_MS,
  downloadTimeoutMs = Number(env.BUNDLE_STUDIO_ELECTRON_TIMEOUT_MS) || DOWNLOAD_TIMEOUT_MS,
  log = (line) => console.log(line),
} = {}) {
  const reason = skipReason(env);
  if (reason === 'ci') log(CI_NOTICE);
  if (reason) return reason === 'ci' ? 'ci' : 'skipped';
  const packageDir = electronPackageDir(root);
  // No electron package (a production install): nothing to run it with.
  if (!packageDir || !existsSync(path.join(packageDir, 'install.js'))) return 'skipped';
  if (runtimeInstalled(packageDir)) return 'present';
  let ok = false;
  try {
    const endpoint = downloadEndpoint(env);
    ok = (!endpoint || (await reachable(endpoint, reachTimeoutMs))) && (await runInstall(packageDir, env, downloadTimeoutMs));
    ok &&= runtimeInstalled(packageDir);
  } catch {
    ok = false;
  }
  if (ok) {
    log(INSTALLED_NOTICE);
    return 'installed';
  }
  // install.js extracts straight into dist/ and writes path.txt last; a failure or a kill
  // can leave part of the runtime there. It was not installed before, so nothing of value
  // goes: remove both, and start.mjs and the next install see a clean "not downloaded".
  for (const leftover of ['path.txt', 'dist']) {
    try {
      rmSync(path.join(packageDir, leftover), { recursive: true, force: true });
    } catch {
      /* best effort: without path.txt start.mjs finds no runtime anyway */
    }
  }
  log(OFFLINE_NOTICE);
  return 'failed';
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  fetchElectron()
    .catch(() => console.log(OFFLINE_NOTICE))
    .finally(() => process.exit(0));
}
