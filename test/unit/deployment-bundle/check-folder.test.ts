// Folder checks of a deployment bundle: image paths exist, are a file (path) or a folder
// (sourceFolder), stay inside the bundle folder, honour the item's sourceFolder, and a layer
// image is a gzip'd tar; all at the line and column of the referencing key.
import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { checkDeploymentBundle } from '../../../src/main/core/deployment-bundle/check-bundle';
import { checkDeploymentFolder, writtenPathProblem } from '../../../src/main/core/deployment-bundle/check-folder';
import { checkLayerContent } from '../../../src/main/core/deployment-bundle/layer-content';
import { parseDeploymentConfig } from '../../../src/shared/deployment-config';
import { failureOf } from '../../support/failure';
import { bundle } from '../deployment-config/helpers';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest('check-folder-');

/** A layer bundle whose first image's path is `file` (line 13, key at column 9). */
const config = (file: string, extraItem = ''): string => bundle('', extraItem, file);

/** A real layer image made by GNU tar and gzip, as the platform's build makes it. */
async function layerImage(root: string, rel: string): Promise<void> {
  const content = join(root, '.content');
  await mkdir(join(content, 'usr/lib'), { recursive: true });
  await writeFile(join(content, 'usr/lib/libx.so.1'), 'x');
  await mkdir(join(root, rel, '..'), { recursive: true });
  execFileSync('sh', ['-c', `tar --numeric-owner -cf - -C "$1" . | gzip -n > "$2"`, 'sh', content, join(root, rel)]);
}

/** The key publish.tlsKey names (aos-user-oem.p12), in `root`: its absence is a diagnostic of its own. */
const withKey = async (root: string): Promise<string> => {
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'aos-user-oem.p12'), 'key');
  return root;
};

async function check(text: string) {
  return checkDeploymentFolder(parseDeploymentConfig(text), await withKey(tmp.path));
}

