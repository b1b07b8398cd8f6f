// Adding a layer image to the catalog (the Pack layer wizard's "Add to the catalog"): a copy
// as `<library>/<uid>/<os>-<arch>-<version>.tar.gz`, written to a temp file and renamed,
// never over an existing version.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { appError, fsFailure } from '../../../../shared/errors';
import { copyFileAtomic } from '../../fs/atomic-write';
import { parseLayerFileName } from '../library';

export async function addLayerToCatalog(input: { library: string; uid: string; file: string }): Promise<{ file: string }> {
  const source = path.resolve(input.file);
  const name = path.basename(source);
  if (!parseLayerFileName(name)) throw appError('invalid-input', `${name} is not named <os>-<arch>-<version>.tar.gz (arch amd64, arm64 or arm; a SemVer version): the catalog finds versions by that name.`, { file: source });
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(input.uid)) throw appError('invalid-input', `'${input.uid}' is not a layer uid: letters, digits, '.', '_' and '-' only, starting with a letter or digit.`);
  const folder = path.join(path.resolve(input.library), input.uid);
  const target = path.join(folder, name);
  // The catalog lists only real folders (library.ts), so a symlinked <uid> would take the copy
  // outside the library, where the catalog neither shows nor removes it.
  const st = await fs.lstat(folder).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw fsFailure(e, 'Cannot add the layer to the catalog', folder);
  });
  if (st && !st.isDirectory()) throw appError('invalid-input', `${folder} is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}: the catalog keeps a layer's versions in a real folder <library>/<uid>.`, { file: folder });
  try {
    await fs.lstat(target);
    throw appError('exists', `${target} already exists: the catalog has this version; remove it first or give the new one another version.`, { file: target });
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw e;
  }
  try {
    await fs.mkdir(folder, { recursive: true });
    await copyFileAtomic(source, target);
  } catch (e) {
    throw fsFailure(e, 'Cannot add the layer to the catalog', target);
  }
  return { file: target };
}
