// "New folder" in the in-app folder browser: one folder, directly inside the folder the user
// is looking at. The name is a single path segment (no separators, not . or ..), the parent
// must be an existing folder, and an existing entry is never reused, so the call can create
// nothing but that one empty folder.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { appError, fsFailure } from '../../../shared/errors';

export function newFolderNameProblem(name: string): string | null {
  if (!name.trim()) return 'Give the folder a name.';
  if (name !== name.trim()) return 'A folder name does not start or end with spaces.';
  if (name === '.' || name === '..') return `“${name}” is not a folder name.`;
  if (/[/\\\0]/.test(name)) return 'A folder name has no slashes: the folder is made in the folder shown.';
  return null;
}

export async function createFolderIn(parent: string, name: string): Promise<string> {
  const problem = newFolderNameProblem(name);
  if (problem) throw appError('invalid-input', problem);
  let info;
  try {
    info = await fs.stat(parent);
  } catch (err) {
    throw fsFailure(err, 'Cannot open', parent);
  }
  if (!info.isDirectory()) throw appError('invalid-input', `${parent} is not a folder.`, { file: parent });
  const target = path.join(parent, name);
  try {
    await fs.mkdir(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw appError('exists', `${name} already exists in ${parent}.`, { file: target });
    throw fsFailure(err, 'Cannot create', target);
  }
  return target;
}
