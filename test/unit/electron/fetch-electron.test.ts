// scripts/fetch-electron.mjs, run as `npm install` runs it (a child process), against a
// copy of the electron package in a temp project and a mirror on 127.0.0.1: a closed
// port (offline), a server that answers 404, one that stalls, one that serves a broken
// zip, and one that serves a small stand-in runtime. Nothing is fetched from outside;
// @electron/get's cache is a temp folder, so the stand-in never reaches the real cache.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM script without type declarations
import * as fetchScript from '../../../scripts/fetch-electron.mjs';
// @ts-expect-error: plain ESM script without type declarations
import * as start from '../../../scripts/start.mjs';

const { OFFLINE_NOTICE, INSTALLED_NOTICE, CI_NOTICE, downloadEndpoint, skipReason } = fetchScript as {
  OFFLINE_NOTICE: string;
  INSTALLED_NOTICE: string;
  CI_NOTICE: string;
  downloadEndpoint(env: Record<string, string>): { host: string; port: number } | null;
  skipReason(env: Record<string, string>): string | null;
};
const { findElectron } = start as { findElectron(root: string, env: Record<string, string | undefined>): string | null };

const repo = path.resolve(__dirname, '../../..');
const realElectron = path.join(repo, 'node_modules/electron');
const version = (JSON.parse(readFileSync(path.join(realElectron, 'package.json'), 'utf8')) as { version: string }).version;
// What install.js writes to path.txt for this platform.
const binary = { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' }[process.platform as string] ?? 'electron';

let root: string;
let electronDir: string;
let servers: http.Server[];

beforeEach(() => {
  // A project with the scripts and the electron package as npm lays them out; electron's
  // own dependencies (@electron/get, the zip extractor) are links to the real ones.
  root = mkdtempSync(path.join(tmpdir(), 'bs-fetch-electron-'));
  writeFileSync(path.join(root, 'package.json'), '{"name":"fake-project","private":true}');
  mkdirSync(path.join(root, 'scripts'));
  for (const script of ['fetch-electron.mjs', 'start.mjs']) cpSync(path.join(repo, 'scripts', script), path.join(root, 'scripts', script));
  electronDir = path.join(root, 'node_modules/electron');
  mkdirSync(electronDir, { recursive: true });
  for (const file of ['package.json', 'install.js', 'checksums.json']) cpSync(path.join(realElectron, file), path.join(electronDir, file));
  for (const scope of ['@electron', '@electron-internal']) {
    symlinkSync(path.join(repo, 'node_modules', scope), path.join(root, 'node_modules', scope), 'junction');
  }
  servers = [];
});
afterEach(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  rmSync(root, { recursive: true, force: true });
});

/** A mirror on 127.0.0.1 that records the paths asked for. */
async function mirror(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, requests };
}

