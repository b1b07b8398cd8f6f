import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { signServiceBundle } from '../../../src/main/core/bundle';
import { promptHidden } from '../../../src/main/cli/prompt';
import { progressText } from '../../../src/main/cli/progress';
import { uploadProgress } from '../../../src/main/cli/cloud';
import { AppFailure } from '../../../src/shared/errors';
import { makeTestPki, p12, tempDir } from '../credentials/pki-fixtures';
import { makeService } from '../bundle/service-fixture';
import { cli, fields } from './helpers';

const PASSWORD = 'Tr0ub4dor&3-unique';
let dir: string;
let pki: ReturnType<typeof makeTestPki>;
let n = 0;

beforeAll(async () => {
  dir = await tempDir('bs-cli-sign-');
  pki = makeTestPki();
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function service(opts: { password?: string; files?: Record<string, string | Buffer> } = {}): Promise<string> {
  const root = await makeService(path.join(dir, `svc-${++n}`), pki.user, [pki.ca], { files: opts.files });
  if (opts.password !== undefined) await fs.writeFile(path.join(root, 'meta', 'aos-user-sp.p12'), p12(pki.user, [pki.ca.cert], opts.password, '3des'));
  return root;
}

async function leftovers(folder: string): Promise<string[]> {
  return (await fs.readdir(folder)).filter((f) => f.endsWith('.tmp') || f.endsWith('.tar.gz'));
}

describe('aos-bundle sign', () => {
  it('is listed in the help between validate and ui, with verify, inspect, contents, preview, layer and the cloud commands', async () => {
    const help = await cli(['--help'], dir);
    const names = [...help.stdout.matchAll(/^ {2}(\w+) /gm)].map((m) => m[1]);
    expect(names).toEqual(['init', 'validate', 'sign', 'verify', 'inspect', 'contents', 'preview', 'layer', 'upload', 'go', 'whoami', 'outbox', 'ui']);
    const own = await cli(['sign', '--help'], dir);
    expect(own.stdout).toContain('Usage: aos-bundle sign [DIR] [-o FILE] [--password-env VAR | --password-file FILE]');
  });

  it('signs the tree in DIR and prints path, size, SHA-256 and the inner archive SHA3-512; no progress when stderr is not a terminal', async () => {
    const root = await service();
    const r = await cli(['sign', path.basename(root)], dir);
    expect(r.code).toBe(0);
    const out = fields(r.stdout);
    expect(out.path).toBe(path.join(root, 'service.tar.gz'));
    const bytes = readFileSync(out.path);
    expect(Number(out.size)).toBe(bytes.length);
    expect(out.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    // GNU tar reads the inner archive out: its SHA3-512 is the one package.sign holds.
    const inner = execFileSync('tar', ['-xzOf', out.path, './service.tar.gz'], { maxBuffer: 1 << 28 });
    expect(out['inner-sha3-512']).toBe(createHash('sha3-512').update(inner).digest('hex'));
    expect(r.stderr).not.toContain('\r');
    expect(r.stderr).toMatch(/Signed 2 files/);
    // The bundle verifies with the signer's certificate.
    await fs.writeFile(path.join(dir, 'user.pem'), pki.user.certPem);
    expect((await cli(['verify', out.path, '--cert', path.join(dir, 'user.pem')], dir)).code).toBe(0);
  });

  it('-o writes elsewhere; the current folder is the default DIR', async () => {
    const root = await service();
    const r = await cli(['sign', '-o', '../out/bundle.tar.gz'], root);
    expect(r.code).toBe(0);
    expect(fields(r.stdout).path).toBe(path.join(dir, 'out', 'bundle.tar.gz'));
    expect(readFileSync(path.join(dir, 'out', 'bundle.tar.gz')).length).toBeGreaterThan(0);
  });

  it('reads the password from --password-env or --password-file (one trailing newline dropped)', async () => {
    const root = await service({ password: PASSWORD });
    const env = await cli(['sign', root, '--password-env', 'BS_P12_PASSWORD'], dir, { env: { HOME: dir, BS_P12_PASSWORD: PASSWORD } });
    expect(env.code).toBe(0);
    await fs.writeFile(path.join(dir, 'pw.txt'), `${PASSWORD}\n`);
    const file = await cli(['sign', root, '--password-file', 'pw.txt'], dir);
    expect(file.code).toBe(0);
    expect(fields(file.stdout).sha256).toBe(fields(env.stdout).sha256);
    for (const r of [env, file]) expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });

  it('--password-env and --password-file together are a usage error (exit 2)', async () => {
    const root = await service();
    const r = await cli(['sign', root, '--password-env', 'X', '--password-file', 'f'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not both');
    expect(r.stderr).toContain('Usage: aos-bundle sign');
    expect((await cli(['sign', 'a', 'b'], dir)).code).toBe(2);
    expect((await cli(['sign', '--password-env', 'not a name'], dir)).code).toBe(2);
    const unset = await cli(['sign', root, '--password-env', 'BS_UNSET_VAR'], dir);
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain('BS_UNSET_VAR (--password-env) is not set');
  });

  it('a wrong password fails with exit 1, never echoes it, and writes nothing', async () => {
    const root = await service({ password: PASSWORD });
    const wrong = `${PASSWORD}-nope`;
    const r = await cli(['sign', root, '--password-env', 'PW'], dir, { env: { HOME: dir, PW: wrong } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Wrong password for aos-user-sp\.p12 \(the password from \$PW does not open it\)/);
    expect(r.stdout + r.stderr).not.toContain(wrong);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(await leftovers(root)).toEqual([]);
    // No terminal and no password option: say how to give one instead of prompting.
    const none = await cli(['sign', root], dir, { promptPassword: () => Promise.reject(new Error('must not prompt')) });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/protected by a password.*--password-env VAR or --password-file FILE/);
  });

  it('prompts on a terminal, up to 3 tries', async () => {
    const root = await service({ password: PASSWORD });
    const questions: string[] = [];
    const answers = ['first-wrong', 'second-wrong', PASSWORD];
    const ok = await cli(['sign', root], dir, {
      interactive: true,
      promptPassword: async (q) => {
        questions.push(q);
        return answers.shift();
      },
    });
    expect(ok.code).toBe(0);
    expect(questions).toEqual(['Password for aos-user-sp.p12: ', 'Wrong password. Password for aos-user-sp.p12: ', 'Wrong password. Password for aos-user-sp.p12: ']);
    expect(ok.stdout + ok.stderr).not.toContain(PASSWORD);

    let asked = 0;
    const bad = await cli(['sign', root, '-o', path.join(dir, 'never.tar.gz')], dir, { interactive: true, promptPassword: async () => `guess-${++asked}` });
    expect(bad.code).toBe(1);
    expect(asked).toBe(3);
    expect(bad.stderr).toMatch(/3 wrong passwords, giving up/);
    expect(bad.stdout + bad.stderr).not.toMatch(/guess-\d/);
    await expect(fs.stat(path.join(dir, 'never.tar.gz'))).rejects.toThrow();
  });

  it('refuses an invalid config with positioned diagnostics in the validate format, before any work', async () => {
    const root = await service();
    const configPath = path.join(root, 'meta', 'config.yaml');
    await fs.writeFile(configPath, (await fs.readFile(configPath, 'utf8')).replace('version: "1.2.3"', 'version: "1.0"'));
    const r = await cli(['sign'], root);
    expect(r.code).toBe(1);
    const line = (await fs.readFile(configPath, 'utf8')).split('\n').findIndex((l) => l.includes('version: "1.0"')) + 1;
    expect(r.stderr).toMatch(new RegExp(`^meta/config\\.yaml:${line}:14: error: .+ \\(publish\\.version\\)$`, 'm'));
    expect(r.stdout).toBe('');
    expect(await leftovers(root)).toEqual([]);
  });

  it('the core refuses config errors too: invalid-config naming file, line, column and key path', async () => {
    const root = await service();
    const configPath = path.join(root, 'meta', 'config.yaml');
    await fs.writeFile(configPath, (await fs.readFile(configPath, 'utf8')).replace('version: "1.2.3"', 'version: "1.0"'));
    const e = await signServiceBundle({ root, homeDir: dir }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(AppFailure);
    expect((e as AppFailure).error.code).toBe('invalid-config');
    expect((e as AppFailure).error.location).toEqual({ file: configPath, line: 11, column: 14, path: 'publish.version' });
  });

  it('draws progress (files, bytes, rate) on a terminal stderr and clears it', async () => {
    const root = await service({ files: { 'a.bin': Buffer.alloc(3 << 20, 1), 'b.txt': 'b' } });
    const r = await cli(['sign', root], dir, { stderrIsTTY: true, columns: 120 });
    expect(r.code).toBe(0);
    const ESC = String.fromCharCode(27);
    expect(r.stderr.split(`\r${ESC}[K`).some((line) => /^archive\s+\d+\/2 files/.test(line))).toBe(true);
    expect(r.stderr).toContain('\r\u001b[K'); // cleared before the summary
    expect(r.stdout).not.toContain('\r');
  });

  it('cancel (Ctrl+C) stops the build and leaves no file', async () => {
    const root = await service({ files: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}.bin`, Buffer.alloc(1 << 20, i)])) });
    const controller = new AbortController();
    const r = await cli(['sign', root], dir, {
      stderrIsTTY: true,
      signal: controller.signal,
      stderr: (t) => {
        if (t.includes('archive')) controller.abort();
      },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cancelled; no bundle was written');
    expect(await leftovers(root)).toEqual([]);
  });
});

describe('password prompt', () => {
  class FakeTty extends EventEmitter {
    raw: boolean[] = [];
    isTTY = true;
    setRawMode(mode: boolean) {
      this.raw.push(mode);
    }
    resume() {}
    pause() {}
  }

  it('reads without echo, handles backspace and restores the terminal', async () => {
    const input = new FakeTty();
    let shown = '';
    const answer = promptHidden('Password: ', { input, output: (t) => (shown += t) });
    input.emit('data', Buffer.from('sx\u007fe'));
    input.emit('data', 'cr\u001b[Det\r');
    await expect(answer).resolves.toBe('secret');
    expect(shown).toBe('Password: \n');
    expect(input.raw).toEqual([true, false]);
    expect(input.listenerCount('data')).toBe(0);
  });

  it('Ctrl+C cancels, Ctrl+D on an empty line gives up', async () => {
    const a = new FakeTty();
    const cancelled = promptHidden('P: ', { input: a, output: () => undefined });
    a.emit('data', 'ab\u0003');
    await expect(cancelled).rejects.toMatchObject({ error: { code: 'cancelled' } });
    expect(a.raw).toEqual([true, false]);
    const b = new FakeTty();
    const none = promptHidden('P: ', { input: b, output: () => undefined });
    b.emit('data', '\u0004');
    await expect(none).resolves.toBeUndefined();
  });
});

it('upload progress says "sent" (bytes handed to the connection), and once all are sent that it waits for the cloud\'s answer', () => {
  let err = '';
  const io = { stdout: () => undefined, stderr: (t: string) => void (err += t), cwd: '/', env: {}, interactive: false, stderrIsTTY: true, columns: 200 };
  const { onProgress } = uploadProgress(io);
  const e = {} as Parameters<typeof onProgress>[0];
  onProgress(e, { sent: 1 << 20, total: 4 << 20 });
  expect(err).toMatch(/sent +1\.0 MiB \/ 4\.0 MiB \(25%\)/);
  expect(err).not.toMatch(/upload/);
  onProgress(e, { sent: 4 << 20, total: 4 << 20 });
  expect(err.split('\r').at(-1)).toMatch(/sent +4\.0 MiB \/ 4\.0 MiB \(100%\) +waiting for the cloud’s answer…$/);
});

it('progress text shows files, bytes, rate and time left', () => {
  expect(progressText({ label: 'archive', done: 50 << 20, total: 200 << 20, filesDone: 500, filesTotal: 2000 }, 2)).toBe(
    'archive   500/2000 files  50 MiB / 200 MiB (25%)  25 MiB/s  0:06 left',
  );
});