describe('checkDeploymentFolder', () => {
  it('a bundle whose layer image is a real .tar.gz has no diagnostics', async () => {
    await layerImage(tmp.path, 'layers/linux-amd64-1.0.0.tar.gz');
    expect(await check(config('layers/linux-amd64-1.0.0.tar.gz'))).toEqual([]);
  });

  it('a missing image is an error at its key', async () => {
    const d = await check(config('layers/linux-amd64-1.0.0.tar.gz'));
    expect(d).toEqual([expect.objectContaining({ code: 'image-missing', severity: 'error', path: 'items[0].images[0].path', line: 13, column: 9 })]);
  });

  it('path must be a file, sourceFolder a folder', async () => {
    await mkdir(join(tmp.path, 'layers/dir.tar.gz'), { recursive: true });
    expect((await check(config('layers/dir.tar.gz')))[0]).toMatchObject({ code: 'image-not-file', line: 13 });
    await writeFile(join(tmp.path, 'rootfs'), 'x');
    const service = `  - identity: {type: service, codename: hello}\n    version: 1.0.0\n    images:\n      - archInfo: {architecture: amd64}\n        sourceFolder: rootfs\n`;
    await layerImage(tmp.path, 'ok.tar.gz');
    const d = await check(config('ok.tar.gz', service));
    expect(d).toEqual([expect.objectContaining({ code: 'image-not-folder', path: 'items[1].images[0].sourceFolder', line: 18, column: 9 })]);
  });

  it.each([
    ['../outside.tar.gz', "climbs out with '..'"],
    ['/etc/passwd', 'absolute path'],
    ['layers\\x.tar.gz', 'backslash'],
  ])('%s is refused by its spelling', async (file, words) => {
    const d = await check(config(JSON.stringify(file)));
    expect(d).toEqual([expect.objectContaining({ code: 'invalid-path', line: 13, column: 9 })]);
    expect(d[0].message).toContain(words);
  });

  it('a symbolic link leading out of the bundle folder is refused, the file itself or a folder on the way', async () => {
    const outside = join(tmp.path, 'outside');
    const bundle = join(tmp.path, 'bundle');
    await layerImage(outside, 'real.tar.gz');
    await withKey(bundle);
    await symlink(join(outside, 'real.tar.gz'), join(bundle, 'img.tar.gz'));
    await symlink(outside, join(bundle, 'layers'));
    for (const file of ['img.tar.gz', 'layers/real.tar.gz']) {
      const d = await checkDeploymentFolder(parseDeploymentConfig(config(file)), bundle);
      expect(d).toEqual([expect.objectContaining({ code: 'path-outside-bundle', line: 13, column: 9 })]);
      expect(d[0].message).toContain('leads outside the bundle folder through the symbolic link');
    }
  });

  it('a symbolic link that stays inside the bundle folder is followed', async () => {
    await layerImage(tmp.path, 'store/real.tar.gz');
    await symlink('store/real.tar.gz', join(tmp.path, 'img.tar.gz'));
    expect(await check(config('img.tar.gz'))).toEqual([]);
  });

  it('items[].sourceFolder prefixes the image paths and must itself be a folder inside', async () => {
    await layerImage(tmp.path, 'pylibs/linux-amd64-1.0.0.tar.gz');
    const withFolder = (folder: string) => config('linux-amd64-1.0.0.tar.gz').replace('    version: 1.0.0\n', `    version: 1.0.0\n    sourceFolder: ${folder}\n`);
    expect(await check(withFolder('pylibs'))).toEqual([]);
    // Without the prefix the same path is not found.
    expect((await check(config('linux-amd64-1.0.0.tar.gz')))[0]).toMatchObject({ code: 'image-missing' });
    const missing = await check(withFolder('nope'));
    expect(missing).toEqual([expect.objectContaining({ code: 'item-folder-missing', path: 'items[0].sourceFolder', line: 9, column: 5 })]);
    const climbing = await check(withFolder('../x'));
    expect(climbing).toEqual([expect.objectContaining({ code: 'invalid-path', path: 'items[0].sourceFolder', line: 9, column: 5 })]);
  });

  it('a layer image that is not a gzip\'d tar is an error', async () => {
    await writeFile(join(tmp.path, 'plain.tar.gz'), 'not gzip at all');
    const d = await check(config('plain.tar.gz'));
    expect(d).toEqual([expect.objectContaining({ code: 'layer-not-tar-gz', line: 13, column: 9 })]);
    expect(d[0].message).toContain('not a gzip file');
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(checkDeploymentFolder(parseDeploymentConfig(config('x.tar.gz')), tmp.path, { signal: controller.signal })).rejects.toThrow();
  });
});

describe('checkLayerContent', () => {
  it('accepts a tar made by GNU tar and gzip, naming its first entries', async () => {
    await layerImage(tmp.path, 'l.tar.gz');
    const result = await checkLayerContent(join(tmp.path, 'l.tar.gz'));
    expect(result.ok).toBe(true);
    expect(result.entries[0]).toBe('./');
  });

  it('refuses a plain tar, gzip of something else, corrupt gzip and an empty file', async () => {
    const content = join(tmp.path, 'c');
    await mkdir(content);
    await writeFile(join(content, 'f'), 'x');
    execFileSync('tar', ['-cf', join(tmp.path, 'plain.tar'), '-C', content, '.']);
    expect((await checkLayerContent(join(tmp.path, 'plain.tar'))).problem).toContain('plain (uncompressed) tar');

    await writeFile(join(tmp.path, 'text.gz'), gzipSync(Buffer.alloc(2048, 'hello world ')));
    expect((await checkLayerContent(join(tmp.path, 'text.gz'))).ok).toBe(false);

    const good = gzipSync(Buffer.alloc(4096, 1));
    await writeFile(join(tmp.path, 'corrupt.gz'), Buffer.concat([good.subarray(0, 10), Buffer.alloc(100, 0xff)]));
    expect((await checkLayerContent(join(tmp.path, 'corrupt.gz'))).problem).toMatch(/corrupt|too short/);

    await writeFile(join(tmp.path, 'empty.gz'), '');
    expect((await checkLayerContent(join(tmp.path, 'empty.gz'))).problem).toBe('the file is empty');
  });

  it('reads only the start: a huge layer whose tail is garbage still passes', async () => {
    await layerImage(tmp.path, 'l.tar.gz');
    // A valid first member followed by megabytes of junk: a full read would refuse it.
    const bigTar = Buffer.alloc(1 << 20);
    bigTar.set(execFileSync('tar', ['-cf', '-', '-C', join(tmp.path, '.content'), '.']).subarray(0, 512), 0);
    const junk = Buffer.alloc(4 << 20, 0xab);
    await writeFile(join(tmp.path, 'big.tar.gz'), Buffer.concat([gzipSync(bigTar), junk]));
    expect((await checkLayerContent(join(tmp.path, 'big.tar.gz'))).ok).toBe(true);
  });
});

