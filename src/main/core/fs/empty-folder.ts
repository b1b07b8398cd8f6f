// Writing a set of files into a folder the user named (the preview export): only into a
// folder that does not exist yet or is empty, so an export can never overwrite or mix
// with what is already there (a home folder, another image, a service tree).
import { readdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { appError } from '../../../shared/errors';

/** Resolves when `dir` is missing or an empty folder; otherwise refuses with 'exists' naming the folder. */
export async function requireEmptyOrNewFolder(dir: string, what = 'The export'): Promise<void> {
  const folder = resolve(dir);
  let isDir: boolean;
  try {
    isDir = (await stat(folder)).isDirectory();
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return;
    throw err;
  }
  if (!isDir) throw appError('exists', `${folder} is a file; ${what.toLowerCase()} writes only into an empty or new folder.`, { file: folder });
  const entries = await readdir(folder);
  if (entries.length > 0) {
    throw appError('exists', `${what} folder ${folder} is not empty (${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}): ${what.toLowerCase()} writes only into an empty or new folder.`, { file: folder });
  }
}
