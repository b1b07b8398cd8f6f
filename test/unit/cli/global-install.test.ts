// What the README tells labs for scripted builds: `npm install -g .` from the checkout (or
// `npm link`) puts a plain `aos-bundle` on PATH, so each call skips npx's own start-up. Done
// here into a temp prefix (offline, no lifecycle scripts: dist/ is already built), then the
// command is run by name through PATH, as a build script would.
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../credentials/pki-fixtures';

const ROOT = path.resolve(__dirname, '../../..');
const BUILT = path.join(ROOT, 'dist/cli/index.js');

let prefix: string;

beforeAll(async () => {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`node scripts/build.mjs\` (npm test builds it first).`);
  prefix = await tempDir('bs-cli-global-');
});
afterAll(async () => {
  await fs.rm(prefix, { recursive: true, force: true });
});

it('`npm install -g .` from the checkout puts a working `aos-bundle` on PATH', () => {
  const install = spawnSync('npm', ['install', '--global', '--prefix', prefix, '--ignore-scripts', '--offline', '--no-audit', '--no-fund', ROOT], {
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  expect(install.status, install.stderr).toBe(0);
  const bin = path.join(prefix, process.platform === 'win32' ? '' : 'bin');
  // By name, through PATH: the link npm made and the script's `#!/usr/bin/env node`.
  const env = { ...process.env, PATH: [bin, path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter) };
  const version = spawnSync('aos-bundle', ['--version'], { encoding: 'utf8', env, cwd: prefix });
  expect(version.status, version.stderr).toBe(0);
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  expect(version.stdout.trim()).toBe(pkg.version);
  const help = spawnSync('aos-bundle', ['--help'], { encoding: 'utf8', env, cwd: prefix });
  expect(help.status).toBe(0);
  expect(help.stdout).toContain('Usage: aos-bundle <command> [options]');
}, 120_000);
