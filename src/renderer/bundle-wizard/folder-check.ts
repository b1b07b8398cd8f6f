// The folder step's check against the disk when Next is pressed: a name that is a file, or
// a folder that already holds a service or a bundle, is refused there. 'deployment.create'
// has the final say (the disk can change in between).
import type { ApiClient } from '../api/context';
import { targetDir, type NewBundleValues } from './bundle-form';

export async function checkBundleFolderOnDisk(call: ApiClient['call'], values: NewBundleValues): Promise<string | null> {
  const name = values.name.trim();
  let listing;
  try {
    listing = await call('fs.browse', { path: values.parent.trim(), showFiles: true });
  } catch {
    // A parent that does not exist yet is created with the bundle.
    return null;
  }
  const same = listing.entries.find((e) => e.name === name);
  if (!same) return null;
  if (same.kind === 'file') return `A file named ${name} is already there; choose another name.`;
  try {
    const found = await call('folder.detect', { dir: targetDir(values) });
    if (found.kind === 'deployment') return `${targetDir(values)} is already a layer bundle; choose another name, or open it from the start screen.`;
    if (found.kind === 'service') return `${targetDir(values)} is a service; choose another name.`;
  } catch {
    // Left to 'deployment.create'.
  }
  return null;
}