describe('writtenPathProblem', () => {
  it('accepts plain relative paths', () => {
    expect(writtenPathProblem('layers/linux-amd64-1.0.0.tar.gz')).toBeNull();
    expect(writtenPathProblem('./a/b')).toBeNull();
    expect(writtenPathProblem('C:\\x')).toContain('absolute');
  });
});

describe('the credentials publish names', () => {
  const home = () => join(tmp.path, 'home');
  const run = (text: string) => checkDeploymentFolder(parseDeploymentConfig(text), tmp.path, { homeDir: home() });

  it('a missing publish.tlsKey file is an error at its key (sign would fail), found in ~/.aos/security it is fine', async () => {
    await layerImage(tmp.path, 'layers/linux-amd64-1.0.0.tar.gz');
    const d = await run(config('layers/linux-amd64-1.0.0.tar.gz'));
    expect(d).toEqual([expect.objectContaining({ severity: 'error', code: 'credential-not-found', path: 'publish.tlsKey', line: 3, column: 3 })]);
    expect(d[0].message).toContain(join(home(), '.aos', 'security', 'aos-user-oem.p12'));
    await mkdir(join(home(), '.aos', 'security'), { recursive: true });
    await writeFile(join(home(), '.aos', 'security', 'aos-user-oem.p12'), 'key');
    expect(await run(config('layers/linux-amd64-1.0.0.tar.gz'))).toEqual([]);
  });

  it('with publish.signKey, the signing key missing is the error; tlsKey missing only a warning (upload needs it)', async () => {
    await layerImage(tmp.path, 'layers/linux-amd64-1.0.0.tar.gz');
    const text = config('layers/linux-amd64-1.0.0.tar.gz').replace('  tlsKey: aos-user-oem.p12\n', '  tlsKey: aos-user-oem.p12\n  signKey: sign.pem\n');
    expect((await run(text)).map((x) => [x.severity, x.path, x.line])).toEqual([
      ['error', 'publish.signKey', 4],
      ['warning', 'publish.tlsKey', 3],
    ]);
  });
});

describe('checkDeploymentBundle', () => {
  it('reads config.yaml, runs the rules and the folder checks', async () => {
    await writeFile(join(tmp.path, 'config.yaml'), config('missing.tar.gz').replace('architecture: amd64', 'architecture: x86_64'));
    await withKey(tmp.path);
    const result = await checkDeploymentBundle(tmp.path);
    expect(result.configPath).toBe(join(tmp.path, 'config.yaml'));
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['invalid-architecture', 11],
      ['image-missing', 13],
    ]);
  });

  it('refuses a folder without config.yaml', async () => {
    const f = await failureOf(checkDeploymentBundle(tmp.path));
    expect(f.error.code).toBe('not-a-bundle');
  });
});
