// src.addFiles / src.copyIn / src.mkdir through the API: nothing lands outside the service's
// source folder, and that folder must itself lie inside the service folder, since
// build.source_folder can be edited through the API too (issue 7 §3).
import { mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createApiHandlers, dispatch } from '../../../src/main/api/handlers';
import { makeServiceTree, SERVICE_CONFIG } from '../oci/helpers';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest();
let tree: { root: string; src: string };
let outside: string;
beforeEach(async () => {
  tree = makeServiceTree();
  outside = join(tmp.path, 'outside');
  await mkdir(outside);
  await symlink(outside, join(tree.src, 'lnk'));
});
afterEach(async () => {
  await rm(tree.root, { recursive: true, force: true });
});

const handlers = () => createApiHandlers({ mode: 'browser', settingsDir: join(tmp.path, 'settings'), homeDir: tmp.path, cwd: tmp.path });
const withSourceFolder = (folder: string) => writeFile(join(tree.root, 'meta', 'config.yaml'), SERVICE_CONFIG.replace('build:\n', `build:\n    source_folder: ${folder}\n`));

const writes = (h: ReturnType<typeof handlers>) => [
  dispatch(h, 'src.addFiles', { root: tree.root, dir: '', files: [{ path: 'authorized_keys', contentBase64: Buffer.from('ssh-rsa AAAA').toString('base64') }] }),
  dispatch(h, 'src.mkdir', { root: tree.root, path: 'newdir' }),
  dispatch(h, 'src.copyIn', { root: tree.root, dir: '', sources: [join(tree.root, 'meta', 'config.yaml')] }),
];

describe('API writes into src/', () => {
  // '<sibling>' and '<absolute>' name the outside folder, relatively and absolutely.
  it.each(['<sibling>', '<absolute>', 'src/lnk', 'src/lnk/deeper', '..', 'src/../..'])(
    'refuses every write when build.source_folder is %s (outside the service folder)',
    async (folder) => {
      await withSourceFolder(folder.replace('<sibling>', `../${basename(tmp.path)}/outside`).replace('<absolute>', outside));
      for (const result of await Promise.all(writes(handlers()))) {
        expect(result.ok).toBe(false);
        if (result.ok) continue;
        expect(result.error.code).toBe('forbidden');
        expect(result.error.message).toContain('only inside the service folder');
        expect(result.error.location).toEqual({ file: join(tree.root, 'meta', 'config.yaml'), path: 'build.source_folder' });
      }
      expect(await readdir(outside)).toEqual([]);
    },
  );

  it('refuses writes through a link inside src/ with the default source folder', async () => {
    const result = await dispatch(handlers(), 'src.addFiles', { root: tree.root, dir: 'lnk', files: [{ path: 'x', contentBase64: '' }] });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await readdir(outside)).toEqual([]);
  });

  it('writes into a source folder inside the service folder', async () => {
    await withSourceFolder('rootfs');
    const results = await Promise.all(writes(handlers()));
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect((await readdir(join(tree.root, 'rootfs'))).sort()).toEqual(['authorized_keys', 'config.yaml', 'newdir']);
  });
});
