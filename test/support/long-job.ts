// A service tree whose rootfs layer takes minutes to build: src/ holds one sparse file of
// 64 GiB (no disk used; reading it yields zeros). 'preview.rootfs' on it is a job that is
// still running when a test cancels it, whatever the machine's speed.
import { writeFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { initServiceTree } from '../../src/main/core/service-tree/init';

export async function serviceWithLongRootfsJob(dir: string): Promise<string> {
  const { root } = await initServiceTree({ dir, homeDir: dir });
  const big = join(root, 'src', 'sparse.bin');
  await writeFile(big, '');
  await truncate(big, 64 * 2 ** 30);
  return root;
}
