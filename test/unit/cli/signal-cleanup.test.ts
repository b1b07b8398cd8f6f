// The built CLI, killed by SIGTERM or SIGHUP in the middle of a sign, leaves no hidden temp
// file beside the output and ends by that signal. Runs bin/aos-bundle.js (dist/, built by
// `npm test` and `npm install`), in its own process as a service manager would stop it.
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { makeService } from '../bundle/service-fixture';
import { makeTestPki, tempDir } from '../credentials/pki-fixtures';

const BIN = path.resolve(__dirname, '../../../bin/aos-bundle.js');
const BUILT = path.resolve(__dirname, '../../../dist/cli/index.js');

let dir: string;
let pki: ReturnType<typeof makeTestPki>;

beforeAll(async () => {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`node scripts/build.mjs\` (npm test builds it first).`);
  dir = await tempDir('bs-cli-signal-');
  pki = makeTestPki();
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const temps = async (folder: string) => (await fs.readdir(folder)).filter((f) => f.endsWith('.tmp'));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms: number): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(['SIGTERM', 'SIGHUP'] as const)('aos-bundle sign, sent %s mid-way', (sig) => {
  it('removes its temp files and ends by the signal', async () => {
    const root = await makeService(path.join(dir, `svc-${sig}`), pki.user, [pki.ca]);
    // 4 GiB of holes: seconds of work for sign, nothing on disk.
    const big = path.join(root, 'src', 'big.img');
    await fs.writeFile(big, '');
    await fs.truncate(big, 4 * 1024 ** 3);
    const out = path.join(dir, `out-${sig}`);
    await fs.mkdir(out);
    const child = spawn(process.execPath, [BIN, 'sign', root, '-o', path.join(out, 'service.tar.gz')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: dir } });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
    try {
      const seen = await waitFor('a temp file', async () => ((await temps(out)).length ? await temps(out) : child.exitCode !== null ? [] : undefined), 60_000);
      expect(seen, `sign ended before its temp file was seen: ${stderr}`).not.toEqual([]);
      expect(seen[0]).toMatch(new RegExp(`^\\.service\\.tar\\.gz\\.(inner\\.)?${child.pid}\\.[0-9a-f]{12}\\.tmp$`));
      child.kill(sig);
      expect(await exited).toEqual({ code: null, signal: sig });
      expect(await fs.readdir(out)).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    }
  }, 90_000);
});

describe('aos-bundle preview --out, sent SIGTERM while it writes the rootfs layer', () => {
  it('removes the hidden staging folder beside --out and ends by the signal', async () => {
    const root = await makeService(path.join(dir, 'svc-preview'), pki.user, [pki.ca]);
    const big = path.join(root, 'src', 'big.img');
    await fs.writeFile(big, '');
    await fs.truncate(big, 4 * 1024 ** 3);
    const out = path.join(dir, 'preview-out');
    // The layout is written into `.preview-out.<pid>.<random>.tmp` and renamed onto --out.
    const staging = async () => (await fs.readdir(dir)).filter((n) => n.startsWith('.preview-out.') && n.endsWith('.tmp'));
    const child = spawn(process.execPath, [BIN, 'preview', root, '--target', 'v9', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: dir } });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
    try {
      const seen = await waitFor('the staging folder', async () => ((await staging()).length ? await staging() : child.exitCode !== null ? [] : undefined), 60_000);
      expect(seen, `preview ended before its staging folder was seen: ${stderr}`).toHaveLength(1);
      // Wait until the rootfs layer is being written inside it, then stop the process.
      const blobs = path.join(dir, seen[0], 'blobs', 'sha256');
      await waitFor('the rootfs temp file', async () => (existsSync(blobs) && (await fs.readdir(blobs)).length ? true : child.exitCode !== null ? false : undefined), 60_000);
      child.kill('SIGTERM');
      expect(await exited).toEqual({ code: null, signal: 'SIGTERM' });
      expect(await staging()).toEqual([]);
      expect(existsSync(out)).toBe(false);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    }
  }, 90_000);
});
