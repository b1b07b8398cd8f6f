// The preload must be one CommonJS file that a sandboxed renderer can load: it may
// require 'electron' and nothing else (no zod, no node built-ins).
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');

async function bundle(entry: string, packagesExternal: boolean): Promise<string> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    external: ['electron'],
    ...(packagesExternal ? { packages: 'external' as const } : {}),
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

const requires = (code: string) => [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);

describe('bundles', () => {
  it('the preload requires only electron and stays small', async () => {
    const code = await bundle('src/preload/index.ts', false);
    expect([...new Set(requires(code))]).toEqual(['electron']);
    expect(code).not.toMatch(/ZodError|zod/);
    expect(code.length).toBeLessThan(20_000);
    expect(code).toContain('exposeInMainWorld("api"');
  });

  it('the Electron main bundle is CommonJS with electron external', async () => {
    const code = await bundle('src/main/electron/main.ts', true);
    expect(requires(code)).toContain('electron');
    expect(code).toContain('registerSchemesAsPrivileged');
  }, 30_000);
});
