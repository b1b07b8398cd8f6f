// `mkdir -p` that reports the real cause. Node's recursive mkdir answers ENOENT for any
// failure to create a missing folder (a read-only file system, a permission problem), which
// reached people as "not found"; on ENOENT the missing folders are made one by one, so the
// error is the one the system gave for the folder that could not be made.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export async function makeFolder(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
    return;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const missing: string[] = [];
  for (let p = path.resolve(dir); ; p = path.dirname(p)) {
    try {
      await fs.lstat(p);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      missing.unshift(p);
      if (path.dirname(p) === p) break;
    }
  }
  for (const p of missing) {
    await fs.mkdir(p).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
  }
}
