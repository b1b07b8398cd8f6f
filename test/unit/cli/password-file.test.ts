// --password-file reads at most a few KB: a device, a log named by mistake or a folder is
// refused at once, and no message quotes what was read.
import { execFileSync, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PASSWORD_FILE_MAX_BYTES, readPasswordFile } from '../../../src/main/cli/password';
import { makeService } from '../bundle/service-fixture';
import { makeTestPki, tempDir } from '../credentials/pki-fixtures';
import { cli } from './helpers';
import { failureOf } from '../../support/failure';

let dir: string;
let pki: ReturnType<typeof makeTestPki>;

beforeAll(async () => {
  dir = await tempDir('bs-password-file-');
  pki = makeTestPki();
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('--password-file', () => {
  it('reads up to the cap and refuses one byte more, without quoting the content', async () => {
    const exact = path.join(dir, 'exact');
    await fs.writeFile(exact, 'p'.repeat(PASSWORD_FILE_MAX_BYTES));
    expect(await readPasswordFile(exact)).toBe('p'.repeat(PASSWORD_FILE_MAX_BYTES));
    const over = path.join(dir, 'over');
    await fs.writeFile(over, 'S3cr3t!'.repeat(1000));
    const e = await failureOf(readPasswordFile(over));
    expect(e.error).toEqual({
      code: 'invalid-input',
      message: `The password file ${over} holds more than ${PASSWORD_FILE_MAX_BYTES} bytes; it should hold only the password (and perhaps a newline).`,
      location: { file: over },
    });
  });

  it('refuses an endless device such as /dev/zero in sign, after a few KB, with exit 1', async () => {
    const root = await makeService(path.join(dir, 'svc-zero'), pki.user, [pki.ca]);
    const r = await cli(['sign', root, '--password-file', '/dev/zero'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`The password file /dev/zero holds more than ${PASSWORD_FILE_MAX_BYTES} bytes`);
    expect(r.stdout).toBe('');
    expect(await fs.readdir(root)).toEqual(['meta', 'src']);
  });

  it('names the real cause for a folder and a missing file', async () => {
    const e = await failureOf(readPasswordFile(dir));
    expect(e.error.code).toBe('io');
    expect(e.message).toBe(`Cannot read the password file ${dir}: it is a folder, not a file (EISDIR).`);
    const missing = path.join(dir, 'nope');
    expect((await failureOf(readPasswordFile(missing))).error).toMatchObject({ code: 'not-found', message: `Cannot read the password file ${missing}: it does not exist (ENOENT).` });
  });

  it('reads a pipe, as process substitution <(...) gives one', async () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `printf 'from a pipe\\n' > "${fifo}"`], { stdio: 'ignore' });
    try {
      expect(await readPasswordFile(fifo)).toBe('from a pipe\n');
    } finally {
      await new Promise((r) => (writer.exitCode === null ? writer.once('exit', r) : r(undefined)));
    }
  });
});