/** A port nothing listens on: bound, then closed. */
async function closedPort() {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs the script as npm's postinstall would; resolves its exit code and output lines. */
function runScript(env: Record<string, string>) {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(CI|ELECTRON_.*|npm_config_electron_.*|NPM_CONFIG_ELECTRON_.*|npm_package_config_.*)$/i.test(key)),
  );
  const child = spawn(process.execPath, [path.join(root, 'scripts/fetch-electron.mjs')], {
    cwd: root,
    env: { ...base, electron_config_cache: path.join(root, 'electron-cache'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise<{ code: number | null; lines: string[] }>((resolve) => {
    child.on('close', (code) => resolve({ code, lines: output.split('\n').filter((l) => l !== '') }));
  });
}

/** A zip of stored (uncompressed) entries; `badCrc` names entries whose CRC is wrong. */
function zip(entries: Array<{ name: string; data: string; mode?: number }>, badCrc: string[] = []) {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data, mode = 0o644 } of entries) {
    const body = Buffer.from(data);
    const fileName = Buffer.from(name);
    const crc = badCrc.includes(name) ? (crc32(body) ^ 0xffff) >>> 0 : crc32(body);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(body.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made on Unix: the mode is in the external attributes
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(body.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(((0o100000 | mode) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, body);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Serves `archive` as the Electron zip and its SHA-256 as the remote SHASUMS256.txt. */
function serveRuntime(archive: Buffer) {
  const sha = createHash('sha256').update(archive).digest('hex');
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.url?.endsWith('/SHASUMS256.txt')) res.end(`${sha} *electron-v${version}-${process.platform}-${process.arch}.zip\n`);
    else if (req.url?.endsWith('.zip')) res.end(archive);
    else res.writeHead(404).end();
  };
}

const noRuntimeLeft = () => {
  expect(existsSync(path.join(electronDir, 'path.txt')), 'path.txt').toBe(false);
  expect(existsSync(path.join(electronDir, 'dist')), 'dist/').toBe(false);
  expect(findElectron(root, {})).toBeNull();
};

describe('scripts/fetch-electron.mjs (postinstall)', () => {
  it('offline (the mirror does not answer): exits 0 with the one-line notice and leaves no runtime', async () => {
    const result = await runScript({ ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/` });
    expect(result).toEqual({ code: 0, lines: [OFFLINE_NOTICE] });
    noRuntimeLeft();
  });

  it('removes a runtime half extracted by an earlier, interrupted install', async () => {
    mkdirSync(path.join(electronDir, 'dist'));
    writeFileSync(path.join(electronDir, 'dist/version'), version);
    writeFileSync(path.join(electronDir, 'dist', path.basename(binary)), 'truncat');
    const result = await runScript({ ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/` });
    expect(result).toEqual({ code: 0, lines: [OFFLINE_NOTICE] });
    noRuntimeLeft();
  });

  it('the mirror answers 404: electron install.js ran and failed; still exit 0, one line, no runtime', async () => {
    const server = await mirror((_req, res) => res.writeHead(404).end());
    const result = await runScript({ ELECTRON_MIRROR: server.url });
    expect(result).toEqual({ code: 0, lines: [OFFLINE_NOTICE] });
    expect(server.requests).toEqual([`/v${version}/electron-v${version}-${process.platform}-${process.arch}.zip`]);
    noRuntimeLeft();
  });

  it('a download that stalls is cut off at the time bound: exit 0, one line, no runtime', async () => {
    const server = await mirror((_req, res) => {
      res.writeHead(200, { 'content-length': '100000000' });
      res.write('PK');
    });
    const result = await runScript({ ELECTRON_MIRROR: server.url, BUNDLE_STUDIO_ELECTRON_TIMEOUT_MS: '1500' });
    expect(result).toEqual({ code: 0, lines: [OFFLINE_NOTICE] });
    expect(server.requests).toHaveLength(1);
    noRuntimeLeft();
  });

  it('a zip that breaks while extracting leaves nothing half installed', async () => {
    const archive = zip(
      [
        { name: 'version', data: version },
        { name: binary, data: '#!/bin/sh\n', mode: 0o755 },
      ],
      [binary],
    );
    const server = await mirror(serveRuntime(archive));
    const result = await runScript({ ELECTRON_MIRROR: server.url, electron_use_remote_checksums: '1' });
    expect(result).toEqual({ code: 0, lines: [OFFLINE_NOTICE] });
    expect(server.requests.some((r) => r.endsWith('.zip'))).toBe(true);
    noRuntimeLeft();
  });

  it('online: installs the runtime that npm start then opens, and a second install fetches nothing', async () => {
    const archive = zip([
      { name: 'version', data: version },
      { name: binary, data: '#!/bin/sh\n', mode: 0o755 },
    ]);
    const server = await mirror(serveRuntime(archive));
    const env = { ELECTRON_MIRROR: server.url, electron_use_remote_checksums: '1' };
    expect(await runScript(env)).toEqual({ code: 0, lines: [INSTALLED_NOTICE] });
    expect(readFileSync(path.join(electronDir, 'path.txt'), 'utf8')).toBe(binary);
    expect(findElectron(root, {})).toBe(path.join(electronDir, 'dist', binary));
    const asked = server.requests.length;
    expect(await runScript(env)).toEqual({ code: 0, lines: [] });
    expect(server.requests).toHaveLength(asked);
  });

  it('ELECTRON_SKIP_BINARY_DOWNLOAD=1 does nothing: no output, no request, no files', async () => {
    const server = await mirror((_req, res) => res.writeHead(404).end());
    const result = await runScript({ ELECTRON_MIRROR: server.url, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(result).toEqual({ code: 0, lines: [] });
    expect(server.requests).toEqual([]);
    noRuntimeLeft();
  });

  it('CI=true (as .ci/run and GitHub runners set it) says so in one line and asks no server', async () => {
    const server = await mirror((_req, res) => res.writeHead(404).end());
    const result = await runScript({ ELECTRON_MIRROR: server.url, CI: 'true' });
    expect(result).toEqual({ code: 0, lines: [CI_NOTICE] });
    expect(server.requests).toEqual([]);
    noRuntimeLeft();
  });

  it('reads skips and the download host the way electron and @electron/get do', () => {
    expect(skipReason({})).toBeNull();
    expect(skipReason({ CI: 'false' })).toBeNull();
    expect(skipReason({ ELECTRON_SKIP_BINARY_DOWNLOAD: '0' })).toBeNull();
    expect(skipReason({ npm_config_electron_skip_binary_download: 'true' })).toBe('skip');
    expect(skipReason({ ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' })).toBe('override');
    expect(downloadEndpoint({})).toEqual({ host: 'github.com', port: 443 });
    expect(downloadEndpoint({ npm_config_electron_mirror: 'https://mirror.example:8443/e/', ELECTRON_MIRROR: 'http://x/' })).toEqual({
      host: 'mirror.example',
      port: 8443,
    });
    expect(downloadEndpoint({ ELECTRON_GET_USE_PROXY: '1', HTTPS_PROXY: 'http://proxy.example:3128' })).toEqual({ host: 'proxy.example', port: 3128 });
    expect(downloadEndpoint({ ELECTRON_MIRROR: 'file:///srv/electron/' })).toBeNull();
  });
});
