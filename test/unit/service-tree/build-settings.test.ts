import { join } from 'node:path';
import { parseServiceConfig } from '../../../src/shared/service-config';
import { sourceFolderOf, symlinkPolicyOf } from '../../../src/main/core/service-tree/build-settings';

const root = join('/', 'services', 'hello');
const valueOf = (build: string) => parseServiceConfig(`build:\n${build}`).value;

describe('build settings', () => {
  it('takes build.source_folder against the service root, default src', () => {
    expect(sourceFolderOf(root, valueOf('    source_folder: rootfs\n'))).toBe(join(root, 'rootfs'));
    expect(sourceFolderOf(root, valueOf('    source_folder: /opt/rootfs\n'))).toBe(join('/', 'opt', 'rootfs'));
    expect(sourceFolderOf(root, valueOf('    source_folder: "  "\n'))).toBe(join(root, 'src'));
    expect(sourceFolderOf(root, valueOf('    source_folder: [a]\n'))).toBe(join(root, 'src'));
    expect(sourceFolderOf(root, undefined)).toBe(join(root, 'src'));
  });

  it('takes build.symlinks, default copy', () => {
    expect(symlinkPolicyOf(valueOf('    symlinks: delete\n'))).toBe('delete');
    expect(symlinkPolicyOf(valueOf('    symlinks: raise\n'))).toBe('raise');
    expect(symlinkPolicyOf(valueOf('    symlinks: sometimes\n'))).toBe('copy');
    expect(symlinkPolicyOf(undefined)).toBe('copy');
  });
});
