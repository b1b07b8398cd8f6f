import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM script without type declarations
import * as start from '../../../scripts/start.mjs';

const { BUILD_OUTPUTS, BROWSER_MODE_NOTICE, buildState, findElectron, startCommand } = start as {
  BUILD_OUTPUTS: string[];
  BROWSER_MODE_NOTICE: string;
  buildState(root: string): 'missing' | 'stale' | null;
  findElectron(root: string, env: Record<string, string | undefined>): string | null;
  startCommand(args: string[], opts: { root: string; env: Record<string, string | undefined>; electron?: string | null }): {
    mode: 'electron' | 'browser';
    command: string;
    args: string[];
    env: Record<string, string | undefined>;
  };
};

let root: string;
const write = (rel: string, text = 'x') => {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
};
const touch = (rel: string, seconds: number) => utimesSync(path.join(root, rel), seconds, seconds);

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'bs-start-'));
  write('package.json', '{"name":"x"}');
  write('src/main/cli/index.ts');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('scripts/start.mjs', () => {
  it('builds when dist is missing, when stale, and not when up to date', () => {
    expect(buildState(root)).toBe('missing');
    for (const f of BUILD_OUTPUTS) write(f);
    touch('package.json', 1000);
    touch('src/main/cli/index.ts', 1000);
    touch('src', 1000);
    touch('src/main', 1000);
    touch('src/main/cli', 1000);
    for (const f of BUILD_OUTPUTS) touch(f, 2000);
    expect(buildState(root)).toBeNull();
    touch('src/main/cli/index.ts', 3000);
    expect(buildState(root)).toBe('stale');
  });

  it('finds no Electron runtime when the binary was never downloaded (without requiring electron)', () => {
    expect(findElectron(root, {})).toBeNull();
    write('node_modules/electron/package.json', '{"name":"electron"}');
    write('node_modules/electron/index.js', 'throw new Error("must not be required")');
    expect(findElectron(root, {})).toBeNull();
    write('node_modules/electron/path.txt', 'electron');
    expect(findElectron(root, {})).toBeNull();
    write('node_modules/electron/dist/electron', '#!/bin/sh');
    expect(findElectron(root, {})).toBe(path.join(root, 'node_modules/electron/dist/electron'));
    expect(findElectron(root, { ELECTRON_OVERRIDE_DIST_PATH: path.join(root, 'nowhere') })).toBeNull();
  });

  it('starts Electron on the app folder, or browser mode with the arguments forwarded', () => {
    const electron = startCommand(['--verbose'], { root, env: { ELECTRON_RUN_AS_NODE: '1', HOME: '/h' }, electron: '/opt/electron' });
    expect(electron).toMatchObject({ mode: 'electron', command: '/opt/electron', args: [root, '--verbose'] });
    expect(electron.env.ELECTRON_RUN_AS_NODE).toBeUndefined();
    expect(electron.env.HOME).toBe('/h');
    const browser = startCommand(['--port', '5000'], { root, env: {}, electron: null });
    expect(browser).toMatchObject({ mode: 'browser', command: process.execPath, args: [path.join(root, 'bin/aos-bundle.js'), 'ui', '--port', '5000'] });
    expect(BROWSER_MODE_NOTICE).not.toContain('\n');
  });
});
