// detectFolderKind: meta/config.yaml is a service tree, config.yaml with schemaVersion 2 a
// deployment bundle; anything else is refused with what was found instead.
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { declaredSchemaVersion, detectFolderKind } from '../../../src/main/core/deployment-bundle/folder-kind';
import { failureOf } from '../../support/failure';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest('folder-kind-');

async function serviceTree(root: string): Promise<void> {
  await mkdir(join(root, 'meta'), { recursive: true });
  await writeFile(join(root, 'meta', 'config.yaml'), 'publish:\n    version: "1.0.0"\n');
}

describe('detectFolderKind', () => {
  it('finds a service tree by meta/config.yaml', async () => {
    await serviceTree(tmp.path);
    await expect(detectFolderKind(tmp.path)).resolves.toEqual({ kind: 'service', root: tmp.path, configPath: join(tmp.path, 'meta', 'config.yaml') });
  });

  it('finds a deployment bundle by config.yaml with schemaVersion 2', async () => {
    await writeFile(join(tmp.path, 'config.yaml'), '# a layer bundle\nschemaVersion: 2\nitems: []\n');
    await expect(detectFolderKind(tmp.path)).resolves.toEqual({ kind: 'deployment-bundle', root: tmp.path, configPath: join(tmp.path, 'config.yaml') });
  });

  it('still finds a deployment bundle whose config.yaml has a YAML error elsewhere', async () => {
    await writeFile(join(tmp.path, 'config.yaml'), 'schemaVersion: 2   # v2\nitems: [\n');
    expect((await detectFolderKind(tmp.path)).kind).toBe('deployment-bundle');
  });

  it('a service tree with an unrelated config.yaml at its root stays a service tree', async () => {
    await serviceTree(tmp.path);
    await writeFile(join(tmp.path, 'config.yaml'), 'something: else\n');
    expect((await detectFolderKind(tmp.path)).kind).toBe('service');
  });

  it('refuses config.yaml without schemaVersion 2, saying what it declares, at its line', async () => {
    await writeFile(join(tmp.path, 'config.yaml'), '# old\nschemaVersion: 1\n');
    const f = await failureOf(detectFolderKind(tmp.path));
    expect(f.error.code).toBe('not-a-bundle');
    expect(f.error.message).toContain('declares schemaVersion: 1');
    expect(f.error.location).toMatchObject({ file: join(tmp.path, 'config.yaml'), line: 2, column: 1, path: 'schemaVersion' });
  });

  it('refuses config.yaml with no schemaVersion at all', async () => {
    await writeFile(join(tmp.path, 'config.yaml'), 'build:\n    os: linux\n');
    const f = await failureOf(detectFolderKind(tmp.path));
    expect(f.error.code).toBe('not-a-bundle');
    expect(f.error.message).toContain('has no schemaVersion');
    expect(f.error.message).toContain('no meta/config.yaml');
  });

  it('refuses an empty folder, naming both kinds it looked for', async () => {
    const f = await failureOf(detectFolderKind(tmp.path));
    expect(f.error.code).toBe('not-a-bundle');
    expect(f.error.message).toMatch(/neither a service tree \(meta\/config\.yaml\) nor a deployment bundle/);
  });

  it('says when config.yaml is a folder', async () => {
    await mkdir(join(tmp.path, 'config.yaml'));
    const f = await failureOf(detectFolderKind(tmp.path));
    expect(f.error.message).toContain('config.yaml is a folder');
  });

  it('refuses a folder holding both kinds', async () => {
    await serviceTree(tmp.path);
    await writeFile(join(tmp.path, 'config.yaml'), 'schemaVersion: 2\n');
    const f = await failureOf(detectFolderKind(tmp.path));
    expect(f.error.code).toBe('not-a-bundle');
    expect(f.error.message).toContain('holds both');
  });

  it('refuses a missing folder and a file', async () => {
    expect((await failureOf(detectFolderKind(join(tmp.path, 'nope')))).error.code).toBe('not-found');
    await writeFile(join(tmp.path, 'f'), 'x');
    const f = await failureOf(detectFolderKind(join(tmp.path, 'f')));
    expect(f.error.message).toContain('is a file, not a folder');
  });

  it('follows a config.yaml that is a link to a file, as the reader does', async () => {
    await writeFile(join(tmp.path, 'real.yaml'), 'schemaVersion: 2\n');
    await symlink('real.yaml', join(tmp.path, 'config.yaml'));
    expect((await detectFolderKind(tmp.path)).kind).toBe('deployment-bundle');
  });
});

describe('declaredSchemaVersion', () => {
  it('reads the parsed value, or the line as written when the YAML is broken', () => {
    expect(declaredSchemaVersion('schemaVersion: 2\n')).toBe(2);
    expect(declaredSchemaVersion('schemaVersion: "2"\n')).toBe('2');
    expect(declaredSchemaVersion('schemaVersion: 2 # c\nx: [\n')).toBe(2);
    expect(declaredSchemaVersion('a: 1\n')).toBeUndefined();
  });
});
