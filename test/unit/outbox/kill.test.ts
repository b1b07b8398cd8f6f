// The built CLI (dist/, `node scripts/build.mjs --quiet`), killed with SIGKILL in the middle
// of an upload to a slow cloud, leaves its entry `uploading`; the next `outbox push` sends it
// again and the cloud holds the bundle exactly once, byte for byte.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { Outbox } from '../../../src/main/core/outbox';
import { eventually } from '../../support/eventually';
import { makeCloudPki, startFakeCloud, writeClientFiles, type FakeCloud, type FakeCloudPki } from '../../support/fake-cloud';
import { tempDir } from '../credentials/pki-fixtures';
import { SERVICE_UID, sha256File, signedServiceBundle } from '../cloud/bundles';

const BIN = path.resolve(__dirname, '../../../bin/aos-bundle.js');
const BUILT = path.resolve(__dirname, '../../../dist/cli/index.js');

let dir: string;
let pki: FakeCloudPki;
let files: Awaited<ReturnType<typeof writeClientFiles>>;
let cloud: FakeCloud | undefined;
let child: ChildProcess | undefined;

beforeAll(async () => {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`node scripts/build.mjs\` (npm test builds it first).`);
  dir = await tempDir('bs-outbox-kill-');
  pki = makeCloudPki();
  files = await writeClientFiles(dir, pki);
}, 120_000);
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  child?.kill('SIGKILL');
  await cloud?.stop();
});

function run(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const c = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  c.stdout!.on('data', (d) => (stdout += d));
  c.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => c.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child: c, done };
}

describe('outbox after a kill', () => {
  it('a process killed mid-upload is resumed by the next push; the cloud holds the bundle once', async () => {
    const svc = path.join(dir, 'svc');
    const bundle = await signedServiceBundle(svc, pki, { 'usr/bin/app': randomBytes(4 << 20) });
    cloud = await startFakeCloud(pki, { mode: 'slow', slowTickMs: 40 });
    const env = { HOME: dir, BUNDLE_STUDIO_CONFIG_DIR: path.join(dir, 'config') };
    const first = run(['upload', svc, '--ca', files.ca, '--cloud', cloud.url], env);
    child = first.child;
    let ended: string | undefined;
    void first.done.then((r) => (ended = `the upload ended first (${r.code}): ${r.stderr}`));
    const outbox = new Outbox(path.join(dir, 'config', 'outbox'));
    // The bundle is checked (on a worker) while it is sent, and its entry written `uploading`
    // once the check has passed; the kill comes once both are under way. (A kill before the
    // entry exists: send-while-checking.test.ts.)
    await eventually(async () => {
      if (ended) throw new Error(ended);
      expect(cloud!.bodyBytes).toBeGreaterThan(256 << 10);
      expect((await outbox.list()).map((e) => e.state)).toEqual(['uploading']);
    }, 60_000);
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    const [entry] = await outbox.list();
    expect(entry.state).toBe('uploading');
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(0);
    // Nothing sends it now: the list says so rather than "uploading", and how to send it.
    const listed = await run(['outbox', 'list'], env).done;
    expect(listed.stdout).toContain(`${entry.id}  interrupted  service ${SERVICE_UID} version 1.2.3`);
    expect(listed.stdout).toContain(`Interrupted: the process that was uploading it stopped mid-way; \`aos-bundle outbox push ${entry.id}\` sends it again`);
    expect(JSON.parse((await run(['outbox', 'list', '--json'], env).done).stdout).entries).toMatchObject([{ id: entry.id, state: 'uploading', interrupted: true }]);

    cloud.mode = 'ok';
    const second = run(['outbox', 'push', '--json'], env);
    child = second.child;
    const r = await second.done;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results).toMatchObject([{ id: entry.id, state: 'done', alreadyThere: false }]);
    expect(cloud.storedCount(SERVICE_UID, '1.2.3')).toBe(1);
    expect(cloud.received.filter((u) => u.stored).map((u) => u.sha256)).toEqual([sha256File(bundle)]);
    const after = await outbox.get(entry.id);
    expect(after.history.map((h) => h.state)).toEqual(['queued', 'uploading', 'uploading', 'uploaded', 'done']);
    expect(after.history[2].message).toMatch(/again: the last push ended mid-upload/);
    expect(existsSync(path.join(outbox.dir, entry.id, 'lock'))).toBe(false);
  }, 120_000);
});
