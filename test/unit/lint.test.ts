// Proves the layering rules in eslint.config.mjs fire: 'electron' only in the Electron
// adapters and the preload, no Node built-ins or main-process code in renderer or shared code,
// nothing of main, renderer or preload in shared code, nothing of the adapters in the core.
import { builtinModules } from 'node:module';
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, 'eslint.config.mjs') });
});

async function restricted(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const restrictedOnly = (messages: string[]) => messages.filter((m) => m.startsWith('no-restricted-imports'));

const electronImports = [
  "import { app } from 'electron';\nexport const a = app;\n",
  "import type { BrowserWindow } from 'electron';\nexport type W = BrowserWindow;\n",
  "export * from 'electron/main';\n",
];

const nodeImports = [
  "import { readFile } from 'fs';\nexport const r = readFile;\n",
  "import { readFile } from 'node:fs';\nexport const r = readFile;\n",
  "import { readFile } from 'fs/promises';\nexport const r = readFile;\n",
  "import { readFile } from 'node:fs/promises';\nexport const r = readFile;\n",
  "import path from 'path';\nexport const p = path;\n",
  "import path from 'node:path/posix';\nexport const p = path;\n",
  "import { spawn } from 'child_process';\nexport const s = spawn;\n",
  "import { createHash } from 'node:crypto';\nexport const h = createHash;\n",
  "import os from 'os';\nexport const o = os;\n",
  "import net from 'node:net';\nexport const n = net;\n",
  "import tls from 'tls';\nexport const t = tls;\n",
  "import http from 'http';\nexport const h = http;\n",
  "import https from 'node:https';\nexport const h = https;\n",
  "export { request } from 'https';\n",
];

describe('eslint layering rules', () => {
  it.each([
    ['src/main/core/fake.ts'],
    ['src/main/api/fake.ts'],
    ['src/main/cli/fake.ts'],
    ['src/main/server/fake.ts'],
    ['src/shared/fake.ts'],
    ['src/renderer/fake.tsx'],
    ['src/renderer/components/fake.ts'],
  ])('%s may not import electron', async (file) => {
    for (const code of electronImports) {
      const messages = restrictedOnly(await restricted(code, file));
      expect(messages, code).toHaveLength(1);
      expect(messages[0]).toMatch(/electron/);
    }
  });

  it.each([['src/main/electron/fake.ts'], ['src/preload/fake.ts']])('%s may import electron', async (file) => {
    for (const code of electronImports) expect(restrictedOnly(await restricted(code, file)), code).toEqual([]);
  });

  it.each([['src/shared/fake.ts'], ['src/shared/service-config/fake.ts'], ['src/renderer/fake.tsx']])(
    '%s may not import Node built-ins',
    async (file) => {
      for (const code of nodeImports) {
        const messages = restrictedOnly(await restricted(code, file));
        expect(messages, code).toHaveLength(1);
      }
    },
  );

  it.each([['src/shared/fake.ts'], ['src/renderer/fake.tsx']])('%s may import no Node built-in at all, bare or node:, nor a sub-path', async (file) => {
    const specifiers = [
      ...builtinModules.flatMap((m) => (m.startsWith('node:') ? [m] : [m, `node:${m}`])),
      // Built-ins that exist only with the prefix, and sub-paths node:module does not list.
      'node:test', 'node:sea', 'node:sqlite', 'fs/promises/x', 'node:util/types',
    ];
    expect(specifiers.length).toBeGreaterThan(100);
    const code = specifiers.map((spec, i) => `import m${i} from '${spec}';\nexport { m${i} };`).join('\n');
    const messages = restrictedOnly(await restricted(code, file));
    expect(messages).toHaveLength(specifiers.length);
    for (const m of messages) expect(m).toMatch(/Node built-in/);
  });

  it('lets renderer and shared code import packages whose names merely start like a built-in', async () => {
    const code = ["import a from 'fsevents';", "import b from 'path-browserify';", "import c from 'events-lite/x';", "import d from '@types/node';", 'export { a, b, c, d };', ''].join('\n');
    expect(restrictedOnly(await restricted(code, 'src/renderer/fake.ts'))).toEqual([]);
    expect(restrictedOnly(await restricted(code, 'src/shared/fake.ts'))).toEqual([]);
  });

  it.each([
    ['src/shared/fake.ts', "import { useApi } from '../renderer/api/context';\nexport const u = useApi;\n"],
    ['src/shared/service-config/fake.ts', "import type { PreviewModel } from '../../renderer/preview/use-preview';\nexport type P = PreviewModel;\n"],
    ['src/shared/fake.ts', "import { exposeApi } from '../preload/api';\nexport const e = exposeApi;\n"],
    ['src/shared/service-config/rules/fake.ts', "import { dispatch } from '../../../main/api/handlers';\nexport const d = dispatch;\n"],
  ])('%s (shared) may import nothing of main, renderer or preload: %s', async (file, code) => {
    const messages = restrictedOnly(await restricted(code, file));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/Shared code may not import src\/renderer|API contract/);
  });

  it.each([
    ['src/main/core/fake.ts', "import { dispatch } from '../api/handlers';\nexport const d = dispatch;\n"],
    ['src/main/core/oci/fake.ts', "import type { JobRegistry } from '../../api/jobs';\nexport type J = JobRegistry;\n"],
    ['src/main/core/fake.ts', "import { isAppOrigin } from '../electron/ipc';\nexport const i = isAppOrigin;\n"],
    ['src/main/core/bundle/fake.ts', "import { startUiServer } from '../../server/ui-server';\nexport const s = startUiServer;\n"],
    ['src/main/core/service-tree/fake.ts', "export { EXIT_OK } from '../../cli/io';\n"],
  ])('%s (core) may import nothing of api, electron, server or cli: %s', async (file, code) => {
    const messages = restrictedOnly(await restricted(code, file));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/src\/main\/core may not import/);
  });

  it.each([
    ['src/main/core/fake.ts', "import { appError } from '../../shared/errors';\nimport { APP_VERSION } from '../version';\nimport { writeFileAtomic } from './fs/atomic-write';\nexport const x = [appError, APP_VERSION, writeFileAtomic];\n"],
    ['src/main/api/fake.ts', "import { scanLayerLibrary } from '../core/layers/library';\nimport { startUiServer } from '../server/ui-server';\nexport const x = [scanLayerLibrary, startUiServer];\n"],
    ['src/main/cli/fake.ts', "import { createApiHandlers } from '../api/handlers';\nexport const x = createApiHandlers;\n"],
  ])('%s may import the core and shared code', async (file, code) => {
    expect(restrictedOnly(await restricted(code, file))).toEqual([]);
  });

  it.each([
    ['src/renderer/fake.tsx', "import { buildPreview } from '../main/core/oci';\nexport const b = buildPreview;\n"],
    ['src/renderer/sign/fake.tsx', "import type { SignResult } from '../../main/core/bundle';\nexport type S = SignResult;\n"],
    ['src/renderer/fake.tsx', "import { exposeApi } from '../preload/api';\nexport const e = exposeApi;\n"],
    ['src/shared/fake.ts', "import { APP_VERSION } from '../main/version';\nexport const v = APP_VERSION;\n"],
  ])('%s may not import main-process code: %s', async (file, code) => {
    const messages = restrictedOnly(await restricted(code, file));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/API contract/);
  });

  it.each([['src/main/core/fake.ts'], ['src/main/electron/fake.ts'], ['scripts/fake.mjs']])('%s may import Node built-ins', async (file) => {
    for (const code of nodeImports) expect(restrictedOnly(await restricted(code, file)), code).toEqual([]);
  });

  it('passes a clean renderer/shared snippet', async () => {
    const clean = [
      "import { z } from 'zod';",
      "import type { Api } from '../shared/contract';",
      'export const schema = z.object({ name: z.string() });',
      'export function call(api: Api, _unused: number) {',
      "  return api.invoke('app.info', {});",
      '}',
      '',
    ].join('\n');
    expect(await restricted(clean, 'src/renderer/fake.ts')).toEqual([]);
    expect(await restricted(clean.replace('../shared/contract', './contract'), 'src/shared/fake.ts')).toEqual([]);
  });

  it('ignores build output', async () => {
    expect(await eslint.isPathIgnored(path.join(root, 'dist/renderer/assets/x.js'))).toBe(true);
    expect(await eslint.isPathIgnored(path.join(root, 'release/x.js'))).toBe(true);
    expect(await eslint.isPathIgnored(path.join(root, 'src/main/electron/main.ts'))).toBe(false);
  });
});
