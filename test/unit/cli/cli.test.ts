import { mkdir, readFile, writeFile, copyFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../../../src/main/cli/index';
import type { CliIo } from '../../../src/main/cli/io';
import { tempDirPerTest } from '../../support/temp-dir';
import { DEMO_SERVICES } from '../../support/shared-fixtures';

const tmp = tempDirPerTest();
const FIXTURES = DEMO_SERVICES;

async function cli(args: string[], cwd = tmp.path) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env: { HOME: tmp.path }, interactive: false };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

async function serviceFrom(fixture: string): Promise<string> {
  const root = join(tmp.path, fixture);
  await mkdir(join(root, 'meta'), { recursive: true });
  await mkdir(join(root, 'src'));
  await copyFile(join(FIXTURES, fixture, 'meta', 'config.yaml'), join(root, 'meta', 'config.yaml'));
  return root;
}

describe('aos-bundle CLI', () => {
  it('prints help and version; unknown commands and bad options are usage errors (exit 2)', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/init[\s\S]*validate[\s\S]*ui/);
    expect((await cli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect((await cli([])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
    const badOption = await cli(['validate', '--nope']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain('Usage: aos-bundle validate');
    expect((await cli(['validate', 'a', 'b'])).code).toBe(2);
  });

  it('init makes a tree in the current folder by default and never overwrites', async () => {
    const first = await cli(['init']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('meta/config.yaml');
    expect((await readdir(tmp.path)).sort()).toEqual(['meta', 'src']);
    const before = await readFile(join(tmp.path, 'meta', 'config.yaml'), 'utf8');
    const second = await cli(['init']);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('already exists');
    expect(await readFile(join(tmp.path, 'meta', 'config.yaml'), 'utf8')).toBe(before);
  });

  it('validate of a fresh tree passes with warnings only (exit 0)', async () => {
    await cli(['init', 'svc', '--cmd', 'python3 /app.py']);
    const result = await cli(['validate', 'svc']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^svc\/meta\/config\.yaml:\d+:\d+: warning: .+ \(publish\.service_uid\)$/m);
  });

  it('reports FILE:LINE:COL: error: MESSAGE (PATH) and exits 1 on an invalid config', async () => {
    const root = await serviceFrom('ram_consumer');
    const result = await cli(['validate'], root);
    expect(result.code).toBe(1);
    const errors = result.stdout.split('\n').filter((l) => l.includes(': error: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^meta\/config\.yaml:\d+:\d+: error: .*version.* \(publish(\.version)?\)$/);
  });

  it('--json prints ok and diagnostics with 1-based line and column', async () => {
    const root = await serviceFrom('cpu_load');
    await writeFile(join(root, 'meta', 'config.yaml'), (await readFile(join(root, 'meta', 'config.yaml'), 'utf8')).replace('version: "1.0.0"', 'version: "1.0"'));
    const result = await cli(['validate', root, '--json']);
    expect(result.code).toBe(1);
    const out = JSON.parse(result.stdout);
    expect(out.ok).toBe(false);
    const text = await readFile(join(root, 'meta', 'config.yaml'), 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('version: "1.0"')) + 1;
    const version = out.diagnostics.find((d: { path: string }) => d.path === 'publish.version');
    expect(version).toMatchObject({ severity: 'error', line, column: 14 });
    expect(Object.keys(version).sort()).toEqual(['column', 'line', 'message', 'path', 'severity']);
  });

  it('validate in a folder that is neither kind says so and exits 1', async () => {
    const result = await cli(['validate']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is neither a service tree (meta/config.yaml) nor a deployment bundle (config.yaml with schemaVersion 2)');
  });
});
