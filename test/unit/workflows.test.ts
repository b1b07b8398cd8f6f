// Lints every GitHub workflow under .github/workflows with action-validator (from npm; its
// schema and checks ship inside the package as WebAssembly, so it runs offline), and checks
// that the installers workflow builds what electron-builder.yml targets with publishing off.
// The workflows themselves need the network and run on GitHub, never here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const workflowDir = path.join(root, '.github/workflows');
const validatorPackage = path.dirname(createRequire(path.join(root, 'package.json')).resolve('@action-validator/cli/package.json'));
const validatorBin = path.join(
  validatorPackage,
  (JSON.parse(readFileSync(path.join(validatorPackage, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin['action-validator'],
);

/** Runs action-validator from the repository root (it resolves `paths:` globs from there). */
function validate(file: string) {
  const result = spawnSync(process.execPath, [validatorBin, file], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const workflows = readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f));

type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
type Job = { 'runs-on': string; needs?: string; steps: Step[]; strategy?: { matrix: { include: Array<{ os: string; files: string }> } } };

describe('GitHub workflows', () => {
  it('there is one to lint', () => {
    expect(workflows).toContain('installers.yml');
  });

  it.each(workflows)('%s passes action-validator', (file) => {
    expect(validate(path.join(workflowDir, file))).toEqual({ status: 0, output: '' });
  });

  it('action-validator fails a workflow with a misspelt key, an unknown event and a step that both runs and uses', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bs-workflow-'));
    try {
      const broken = {
        'stepz.yml': 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz:\n      - run: echo\n',
        'event.yml': 'on: pushh\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n',
        'step.yml': 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        run: echo\n',
      };
      for (const [name, text] of Object.entries(broken)) {
        writeFileSync(path.join(dir, name), text);
        const result = validate(path.join(dir, name));
        expect(result.status, name).toBe(1);
        expect(result.output, name).toContain('"errors"');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('installers.yml: tests on Linux, then builds AppImage and deb, nsis and dmg on their own runners, publishing off', () => {
    const workflow = parse(readFileSync(path.join(workflowDir, 'installers.yml'), 'utf8')) as {
      permissions: Record<string, string>;
      jobs: Record<string, Job>;
    };
    expect(workflow.permissions).toEqual({ contents: 'read' });
    const runs = (job: Job) => job.steps.map((s) => s.run ?? '');
    const nodeVersion = (job: Job) => job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['node-version'];

    const test = workflow.jobs.test;
    expect(test['runs-on']).toBe('ubuntu-latest');
    expect(nodeVersion(test)).toBe(20);
    expect(runs(test)).toEqual(expect.arrayContaining(['npm install -g npm@11', 'npm ci --no-audit --no-fund', 'npm test']));

    const installers = workflow.jobs.installers;
    expect(installers.needs).toBe('test');
    expect(installers['runs-on']).toBe('${{ matrix.os }}');
    expect(nodeVersion(installers)).toBe(20);
    const matrix = Object.fromEntries(installers.strategy!.matrix.include.map(({ os, files }) => [os, files.trim().split('\n')]));
    expect(matrix).toEqual({
      'ubuntu-latest': ['release/*.AppImage', 'release/*.deb'],
      'windows-latest': ['release/*.exe'],
      'macos-latest': ['release/*.dmg'],
    });
    const steps = runs(installers);
    expect(steps.indexOf('npm ci --no-audit --no-fund')).toBeGreaterThan(steps.indexOf('npm install -g npm@11'));
    expect(steps).toContain('npx electron-builder --config electron-builder.yml --publish never');
    const upload = installers.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.with).toMatchObject({ path: '${{ matrix.files }}', 'if-no-files-found': 'error' });
  });
});
