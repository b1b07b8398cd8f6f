// Start-up of the built CLI (issue 12): `--version`, `--help` and a command's `--help` answer
// without loading the packages only commands need (node-forge, zod, yaml, tar, semver,
// CycloneDX...). Proved by the modules the process actually loaded, never by a timing: a
// preload script records require.cache when the process exits. The same probe on `validate`
// shows the packages do get loaded when a command needs them (so an empty list is not an
// artefact of the probe).
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { makeService } from '../bundle/service-fixture';
import { makeTestPki, tempDir } from '../credentials/pki-fixtures';

const BIN = path.resolve(__dirname, '../../../bin/aos-bundle.js');
const BUILT = path.resolve(__dirname, '../../../dist/cli/index.js');

let dir: string;
let probe: string;

beforeAll(async () => {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`node scripts/build.mjs\` (npm test builds it first).`);
  dir = await tempDir('bs-cli-startup-');
  probe = path.join(dir, 'loaded-modules.cjs');
  // Prints, as the process exits, the npm packages whose files were loaded.
  await fs.writeFile(
    probe,
    "process.on('exit', () => {\n" +
      '  const names = new Set();\n' +
      '  for (const file of Object.keys(require.cache)) {\n' +
      "    const m = /[\\\\/]node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(file);\n" +
      "    if (m) names.add(m[1].replace(/\\\\/g, '/'));\n" +
      '  }\n' +
      "  process.stderr.write('\\nLOADED ' + JSON.stringify([...names].sort()) + '\\n');\n" +
      '});\n',
  );
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function loadedBy(args: string[], cwd = dir): { status: number | null; stdout: string; packages: string[] } {
  const r = spawnSync(process.execPath, ['--require', probe, BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, HOME: dir } });
  const line = /\nLOADED (\[.*\])\n/.exec(r.stderr);
  if (!line) throw new Error(`no module list from aos-bundle ${args.join(' ')}: ${r.stderr}`);
  return { status: r.status, stdout: r.stdout, packages: JSON.parse(line[1]) as string[] };
}

describe('aos-bundle start-up loads only what the command needs', () => {
  const quick = [['--version'], ['--help'], ['sign', '--help'], ['upload', '--help'], ['layer', '--help'], ['layer', 'sbom', '--help'], ['no-such-command']];
  it.each(quick.map((args) => [args.join(' '), args] as const))(
    '`aos-bundle %s` loads no npm package',
    (_title, args) => {
      const r = loadedBy(args);
      expect(r.packages).toEqual([]);
      expect(r.status).toBe(args[0] === 'no-such-command' ? 2 : 0);
    },
  );

  it('prints the version and the command table as before', () => {
    expect(loadedBy(['--version']).stdout).toMatch(/^\d+\.\d+\.\d+/);
    const help = loadedBy(['--help']).stdout;
    for (const name of ['init', 'validate', 'sign', 'verify', 'inspect', 'preview', 'layer', 'upload', 'go', 'whoami', 'outbox', 'ui']) expect(help).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    expect(loadedBy(['layer', 'pack', '--help']).stdout).toContain('Usage: aos-bundle layer pack ROOTFS --parent PARENT');
  });

  it('loads the packages when a command needs them (validate reads YAML and compares versions)', async () => {
    const pki = makeTestPki();
    const root = await makeService(path.join(dir, 'svc'), pki.user, [pki.ca]);
    const r = loadedBy(['validate', root]);
    expect(r.status).toBe(0);
    expect(r.packages).toEqual(expect.arrayContaining(['yaml', 'semver']));
  });
});
