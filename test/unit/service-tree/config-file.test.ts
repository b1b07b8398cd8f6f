// The one config reader: validate, open, save, sign and the bundle's config reader refuse
// the same files (too large, not a regular file) with the same words, and invalid text is
// reported at its position by all of them.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readBundleConfig, signServiceBundle } from '../../../src/main/core/bundle';
import { readConfigFile } from '../../../src/main/core/service-tree/config-file';
import { openServiceTree } from '../../../src/main/core/service-tree/open';
import { saveServiceConfig } from '../../../src/main/core/service-tree/save';
import { AppFailure } from '../../../src/shared/errors';
import { CONFIG_MAX_BYTES } from '../../../src/shared/service-config';
import { configText, makeService } from '../bundle/service-fixture';
import { cli } from '../cli/helpers';
import { makeTestPki, tempDir } from '../credentials/pki-fixtures';
import { failureOf } from '../../support/failure';

let dir: string;
let pki: ReturnType<typeof makeTestPki>;
let n = 0;

beforeAll(async () => {
  dir = await tempDir('bs-config-file-');
  pki = makeTestPki();
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function service(): Promise<{ root: string; configPath: string }> {
  const root = await makeService(path.join(dir, `svc-${++n}`), pki.user, [pki.ca]);
  return { root, configPath: path.join(root, 'meta', 'config.yaml') };
}

/** Every path that reads a service's config, as a failure (or undefined when it succeeded). */
async function everyReader(root: string): Promise<Record<string, AppFailure>> {
  return {
    readConfigFile: await failureOf(readConfigFile(root)),
    openServiceTree: await failureOf(openServiceTree(root, dir)),
    readBundleConfig: await failureOf(readBundleConfig(root)),
    signServiceBundle: await failureOf(signServiceBundle({ root, outFile: path.join(dir, `out-${n}.tar.gz`) })),
  };
}

describe('the config reader', () => {
  it('refuses a config over 1 MiB in validate, open, sign and the bundle reader alike, naming the file and the cap', async () => {
    const { root, configPath } = await service();
    await fs.appendFile(configPath, `# ${'x'.repeat(CONFIG_MAX_BYTES)}\n`);
    for (const [reader, e] of Object.entries(await everyReader(root))) {
      expect(e.error.code, reader).toBe('invalid-config');
      expect(e.message, reader).toContain(configPath);
      expect(e.message, reader).toContain('1 MiB (1 048 576 bytes)');
      expect(e.error.location, reader).toMatchObject({ file: configPath, line: 1 });
    }
    const r = await cli(['validate', root], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('1 MiB (1 048 576 bytes)');
    expect(r.stderr).not.toMatch(/internal|stack/i);
    expect(await fs.readdir(dir)).not.toContain(`out-${n}.tar.gz`);
  });

  it('reads a config right at the cap', async () => {
    const { root, configPath } = await service();
    const size = (await fs.stat(configPath)).size;
    await fs.appendFile(configPath, `#${'x'.repeat(CONFIG_MAX_BYTES - size - 2)}\n`);
    expect((await fs.stat(configPath)).size).toBe(CONFIG_MAX_BYTES);
    expect((await readConfigFile(root)).bytes.length).toBe(CONFIG_MAX_BYTES);
  });

  it('refuses a config.yaml that is a FIFO or an endless device without hanging or filling memory', async () => {
    const fifo = await service();
    await fs.rm(fifo.configPath);
    execFileSync('mkfifo', [fifo.configPath]);
    const zero = await service();
    await fs.rm(zero.configPath);
    await fs.symlink('/dev/zero', zero.configPath);
    for (const { root, configPath } of [fifo, zero]) {
      for (const [reader, e] of Object.entries(await everyReader(root))) {
        expect(e.error.code, reader).toBe('invalid-config');
        expect(e.message, reader).toBe(`${configPath} is not a regular file (a device, FIFO or socket); config.yaml must be a text file.`);
      }
    }
  });

  it('says when meta/config.yaml is a folder or meta is a file', async () => {
    const a = await service();
    await fs.rm(a.configPath);
    await fs.mkdir(a.configPath);
    expect((await failureOf(readConfigFile(a.root))).message).toContain('is a folder, not a file');
    const b = await service();
    await fs.rm(path.join(b.root, 'meta'), { recursive: true });
    await fs.writeFile(path.join(b.root, 'meta'), 'not a folder');
    expect((await failureOf(readConfigFile(b.root))).error.code).toBe('not-a-service');
  });

  it('reports invalid UTF-8 at its line and column in validate and sign', async () => {
    const { root, configPath } = await service();
    const text = configText().replace('    workingDir: /', '    workingDir: /caf');
    const at = text.indexOf('/caf') + 4;
    await fs.writeFile(configPath, Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xe9]), Buffer.from(text.slice(at))]));
    const line = text.slice(0, at).split('\n').length;
    const column = at - text.lastIndexOf('\n', at - 1);
    const r = await cli(['validate', root], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`config.yaml:${line}:${column}: error: config.yaml is not valid UTF-8 at line ${line}, column ${column}`);
    const e = await failureOf(signServiceBundle({ root }));
    expect(e.error).toMatchObject({ code: 'invalid-config', location: { file: configPath, line, column, path: 'configuration.workingDir' } });
  });

  it('refuses a UTF-16 config in sign with the encoding named, not a YAML error', async () => {
    const { root } = await service();
    const configPath = path.join(root, 'meta', 'config.yaml');
    await fs.writeFile(configPath, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(configText(), 'utf16le')]));
    const e = await failureOf(signServiceBundle({ root }));
    expect(e.error.code).toBe('invalid-config');
    expect(e.message).toMatch(/^config\.yaml is UTF-16 text/);
    expect(e.error.location).toMatchObject({ line: 1, column: 1 });
  });

  it('save refuses a text that open would refuse to read back, and leaves the file as it was', async () => {
    const { root, configPath } = await service();
    const before = await fs.readFile(configPath, 'utf8');
    const e = await failureOf(saveServiceConfig(root, `${before}# ${'y'.repeat(CONFIG_MAX_BYTES)}\n`));
    expect(e.error.code).toBe('invalid-config');
    expect(e.message).toContain('1 MiB (1 048 576 bytes)');
    expect(await fs.readFile(configPath, 'utf8')).toBe(before);
  });
});
