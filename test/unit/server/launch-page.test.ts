// aos-bundle ui opens the browser without the token (or any code) on a command line: the
// opener gets the path of a 0600 page in a 0700 temp folder, which holds a one-time code
// and is removed once that code is spent (issue 7 §3).
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { createApiHandlers } from '../../../src/main/api/handlers';
import { openBrowserWithCode, openerFor, writeLaunchPage, type SpawnLike } from '../../../src/main/server/launch-page';
import { startUiServer, type UiServer } from '../../../src/main/server/ui-server';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest();
let server: UiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(codeTtlMs?: number): Promise<UiServer> {
  const renderer = join(tmp.path, 'renderer');
  await mkdir(renderer, { recursive: true });
  await writeFile(join(renderer, 'index.html'), '<!doctype html>');
  server = await startUiServer({
    rendererDir: renderer,
    codeTtlMs,
    createHandlers: () => createApiHandlers({ mode: 'browser', settingsDir: join(tmp.path, 'settings'), homeDir: tmp.path, cwd: tmp.path }),
  });
  return server;
}

function redeem(port: number, code: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/session', headers: { 'Content-Type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ code }));
  });
}

function fakeSpawn() {
  const calls: Array<{ command: string; args: string[] }> = [];
  const spawn: SpawnLike = (command, args) => {
    calls.push({ command, args });
    return { on: () => undefined, unref: () => undefined };
  };
  return { calls, spawn };
}

describe('opening the browser with a one-time code', () => {
  it.each(['linux', 'darwin', 'win32'] as const)('puts neither the token nor the code on the opener command line (%s)', async (platform) => {
    const ui = await start();
    const { calls, spawn } = fakeSpawn();
    const page = await openBrowserWithCode(ui, { spawn, platform, tmpDir: tmp.path });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual({ command: openerFor(page.file, platform)[0], args: openerFor(page.file, platform)[1] });
    const commandLine = [calls[0].command, ...calls[0].args].join(' ');
    expect(commandLine).not.toContain(ui.token);
    expect(commandLine).not.toMatch(/code=|token=|127\.0\.0\.1/);
    expect(commandLine).toContain(page.file);
  });

  it('writes the page 0600 in a private 0700 folder, with a code but not the token, and removes it once the code is redeemed', async () => {
    const ui = await start();
    const { spawn } = fakeSpawn();
    const page = await openBrowserWithCode(ui, { spawn, platform: 'linux', tmpDir: tmp.path });
    expect((await stat(page.file)).mode & 0o777).toBe(0o600);
    expect((await stat(dirname(page.file))).mode & 0o777).toBe(0o700);
    const html = await readFile(page.file, 'utf8');
    expect(html).not.toContain(ui.token);
    const code = /#code=([\w-]+)/.exec(html)?.[1];
    expect(code).toBeTruthy();
    expect(html).toContain(`http-equiv="refresh" content="0;url=http://127.0.0.1:${ui.port}/#code=${code}"`);
    expect(await redeem(ui.port, code!)).toBe(200);
    await vi.waitFor(() => expect(existsSync(dirname(page.file))).toBe(false));
    expect(await redeem(ui.port, code!)).toBe(401);
  });

  it('removes the page when the code expires unused, or when the server stops', async () => {
    const ui = await start(50);
    const { spawn } = fakeSpawn();
    const expiring = await openBrowserWithCode(ui, { spawn, tmpDir: tmp.path });
    await vi.waitFor(() => expect(existsSync(expiring.file)).toBe(false));
    const ui2 = await start(60_000);
    const stopping = await openBrowserWithCode(ui2, { spawn, tmpDir: tmp.path });
    expect(existsSync(stopping.file)).toBe(true);
    await ui2.close();
    server = undefined;
    await vi.waitFor(() => expect(existsSync(stopping.file)).toBe(false));
    await ui.close();
  });

  it('escapes the URL in the page, and removing it twice is harmless', async () => {
    const page = await writeLaunchPage('http://127.0.0.1:1/#code="><script>x</script>&', tmp.path);
    const html = await readFile(page.file, 'utf8');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
    await page.remove();
    await page.remove();
    expect(existsSync(dirname(page.file))).toBe(false);
  });
});
