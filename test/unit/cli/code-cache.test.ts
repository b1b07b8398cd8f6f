// The CLI's V8 code cache (src/main/cli/code-cache.ts): the first run of a command stores the
// compiled code of the modules it loaded, a later run uses it and answers the same; entries
// are private to the user; an entry that V8 refuses (here: overwritten with junk) costs only a
// normal compile; a folder others could write to is never used; BUNDLE_STUDIO_CODE_CACHE=0
// writes nothing. Checked through the built CLI, as users run it.
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { makeService } from '../bundle/service-fixture';
import { makeTestPki, tempDir } from '../credentials/pki-fixtures';

const BIN = path.resolve(__dirname, '../../../bin/aos-bundle.js');
const BUILT = path.resolve(__dirname, '../../../dist/cli/code-cache.js');

let dir: string;
let root: string;
beforeAll(async () => {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`node scripts/build.mjs\` (npm test builds it first).`);
  dir = await tempDir('bs-code-cache-test-');
  const pki = makeTestPki();
  root = await makeService(path.join(dir, 'svc'), pki.user, [pki.ca]);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function validate(cache: string) {
  return spawnSync(process.execPath, [BIN, 'validate', root], { cwd: dir, encoding: 'utf8', env: { ...process.env, HOME: dir, BUNDLE_STUDIO_CODE_CACHE: cache } });
}

async function entries(cache: string): Promise<string[]> {
  if (!existsSync(cache)) return [];
  const [folder] = await fs.readdir(cache);
  return folder ? (await fs.readdir(path.join(cache, folder))).map((f) => path.join(cache, folder, f)) : [];
}

describe('the CLI code cache', () => {
  it('stores compiled modules on the first run and answers the same from them', async () => {
    const cache = path.join(dir, 'cache-1');
    const first = validate(cache);
    expect(first.status, first.stderr).toBe(0);
    const stored = await entries(cache);
    // The CLI bundle and the packages validate needs (yaml, zod, node-forge...): many modules.
    expect(stored.length).toBeGreaterThan(20);
    expect(stored.every((f) => /[0-9a-f]{40}$/.test(f))).toBe(true);
    for (const f of stored) expect((await fs.stat(f)).mode & 0o777).toBe(0o600);
    expect((await fs.stat(path.dirname(stored[0]))).mode & 0o777).toBe(0o700);

    const mtimes = await Promise.all(stored.map(async (f) => (await fs.stat(f)).mtimeMs));
    const second = validate(cache);
    expect(second.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toBe(first.stderr);
    // Used, not rewritten: every entry was accepted.
    expect(await Promise.all(stored.map(async (f) => (await fs.stat(f)).mtimeMs))).toEqual(mtimes);
    expect((await entries(cache)).sort()).toEqual([...stored].sort());
  });

  it('compiles normally over an entry V8 refuses, and replaces it', async () => {
    const cache = path.join(dir, 'cache-2');
    const first = validate(cache);
    const stored = await entries(cache);
    for (const f of stored) await fs.writeFile(f, Buffer.alloc(64, 0x5a), { mode: 0o600 });
    const second = validate(cache);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    for (const f of stored) expect((await fs.stat(f)).size).toBeGreaterThan(64);
  });

  it('compiles normally over an entry damaged past its header (which V8 itself does not check: it would abort), and replaces it', async () => {
    const cache = path.join(dir, 'cache-damaged');
    const first = validate(cache);
    const stored = await entries(cache);
    const damaged = new Map<string, Buffer>();
    for (const f of stored) {
      const b = await fs.readFile(f);
      for (let i = 200; i < b.length; i += 97) b[i] ^= 0x55;
      await fs.writeFile(f, b, { mode: 0o600 });
      damaged.set(f, b);
    }
    const second = validate(cache);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    for (const f of stored) expect((await fs.readFile(f)).equals(damaged.get(f)!)).toBe(false);
  });

  it('never uses a folder that others can write to, and is off with 0', async () => {
    const open = path.join(dir, 'cache-open');
    const folder = path.join(open, `code-${process.version}-${process.arch}`);
    await fs.mkdir(folder, { recursive: true });
    await fs.chmod(folder, 0o777);
    const run = validate(open);
    expect(run.status, run.stderr).toBe(0);
    expect(await fs.readdir(folder)).toEqual([]);


    // A private folder is not enough when a folder above it lets others rename it away and
    // put their own in its place (between the check and the reads, or before a later run).
    const shared = path.join(dir, 'cache-shared');
    await fs.mkdir(shared, { recursive: true });
    await fs.chmod(shared, 0o777);
    const below = path.join(shared, 'mine');
    const runBelow = validate(below);
    expect(runBelow.status, runBelow.stderr).toBe(0);
    expect(await entries(below)).toEqual([]);
    // The same through a symlink planted in such a folder, pointing at a private one.
    const privateOne = path.join(dir, 'cache-private');
    await fs.mkdir(privateOne, { mode: 0o700 });
    await fs.symlink(privateOne, path.join(shared, 'link'));
    const runLink = validate(path.join(shared, 'link'));
    expect(runLink.status, runLink.stderr).toBe(0);
    expect(await entries(privateOne)).toEqual([]);

    const off = validate('0');
    expect(off.status).toBe(0);
    expect(existsSync(path.join(dir, '0'))).toBe(false);
    expect(existsSync(path.join(dir, '.cache'))).toBe(false);
  });
});
